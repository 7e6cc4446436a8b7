"""The mail outbox delivered to a real local SMTP server (aiosmtpd), to the log, and with failures."""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.models import OutboxMessage, OutboxStatus
from app.models.types import utcnow
from app.services import mail
from app.settings import Settings, SmtpSettings


class Collector:
    """An aiosmtpd handler that keeps every envelope it accepts."""

    def __init__(self) -> None:
        self.envelopes: list = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd calls it by this name
        with self.lock:
            self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        """The messages as received, with the wire's CRLF line ends turned back into LF."""
        return [
            message_from_bytes(envelope.content.replace(b"\r\n", b"\n"), policy=default_policy)
            for envelope in self.envelopes
        ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server() -> Iterator[tuple[Collector, int]]:
    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield collector, port
    finally:
        controller.stop()


def with_smtp(settings: Settings, port: int) -> Settings:
    return dataclasses.replace(settings, smtp=SmtpSettings(host="127.0.0.1", port=port, timeout_seconds=5))


def stored(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as db:
        return list(db.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())  # type: ignore[arg-type]


def enqueue(db: Session, *messages: tuple[str, str, str]) -> None:
    for to_address, subject, body in messages:
        mail.enqueue(db, to_address, subject, body)
    db.commit()  # also ends the test session's transaction, so delivery can write


def test_a_message_reaches_the_smtp_server(
    db: Session, engine: Engine, settings: Settings, smtp_server: tuple[Collector, int]
) -> None:
    collector, port = smtp_server
    body = "Hello Ada,\n\nYour appointment is on Monday at 09:00.\n\nMaple Street Clinic"
    enqueue(db, ("ada@example.com", "Your appointment on Monday", body))

    assert mail.deliver_pending(engine, with_smtp(settings, port)) == 1

    [envelope] = collector.envelopes
    assert envelope.mail_from == "no-reply@praxis.test"
    assert envelope.rcpt_tos == ["ada@example.com"]
    [received] = collector.messages()
    assert received["Subject"] == "Your appointment on Monday"
    assert received["To"] == "ada@example.com"
    assert received["From"] == "Praxis <no-reply@praxis.test>"
    assert received["Message-ID"]
    assert received.get_content().rstrip("\n") == body
    [message] = stored(engine)
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.sent, 1, "")
    assert message.sent_at is not None


def test_unicode_subject_and_body_arrive_intact(
    db: Session, engine: Engine, settings: Settings, smtp_server: tuple[Collector, int]
) -> None:
    collector, port = smtp_server
    enqueue(db, ("zoe@example.com", "Rendez-vous confirmé ✓", "Bonjour Zoë,\nÀ lundi — Clinique Érable."))
    assert mail.deliver_pending(engine, with_smtp(settings, port)) == 1
    [received] = collector.messages()
    assert received["Subject"] == "Rendez-vous confirmé ✓"
    assert received.get_content().rstrip("\n") == "Bonjour Zoë,\nÀ lundi — Clinique Érable."


def test_without_smtp_the_whole_message_is_printed_where_the_app_runs(
    db: Session, engine: Engine, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert settings.smtp is None and settings.mail_goes_to_terminal
    enqueue(db, ("ada@example.com", "Reset your Praxis password", "Open\nhttp://praxis.test/reset-password?token=abc"))

    assert mail.deliver_pending(engine, settings) == 1

    printed = capsys.readouterr().out
    assert "To: ada@example.com" in printed
    assert "Subject: Reset your Praxis password" in printed
    assert "\nhttp://praxis.test/reset-password?token=abc\n" in printed  # the link on a line of its own
    assert "no SMTP server" in printed
    [message] = stored(engine)
    assert (message.status, message.attempts) == (OutboxStatus.sent, 1)
    # Delivered once: a second round prints nothing.
    assert mail.deliver_pending(engine, settings) == 0
    assert capsys.readouterr().out == ""


def test_a_failing_server_leaves_the_message_pending_for_a_retry(
    db: Session, engine: Engine, settings: Settings, smtp_server: tuple[Collector, int]
) -> None:
    collector, port = smtp_server
    enqueue(db, ("ada@example.com", "Welcome", "Hello"))
    now = utcnow() + timedelta(seconds=1)
    nothing_listens = with_smtp(settings, free_port())

    assert mail.deliver_pending(engine, nothing_listens, now=now) == 0

    [message] = stored(engine)
    assert message.status == OutboxStatus.pending
    assert message.attempts == 1
    assert message.next_attempt_at > now
    assert message.next_attempt_at == now + timedelta(seconds=60)
    assert message.last_error != ""
    assert message.sent_at is None
    # Not due yet: a second run does not try again.
    assert mail.deliver_pending(engine, with_smtp(settings, port), now=now + timedelta(seconds=59)) == 0
    assert stored(engine)[0].attempts == 1
    # Due: the retry goes through.
    assert mail.deliver_pending(engine, with_smtp(settings, port), now=now + timedelta(seconds=60)) == 1
    [message] = stored(engine)
    assert (message.status, message.attempts) == (OutboxStatus.sent, 2)
    assert [envelope.rcpt_tos for envelope in collector.envelopes] == [["ada@example.com"]]


def test_gives_up_after_the_last_attempt(db: Session, engine: Engine, settings: Settings) -> None:
    enqueue(db, ("ada@example.com", "Welcome", "Hello"))
    nothing_listens = with_smtp(settings, free_port())
    now = utcnow() + timedelta(seconds=1)
    for attempt in range(1, mail.MAX_ATTEMPTS + 1):
        assert mail.deliver_pending(engine, nothing_listens, now=now) == 0
        [message] = stored(engine)
        assert message.attempts == attempt
        now = message.next_attempt_at
    assert message.status == OutboxStatus.failed
    assert mail.deliver_pending(engine, nothing_listens, now=now + timedelta(days=1)) == 0
    assert stored(engine)[0].attempts == mail.MAX_ATTEMPTS


def test_a_message_is_never_sent_twice(
    db: Session, engine: Engine, settings: Settings, smtp_server: tuple[Collector, int]
) -> None:
    collector, port = smtp_server
    smtp = with_smtp(settings, port)
    enqueue(db, *[(f"patient{number}@example.com", f"Reminder {number}", "See you soon.") for number in range(3)])

    assert mail.deliver_pending(engine, smtp) == 3
    assert mail.deliver_pending(engine, smtp) == 0

    assert sorted(envelope.rcpt_tos[0] for envelope in collector.envelopes) == [
        "patient0@example.com",
        "patient1@example.com",
        "patient2@example.com",
    ]
    assert all(message.status == OutboxStatus.sent and message.attempts == 1 for message in stored(engine))


def test_two_workers_delivering_at_once_send_each_message_once(
    db: Session, engine: Engine, settings: Settings, smtp_server: tuple[Collector, int]
) -> None:
    collector, port = smtp_server
    smtp = with_smtp(settings, port)
    enqueue(db, *[(f"patient{number}@example.com", f"Reminder {number}", "See you soon.") for number in range(8)])
    barrier = threading.Barrier(2)
    results: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            results.append(mail.deliver_pending(engine, smtp))
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sum(results) == 8
    recipients = [envelope.rcpt_tos[0] for envelope in collector.envelopes]
    assert sorted(recipients) == sorted(f"patient{number}@example.com" for number in range(8))
    assert all(message.attempts == 1 for message in stored(engine))


class SlowCollector(Collector):
    """An SMTP server that takes a while per message, so two workers' rounds overlap."""

    async def handle_DATA(self, server, session, envelope) -> str:
        await asyncio.sleep(0.05)
        return await super().handle_DATA(server, session, envelope)


def test_two_workers_draining_a_queue_together_send_every_message_exactly_once(
    db: Session, engine: Engine, settings: Settings
) -> None:
    """Several app workers (issue 16): each loops over small rounds while the other is sending."""
    collector, port = SlowCollector(), free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        smtp = with_smtp(settings, port)
        enqueue(db, *[(f"patient{number}@example.com", f"Note {number}", "Hello.") for number in range(12)])
        barrier = threading.Barrier(2)
        sent_by: dict[str, int] = {}
        errors: list[BaseException] = []

        def worker(name: str) -> None:
            try:
                barrier.wait()
                total = 0
                while sent := mail.deliver_pending(engine, smtp, limit=2):
                    total += sent
                sent_by[name] = total
            except BaseException as error:  # surfaced below
                errors.append(error)

        threads = [threading.Thread(target=worker, args=(name,)) for name in ("a", "b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        controller.stop()

    assert errors == []
    assert sum(sent_by.values()) == 12
    assert sent_by["a"] > 0 and sent_by["b"] > 0  # both really worked at the same time
    recipients = sorted(envelope.rcpt_tos[0] for envelope in collector.envelopes)
    assert recipients == sorted(f"patient{number}@example.com" for number in range(12))
    assert all(m.status == OutboxStatus.sent and m.attempts == 1 for m in stored(engine))


def test_a_worker_that_read_the_queue_before_another_leased_it_sends_nothing(
    db: Session, engine: Engine, settings: Settings, smtp_server: tuple[Collector, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race window, made certain: worker B's list of due messages was read before worker A
    leased them. Only the conditional lease stands between B and a second copy of each mail."""
    collector, port = smtp_server
    smtp = with_smtp(settings, port)
    enqueue(db, *[(f"patient{number}@example.com", f"Note {number}", "Hello.") for number in range(3)])
    with Session(engine) as reader:
        stale = mail._due_ids(reader, utcnow(), 50)
        reader.rollback()
    assert len(stale) == 3

    assert mail.deliver_pending(engine, smtp) == 3  # worker A
    monkeypatch.setattr(mail, "_due_ids", lambda db, now, limit: stale)
    assert mail.deliver_pending(engine, smtp) == 0  # worker B, with its stale list

    assert len(collector.envelopes) == 3
    assert all(m.status == OutboxStatus.sent and m.attempts == 1 for m in stored(engine))


def test_a_lease_that_ran_out_is_taken_again(db: Session, engine: Engine, settings: Settings) -> None:
    """A worker that crashed after leasing leaves its messages for another worker once the lease ends."""
    enqueue(db, ("ada@example.com", "Welcome", "Hello"))
    now = utcnow() + timedelta(seconds=1)
    [leased] = mail._claim(engine, now, 50)  # …and the worker dies here
    assert mail.deliver_pending(engine, settings, now=now + mail.SEND_LEASE - timedelta(seconds=1)) == 0
    assert mail.deliver_pending(engine, settings, now=now + mail.SEND_LEASE) == 1
    [message] = stored(engine)
    assert (message.id, message.status, message.attempts) == (leased.id, OutboxStatus.sent, 2)


# --- calendar attachments (issue 14 item 6) -----------------------------------------------------

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Praxis//Appointments//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
    "UID:appointment-7@praxis.test\r\nSEQUENCE:1\r\nDTSTAMP:20261120T080000Z\r\nDTSTART:20261125T150000Z\r\n"
    "DTEND:20261125T154500Z\r\nSUMMARY:Massage\\, deep tissue with Olive Maple\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def test_a_calendar_entry_goes_out_as_a_text_calendar_part_beside_the_plain_text(
    db: Session, engine: Engine, settings: Settings, smtp_server: tuple[Collector, int]
) -> None:
    collector, port = smtp_server
    body = "Hello Ana,\n\nYour appointment has moved to Wed 25 Nov, 10:00."
    mail.enqueue(db, "ana@example.com", "Your appointment has moved", body, ics_text=ICS)
    mail.enqueue(db, "ben@example.com", "Welcome", "No calendar here.")
    db.commit()

    assert mail.deliver_pending(engine, with_smtp(settings, port)) == 2

    with_calendar, plain = collector.messages()
    assert with_calendar.get_content_type() == "multipart/mixed"
    text_part, calendar_part = list(with_calendar.iter_parts())
    assert text_part.get_content_type() == "text/plain"
    assert text_part.get_content().rstrip("\n") == body
    assert calendar_part.get_content_type() == "text/calendar"
    assert calendar_part.get_param("method") == "REQUEST"
    assert calendar_part.get_filename() == "appointment.ics"
    content = calendar_part.get_content()
    assert "UID:appointment-7@praxis.test" in content and "SUMMARY:Massage\\, deep tissue with Olive Maple" in content
    assert "DTSTART:20261125T150000Z" in content
    # A mail without a calendar entry stays a single plain-text part.
    assert plain.get_content_type() == "text/plain" and not plain.is_multipart()
    assert stored(engine)[0].ics_text == ICS and stored(engine)[1].ics_text is None


def test_a_cancellation_part_says_method_cancel(
    db: Session, engine: Engine, settings: Settings, smtp_server: tuple[Collector, int]
) -> None:
    collector, port = smtp_server
    mail.enqueue(
        db, "ana@example.com", "Cancelled", "Cancelled.", ics_text=ICS.replace("METHOD:REQUEST", "METHOD:CANCEL")
    )
    db.commit()
    assert mail.deliver_pending(engine, with_smtp(settings, port)) == 1
    [received] = collector.messages()
    [_, calendar_part] = list(received.iter_parts())
    assert (calendar_part.get_content_type(), calendar_part.get_param("method")) == ("text/calendar", "CANCEL")


def test_the_terminal_printout_mentions_the_attachment(
    db: Session, engine: Engine, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    mail.enqueue(db, "ana@example.com", "Your appointment", "See you on Wednesday.", ics_text=ICS)
    db.commit()
    assert mail.deliver_pending(engine, settings) == 1
    printed = capsys.readouterr().out
    assert "See you on Wednesday." in printed
    assert "Attached: appointment.ics (calendar entry, METHOD:REQUEST)" in printed
    assert "BEGIN:VCALENDAR" not in printed  # named, not dumped
