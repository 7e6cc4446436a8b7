"""The patient hears when the clinic books, moves or cancels their visit (issue 14 item 6)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.models import Appointment, AppointmentStatus, OutboxMessage
from app.services.errors import Invalid
from app.services.scheduling import appointments
from tests.world import NOW, World

TOMORROW = NOW.replace(hour=15, minute=0, second=0) + timedelta(days=1)


def staff_book(world: World, patient_id: int, starts_at=TOMORROW) -> Appointment:  # type: ignore[no-untyped-def]
    service = world.add_service(world.maple, "Consultation", 30)
    booked = appointments.book(
        world.db,
        world.maple.staff,
        world.maple.office_id,
        practitioner_id=world.maple.practitioner.user_id,
        patient_id=patient_id,
        service_id=service.id,  # type: ignore[arg-type]
        starts_at=starts_at,
        now=NOW,
    )
    world.db.commit()
    return booked


def mails(world: World) -> list[OutboxMessage]:
    return world.new_rows(OutboxMessage)


def test_booking_moving_and_cancelling_each_tell_the_patient_once(world: World) -> None:
    booked = staff_book(world, world.ana.id)  # type: ignore[arg-type]
    [first] = mails(world)
    assert first.to_address == "ana@family.test"
    assert first.subject.startswith(f"Your appointment at {world.maple.office.name}: ")
    assert "has booked an appointment for you" in first.body_text and "Consultation with Priya Maple" in first.body_text
    assert "/portal/appointments" in first.body_text

    later = TOMORROW + timedelta(days=1, hours=1)
    appointments.reschedule(world.db, world.maple.staff, booked.id, starts_at=later, now=NOW)  # type: ignore[arg-type]
    world.db.commit()
    moved = mails(world)[1]
    assert "has moved to" in moved.subject and "(was " in moved.body_text

    appointments.set_status(world.db, world.maple.staff, booked.id, AppointmentStatus.cancelled, now=NOW)  # type: ignore[arg-type]
    world.db.commit()
    cancelled = mails(world)[2]
    assert "is cancelled" in cancelled.subject and "has cancelled your appointment" in cancelled.body_text
    # Cancelling again, or marking arrival, tells nobody anything new.
    appointments.set_status(world.db, world.maple.staff, booked.id, AppointmentStatus.cancelled, now=NOW)  # type: ignore[arg-type]
    world.db.commit()
    assert len(mails(world)) == 3


def test_arrival_no_show_and_past_visits_send_nothing(world: World) -> None:
    past = staff_book(world, world.ana.id, starts_at=NOW - timedelta(days=2))  # type: ignore[arg-type]
    for status in (AppointmentStatus.arrived, AppointmentStatus.no_show, AppointmentStatus.cancelled):
        appointments.set_status(world.db, world.maple.staff, past.id, status, now=NOW)  # type: ignore[arg-type]
        world.db.commit()
    assert mails(world) == []


def test_a_record_without_an_address_is_not_mailed(world: World) -> None:
    silent = world.add_patient(world.maple, "Noel", "Quiet")
    staff_book(world, silent.id)  # type: ignore[arg-type]
    assert mails(world) == []


def test_a_refused_change_sends_nothing(world: World) -> None:
    booked = staff_book(world, world.ana.id)  # type: ignore[arg-type]
    appointments.set_status(world.db, world.maple.staff, booked.id, AppointmentStatus.cancelled, now=NOW)  # type: ignore[arg-type]
    world.db.commit()
    before = len(mails(world))
    with pytest.raises(Invalid):  # a cancelled visit cannot move
        appointments.reschedule(
            world.db,
            world.maple.staff,
            booked.id,
            starts_at=TOMORROW + timedelta(days=3),
            now=NOW,  # type: ignore[arg-type]
        )
    world.db.rollback()
    assert len(mails(world)) == before
