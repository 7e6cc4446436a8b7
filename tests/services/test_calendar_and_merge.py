"""Staff side of scheduling: booking, moving, statuses, the week grid, a patient's list; merging records."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from app.models import (
    AccountKind,
    Appointment,
    AppointmentStatus,
    Membership,
    OfficeRole,
    Patient,
    PortalAccess,
)
from app.services import patient_merge
from app.services.actor import Actor
from app.services.errors import Conflict, Invalid, NotFound, PermissionDenied
from app.services.patients import records, search
from app.services.scheduling import (
    appointment_lists,
    appointments,
    booking_options,
    calendar_changes,
    calendar_view,
    time_off,
    working_hours,
)
from app.services.scheduling.slots import WeeklyInterval
from tests.factories import make_office, make_user
from tests.world import World

MONDAY = date(2026, 11, 30)
TEN = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # 10:00 in Toronto


@pytest.fixture
def consultation(world: World) -> int:
    """Maple's owner offers a 30-minute Consultation and works Monday to Friday, 09:00-17:00."""
    service = world.add_service(world.maple, "Consultation", 30, world.maple.owner)
    world.set_hours(world.maple, world.maple.owner)
    return service.id  # type: ignore[return-value]


def _book(
    db: Session, world: World, consultation: int, actor: Actor | None = None, starts_at: datetime = TEN
) -> Appointment:
    """Ana with the owner, booked by the front desk (or `actor`)."""
    appointment = appointments.book(
        db,
        actor or world.maple.staff,
        world.maple.office_id,
        practitioner_id=world.maple.owner.user_id,
        patient_id=world.ana.id,  # type: ignore[arg-type]
        service_id=consultation,
        starts_at=starts_at,
    )
    db.commit()
    return appointment


def test_staff_book_and_the_calendar_version_moves(db: Session, world: World, consultation: int) -> None:
    before = calendar_changes.calendar_version(db, world.maple.office_id)
    appointment = _book(db, world, consultation)
    assert appointment.ends_at - appointment.starts_at == timedelta(minutes=30)
    assert calendar_changes.calendar_version(db, world.maple.office_id) == before + 1


def test_a_patient_account_and_an_outsider_cannot_book(db: Session, world: World, consultation: int) -> None:
    patient_account, outsider = world.actor(world.parent), world.birch.owner  # Ana's family; another office
    for actor in (patient_account, outsider):
        with pytest.raises(PermissionDenied):
            appointments.book(
                db,
                actor,
                world.maple.office_id,
                practitioner_id=world.maple.owner.user_id,
                patient_id=world.ana.id,
                service_id=consultation,
                starts_at=TEN,
            )
        db.rollback()
    assert db.exec(select(Appointment)).all() == []


def test_staff_cannot_be_booked_as_a_practitioner(db: Session, world: World, consultation: int) -> None:
    with pytest.raises(Invalid) as caught:
        appointments.book(
            db,
            world.maple.owner,
            world.maple.office_id,
            practitioner_id=world.maple.staff.user_id,
            patient_id=world.ana.id,
            service_id=consultation,
            starts_at=TEN,
        )
    assert caught.value.field == "practitioner"


def test_reschedule_moves_keeps_length_and_refuses_an_overlap(db: Session, world: World, consultation: int) -> None:
    first = _book(db, world, consultation)
    second = _book(db, world, consultation, starts_at=TEN + timedelta(hours=2))
    moved = appointments.reschedule(db, world.maple.staff, first.id, starts_at=TEN + timedelta(hours=1))  # type: ignore[arg-type]
    db.commit()
    assert (moved.starts_at, moved.ends_at) == (TEN + timedelta(hours=1), TEN + timedelta(hours=1, minutes=30))
    with pytest.raises(Conflict):
        appointments.reschedule(db, world.maple.staff, first.id, starts_at=second.starts_at + timedelta(minutes=15))  # type: ignore[arg-type]
    db.rollback()
    assert db.get(Appointment, first.id).starts_at == TEN + timedelta(hours=1)  # type: ignore[union-attr]


def test_statuses_and_a_cancelled_appointment_stays_cancelled(db: Session, world: World, consultation: int) -> None:
    appointment = _book(db, world, consultation)
    appointments.set_status(db, world.maple.staff, appointment.id, AppointmentStatus.arrived)  # type: ignore[arg-type]
    db.commit()
    assert db.get(Appointment, appointment.id).status == AppointmentStatus.arrived  # type: ignore[union-attr]
    appointments.set_status(db, world.maple.staff, appointment.id, AppointmentStatus.cancelled)  # type: ignore[arg-type]
    db.commit()
    with pytest.raises(Invalid):
        appointments.set_status(db, world.maple.staff, appointment.id, AppointmentStatus.booked)  # type: ignore[arg-type]
    db.rollback()
    with pytest.raises(Invalid):
        appointments.reschedule(db, world.maple.staff, appointment.id, starts_at=TEN + timedelta(days=1))  # type: ignore[arg-type]


