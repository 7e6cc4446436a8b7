"""Calendars showing the same week share its read (services/scheduling/shared_grids.py), and a
shared grid never outlives a change of what it shows: every such change moves the version."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.db import unit_of_work
from app.models import AccountKind, Appointment, Patient
from app.services import offices, patient_merge, portal
from app.services.actor import Actor
from app.services.errors import PermissionDenied
from app.services.patients import proposals, records
from app.services.scheduling import appointments, calendar_layout, calendar_view, service_catalog, shared_grids
from app.services.scheduling.shared_grids import SharedGrids, ShownGrid
from app.services.team import invitations, members
from app.settings import Settings
from tests.factories import make_user, sign_in_as
from tests.world import World

MONDAY = date(2026, 11, 30)
THURSDAY = date(2026, 12, 3)
TEN = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # Monday 10:00 in Toronto
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.at = 1000.0

    def __call__(self) -> float:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def grids(clock: Clock) -> SharedGrids:
    return SharedGrids(clock)


@pytest.fixture
def booked(world: World) -> int:
    """Ana with Maple's owner on Monday at 10:00, in a teal Consultation."""
    service = world.add_service(world.maple, "Consultation", 30, world.maple.owner)
    world.set_hours(world.maple, world.maple.owner)
    appointments.book(
        world.db,
        world.maple.staff,
        world.maple.office_id,
        practitioner_id=world.maple.owner.user_id,
        patient_id=world.ana.id,  # type: ignore[arg-type]
        service_id=service.id,  # type: ignore[arg-type]
        starts_at=TEN,
    )
    world.db.commit()
    return service.id  # type: ignore[return-value]


def read(
    engine: Engine, grids: SharedGrids, actor: Actor, office_id: int, day: date = MONDAY, view: str = "week"
) -> ShownGrid:
    """One calendar click: its own transaction, as a handler runs it."""
    with unit_of_work(engine) as db:
        return shared_grids.shown_grid(db, actor, office_id, day, view, now=NOW, grids=grids)


def change(engine: Engine, work: Callable[[Session], object]) -> None:
    with unit_of_work(engine) as db:
        work(db)


def blocks(shown: ShownGrid) -> list[tuple[str, str, str, str]]:
    """Each appointment block as drawn: patient, service, colour, clock."""
    return [
        (
            row[calendar_layout.PATIENT],
            row[calendar_layout.SERVICE],
            row[calendar_layout.COLOR],
            row[calendar_layout.TIME],
        )
        for rows in shown.layout.lane_items
        for row in rows
    ]


def statuses(shown: ShownGrid) -> list[str]:
    return [row[calendar_layout.STATUS] for rows in shown.layout.lane_items for row in rows]


def columns(shown: ShownGrid) -> list[str]:
    return [person["name"] for person in shown.layout.people]


# ---- sharing -----------------------------------------------------------------------------------


def test_calendars_on_the_same_week_share_one_read(
    engine: Engine, world: World, grids: SharedGrids, booked: int
) -> None:
    office_id = world.maple.office_id
    first = read(engine, grids, world.maple.staff, office_id)
    # The owner, on Thursday of the same week: the same read, anchored on their own day.
    second = read(engine, grids, world.maple.owner, office_id, THURSDAY)
    assert second.layout is first.layout
    assert (first.day, second.day) == (MONDAY, THURSDAY)
    assert blocks(first) == [("Ana Souza", "Consultation", "teal", "10:00")]
    # Another week, or the day view, is read on its own.
    assert read(engine, grids, world.maple.staff, office_id, date(2026, 12, 7)).layout is not first.layout
    assert read(engine, grids, world.maple.staff, office_id, MONDAY, "day").layout is not first.layout


def test_a_shared_grid_is_refused_to_who_may_not_see_the_schedule(
    engine: Engine, world: World, grids: SharedGrids, booked: int
) -> None:
    read(engine, grids, world.maple.staff, world.maple.office_id)
    for outsider in (world.birch.owner, world.actor(world.parent)):
        with pytest.raises(PermissionDenied):
            read(engine, grids, outsider, world.maple.office_id)


