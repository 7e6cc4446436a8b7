"""Schedule set-up (SPEC §5, issue 5): services, weekly hours, time off, Online Booking Options.

Validation with concrete values, who may change whose hours, and the options' defaults.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from app.models import (
    OnlineBookingOptions,
    RegistrationPolicy,
    Service,
    ServicePractitioner,
    TimeOff,
    WorkingHours,
)
from app.services.actor import Actor
from app.services.errors import Invalid, NotFound, PermissionDenied
from app.services.scheduling import booking_options, practitioners, service_catalog, time_off, working_hours
from app.services.scheduling.booking_options import BookingOptionsInput
from app.services.scheduling.calendar_changes import calendar_version
from app.services.scheduling.service_catalog import ServiceInput
from app.services.scheduling.slots import WeeklyInterval
from tests.world import World

NOW = datetime(2026, 11, 23, 14, tzinfo=UTC)


@pytest.fixture
def patient(world: World) -> Actor:
    """A portal account: the world's parent, who holds two of Maple's records."""
    return world.actor(world.parent)


def refused(db: Session, error: type[Exception], call) -> Exception:  # type: ignore[no-untyped-def]
    with pytest.raises(error) as caught:
        call()
    db.rollback()
    return caught.value


# --- services ----------------------------------------------------------------------------


def test_a_service_is_saved_with_who_offers_it(db: Session, world: World) -> None:
    service = service_catalog.save_service(
        db,
        world.maple.owner,
        world.maple.office_id,
        ServiceInput(
            "  Initial   assessment ",
            " 45 ",
            "violet",
            True,
            (world.maple.practitioner.user_id, world.maple.owner.user_id) * 2,
        ),
    )
    db.commit()
    [view] = service_catalog.list_services(db, world.maple.staff, world.maple.office_id)
    assert view == service_catalog.ServiceView(
        service.id,  # type: ignore[arg-type]
        "Initial assessment",
        45,
        "violet",
        True,
        tuple(sorted((world.maple.owner.user_id, world.maple.practitioner.user_id))),
    )
    # Editing replaces who offers it.
    service_catalog.save_service(
        db,
        world.maple.practitioner,
        world.maple.office_id,
        ServiceInput("Initial assessment", 60, "blue", False, (world.maple.practitioner.user_id,)),
        service.id,
    )
    db.commit()
    [view] = service_catalog.list_services(db, world.maple.owner, world.maple.office_id)
    assert (view.duration_minutes, view.color, view.bookable_online, view.practitioner_ids) == (
        60,
        "blue",
        False,
        (world.maple.practitioner.user_id,),
    )
    assert len(db.exec(select(ServicePractitioner)).all()) == 1
    db.rollback()


@pytest.mark.parametrize("minutes", [5, 10, 30, 45, 90, 480, "15"])
def test_durations_in_steps_of_five_are_accepted(db: Session, world: World, minutes) -> None:  # type: ignore[no-untyped-def]
    service = service_catalog.save_service(db, world.maple.owner, world.maple.office_id, ServiceInput("Visit", minutes))
    assert service.duration_minutes == int(minutes)


@pytest.mark.parametrize("minutes", [0, -5, 4, 7, 33, 485, 481, 600, "", "half an hour", "30.5", "30 min"])
def test_other_durations_are_refused(db: Session, world: World, minutes) -> None:  # type: ignore[no-untyped-def]
    error = refused(
        db,
        Invalid,
        lambda: service_catalog.save_service(db, world.maple.owner, world.maple.office_id, ServiceInput("V", minutes)),
    )
    assert error.field == "duration_minutes"  # type: ignore[attr-defined]
    assert db.exec(select(Service)).all() == []


@pytest.mark.parametrize("color", ["", "purple", "Teal", "#ff0000", "teal "])
def test_only_the_listed_colours(db: Session, world: World, color: str) -> None:
    error = refused(
        db,
        Invalid,
        lambda: service_catalog.save_service(
            db, world.maple.owner, world.maple.office_id, ServiceInput("V", 30, color)
        ),
    )
    assert error.field == "color"  # type: ignore[attr-defined]
    for color in service_catalog.COLORS:
        assert service_catalog.save_service(
            db, world.maple.owner, world.maple.office_id, ServiceInput(color, 30, color)
        ).id
    db.rollback()


def test_a_service_needs_a_name(db: Session, world: World) -> None:
    for name in ("", "   ", "x" * 81):
        error = refused(
            db,
            Invalid,
            lambda n=name: service_catalog.save_service(
                db, world.maple.owner, world.maple.office_id, ServiceInput(n, 30)
            ),
        )
        assert error.field == "name"  # type: ignore[attr-defined]


def test_only_practitioners_of_the_office_may_offer_a_service(db: Session, world: World, patient: Actor) -> None:
    for outsider in (
        world.birch.owner.user_id,
        world.birch.practitioner.user_id,
        world.maple.staff.user_id,
        patient.user_id,
        987_654,
    ):
        error = refused(
            db,
            Invalid,
            lambda o=outsider: service_catalog.save_service(
                db,
                world.maple.owner,
                world.maple.office_id,
                ServiceInput("V", 30, practitioner_ids=(world.maple.owner.user_id, o)),
            ),
        )
        assert error.field == "practitioner_ids"  # type: ignore[attr-defined]
    assert db.exec(select(Service)).all() == []


def test_who_may_save_services(db: Session, world: World, patient: Actor) -> None:
    for actor in (world.maple.owner, world.maple.practitioner, world.maple.staff):
        assert service_catalog.save_service(db, actor, world.maple.office_id, ServiceInput("V", 30)).id
    db.commit()
    for actor in (patient, world.birch.owner, world.birch.staff):
        refused(
            db,
            PermissionDenied,
            lambda a=actor: service_catalog.save_service(db, a, world.maple.office_id, ServiceInput("V", 30)),
        )
    # Another office's service can't be edited through this one.
    theirs = service_catalog.save_service(db, world.birch.owner, world.birch.office_id, ServiceInput("Theirs", 30))
    db.commit()
    refused(
        db,
        NotFound,
        lambda: service_catalog.save_service(
            db, world.maple.owner, world.maple.office_id, ServiceInput("Mine", 30), theirs.id
        ),
    )
    assert db.get(Service, theirs.id).name == "Theirs"  # type: ignore[union-attr]
    db.rollback()


# --- working hours --------------------------------------------------------------------------


def hours_of(db: Session, world: World, user_id: int) -> list[WeeklyInterval]:
    found = working_hours.weekly_hours(db, world.maple.office_id, user_id)
    db.rollback()
    return found


WEEK = [WeeklyInterval(d, 9 * 60, 12 * 60) for d in range(5)] + [
    WeeklyInterval(d, 12 * 60, 17 * 60)
    for d in range(5)  # back to back with the morning
]


def test_weekly_hours_are_replaced_as_a_whole(db: Session, world: World) -> None:
    before = calendar_version(db, world.maple.office_id)
    working_hours.set_weekly_hours(db, world.maple.owner, world.maple.office_id, world.maple.owner.user_id, WEEK)
    db.commit()
    assert hours_of(db, world, world.maple.owner.user_id) == sorted(WEEK, key=lambda i: (i.weekday, i.start_minute))
    assert calendar_version(db, world.maple.office_id) == before + 1  # open calendars notice
    saturday = [WeeklyInterval(5, 0, 24 * 60)]  # a whole day, up to 24:00
    working_hours.set_weekly_hours(db, world.maple.owner, world.maple.office_id, world.maple.owner.user_id, saturday)
    db.commit()
    assert hours_of(db, world, world.maple.owner.user_id) == saturday
    working_hours.set_weekly_hours(db, world.maple.owner, world.maple.office_id, world.maple.owner.user_id, [])
    db.commit()
    assert hours_of(db, world, world.maple.owner.user_id) == []


@pytest.mark.parametrize(
    ("intervals", "field"),
    [
        ([WeeklyInterval(0, 9 * 60, 12 * 60), WeeklyInterval(0, 11 * 60, 13 * 60)], "day-0"),  # overlap
        ([WeeklyInterval(2, 9 * 60, 17 * 60), WeeklyInterval(2, 10 * 60, 11 * 60)], "day-2"),  # one inside another
        ([WeeklyInterval(4, 9 * 60, 12 * 60), WeeklyInterval(4, 9 * 60, 12 * 60)], "day-4"),  # the same twice
        ([WeeklyInterval(1, 17 * 60, 9 * 60)], "day-1"),  # end before start
        ([WeeklyInterval(1, 9 * 60, 9 * 60)], "day-1"),  # empty
        ([WeeklyInterval(6, 9 * 60, 24 * 60 + 15)], "day-6"),  # past midnight
        ([WeeklyInterval(3, -30, 60)], "day-3"),
        ([WeeklyInterval(7, 9 * 60, 17 * 60)], "weekday"),
        ([WeeklyInterval(-1, 9 * 60, 17 * 60)], "weekday"),
    ],
)
def test_bad_hours_are_refused_and_nothing_changes(db: Session, world: World, intervals, field) -> None:  # type: ignore[no-untyped-def]
    working_hours.set_weekly_hours(db, world.maple.owner, world.maple.office_id, world.maple.owner.user_id, WEEK)
    db.commit()
    error = refused(
        db,
        Invalid,
        lambda: working_hours.set_weekly_hours(
            db, world.maple.owner, world.maple.office_id, world.maple.owner.user_id, [*WEEK[:1], *intervals]
        ),
    )
    assert error.field == field  # type: ignore[attr-defined]
    assert len(hours_of(db, world, world.maple.owner.user_id)) == len(WEEK)


def test_the_same_times_on_different_days_do_not_overlap(db: Session, world: World) -> None:
    same = [WeeklyInterval(d, 9 * 60, 17 * 60) for d in range(7)]
    working_hours.set_weekly_hours(db, world.maple.owner, world.maple.office_id, world.maple.owner.user_id, same)
    db.commit()
    assert len(hours_of(db, world, world.maple.owner.user_id)) == 7


def test_parse_clock() -> None:
    assert working_hours.parse_clock("09:30", "start") == 570
    assert working_hours.parse_clock(" 7:05 ", "start") == 425
    assert working_hours.parse_clock("24:00", "end") == 1440
    for bad in ("", "9", "9.30", "24:15", "25:00", "12:60", "-1:00", "nine"):
        with pytest.raises(Invalid) as caught:
            working_hours.parse_clock(bad, "end")
        assert caught.value.field == "end"


def set_hours(actor: Actor, world: World, user_id: int):  # type: ignore[no-untyped-def]
    return lambda db: working_hours.set_weekly_hours(
        db, actor, world.maple.office_id, user_id, [WeeklyInterval(0, 9 * 60, 17 * 60)]
    )


def add_time_off(actor: Actor, world: World, user_id: int):  # type: ignore[no-untyped-def]
    return lambda db: time_off.add_time_off(db, actor, world.maple.office_id, user_id, NOW, NOW + timedelta(hours=3))


@pytest.mark.parametrize("change", [set_hours, add_time_off], ids=["hours", "time-off"])
def test_who_may_set_whose_hours(  # type: ignore[no-untyped-def]
    db: Session, world: World, patient: Actor, change
) -> None:
    owner, practitioner = world.maple.owner.user_id, world.maple.practitioner.user_id
    # The owner and the front desk keep everyone's hours.
    for actor in (world.maple.owner, world.maple.staff):
        for user_id in (owner, practitioner):
            change(actor, world, user_id)(db)
            db.commit()
    # A practitioner keeps their own, not the owner's.
    change(world.maple.practitioner, world, practitioner)(db)
    db.commit()
    error = refused(db, PermissionDenied, lambda: change(world.maple.practitioner, world, owner)(db))
    assert error.message == "Practitioners set their own working hours."  # type: ignore[attr-defined]
    # Portal accounts and people of other offices are refused outright.
    for outsider in (patient, world.birch.owner, world.birch.staff, world.birch.practitioner):
        refused(db, PermissionDenied, lambda a=outsider: change(a, world, owner)(db))
    # Hours only for practitioners of this office: not the front desk, not another office's people.
    for not_practitioner in (world.maple.staff.user_id, world.birch.owner.user_id, patient.user_id, 987_654):
        error = refused(db, Invalid, lambda u=not_practitioner: change(world.maple.owner, world, u)(db))
        assert error.field == "practitioner"  # type: ignore[attr-defined]


def test_who_may_set_hours_counts_rows(db: Session, world: World, patient: Actor) -> None:
    working_hours.set_weekly_hours(
        db, world.maple.practitioner, world.maple.office_id, world.maple.practitioner.user_id, WEEK
    )
    db.commit()
    refused(
        db,
        PermissionDenied,
        lambda: working_hours.set_weekly_hours(
            db, world.maple.practitioner, world.maple.office_id, world.maple.owner.user_id, WEEK
        ),
    )
    refused(
        db,
        PermissionDenied,
        lambda: working_hours.set_weekly_hours(
            db, patient, world.maple.office_id, world.maple.practitioner.user_id, []
        ),
    )
    rows = db.exec(select(WorkingHours)).all()
    assert {r.user_id for r in rows} == {world.maple.practitioner.user_id} and len(rows) == len(WEEK)
    db.rollback()


def test_time_off_must_end_after_it_starts(db: Session, world: World) -> None:
    for ends in (NOW, NOW - timedelta(minutes=1)):
        error = refused(
            db,
            Invalid,
            lambda e=ends: time_off.add_time_off(
                db, world.maple.owner, world.maple.office_id, world.maple.owner.user_id, NOW, e
            ),
        )
        assert error.field == "ends_at"  # type: ignore[attr-defined]
    before = calendar_version(db, world.maple.office_id)
    row = time_off.add_time_off(
        db,
        world.maple.owner,
        world.maple.office_id,
        world.maple.owner.user_id,
        NOW,
        NOW + timedelta(days=2),
        "  Conference \n in Oslo ",
    )
    db.commit()
    assert (row.starts_at, row.ends_at, row.reason) == (NOW, NOW + timedelta(days=2), "Conference in Oslo")
    assert calendar_version(db, world.maple.office_id) == before + 1
    time_off.remove_time_off(db, world.maple.staff, world.maple.office_id, row.id)  # type: ignore[arg-type]
    db.commit()
    assert db.exec(select(TimeOff)).all() == []
    db.rollback()


def test_practitioners_are_the_owner_and_practitioners_by_name(db: Session, world: World) -> None:
    names = [p.name for p in practitioners.practitioners(db, world.maple.office_id)]
    assert names == ["Olive Maple", "Priya Maple"]  # the front desk is not a column
    assert [p.user_id for p in practitioners.practitioners(db, world.maple.office_id)] == [
        world.maple.owner.user_id,
        world.maple.practitioner.user_id,
    ]


# --- Online Booking Options ---------------------------------------------------------------------

GOOD = BookingOptionsInput(
    enabled=True,
    min_notice_hours="4",
    horizon_days=" 30 ",
    allow_cancellation=False,
    cancellation_notice_hours=48,
    registration_policy="existing_only",
    refusal_phone=" +1 416  555 0199 ",
)


def test_options_default_until_saved(db: Session, world: World) -> None:
    options = booking_options.booking_options(db, world.maple.office_id)
    assert (
        options.enabled,
        options.min_notice_hours,
        options.horizon_days,
        options.allow_cancellation,
        options.cancellation_notice_hours,
        options.registration_policy,
        options.refusal_phone,
    ) == (False, 12, 60, True, 24, RegistrationPolicy.new_too, "")
    db.rollback()
    # Reading the defaults writes nothing.
    assert db.exec(select(OnlineBookingOptions)).all() == []
    db.rollback()


def test_options_are_saved_cleaned(db: Session, world: World) -> None:
    booking_options.save_booking_options(db, world.maple.staff, world.maple.office_id, GOOD)
    db.commit()
    db.expire_all()
    options = booking_options.booking_options(db, world.maple.office_id)
    assert (
        options.enabled,
        options.min_notice_hours,
        options.horizon_days,
        options.allow_cancellation,
        options.cancellation_notice_hours,
        options.registration_policy,
        options.refusal_phone,
    ) == (True, 4, 30, False, 48, RegistrationPolicy.existing_only, "+1 416 555 0199")
    # Saving again updates the one row; an empty phone is allowed (the office's phone is used).
    booking_options.save_booking_options(
        db, world.maple.owner, world.maple.office_id, replace(GOOD, refusal_phone="  ")
    )
    db.commit()
    rows = db.exec(select(OnlineBookingOptions)).all()
    assert len(rows) == 1 and rows[0].refusal_phone == ""
    db.rollback()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"min_notice_hours": -1}, "min_notice_hours"),
        ({"min_notice_hours": 721}, "min_notice_hours"),
        ({"min_notice_hours": "two"}, "min_notice_hours"),
        ({"min_notice_hours": "1.5"}, "min_notice_hours"),
        ({"horizon_days": 0}, "horizon_days"),
        ({"horizon_days": 366}, "horizon_days"),
        ({"horizon_days": ""}, "horizon_days"),
        ({"cancellation_notice_hours": -1}, "cancellation_notice_hours"),
        ({"cancellation_notice_hours": 721}, "cancellation_notice_hours"),
        ({"registration_policy": "anyone"}, "registration_policy"),
        ({"registration_policy": ""}, "registration_policy"),
        ({"refusal_phone": "call us"}, "refusal_phone"),
        ({"refusal_phone": "123"}, "refusal_phone"),
    ],
)
def test_bad_options_are_refused(db: Session, world: World, change: dict, field: str) -> None:
    error = refused(
        db,
        Invalid,
        lambda: booking_options.save_booking_options(
            db, world.maple.owner, world.maple.office_id, replace(GOOD, **change)
        ),
    )
    assert error.field == field  # type: ignore[attr-defined]
    assert db.exec(select(OnlineBookingOptions)).all() == []
    db.rollback()


@pytest.mark.parametrize(
    "change",
    [
        {"min_notice_hours": 0},
        {"min_notice_hours": 720},
        {"horizon_days": 1},
        {"horizon_days": 365},
        {"cancellation_notice_hours": 0},
        {"cancellation_notice_hours": 720},
        {"registration_policy": "new_too"},
    ],
)
def test_options_at_their_limits_are_accepted(db: Session, world: World, change: dict) -> None:
    options = booking_options.save_booking_options(
        db, world.maple.owner, world.maple.office_id, replace(GOOD, **change)
    )
    db.commit()
    [(key, value)] = change.items()
    assert getattr(options, key) == value


def test_who_may_save_options(db: Session, world: World, patient: Actor) -> None:
    for actor in (world.maple.owner, world.maple.practitioner, world.maple.staff):
        booking_options.save_booking_options(db, actor, world.maple.office_id, GOOD)
        db.commit()
    for actor in (patient, world.birch.owner, world.birch.staff):
        refused(
            db,
            PermissionDenied,
            lambda a=actor: booking_options.save_booking_options(db, a, world.maple.office_id, GOOD),
        )
    assert booking_options.booking_options(db, world.birch.office_id).enabled is False
    db.rollback()


def test_a_days_hours_are_read_from_text_and_written_back(db: Session, world: World) -> None:
    tuesday = working_hours.parse_day_hours(" 09:00-12:00, 13:00–17:30 ,", 1)  # an en dash, a stray comma
    assert tuesday == [WeeklyInterval(1, 540, 720), WeeklyInterval(1, 780, 1050)]
    assert working_hours.format_day_hours([*tuesday, WeeklyInterval(2, 600, 660)], 1) == "09:00-12:00, 13:00-17:30"
    assert working_hours.parse_day_hours("", 3) == [] and working_hours.parse_day_hours("  ", 3) == []
    for bad in ("09:00", "09:00-12:00-13:00", "9-12", "09:00-25:00", "morning"):
        with pytest.raises(Invalid) as caught:
            working_hours.parse_day_hours(bad, 4)
        assert caught.value.field == "day-4"
    # What reads well can still be refused as hours: the end before the start.
    backwards = working_hours.parse_day_hours("17:00-09:00", 0)
    error = refused(
        db,
        Invalid,
        lambda: working_hours.set_weekly_hours(
            db, world.maple.owner, world.maple.office_id, world.maple.owner.user_id, backwards
        ),
    )
    assert error.message == "On Monday, the end must come after the start."  # type: ignore[attr-defined]


def test_time_off_is_listed_from_a_moment_on(db: Session, world: World, patient: Actor) -> None:
    for days in (-3, 1, 5):
        time_off.add_time_off(
            db,
            world.maple.owner,
            world.maple.office_id,
            world.maple.owner.user_id,
            NOW + timedelta(days=days),
            NOW + timedelta(days=days, hours=2),
        )
    db.commit()
    listed = time_off.list_time_off(db, world.maple.staff, world.maple.office_id, NOW)
    assert [t.starts_at for t in listed] == [NOW + timedelta(days=1), NOW + timedelta(days=5)]
    db.rollback()
    refused(db, PermissionDenied, lambda: time_off.list_time_off(db, patient, world.maple.office_id, NOW))
