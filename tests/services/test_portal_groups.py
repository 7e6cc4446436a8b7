"""Portal appointments (issue 14 item 5): Upcoming, Past and Cancelled; *Book again* only on past
visits; "call the clinic" when the notice has closed online cancellation; *Book an appointment*
for each office of a held record."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.models import AppointmentStatus
from app.services.scheduling import appointments, portal_appointments
from tests.world import World

NOW = datetime(2026, 11, 23, 14, tzinfo=UTC)  # Monday 09:00 in Toronto


def book(world: World, service_id: int, starts_at: datetime) -> int:
    made = appointments.book(
        world.db,
        world.maple.staff,
        world.maple.office_id,
        practitioner_id=world.maple.owner.user_id,
        patient_id=world.ana.id,  # type: ignore[arg-type]
        service_id=service_id,
        starts_at=starts_at,
        now=NOW,
    )
    world.db.commit()
    return made.id  # type: ignore[return-value]


def test_groups_book_again_and_the_call_us_line(world: World) -> None:
    service = world.add_service(world.maple, "Check-up", 30, world.maple.owner).id
    world.set_booking_options(world.maple, cancellation_notice_hours=24)
    past = book(world, service, NOW - timedelta(days=2))  # type: ignore[arg-type]
    soon = book(world, service, NOW + timedelta(hours=5))  # type: ignore[arg-type]
    later = book(world, service, NOW + timedelta(days=3))  # type: ignore[arg-type]
    cancelled = book(world, service, NOW + timedelta(days=4))  # type: ignore[arg-type]
    appointments.set_status(world.db, world.maple.staff, cancelled, AppointmentStatus.cancelled, NOW)
    world.db.commit()
    rows = {
        a.id: a for a in portal_appointments.portal_appointments(world.db, world.actor(world.parent), world.ana.id, NOW)
    }
    assert {i: rows[i].group for i in rows} == {
        past: "past",
        soon: "upcoming",
        later: "upcoming",
        cancelled: "cancelled",
    }
    assert [i for i in rows if rows[i].book_again] == [past]  # a cancelled future visit has no Book again
    assert rows[later].can_cancel and rows[later].call_to_cancel == ""
    assert not rows[soon].can_cancel and rows[soon].call_to_cancel == "+1 416 555 0199"  # the options' number
    assert rows[past].call_to_cancel == rows[cancelled].call_to_cancel == ""


def test_no_online_cancellation_means_call_for_every_upcoming_visit(world: World) -> None:
    service = world.add_service(world.maple, "Check-up", 30, world.maple.owner).id
    world.set_booking_options(world.maple, allow_cancellation=False, refusal_phone="")
    later = book(world, service, NOW + timedelta(days=3))  # type: ignore[arg-type]
    (row,) = portal_appointments.portal_appointments(world.db, world.actor(world.parent), world.ana.id, NOW)
    assert row.id == later and row.call_to_cancel == "+1 416 555 0100"  # the office's own phone


def test_book_an_appointment_at_each_office_of_a_held_record(world: World) -> None:
    links = portal_appointments.booking_links(world.db, world.actor(world.parent))
    assert [(link.office_id, link.office_name) for link in links] == [(world.maple.office_id, "Maple Street Clinic")]
    world.give(world.birch, world.cleo, world.parent)
    links = portal_appointments.booking_links(world.db, world.actor(world.parent))
    assert [link.office_name for link in links] == ["Birch Road Clinic", "Maple Street Clinic"]
    assert portal_appointments.booking_links(world.db, world.actor(world.stranger)) == []
