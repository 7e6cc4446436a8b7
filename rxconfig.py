"""Reflex configuration for Praxis.

The database URL comes from the environment (see app/settings.py); Praxis
manages its own engine and Alembic migrations, so Reflex's own db_url is left
unset to keep Reflex from running a second migration check.
"""

import os

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

from app.settings import private_state_dir

# Where browser tabs' states live (names, records a page showed):
# - one process (`make run`): in memory. Reflex drops a tab's state an hour after its last event
#   (redis_token_expiration), so memory follows the tabs open in the last hour, and nothing is written
#   to disk. Reflex's disk store listed every state file on each pass of its write loop: its cost grew
#   with every tab ever opened (benchmarks/RESULTS.md, issue 16). The memory store is valid for ONE
#   backend worker only; `make run` pins GRANIAN_WORKERS=1.
# - several workers (REFLEX_REDIS_URL set): Redis, shared by the workers.
# The disk store, if someone forces REFLEX_STATE_MANAGER_MODE=disk, still writes into the private data
# directory (0700), not the project folder.
REDIS_URL = os.environ.get("REFLEX_REDIS_URL", "").strip()
os.environ.setdefault("REFLEX_STATES_WORKDIR", str(private_state_dir()))
if not REDIS_URL and int(os.environ.get("GRANIAN_WORKERS") or "1") > 1:
    raise SystemExit("Several backend workers need a shared state store: set REFLEX_REDIS_URL (see README.md).")
# With Redis, a worker keeps the state of a tab it is serving for a few seconds (Reflex's
# opportunistic lock) instead of reading and writing it in Redis around every event: it writes it
# back when another worker asks for the tab, or after the hold time (half of the 10 s lock). Under
# the mixed load test that took a third of the workers' CPU off (benchmarks/RESULTS.md).
# REFLEX_OPLOCK_ENABLED=false turns it off.
if REDIS_URL:
    os.environ.setdefault("REFLEX_OPLOCK_ENABLED", "true")

config = rx.Config(
    app_name="app",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    # Behind a reverse proxy, the number of proxies whose X-Forwarded-For to trust, so that
    # throttling sees each client's own address rather than the proxy's.
    trusted_proxy_hops=int(os.environ.get("PRAXIS_TRUSTED_PROXY_HOPS", "0")),
    disable_plugins=[SitemapPlugin],
    # Set explicitly: Reflex picks Redis by itself only when the mode is left at its default.
    state_manager_mode=rx.constants.StateManagerMode.REDIS if REDIS_URL else rx.constants.StateManagerMode.MEMORY,
    plugins=[
        rx.plugins.RadixThemesPlugin(
            # Solid panels: Radix's default (translucent) gives every card, dialog and popover a
            # 64 px backdrop blur, and each card became two compositor layers (a 100-question
            # form's builder had 200, and every frame after a click re-layered and blurred them:
            # benchmarks/RESULTS.md, sixth session). On Praxis' plain page background both look alike.
            theme=rx.theme(
                accent_color="iris", gray_color="slate", radius="medium", scaling="100%", panel_background="solid"
            ),
        ),
    ],
)