def test_a_booking_is_on_the_next_read(engine: Engine, world: World, grids: SharedGrids, booked: int) -> None:
    office_id = world.maple.office_id
    before = read(engine, grids, world.maple.staff, office_id)

    def book(db: Session) -> None:
        appointments.book(
            db,
            world.maple.staff,
            office_id,
            practitioner_id=world.maple.owner.user_id,
            patient_id=world.ben.id,  # type: ignore[arg-type]
            service_id=booked,
            starts_at=TEN.replace(hour=16),
        )

    change(engine, book)
    after = read(engine, grids, world.maple.owner, office_id)
    assert after.version == before.version + 1
    assert [b[0] for b in blocks(after)] == ["Ana Souza", "Ben Souza"]


def test_a_change_read_back_in_its_own_transaction_is_not_shared_when_it_rolls_back(
    engine: Engine, world: World, grids: SharedGrids, booked: int
) -> None:
    office_id = world.maple.office_id
    with pytest.raises(RuntimeError), unit_of_work(engine) as db:
        calendar_view.set_status(db, world.maple.staff, _only_appointment(db, office_id), "cancelled")
        shown = shared_grids.shown_grid(db, world.maple.staff, office_id, MONDAY, "week", now=NOW, grids=grids)
        assert statuses(shown) == ["cancelled"]
        raise RuntimeError("the action fails after reading its change back")
    assert len(grids) == 0
    assert statuses(read(engine, grids, world.maple.staff, office_id)) == ["booked"]
    # The version number the rolled-back change had read is now another change's: not the old grid.
    change(engine, lambda db: records.update_patient(db, world.maple.staff, world.ana.id, _renamed(world.ana)))  # type: ignore[arg-type]
    assert blocks(read(engine, grids, world.maple.staff, office_id))[0][0] == "Anna Souza"


def test_a_grid_is_kept_a_minute_at_most_and_the_newest_ones_only(
    engine: Engine, world: World, grids: SharedGrids, clock: Clock, booked: int
) -> None:
    office_id = world.maple.office_id
    first = read(engine, grids, world.maple.staff, office_id)
    clock.at += shared_grids.SHARE_SECONDS - 1
    assert read(engine, grids, world.maple.staff, office_id).layout is first.layout
    clock.at += 2
    assert read(engine, grids, world.maple.staff, office_id).layout is not first.layout
    for version in range(shared_grids.MAX_SHARED + 5):
        grids.put(shared_grids.GridKey(office_id, version, "week", MONDAY, frozenset(), MONDAY), first)
    assert len(grids) == shared_grids.MAX_SHARED


# ---- every change of what the grid shows moves the version ----------------------------------------


def _renamed(patient: Patient) -> records.PatientInput:
    values = records.as_input(patient)
    values["first_name"] = "Anna"
    return records.PatientInput(**values)


def _only_appointment(db: Session, office_id: int) -> int:
    found = db.exec(select(Appointment.id).where(Appointment.office_id == office_id)).all()
    assert len(found) == 1
    return found[0]  # type: ignore[return-value]


def test_a_patient_renamed_is_on_the_next_read(engine: Engine, world: World, grids: SharedGrids, booked: int) -> None:
    office_id = world.maple.office_id
    read(engine, grids, world.maple.staff, office_id)
    change(engine, lambda db: records.update_patient(db, world.maple.staff, world.ana.id, _renamed(world.ana)))  # type: ignore[arg-type]
    assert blocks(read(engine, grids, world.maple.staff, office_id))[0][0] == "Anna Souza"


def test_an_edit_that_keeps_the_name_leaves_the_calendar_alone(
    engine: Engine, world: World, grids: SharedGrids, booked: int
) -> None:
    office_id = world.maple.office_id
    before = read(engine, grids, world.maple.staff, office_id)
    values = records.as_input(world.ana)
    values["phone"] = "416 555 0123"
    change(
        engine, lambda db: records.update_patient(db, world.maple.staff, world.ana.id, records.PatientInput(**values))
    )  # type: ignore[arg-type]
    assert read(engine, grids, world.maple.staff, office_id).layout is before.layout


