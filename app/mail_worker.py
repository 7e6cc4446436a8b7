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


def wake_mail_worker() -> None:
    if _wake is not None:
        _wake.set()


async def run_mail_worker() -> None:
    global _wake
    _wake = asyncio.Event()
    while True:
        try:
            await asyncio.to_thread(mail.deliver_pending, get_engine(), get_settings())
        except Exception:  # keep delivering after a database hiccup
            log.exception("Mail delivery round failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(_wake.wait(), timeout=POLL_SECONDS)
        _wake.clear()
