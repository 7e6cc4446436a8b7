"""Delivers the outbox in the background of each app worker, and queues what is due by the clock.

The mail loop polls once a second and wakes at once when an action has just queued mail; each
message is claimed by one worker only (see services/mail.py). Its sibling, the notice loop, looks
once a minute for day-before reminders (services/scheduling/reminders.py) and clinic digests
(services/clinic_notices/digest.py) that are due; every worker runs it, and each reminder or
digest is claimed by one of them in the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from app.db import get_engine
from app.services import mail
from app.services.clinic_notices import digest
from app.services.scheduling import reminders
from app.settings import get_settings

log = logging.getLogger("praxis.mail")
POLL_SECONDS = 1.0
NOTICE_POLL_SECONDS = 60.0
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


def queue_due_notices() -> None:
    """One round of the notice loop: reminders and digests that are due now."""
    engine, settings = get_engine(), get_settings()
    reminders.send_due_reminders(engine)
    digest.send_due_digests(engine, settings)


async def run_notice_worker() -> None:
    while True:
        try:
            await asyncio.to_thread(queue_due_notices)
        except Exception:  # keep looking after a database hiccup
            log.exception("Looking for due reminders and digests failed")
        await asyncio.sleep(NOTICE_POLL_SECONDS)
