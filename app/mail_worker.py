"""Delivers the outbox in the background of each app worker.

Polls once a second and wakes at once when an action has just queued mail.
Each message is claimed by one worker only (see services/mail.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from app.db import get_engine
from app.services import mail
from app.settings import get_settings

log = logging.getLogger("praxis.mail")
POLL_SECONDS = 1.0
_wake: asyncio.Event | None = None
_loop: asyncio.AbstractEventLoop | None = None


def wake_mail_worker() -> None:
    """Deliver now rather than at the next poll; safe from any thread (runs after commits)."""
    if _wake is None or _loop is None:
        return
    with contextlib.suppress(RuntimeError):  # the loop has closed (shutting down)
        _loop.call_soon_threadsafe(_wake.set)


async def run_mail_worker() -> None:
    global _wake, _loop
    _wake, _loop = asyncio.Event(), asyncio.get_running_loop()
    # Any transaction that queues mail wakes this worker once it commits (services/mail.py).
    mail.on_new_mail(wake_mail_worker)
    while True:
        try:
            await asyncio.to_thread(mail.deliver_pending, get_engine(), get_settings())
        except Exception:  # keep delivering after a database hiccup
            log.exception("Mail delivery round failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(_wake.wait(), timeout=POLL_SECONDS)
        _wake.clear()