def test_another_office_cannot_touch_an_appointment(db: Session, world: World, consultation: int) -> None:
    appointment = _book(db, world, consultation)
    other_owner = world.birch.owner
    # Another office's appointment and record look exactly like missing ones (issue 9).
    for call in (
        lambda appointment_id: appointments.set_status(db, other_owner, appointment_id, AppointmentStatus.cancelled),
        lambda appointment_id: appointments.for_staff(db, other_owner, appointment_id),
        lambda appointment_id: appointments.reschedule(db, other_owner, appointment_id, starts_at=TEN),
    ):
        with pytest.raises(NotFound) as foreign:
            call(appointment.id)
        with pytest.raises(NotFound) as missing:
            call(987_654)
        assert foreign.value.message == missing.value.message == "This appointment was not found."
    with pytest.raises(NotFound) as foreign_record:
        appointment_lists.for_patient(db, other_owner, world.ana.id)
    with pytest.raises(NotFound) as missing_record:
        appointment_lists.for_patient(db, other_owner, 987_654)
    assert foreign_record.value.message == missing_record.value.message
    db.rollback()
    assert db.get(Appointment, appointment.id).status == AppointmentStatus.booked  # type: ignore[union-attr]


def test_the_week_grid_places_appointments_in_the_office_zone(db: Session, world: World, consultation: int) -> None:
    _book(db, world, consultation)
    week = calendar_view.grid(db, world.maple.staff, world.maple.office_id, MONDAY + timedelta(days=2), "week")
    assert week.days[0] == MONDAY and len(week.days) == 7
    assert [name for _, name in week.practitioners] == ["Olive Maple", "Priya Maple"]  # staff are not columns
    assert (week.first_minute, week.last_minute) == (8 * 60, 18 * 60)
    assert [i.patient_name for i in week.items] == ["Ana Souza"]
    day = calendar_view.grid(db, world.maple.staff, world.maple.office_id, MONDAY + timedelta(days=1), "day")
    assert day.days == [MONDAY + timedelta(days=1)] and day.items == []


def test_the_weeks_plain_columns_read_as_the_models_do(db: Session, world: World, consultation: int) -> None:
    """The week reads its columns untyped (a hot query): the values are still aware UTC instants,
    statuses and booleans, equal to what the ORM reads, on SQLite and PostgreSQL."""
    first = _book(db, world, consultation)
    second = _book(db, world, consultation, starts_at=TEN + timedelta(days=1, minutes=45, microseconds=250))
    appointments.set_status(db, world.maple.staff, second.id, AppointmentStatus.arrived)
    db.commit()
    week = calendar_view.grid(db, world.maple.staff, world.maple.office_id, MONDAY, "week")
    db.expire_all()
    stored = [db.get(Appointment, first.id), db.get(Appointment, second.id)]
    assert [(i.id, i.starts_at, i.ends_at, i.status, i.booked_online) for i in week.items] == [
        (a.id, a.starts_at, a.ends_at, a.status, a.booked_online) for a in stored if a is not None
    ]
    assert all(i.starts_at.tzinfo is UTC and isinstance(i.status, AppointmentStatus) for i in week.items)
    assert week.items[1].starts_at == TEN + timedelta(days=1, minutes=45, microseconds=250)


