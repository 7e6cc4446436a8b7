"""The day-before reminder (issue 14 item 6): off by default, at the hour of the office's clock,
once per visit and day even with several workers at once, never for a cancelled visit, again for
a visit moved to another day. Runs on SQLite and on PostgreSQL (PRAXIS_TEST_DATABASE_URL)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.db import make_engine
from app.models import Appointment, AppointmentReminder, AppointmentStatus, OutboxMessage
from app.services.errors import Invalid, PermissionDenied
from app.services.scheduling import appointment_calendar, appointments, booking_options, online_booking, reminders
from app.settings import get_settings
from tests.world import BOOKING_OPTIONS, World

# Maple Street Clinic is in Toronto (UTC-5 in January).
BOOKED_AT = datetime(2030, 1, 10, 12, tzinfo=UTC)
WEDNESDAY_TEN = datetime(2030, 1, 16, 15, tzinfo=UTC)  # Wed 16 Jan 2030, 10:00 in Toronto
WEDNESDAY = date(2030, 1, 16)
TUESDAY_FIVE_PM = datetime(2030, 1, 15, 22, tzinfo=UTC)  # 17:00 in Toronto: the reminders' hour
THURSDAY_TEN = WEDNESDAY_TEN + timedelta(days=1)


@pytest.fixture
def service(world: World) -> int:
    world.set_booking_options(world.maple, reminders_enabled=True, reminder_hour=17)
    return world.add_service(world.maple, "Consultation", 30).id  # type: ignore[return-value]


def book(world: World, service: int, starts_at: datetime, patient_id: int | None = None, now=BOOKED_AT) -> int:  # type: ignore[no-untyped-def]
    booked = appointments.book(
        world.db,
        world.maple.staff,
        world.maple.office_id,
        practitioner_id=world.maple.practitioner.user_id,
        patient_id=patient_id or world.ana.id,  # type: ignore[arg-type]
        service_id=service,
        starts_at=starts_at,
        now=now,
    )
    world.db.commit()
    return booked.id  # type: ignore[return-value]


def run(engine: Engine, world: World, now: datetime) -> int:
    world.db.commit()  # the test's session holds no lock while the workers write
    sent = reminders.send_due_reminders(engine, now)
    world.db.expire_all()
    return sent


def reminder_mails(world: World) -> list[OutboxMessage]:
    world.db.expire_all()
    found = world.new_rows(OutboxMessage, OutboxMessage.subject.startswith("Reminder:"))  # type: ignore[attr-defined]
    world.db.commit()
    return found


def reminder_rows(world: World) -> list[tuple[int, date, str]]:
    rows = world.db.exec(select(AppointmentReminder).order_by(AppointmentReminder.id)).all()  # type: ignore[arg-type]
    world.db.commit()
    return [(row.appointment_id, row.day, row.to_address) for row in rows]


def test_reminders_are_off_until_the_office_turns_them_on(engine: Engine, world: World) -> None:
    options = booking_options.booking_options(world.db, world.maple.office_id)
    assert (options.reminders_enabled, options.reminder_hour) == (False, 17)
    service = world.add_service(world.maple, "Consultation", 30).id
    book(world, service, WEDNESDAY_TEN)  # type: ignore[arg-type]
    world.set_booking_options(world.maple)  # online booking on, reminders left off
    assert run(engine, world, TUESDAY_FIVE_PM + timedelta(hours=2)) == 0
    assert reminder_mails(world) == [] and reminder_rows(world) == []


def test_the_reminder_goes_out_from_the_hour_of_the_office_clock(engine: Engine, world: World, service: int) -> None:
    wednesday = book(world, service, WEDNESDAY_TEN)
    late_wednesday = book(world, service, datetime(2030, 1, 17, 1, tzinfo=UTC))  # Wed 20:00 in Toronto, Thu in UTC
    book(world, service, datetime(2030, 1, 17, 5, 30, tzinfo=UTC))  # Thu 00:30 in Toronto: not tomorrow yet
    book(world, service, datetime(2030, 1, 15, 23, tzinfo=UTC))  # Tue 18:00 in Toronto: today, not tomorrow

    assert run(engine, world, datetime(2030, 1, 15, 17, 30, tzinfo=UTC)) == 0  # 12:30 in Toronto (17:30 UTC)
    assert run(engine, world, TUESDAY_FIVE_PM - timedelta(seconds=1)) == 0  # 16:59:59 in Toronto
    assert run(engine, world, TUESDAY_FIVE_PM) == 2
    assert reminder_rows(world) == [
        (wednesday, WEDNESDAY, "ana@family.test"),
        (late_wednesday, WEDNESDAY, "ana@family.test"),
    ]
    first, _ = reminder_mails(world)
    assert first.to_address == "ana@family.test"
    assert first.subject == "Reminder: your appointment at Maple Street Clinic tomorrow, Wed 16 Jan 2030, 10:00"
    assert "A reminder of your appointment tomorrow" in first.body_text
    assert "Consultation with Priya Maple" in first.body_text and "12 Maple St, Toronto" in first.body_text
    ics = first.ics_text or ""
    assert "METHOD:REQUEST" in ics and "DTSTART:20300116T150000Z" in ics and "SEQUENCE:0" in ics
    assert f"UID:{appointment_calendar.uid(wednesday, get_settings().base_url)}" in ics
    # Later the same evening, and the next rounds: nothing again.
    assert run(engine, world, TUESDAY_FIVE_PM + timedelta(hours=3)) == 0
    assert len(reminder_mails(world)) == 2


def test_an_hour_set_by_the_office_is_its_local_hour(engine: Engine, world: World, service: int) -> None:
    world.set_booking_options(world.maple, reminders_enabled=True, reminder_hour=8)
    world.set_time_zone(world.maple, "Pacific/Auckland")  # UTC+13 in January
    visit = book(world, service, datetime(2030, 1, 16, 21, tzinfo=UTC))  # Thu 17 Jan, 10:00 in Auckland
    assert run(engine, world, datetime(2030, 1, 15, 18, 59, tzinfo=UTC)) == 0  # Wed 07:59 in Auckland
    assert run(engine, world, datetime(2030, 1, 15, 19, tzinfo=UTC)) == 1  # Wed 08:00 in Auckland
    assert reminder_rows(world) == [(visit, date(2030, 1, 17), "ana@family.test")]


def test_a_cancelled_visit_gets_no_reminder(engine: Engine, world: World, service: int) -> None:
    cancelled = book(world, service, WEDNESDAY_TEN)
    appointments.set_status(world.db, world.maple.staff, cancelled, AppointmentStatus.cancelled, now=BOOKED_AT)
    world.db.commit()
    assert run(engine, world, TUESDAY_FIVE_PM) == 0
    assert reminder_mails(world) == [] and reminder_rows(world) == []


def test_a_visit_booked_after_the_reminders_went_out_is_not_reminded(
    engine: Engine, world: World, service: int
) -> None:
    book(world, service, WEDNESDAY_TEN, now=TUESDAY_FIVE_PM + timedelta(hours=1))  # booked at 18:00, mailed then
    assert run(engine, world, TUESDAY_FIVE_PM + timedelta(hours=2)) == 0
    assert reminder_rows(world) == []


def test_without_an_address_nobody_is_told_and_it_is_not_tried_again(
    engine: Engine, world: World, service: int
) -> None:
    visit = book(world, service, WEDNESDAY_TEN, patient_id=world.ben.id)  # Ben's record has no e-mail
    assert run(engine, world, TUESDAY_FIVE_PM) == 0
    assert reminder_rows(world) == [(visit, WEDNESDAY, "")]
    assert reminders.due(world.db, TUESDAY_FIVE_PM + timedelta(minutes=1)) == []
    assert reminder_mails(world) == []


def test_a_visit_booked_online_reminds_the_account_that_booked_it(
    engine: Engine, db: Session, world: World, service: int
) -> None:
    world.set_hours(world.maple, world.maple.practitioner, range(7), "08:00", "18:00")
    massage = world.add_service(world.maple, "Massage", 30, world.maple.practitioner)  # offered online by Priya
    online = online_booking.book_online(
        db,
        world.settings,
        world.actor(world.parent),
        world.maple.office_id,
        service_id=massage.id,  # type: ignore[arg-type]
        practitioner_id=world.maple.practitioner.user_id,
        starts_at=WEDNESDAY_TEN,
        patient_id=world.ben.id,
        now=BOOKED_AT,
    )
    db.commit()
    assert run(engine, world, TUESDAY_FIVE_PM) == 1
    assert reminder_rows(world) == [(online.id, WEDNESDAY, "parent@family.test")]


def test_a_visit_moved_to_another_day_is_reminded_for_its_new_day(engine: Engine, world: World, service: int) -> None:
    visit = book(world, service, WEDNESDAY_TEN)
    assert run(engine, world, TUESDAY_FIVE_PM) == 1
    # The evening before, the clinic moves it to Thursday: the patient gets the move, and on
    # Wednesday the reminder for Thursday.
    appointments.reschedule(world.db, world.maple.staff, visit, starts_at=THURSDAY_TEN, now=TUESDAY_FIVE_PM)
    world.db.commit()
    assert run(engine, world, TUESDAY_FIVE_PM + timedelta(hours=1)) == 0  # Thursday is not tomorrow yet
    assert run(engine, world, TUESDAY_FIVE_PM + timedelta(days=1)) == 1
    assert reminder_rows(world) == [
        (visit, WEDNESDAY, "ana@family.test"),
        (visit, date(2030, 1, 17), "ana@family.test"),
    ]
    latest = reminder_mails(world)[-1]
    assert "Thu 17 Jan 2030, 10:00" in latest.subject
    assert "SEQUENCE:1" in (latest.ics_text or "")  # the moved version replaces the first in the calendar


def test_a_visit_moved_away_and_back_is_not_reminded_twice_for_one_day(
    engine: Engine, world: World, service: int
) -> None:
    visit = book(world, service, WEDNESDAY_TEN)
    assert run(engine, world, TUESDAY_FIVE_PM) == 1
    for starts_at in (THURSDAY_TEN, WEDNESDAY_TEN + timedelta(hours=2)):  # away, and back to Wednesday at noon
        appointments.reschedule(world.db, world.maple.staff, visit, starts_at=starts_at, now=TUESDAY_FIVE_PM)
        world.db.commit()
    assert run(engine, world, TUESDAY_FIVE_PM + timedelta(hours=1)) == 0
    assert len(reminder_rows(world)) == 1


# --- several workers ----------------------------------------------------------------------------


def second_engine(engine: Engine) -> Engine:
    """Another worker: its own engine and connections to the same database."""
    return make_engine(engine.url.render_as_string(hide_password=False))


def test_two_workers_at_once_send_each_reminder_once(engine: Engine, world: World, service: int) -> None:
    visits = [book(world, service, WEDNESDAY_TEN + timedelta(minutes=30 * i)) for i in range(6)]
    world.db.commit()
    engines = [engine, second_engine(engine)]
    barrier = threading.Barrier(2)
    sent: list[int] = []
    errors: list[BaseException] = []

    def worker(own: Engine) -> None:
        try:
            barrier.wait()
            sent.append(reminders.send_due_reminders(own, TUESDAY_FIVE_PM))
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(own,)) for own in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    engines[1].dispose()

    assert errors == []
    assert sum(sent) == 6
    assert sorted(row[0] for row in reminder_rows(world)) == visits
    mails = reminder_mails(world)
    assert len(mails) == 6 and len({m.subject for m in mails}) == 6


def test_a_claim_held_by_one_worker_stops_the_other_until_it_commits(
    engine: Engine, world: World, service: int
) -> None:
    """Worker A has inserted the reminder row and not committed yet; worker B tries the same visit.
    B waits on the database (PostgreSQL's unique index, SQLite's write lock) and, once A commits,
    finds the row taken: it queues nothing."""
    visit = book(world, service, WEDNESDAY_TEN)
    world.db.commit()
    other = second_engine(engine)
    outcome: list[bool] = []
    errors: list[BaseException] = []
    with Session(engine) as worker_a:
        worker_a.add(AppointmentReminder(appointment_id=visit, day=WEDNESDAY, created_at=TUESDAY_FIVE_PM))
        worker_a.flush()

        def worker_b() -> None:
            try:
                outcome.append(reminders.send_reminder(other, visit, WEDNESDAY, TUESDAY_FIVE_PM))
            except BaseException as error:  # surfaced below
                errors.append(error)

        thread = threading.Thread(target=worker_b)
        thread.start()
        time.sleep(0.5)
        assert thread.is_alive(), "B did not wait for A's claim"
        worker_a.commit()
        thread.join(timeout=30)
    other.dispose()
    assert errors == [] and outcome == [False]
    assert reminder_mails(world) == []  # B queued nothing (A's mail would have come with its row)
    assert len(reminder_rows(world)) == 1


# --- Online Booking Options ---------------------------------------------------------------------


def test_the_options_keep_the_reminder_and_its_hour(world: World) -> None:
    world.set_booking_options(world.maple, reminders_enabled=True, reminder_hour="7")
    options = booking_options.booking_options(world.db, world.maple.office_id)
    assert (options.reminders_enabled, options.reminder_hour) == (True, 7)


@pytest.mark.parametrize("hour", ["24", "-1", "x", "", "7.5"])
def test_a_bad_reminder_hour_is_refused_beside_its_field(world: World, hour: str) -> None:
    from dataclasses import replace

    data = replace(BOOKING_OPTIONS, reminders_enabled=True, reminder_hour=hour)
    with pytest.raises(Invalid) as refused:
        booking_options.save_booking_options(world.db, world.maple.owner, world.maple.office_id, data)
    assert refused.value.field == "reminder_hour"
    world.db.rollback()
    assert not booking_options.booking_options(world.db, world.maple.office_id).reminders_enabled


def test_another_office_cannot_turn_on_reminders(world: World) -> None:
    from dataclasses import replace

    data = replace(BOOKING_OPTIONS, reminders_enabled=True)
    with pytest.raises(PermissionDenied):
        booking_options.save_booking_options(world.db, world.birch.owner, world.maple.office_id, data)
    world.db.rollback()
    assert not booking_options.booking_options(world.db, world.maple.office_id).reminders_enabled


def test_staff_changes_carry_the_calendar_entry(world: World, service: int) -> None:
    """Booked, moved, cancelled: one UID, SEQUENCE 0, 1, 2, REQUEST, REQUEST, CANCEL."""
    visit = book(world, service, WEDNESDAY_TEN)
    appointments.reschedule(world.db, world.maple.staff, visit, starts_at=THURSDAY_TEN, now=BOOKED_AT)
    appointments.set_status(world.db, world.maple.staff, visit, AppointmentStatus.cancelled, now=BOOKED_AT)
    world.db.commit()
    booked, moved, cancelled = (m.ics_text or "" for m in world.new_rows(OutboxMessage))
    uid = f"UID:{appointment_calendar.uid(visit, get_settings().base_url)}"
    assert all(uid in ics for ics in (booked, moved, cancelled))
    assert "METHOD:REQUEST" in booked and "SEQUENCE:0" in booked and "DTSTART:20300116T150000Z" in booked
    assert "METHOD:REQUEST" in moved and "SEQUENCE:1" in moved and "DTSTART:20300117T150000Z" in moved
    assert "METHOD:CANCEL" in cancelled and "SEQUENCE:2" in cancelled and "STATUS:CANCELLED" in cancelled
    assert world.db.get(Appointment, visit).sequence == 2  # type: ignore[union-attr]
