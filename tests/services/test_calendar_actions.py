"""What the calendar and its set-up page do, as services (issue 10, items 3-5).

- A practitioner books, and takes over, only services they offer: the rule the calendar's dialog
  used to apply on its own now holds in `appointments.create` (staff and online booking alike)
  and in `reschedule`.
- The calendar books and moves appointments, and the set-up page adds time off, from an
  office-local day and 'HH:MM', through the one conversion (local_time.to_utc), DST included.
- The set-up page's data is one read; the grid's "today" is the office's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.models import Appointment, Membership, OfficeRole
from app.services.errors import Invalid, NotFound, PermissionDenied
from app.services.scheduling import appointments, calendar_view, service_catalog, setup_page, time_off, working_hours
from app.services.scheduling.service_catalog import ServiceInput
from app.services.scheduling.slots import WeeklyInterval
from tests.factories import make_user, sign_in_as
from tests.world import NOW, World

WEDNESDAY = date(2026, 11, 25)
TEN_TORONTO = datetime(2026, 11, 25, 15, tzinfo=UTC)


def service(world: World, name: str, *offered_by: int) -> int:
    saved = service_catalog.save_service(
        world.db, world.maple.owner, world.maple.office_id, ServiceInput(name, 30, "teal", True, offered_by)
    )
    world.db.commit()
    return saved.id  # type: ignore[return-value]


def staff_book(world: World, practitioner_id: int, service_id: int, starts_at: datetime = TEN_TORONTO) -> Appointment:
    booked = appointments.book(
        world.db,
        world.maple.staff,
        world.maple.office_id,
        practitioner_id=practitioner_id,
        patient_id=world.ana.id,  # type: ignore[arg-type]
        service_id=service_id,
        starts_at=starts_at,
    )
    world.db.commit()
    return booked


# ---- only services the practitioner offers ----------------------------------------------------


def test_the_front_desk_cannot_book_a_practitioner_for_a_service_they_do_not_offer(world: World) -> None:
    owner, priya = world.maple.owner.user_id, world.maple.practitioner.user_id
    massage = service(world, "Massage", owner)
    with pytest.raises(Invalid) as refused:
        staff_book(world, priya, massage)
    assert refused.value.field == "service"
    assert refused.value.message == "Priya Maple does not offer Massage."
    world.db.rollback()
    assert staff_book(world, owner, massage).practitioner_id == owner


def test_a_service_nobody_is_ticked_for_is_offered_by_every_practitioner(world: World) -> None:
    anyone = service(world, "Walk-in")
    assert staff_book(world, world.maple.practitioner.user_id, anyone).service_id == anyone


def test_the_rule_holds_for_every_booking_path_create_included(world: World) -> None:
    massage = service(world, "Massage", world.maple.owner.user_id)
    with pytest.raises(Invalid):
        appointments.create(
            world.db,
            office_id=world.maple.office_id,
            practitioner_id=world.maple.practitioner.user_id,
            patient_id=world.ana.id,  # type: ignore[arg-type]
            service_id=massage,
            starts_at=TEN_TORONTO,
            booked_by_user_id=None,
            booked_online=True,
            now=NOW,
        )


def test_an_appointment_moves_only_to_a_practitioner_who_offers_its_service(world: World) -> None:
    owner, priya = world.maple.owner.user_id, world.maple.practitioner.user_id
    massage = service(world, "Massage", owner)
    booked = staff_book(world, owner, massage)
    with pytest.raises(Invalid) as refused:
        appointments.reschedule(world.db, world.maple.staff, booked.id, starts_at=TEN_TORONTO, practitioner_id=priya)  # type: ignore[arg-type]
    assert (refused.value.field, refused.value.message) == ("practitioner", "Priya Maple does not offer Massage.")
    world.db.rollback()
    detail = calendar_view.appointment_detail(world.db, world.maple.staff, str(booked.id))
    assert detail.practitioners == [(owner, "Olive Maple")]  # who the dialog offers to move it to
    both = service(world, "Check-up", owner, priya)
    other = staff_book(world, owner, both, datetime(2026, 11, 25, 17, tzinfo=UTC))
    assert [
        pid for pid, _ in calendar_view.appointment_detail(world.db, world.maple.staff, other.id).practitioners
    ] == [
        owner,
        priya,
    ]
    moved = appointments.reschedule(
        world.db, world.maple.staff, other.id, starts_at=other.starts_at, practitioner_id=priya
    )  # type: ignore[arg-type]
    assert moved.practitioner_id == priya


def test_the_booking_dialog_lists_the_services_of_the_column_s_practitioner(world: World) -> None:
    owner, priya = world.maple.owner.user_id, world.maple.practitioner.user_id
    service(world, "Massage", owner)
    service(world, "Check-up", owner, priya)
    service(world, "Walk-in")

    def names(who: object) -> list[str]:
        return [s.name for s in calendar_view.services_for(world.db, world.maple.staff, world.maple.office_id, who)]

    assert names(owner) == ["Check-up", "Massage", "Walk-in"]
    assert names(str(priya)) == ["Check-up", "Walk-in"]
    for not_a_column in (world.maple.staff.user_id, world.birch.owner.user_id, "²", 987_654):
        with pytest.raises(NotFound):
            calendar_view.services_for(world.db, world.maple.staff, world.maple.office_id, not_a_column)
    with pytest.raises(PermissionDenied):
        calendar_view.services_for(world.db, world.birch.staff, world.maple.office_id, owner)


# ---- local day and time in, UTC stored -----------------------------------------------------------


def calendar_book(world: World, day: object = "2026-11-25", clock: str = "10:00", **changes: object) -> Appointment:
    values: dict = {
        "practitioner_id": str(world.maple.owner.user_id),
        "patient_id": str(world.ana.id),
        "service_id": str(service(world, "Check-up", world.maple.owner.user_id)),
        "day": day,
        "clock": clock,
    }
    values.update(changes)
    booked = calendar_view.book(world.db, world.maple.staff, world.maple.office_id, **values)
    world.db.commit()
    return booked


def test_the_calendar_books_an_office_local_time(world: World) -> None:
    assert calendar_book(world, "2026-11-25", "10:00").starts_at == TEN_TORONTO  # EST, UTC-5
    # Sunday 8 March 2026 springs forward at 02:00: 02:30 does not exist and means 03:30 EDT.
    assert calendar_book(world, date(2026, 3, 8), "02:30").starts_at == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"patient_id": ""}, "patient"),
        ({"clock": "25:00"}, "time"),
        ({"clock": "24:00"}, "time"),
        ({"day": "someday"}, "day"),
        ({"service_id": ""}, "service"),
    ],
)
def test_what_the_booking_dialog_is_told_beside_its_fields(world: World, changes: dict, field: str) -> None:
    with pytest.raises(Invalid) as refused:
        calendar_book(world, **changes)
    assert refused.value.field == field


def test_someone_outside_the_office_is_refused_before_anything_is_checked(world: World) -> None:
    with pytest.raises(PermissionDenied):
        calendar_view.book(
            world.db,
            world.birch.staff,
            world.maple.office_id,
            practitioner_id="",
            patient_id="",
            service_id="",
            day="",
            clock="",
        )


def test_an_appointment_is_moved_to_an_office_local_day_and_time(world: World) -> None:
    booked = calendar_book(world, "2026-11-25", "10:00")
    moved = calendar_view.reschedule(world.db, world.maple.staff, str(booked.id), day="2026-11-26", clock="08:15")
    assert moved.starts_at == datetime(2026, 11, 26, 13, 15, tzinfo=UTC)
    with pytest.raises(Invalid) as refused:
        calendar_view.reschedule(world.db, world.maple.staff, booked.id, day="", clock="08:15")
    assert refused.value.field == "date"
    with pytest.raises(NotFound):
        calendar_view.reschedule(world.db, world.birch.staff, booked.id, day="2026-11-26", clock="08:15")


def test_status_changes_take_only_known_statuses(world: World) -> None:
    booked = calendar_book(world, "2026-11-25", "10:00")
    assert calendar_view.set_status(world.db, world.maple.staff, str(booked.id), "arrived").status == "arrived"
    with pytest.raises(Invalid):
        calendar_view.set_status(world.db, world.maple.staff, booked.id, "vanished")


def test_the_grid_opens_on_the_office_s_today_and_moves_by_day_or_week(world: World) -> None:
    late_evening = datetime(2026, 11, 26, 3, tzinfo=UTC)  # Wednesday 25 November, 22:00 in Toronto
    grid = calendar_view.grid(world.db, world.maple.staff, world.maple.office_id, None, "day", now=late_evening)
    assert grid.today == WEDNESDAY and grid.days == [WEDNESDAY]
    week = calendar_view.grid(world.db, world.maple.staff, world.maple.office_id, None, "week", now=late_evening)
    assert week.days[0] == date(2026, 11, 23) and week.today == WEDNESDAY
    assert calendar_view.shifted("2026-11-25", "day", -1) == "2026-11-24"
    assert calendar_view.shifted("2026-11-25", "week", "1") == "2026-12-02"
    assert calendar_view.shifted("2026-11-25", "week", 5) == "2026-11-25"
    assert calendar_view.shifted("", "week", 1) == ""  # no anchor yet: today, whatever the step


# ---- the set-up page -----------------------------------------------------------------------------


def test_the_setup_page_shows_the_actor_s_own_hours_first(world: World) -> None:
    office_id = world.maple.office_id
    priya = world.maple.practitioner
    working_hours.set_weekly_hours(world.db, priya, office_id, priya.user_id, [WeeklyInterval(0, 9 * 60, 12 * 60)])
    world.db.commit()
    page = setup_page.setup_page(world.db, priya, office_id, now=NOW)
    assert page.time_zone == "America/Toronto" and page.hours_for == priya.user_id
    assert page.weekly == [WeeklyInterval(0, 540, 720)]
    assert [p.name for p in page.people] == ["Olive Maple", "Priya Maple"]
    # The front desk works for no column: the first practitioner; anyone may ask for another.
    assert setup_page.setup_page(world.db, world.maple.staff, office_id, now=NOW).hours_for == world.maple.owner.user_id
    asked = setup_page.setup_page(world.db, world.maple.staff, office_id, str(priya.user_id), now=NOW)
    assert asked.hours_for == priya.user_id
    for junk in ("²", world.maple.staff.user_id, world.birch.owner.user_id):
        assert setup_page.setup_page(world.db, priya, office_id, junk, now=NOW).hours_for == priya.user_id
    with pytest.raises(PermissionDenied):
        setup_page.setup_page(world.db, world.birch.owner, office_id, now=NOW)


def test_time_off_is_added_from_office_local_days_and_times(world: World) -> None:
    office_id, priya = world.maple.office_id, world.maple.practitioner
    added = time_off.add_time_off_at(
        world.db,
        priya,
        office_id,
        str(priya.user_id),
        from_day="2027-11-25",
        from_clock="",  # midnight
        to_day="2027-11-25",
        to_clock="12:30",
        reason="Dentist",
    )
    world.db.commit()
    assert (added.starts_at, added.ends_at) == (
        datetime(2027, 11, 25, 5, tzinfo=UTC),
        datetime(2027, 11, 25, 17, 30, tzinfo=UTC),
    )
    page = setup_page.setup_page(world.db, priya, office_id, now=NOW)
    assert [(t.user_id, t.reason) for t in page.time_off] == [(priya.user_id, "Dentist")]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"user_id": ""}, "practitioner"),
        ({"from_day": ""}, "from_date"),
        ({"to_day": "2026-02-30"}, "to_date"),
        ({"from_clock": "9"}, "from_time"),
        ({"to_clock": "24:00"}, "to_time"),
        ({"to_day": "2026-11-24"}, "to_date"),  # before it starts
    ],
)
def test_time_off_mistakes_are_told_beside_their_field(world: World, changes: dict, field: str) -> None:
    values: dict = {
        "user_id": str(world.maple.owner.user_id),
        "from_day": "2026-11-25",
        "from_clock": "09:00",
        "to_day": "2026-11-25",
        "to_clock": "10:00",
    }
    values.update(changes)
    user_id = values.pop("user_id")
    with pytest.raises(Invalid) as refused:
        time_off.add_time_off_at(world.db, world.maple.owner, world.maple.office_id, user_id, **values)
    assert refused.value.field == field


def test_a_practitioner_added_later_offers_nothing_they_were_not_ticked_for(world: World) -> None:
    newcomer = make_user(world.db, email="nadia@maple.test", full_name="Nadia New")
    world.db.add(Membership(office_id=world.maple.office_id, user_id=newcomer.id, role=OfficeRole.practitioner))  # type: ignore[arg-type]
    world.db.commit()
    sign_in_as(world.db, newcomer)
    massage = service(world, "Massage", world.maple.owner.user_id)
    with pytest.raises(Invalid):
        staff_book(world, newcomer.id, massage)  # type: ignore[arg-type]
