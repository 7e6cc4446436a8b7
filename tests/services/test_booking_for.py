"""Whom an online booking is for (issue 14 item 3, SPEC §5): the page asks whenever the signed-in
account holds records at the office — each held record, plus "someone new" when the policy takes
new patients — and the server books the chosen record only if the account really holds it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from app.models import Appointment, Patient, PortalAccess
from app.services import access_codes
from app.services.errors import Invalid, NotFound
from app.services.scheduling import booking_for, online_booking
from tests.world import World

MONDAY_9_TORONTO = datetime(2026, 11, 23, 14, tzinfo=UTC)
TEN = datetime(2026, 11, 25, 15, tzinfo=UTC)  # Wednesday 10:00 in Toronto


@pytest.fixture
def clinic(world: World) -> int:
    """Maple takes online bookings (new patients too) for a 30-minute check-up, weekdays 9 to 5."""
    service = world.add_service(world.maple, "Check-up", 30, world.maple.owner)
    world.set_hours(world.maple, world.maple.owner)
    world.set_booking_options(world.maple)
    return service.id  # type: ignore[return-value]


def choices(world: World, actor, office_id: int | None = None) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    found = booking_for.whom_for_choices(world.db, actor, office_id or world.maple.office_id)
    return [(c.value, c.label) for c in found]


def confirm(world: World, account, service_id: int, for_whom: object, **more):  # type: ignore[no-untyped-def]
    return online_booking.confirm_booking(
        world.db,
        world.settings,
        world.actor(account),
        world.maple.office_id,
        service_id=str(service_id),
        practitioner_id="",
        starts_at=more.pop("starts_at", TEN).isoformat(),
        for_whom=for_whom,
        now=MONDAY_9_TORONTO,
        **more,
    )


def test_a_family_is_offered_each_held_record_and_someone_new(world: World, clinic: int) -> None:
    ana, ben = str(world.ana.id), str(world.ben.id)
    assert choices(world, world.actor(world.parent)) == [(ana, "Ana Souza"), (ben, "Ben Souza"), ("new", "Someone new")]
    world.set_booking_options(world.maple, registration_policy="existing_only")
    assert choices(world, world.actor(world.parent)) == [(ana, "Ana Souza"), (ben, "Ben Souza")]


def test_nobody_else_is_asked(world: World, clinic: int) -> None:
    assert choices(world, None) == []  # signed out
    assert choices(world, world.actor(world.stranger)) == []  # holds nothing here
    assert choices(world, world.maple.staff) == []  # a clinic account
    assert choices(world, world.actor(world.parent), world.birch.office_id) == []  # holds nothing at Birch
    with pytest.raises(NotFound):
        choices(world, world.actor(world.parent), 987_654)


def test_a_revoked_or_archived_record_is_not_offered(world: World, clinic: int) -> None:
    from app.services.patients import records

    access = world.db.exec(select(PortalAccess).where(PortalAccess.patient_id == world.ana.id)).one()
    access_codes.revoke_access(world.db, world.maple.staff, access.id)  # type: ignore[arg-type]
    records.archive_patient(world.db, world.maple.staff, world.ben.id)  # type: ignore[arg-type]
    world.db.commit()
    assert choices(world, world.actor(world.parent)) == []


def test_the_booking_goes_to_the_chosen_record(world: World, clinic: int) -> None:
    done = confirm(world, world.parent, clinic, str(world.ben.id))
    assert done.patient == "Ben Souza" and done.when == "Wed 25 Nov 2026, 10:00"
    booked = world.new_rows(Appointment)
    assert [a.patient_id for a in booked] == [world.ben.id]


def test_a_record_the_account_does_not_hold_is_refused_like_a_missing_one(world: World, clinic: int) -> None:
    other = world.add_patient(world.maple, "Not", "Theirs")
    answers = []
    for for_whom in (str(other.id), str(world.cleo.id), "987654", "abc", "-1", ["1"], True):
        with pytest.raises(NotFound) as refused:
            confirm(world, world.parent, clinic, for_whom)
        world.db.rollback()
        answers.append(refused.value.message)
    assert set(answers) == {"This record is not available."}
    # A stranger naming Ana's record (held by the parent) gets the same answer.
    with pytest.raises(NotFound) as refused:
        confirm(world, world.stranger, clinic, str(world.ana.id))
    world.db.rollback()
    assert refused.value.message == "This record is not available."
    assert world.count_new(Appointment) == 0


def test_unasked_with_several_records_says_choose(world: World, clinic: int) -> None:
    with pytest.raises(Invalid) as refused:
        confirm(world, world.parent, clinic, "")
    assert refused.value.message == "Choose whom this appointment is for."
    world.db.rollback()
    assert world.count_new(Appointment) == 0


def test_someone_new_gets_a_new_record_named_on_the_page(world: World, clinic: int) -> None:
    done = confirm(world, world.parent, clinic, "new", new_name=("Cora", "Souza"))
    assert done.patient == "Cora Souza"
    made = world.new_rows(Patient)
    assert [(p.first_name, p.last_name, p.email, p.new_online_client) for p in made] == [("Cora", "Souza", "", True)]
    # Unnamed, it is the account holder (a grandparent booking for themself).
    confirm(world, world.parent, clinic, "new", starts_at=TEN.replace(hour=16))
    assert world.new_rows(Patient)[-1].first_name == "Pat"
    with pytest.raises(Invalid) as half:
        confirm(world, world.parent, clinic, "new", new_name=("Dora", ""), starts_at=TEN.replace(hour=17))
    assert half.value.field == "new_last_name"


def test_someone_new_is_refused_when_the_office_takes_existing_patients_only(world: World, clinic: int) -> None:
    world.set_booking_options(world.maple, registration_policy="existing_only")
    with pytest.raises(Invalid) as refused:
        confirm(world, world.parent, clinic, "new", new_name=("Cora", "Souza"))
    assert refused.value.message == "Please call the clinic to book: +1 416 555 0199."
    world.db.rollback()
    assert world.count_new(Patient) == 0 and world.count_new(Appointment) == 0
