"""Outgoing mail through the outbox.

Services enqueue messages inside their own transaction, so a message exists
only if the action happened. Delivery runs afterwards: over SMTP when it is
configured, otherwise printed in full to the terminal that runs the app, so a
clinic trying Praxis without a mail server can still confirm, reset and invite.
"""

from __future__ import annotations

import logging
import smtplib
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select, update

from app.db import on_commit
from app.models import OutboxMessage, OutboxStatus
from app.services import icalendar
from app.services.clock import now_or
from app.settings import Settings

log = logging.getLogger("praxis.mail")
MAX_ATTEMPTS = 6
SEND_LEASE = timedelta(minutes=10)


_wakers: list[Callable[[], None]] = []


def on_new_mail(waker: Callable[[], None]) -> None:
    """Register a thread-safe callback run after a transaction that queued mail commits (the app's
    mail worker registers one, so mail leaves at once instead of at the next poll)."""
    if waker not in _wakers:
        _wakers.append(waker)


def _wake() -> None:
    for waker in list(_wakers):
        waker()


def enqueue(db: Session, to_address: str, subject: str, body_text: str, *, ics_text: str | None = None) -> None:
    """Queue a mail in the caller's transaction: its plain text, and an .ics when it is about a visit."""
    db.add(OutboxMessage(to_address=to_address, subject=subject[:200], body_text=body_text, ics_text=ics_text or None))
    on_commit(db, _wake)


_DUE_STATES = (OutboxStatus.pending, OutboxStatus.sending)


def _due_ids(db: Session, now: datetime, limit: int) -> list[int]:
    """Messages due now: pending, or leased by a worker whose lease ran out (it crashed)."""
    query = (
        select(OutboxMessage.id)
        .where(col(OutboxMessage.status).in_(_DUE_STATES), OutboxMessage.next_attempt_at <= now)
        .order_by(col(OutboxMessage.id))
        .limit(limit)
    )
    if db.get_bind().dialect.name == "postgresql":
        # Rows another worker is leasing at this moment are skipped, not waited for. (SQLite
        # serialises writers: its transactions begin IMMEDIATE, app/db.py.)
        query = query.with_for_update(skip_locked=True)
    return [message_id for message_id in db.exec(query).all() if message_id is not None]


def _claim(engine: Engine, now: datetime, limit: int) -> list[OutboxMessage]:
    """Lease due messages to this worker, each to exactly one of several workers (or machines).

    The lease is a conditional UPDATE: it takes a message only while it is still due, so a worker
    that read the list before another one leased it gets nothing (rowcount 0) and sends nothing."""
    claimed: list[OutboxMessage] = []
    with Session(engine, expire_on_commit=False) as db:
        for message_id in _due_ids(db, now, limit):
            result = db.exec(
                update(OutboxMessage)
                .where(
                    col(OutboxMessage.id) == message_id,
                    col(OutboxMessage.status).in_(_DUE_STATES),
                    col(OutboxMessage.next_attempt_at) <= now,
                )
                .values(
                    status=OutboxStatus.sending,
                    attempts=OutboxMessage.attempts + 1,
                    next_attempt_at=now + SEND_LEASE,
                )
            )
            if result.rowcount == 1:
                message = db.get(OutboxMessage, message_id)
                if message is not None:
                    claimed.append(message)
        db.commit()
    return claimed


ICS_FILENAME = "appointment.ics"


def as_email(settings: Settings, message: OutboxMessage) -> EmailMessage:
    """The mail as it goes out: the plain text, and the calendar entry (if any) as a text/calendar
    part with its METHOD, which calendar programs offer to add, update or remove."""
    email = EmailMessage()
    email["From"] = settings.mail_from
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="praxis.localhost")
    email.set_content(message.body_text)
    if message.ics_text:
        email.add_attachment(
            message.ics_text,
            subtype="calendar",
            filename=ICS_FILENAME,
            params={"method": icalendar.method_of(message.ics_text) or "PUBLISH"},
        )
    return email


def _send(settings: Settings, message: OutboxMessage) -> None:
    email = as_email(settings, message)
    smtp = settings.smtp
    if smtp is None:
        print(as_terminal_text(message), file=sys.stdout, flush=True)
        return
    client_class = smtplib.SMTP_SSL if smtp.use_ssl else smtplib.SMTP
    with client_class(smtp.host, smtp.port, timeout=smtp.timeout_seconds) as client:
        if smtp.starttls:
            client.starttls()
        if smtp.username:
            client.login(smtp.username, smtp.password)
        client.send_message(email)


def as_terminal_text(message: OutboxMessage) -> str:
    """A mail as printed when no SMTP server is set: framed, with its links on their own lines."""
    rule = "=" * 72
    attached = ""
    if message.ics_text:
        method = icalendar.method_of(message.ics_text) or "PUBLISH"
        attached = f"{'-' * 72}\nAttached: {ICS_FILENAME} (calendar entry, METHOD:{method})\n"
    return (
        f"\n{rule}\nE-MAIL (no SMTP server set, so shown here instead of sent; README: Mail without a mail server)\n"
        f"To: {message.to_address}\nSubject: {message.subject}\n{'-' * 72}\n{message.body_text.rstrip()}\n"
        f"{attached}{rule}\n"
    )


def deliver_pending(engine: Engine, settings: Settings, now: datetime | None = None, limit: int = 50) -> int:
    """Send what is due; returns how many were sent. Failures retry with back-off."""
    now = now_or(now)
    sent = 0
    for message in _claim(engine, now, limit):
        try:
            _send(settings, message)
        except (OSError, smtplib.SMTPException) as error:
            status = OutboxStatus.failed if message.attempts >= MAX_ATTEMPTS else OutboxStatus.pending
            values = {
                "status": status,
                "last_error": str(error)[:500],
                "next_attempt_at": now + timedelta(seconds=30 * 2**message.attempts),
            }
            log.warning("Mail to %s failed (attempt %s): %s", message.to_address, message.attempts, error)
        else:
            values = {"status": OutboxStatus.sent, "sent_at": now_or(None), "last_error": ""}
            sent += 1
        with Session(engine) as db:
            db.exec(update(OutboxMessage).where(col(OutboxMessage.id) == message.id).values(**values))
            db.commit()
    return sent