def test_the_grid_spans_everyones_hours_of_this_office_only(db: Session, world: World, consultation: int) -> None:
    owner, office_id = world.maple.owner, world.maple.office_id
    # An early practitioner widens the day; the day is never shorter than 08:00-18:00.
    early = make_user(db, "early@example.com", full_name="Early Bird")
    db.add(Membership(office_id=office_id, user_id=early.id, role=OfficeRole.practitioner))
    db.commit()
    working_hours.set_weekly_hours(db, owner, office_id, early.id, [WeeklyInterval(2, 6 * 60 + 30, 12 * 60)])  # type: ignore[arg-type]
    # Hours the owner keeps in another office do not stretch this one.
    elsewhere = make_office(db, owner, "Evening Clinic")
    working_hours.set_weekly_hours(db, owner, elsewhere.id, owner.user_id, [WeeklyInterval(0, 17 * 60, 22 * 60)])  # type: ignore[arg-type]
    db.commit()
    week = calendar_view.grid(db, world.maple.staff, office_id, MONDAY, "week")
    assert (week.first_minute, week.last_minute) == (6 * 60 + 30, 18 * 60)
    # An appointment outside everyone's hours widens the day to its whole hours.
    late = appointments.book(
        db,
        world.maple.staff,
        office_id,
        practitioner_id=owner.user_id,
        patient_id=world.ana.id,
        service_id=consultation,
        starts_at=datetime(2026, 12, 1, 1, 15, tzinfo=UTC),  # 20:15 in Toronto on Monday
    )
    db.commit()
    week = calendar_view.grid(db, world.maple.staff, office_id, MONDAY, "week")
    assert (week.first_minute, week.last_minute) == (6 * 60 + 30, 20 * 60 + 45)
    (item,) = week.items
    assert item.id == late.id and item.status is AppointmentStatus.booked and item.color == "teal"
    assert item.starts_at == datetime(2026, 12, 1, 1, 15, tzinfo=UTC) and item.booked_online is False
    # A practitioner who leaves takes their hours out of the grid.
    db.delete(db.exec(select(Membership).where(Membership.user_id == early.id)).one())
    db.commit()
    assert calendar_view.grid(db, world.maple.staff, office_id, MONDAY, "week").first_minute == 8 * 60


def test_hidden_practitioners_get_no_column_and_their_appointments_stay_home(
    db: Session, world: World, consultation: int
) -> None:
    owner, priya, office_id = world.maple.owner, world.maple.practitioner, world.maple.office_id
    ben = make_user(db, "ben@example.com", full_name="Ben Okri")
    db.add(Membership(office_id=office_id, user_id=ben.id, role=OfficeRole.practitioner))
    db.commit()
    working_hours.set_weekly_hours(db, owner, office_id, ben.id, [WeeklyInterval(0, 7 * 60, 12 * 60)])  # type: ignore[arg-type]
    db.commit()
    _book(db, world, consultation)  # with Olive, the owner
    week = calendar_view.grid(db, world.maple.staff, office_id, MONDAY, "week")
    assert [name for _, name in week.practitioners] == ["Ben Okri", "Olive Maple", "Priya Maple"]
    assert week.first_minute == 7 * 60 and len(week.items) == 1

    not_olive = frozenset({owner.user_id, priya.user_id})
    only_ben = calendar_view.grid(db, world.maple.staff, office_id, MONDAY, "week", not_olive)
    assert [name for _, name in only_ben.practitioners] == ["Ben Okri"]
    assert [name for _, name in only_ben.everyone] == ["Ben Okri", "Olive Maple", "Priya Maple"]  # the filter's list
    assert only_ben.items == []  # Olive's appointment is not sent at all
    not_ben = frozenset({ben.id, priya.user_id})
    only_olive = calendar_view.grid(db, world.maple.staff, office_id, MONDAY, "week", not_ben)  # type: ignore[arg-type]
    assert [name for _, name in only_olive.practitioners] == ["Olive Maple"]
    assert only_olive.first_minute == 8 * 60  # Ben's early hours no longer widen the day
    assert [i.patient_name for i in only_olive.items] == ["Ana Souza"]
    # Hiding everyone (or ids from elsewhere) cannot empty the calendar.
    everyone_hidden = frozenset({owner.user_id, priya.user_id, ben.id, 999_999})
    shown = calendar_view.grid(db, world.maple.staff, office_id, MONDAY, "week", everyone_hidden)  # type: ignore[arg-type]
    assert len(shown.practitioners) == 3
    # The filter is no way around permissions.
    outsider = world.birch.owner
    with pytest.raises(PermissionDenied):
        calendar_view.grid(db, outsider, office_id, MONDAY, "week", frozenset({ben.id}))  # type: ignore[arg-type]


def test_the_grid_carries_working_hours_and_the_weeks_time_off(db: Session, world: World, consultation: int) -> None:
    owner, office_id = world.maple.owner, world.maple.office_id
    this_week = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
    time_off.add_time_off(db, owner, office_id, owner.user_id, this_week, this_week + timedelta(hours=2))
    later = this_week + timedelta(days=14)
    time_off.add_time_off(db, owner, office_id, owner.user_id, later, later + timedelta(hours=2))
    db.commit()
    week = calendar_view.grid(db, world.maple.staff, office_id, MONDAY, "week")
    assert week.hours[owner.user_id] == [WeeklyInterval(d, 9 * 60, 17 * 60) for d in range(5)]
    assert week.time_off == [(owner.user_id, this_week, this_week + timedelta(hours=2))]
    everyone = frozenset({owner.user_id, world.maple.practitioner.user_id})
    hidden = calendar_view.grid(db, world.maple.staff, office_id, MONDAY, "week", everyone)
    assert hidden.time_off == [(owner.user_id, this_week, this_week + timedelta(hours=2))]  # all hidden: all shown


