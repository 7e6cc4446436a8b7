"""Reflex configuration for Praxis.

The database URL comes from the environment (see app/settings.py); Praxis
manages its own engine and Alembic migrations, so Reflex's own db_url is left
unset to keep Reflex from running a second migration check.
"""

import os

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

from app.settings import private_state_dir

# Reflex keeps each browser tab's state on disk (names, records a page showed): in a folder
# of the private data directory (0700), not in the project folder.
os.environ.setdefault("REFLEX_STATES_WORKDIR", str(private_state_dir()))

config = rx.Config(
    app_name="app",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    # Behind a reverse proxy, the number of proxies whose X-Forwarded-For to trust, so that
    # throttling sees each client's own address rather than the proxy's.
    trusted_proxy_hops=int(os.environ.get("PRAXIS_TRUSTED_PROXY_HOPS", "0")),
    disable_plugins=[SitemapPlugin],
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="iris", gray_color="slate", radius="medium", scaling="100%"),
        ),
    ],
)