def test_a_name_accepted_from_the_portal_is_on_the_next_read(
    engine: Engine, world: World, grids: SharedGrids, booked: int
) -> None:
    office_id = world.maple.office_id
    read(engine, grids, world.maple.staff, office_id)
    portal.propose_changes(world.db, world.actor(world.parent), world.ana.id, {"first_name": "Anita"}, now=NOW)  # type: ignore[arg-type]
    world.db.commit()
    pending = proposals.pending_proposals(world.db, world.maple.staff, world.ana.id)  # type: ignore[arg-type]
    world.db.commit()
    change(engine, lambda db: proposals.accept_proposal(db, world.maple.staff, pending[0].id, now=NOW))
    assert blocks(read(engine, grids, world.maple.staff, office_id))[0][0] == "Anita Souza"


def test_a_merged_online_record_shows_the_kept_patients_name(
    engine: Engine, world: World, grids: SharedGrids, booked: int
) -> None:
    office_id = world.maple.office_id
    online = Patient(office_id=office_id, first_name="A", last_name="Online", new_online_client=True)
    world.db.add(online)
    world.db.commit()
    appointments.book(
        world.db,
        world.maple.staff,
        office_id,
        practitioner_id=world.maple.owner.user_id,
        patient_id=online.id,  # type: ignore[arg-type]
        service_id=booked,
        starts_at=TEN.replace(hour=17),
    )
    world.db.commit()
    assert [b[0] for b in blocks(read(engine, grids, world.maple.staff, office_id))] == ["Ana Souza", "A Online"]
    change(engine, lambda db: patient_merge.merge_into(db, world.maple.staff, online.id, world.ana.id))
    assert [b[0] for b in blocks(read(engine, grids, world.maple.staff, office_id))] == ["Ana Souza", "Ana Souza"]


def test_a_service_renamed_and_recoloured_is_on_the_next_read(
    engine: Engine, world: World, grids: SharedGrids, booked: int
) -> None:
    office_id = world.maple.office_id
    read(engine, grids, world.maple.staff, office_id)
    data = service_catalog.ServiceInput("Assessment", 30, "violet", True, (world.maple.owner.user_id,))
    change(engine, lambda db: service_catalog.save_service(db, world.maple.owner, office_id, data, booked))
    assert blocks(read(engine, grids, world.maple.staff, office_id)) == [("Ana Souza", "Assessment", "violet", "10:00")]


def test_the_offices_time_zone_changed_is_on_the_next_read(
    engine: Engine, world: World, grids: SharedGrids, booked: int
) -> None:
    office_id = world.maple.office_id
    read(engine, grids, world.maple.staff, office_id)
    office = world.maple.office
    data = offices.OfficeInput(
        name=office.name, address=office.address, phone=office.phone, time_zone="America/Vancouver"
    )
    change(engine, lambda db: offices.update_office(db, world.maple.owner, office_id, data))
    assert blocks(read(engine, grids, world.maple.staff, office_id))[0][3] == "07:00"


def test_a_practitioner_removed_or_joining_changes_the_columns_on_the_next_read(
    engine: Engine, settings: Settings, world: World, grids: SharedGrids, booked: int
) -> None:
    office_id, owner = world.maple.office_id, world.maple.owner
    everyone = columns(read(engine, grids, world.maple.staff, office_id))
    assert len(everyone) == 2
    change(engine, lambda db: members.remove_member(db, owner, office_id, world.maple.practitioner.user_id))
    assert len(columns(read(engine, grids, world.maple.staff, office_id))) == 1

    dana, _token = sign_in_as(
        world.db, make_user(world.db, "dana@example.com", AccountKind.practitioner, full_name="Dana Desk")
    )
    invitation = invitations.invite(world.db, settings, owner, office_id, "dana@example.com", "practitioner", now=NOW)
    world.db.commit()
    change(engine, lambda db: invitations.accept_invitation(db, dana, invitation.id, now=NOW))  # type: ignore[arg-type]
    assert "Dana Desk" in columns(read(engine, grids, world.maple.staff, office_id))