def test_a_patients_appointments_newest_first(db: Session, world: World, consultation: int) -> None:
    _book(db, world, consultation)
    _book(db, world, consultation, starts_at=TEN + timedelta(days=1))
    listed = appointment_lists.for_patient(db, world.maple.staff, world.ana.id)
    assert [a.starts_at for a in listed] == [TEN + timedelta(days=1), TEN]
    assert listed[0].service_name == "Consultation" and listed[0].practitioner_name == "Olive Maple"


def test_merging_a_new_online_client_moves_everything_and_removes_it(
    db: Session, world: World, consultation: int
) -> None:
    online = Patient(office_id=world.maple.office_id, first_name="Ana", last_name="S", new_online_client=True)
    db.add(online)
    db.commit()
    account = make_user(db, "ana@example.com", AccountKind.patient)
    db.add(PortalAccess(office_id=world.maple.office_id, patient_id=online.id, user_id=account.id))
    db.commit()
    appointment = appointments.book(
        db,
        world.maple.staff,
        world.maple.office_id,
        practitioner_id=world.maple.owner.user_id,
        patient_id=online.id,
        service_id=consultation,
        starts_at=TEN,
    )  # type: ignore[arg-type]
    db.commit()
    online_id = online.id
    patient_merge.merge_into(db, world.maple.staff, online_id, world.ana.id)  # type: ignore[arg-type]
    db.commit()
    db.expire_all()
    assert db.get(Patient, online_id) is None
    assert db.get(Appointment, appointment.id).patient_id == world.ana.id  # type: ignore[union-attr]
    moved = db.exec(select(PortalAccess.patient_id).where(PortalAccess.user_id == account.id)).all()
    assert moved == [world.ana.id]


def test_only_an_online_record_of_the_same_office_can_be_merged(db: Session, world: World, consultation: int) -> None:
    bob = records.create_patient(db, world.maple.owner, world.maple.office_id, records.PatientInput("Bob", "Stone"))
    db.commit()
    with pytest.raises(Invalid):  # an ordinary record is never merged away
        patient_merge.merge_into(db, world.maple.staff, bob.id, world.ana.id)  # type: ignore[arg-type]
    db.rollback()
    theirs = Patient(office_id=world.birch.office_id, first_name="X", last_name="Y", new_online_client=True)
    db.add(theirs)
    db.commit()
    with pytest.raises(NotFound):
        patient_merge.merge_into(db, world.maple.staff, theirs.id, world.ana.id)  # type: ignore[arg-type]
    db.rollback()
    assert db.get(Patient, theirs.id) is not None


def test_quick_find_limits_excludes_and_waits_for_two_characters(db: Session, world: World, consultation: int) -> None:
    me = records.create_patient(db, world.maple.owner, world.maple.office_id, records.PatientInput("Al", "Silva"))
    for first in ("Bea", "Ben", "Bo", "Cy"):
        records.create_patient(db, world.maple.owner, world.maple.office_id, records.PatientInput(first, "Silva"))
    db.commit()
    assert search.quick_find(db, world.maple.staff, world.maple.office_id, "s") == []
    found = search.quick_find(db, world.maple.staff, world.maple.office_id, "silva", limit=3, exclude_id=me.id)
    assert [row.name for row in found] == ["Silva, Bea", "Silva, Ben", "Silva, Bo"]


def test_quick_find_is_refused_outside_the_office(db: Session, world: World, consultation: int) -> None:
    outsider, patient_account = world.birch.owner, world.actor(world.parent)
    for actor in (outsider, patient_account):
        for query in ("", "silva"):  # even an empty query tells nothing to a stranger
            with pytest.raises(PermissionDenied):
                search.quick_find(db, actor, world.maple.office_id, query)


def test_booking_options_form_only_for_those_who_may_change_them(db: Session, world: World, consultation: int) -> None:
    assert booking_options.booking_options_for_staff(db, world.maple.staff, world.maple.office_id).enabled is False
    patient_account, outsider = world.actor(world.parent), world.birch.owner  # Ana's family; another office
    for actor in (patient_account, outsider):
        with pytest.raises(PermissionDenied):
            booking_options.booking_options_for_staff(db, actor, world.maple.office_id)
