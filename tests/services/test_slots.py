"""Free-slot computation (SPEC §5, issue 5): daylight-saving days, notice, horizon, time off,
overlaps of other lengths, cancelled appointments, services not offered, "any" practitioner.

The pure part (slots.py) is checked with hand-written instants; the rest goes through
online_booking.available_slots on a real database, as the booking page calls it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from app.models import AccountKind, Appointment, AppointmentStatus, Patient, Service
from app.services import offices
from app.services.actor import Actor
from app.services.errors import Conflict, Invalid
from app.services.local_time import local_instant
from app.services.scheduling import (
    appointments,
    availability,
    booking_options,
    online_booking,
    service_catalog,
    time_off,
    working_hours,
)
from app.services.scheduling.booking_options import BookingOptionsInput
from app.services.scheduling.service_catalog import ServiceInput
from app.services.scheduling.slots import WeeklyInterval, free_slots, working_intervals
from app.services.team import members
from app.settings import Settings
from tests.factories import make_user, sign_in_as
from tests.world import Team, World

TORONTO = ZoneInfo("America/Toronto")
BERLIN = ZoneInfo("Europe/Berlin")
M15 = timedelta(minutes=15)
M30 = timedelta(minutes=30)
H = timedelta(hours=1)
# Far enough before every day used here, with a horizon of a year.
EARLY = datetime(2026, 1, 1, tzinfo=UTC)


def at(zone: ZoneInfo, day: date, clock: str) -> datetime:
    """A wall-clock time (not in a gap) as an aware UTC instant."""
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=zone).astimezone(UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def labels(starts: list[datetime], zone: ZoneInfo) -> list[str]:
    return [f"{s.astimezone(zone):%H:%M}" for s in starts]


def who_at(found: list[availability.Slot], zone: ZoneInfo) -> dict[str, int]:
    """Local label → the practitioner a slot was given to (labels unique on ordinary days)."""
    return {f"{s.starts_at.astimezone(zone):%H:%M}": s.practitioner_id for s in found}


def grid(first: str, last: str) -> list[str]:
    """Quarter-hour labels from first to last inclusive, e.g. grid("09:00", "09:45")."""
    h1, m1 = (int(p) for p in first.split(":"))
    h2, m2 = (int(p) for p in last.split(":"))
    return [f"{m // 60:02d}:{m % 60:02d}" for m in range(h1 * 60 + m1, h2 * 60 + m2 + 1, 15)]


# --- daylight-saving days, pure -------------------------------------------------------

# zone, the day it changes, the UTC instants of 09:00 and 17:00 that day, and the labels
# of quarter-hour starts of 01:00-04:00 (15-minute slots) that day.
DST_DAYS = [
    pytest.param(
        TORONTO,
        date(2026, 3, 8),
        utc(2026, 3, 8, 13),
        utc(2026, 3, 8, 21),
        timedelta(hours=2),
        grid("01:00", "01:45") + grid("03:00", "03:45"),
        id="toronto-spring-forward",
    ),
    pytest.param(
        TORONTO,
        date(2026, 11, 1),
        utc(2026, 11, 1, 14),
        utc(2026, 11, 1, 22),
        timedelta(hours=4),
        grid("01:00", "01:45") * 2 + grid("02:00", "03:45"),
        id="toronto-fall-back",
    ),
    pytest.param(
        BERLIN,
        date(2026, 3, 29),
        utc(2026, 3, 29, 7),
        utc(2026, 3, 29, 15),
        timedelta(hours=2),
        grid("01:00", "01:45") + grid("03:00", "03:45"),
        id="berlin-spring-forward",
    ),
    pytest.param(
        BERLIN,
        date(2026, 10, 25),
        utc(2026, 10, 25, 8),
        utc(2026, 10, 25, 16),
        timedelta(hours=4),
        grid("01:00", "01:45") + grid("02:00", "02:45") * 2 + grid("03:00", "03:45"),
        id="berlin-fall-back",
    ),
]


@pytest.mark.parametrize(("zone", "day", "nine", "five", "night_length", "night_labels"), DST_DAYS)
def test_a_nine_to_five_day_is_eight_real_hours_on_the_local_grid(  # type: ignore[no-untyped-def]
    zone, day, nine, five, night_length, night_labels
) -> None:
    assert day.weekday() == 6  # every one of these changes happens on a Sunday
    [(start, end)] = working_intervals([WeeklyInterval(6, 9 * 60, 17 * 60)], day, day, zone)
    assert (start, end) == (nine, five)
    assert end - start == timedelta(hours=8)

    starts = free_slots([(start, end)], [], M15)
    assert len(starts) == 32
    assert labels(starts, zone) == grid("09:00", "16:45")
    assert all(b - a == M15 for a, b in itertools.pairwise(starts))


@pytest.mark.parametrize(("zone", "day", "nine", "five", "night_length", "night_labels"), DST_DAYS)
def test_an_interval_across_the_change_has_its_real_length_and_honest_labels(  # type: ignore[no-untyped-def]
    zone, day, nine, five, night_length, night_labels
) -> None:
    [(start, end)] = working_intervals([WeeklyInterval(6, 60, 4 * 60)], day, day, zone)
    assert end - start == night_length  # 2 real hours across the gap, 4 across the repeated hour
    assert labels([start, end], zone) == ["01:00", "04:00"]

    starts = free_slots([(start, end)], [], M15)
    assert labels(starts, zone) == night_labels
    # Real instants step by exactly 15 minutes: nothing skipped, nothing counted twice.
    assert all(b - a == M15 for a, b in itertools.pairwise(starts))
    # A label repeats only in the repeated hour, and then with a different UTC offset.
    shown = [(f"{s.astimezone(zone):%H:%M}", s.astimezone(zone).utcoffset()) for s in starts]
    assert len(set(shown)) == len(shown)


def test_days_around_a_change_each_start_at_local_nine() -> None:
    intervals = working_intervals(
        [WeeklyInterval(d, 9 * 60, 17 * 60) for d in range(7)], date(2026, 3, 7), date(2026, 3, 9), TORONTO
    )
    assert [s for s, _ in intervals] == [utc(2026, 3, 7, 14), utc(2026, 3, 8, 13), utc(2026, 3, 9, 13)]
    assert {e - s for s, e in intervals} == {timedelta(hours=8)}
    intervals = working_intervals(
        [WeeklyInterval(d, 9 * 60, 17 * 60) for d in range(7)], date(2026, 10, 24), date(2026, 10, 26), BERLIN
    )
    assert [s for s, _ in intervals] == [utc(2026, 10, 24, 7), utc(2026, 10, 25, 8), utc(2026, 10, 26, 8)]


def test_an_hour_long_slot_across_the_gap_is_one_real_hour() -> None:
    [(start, end)] = working_intervals([WeeklyInterval(6, 60, 4 * 60)], date(2026, 3, 8), date(2026, 3, 8), TORONTO)
    starts = free_slots([(start, end)], [], H)
    # 01:45 EST + 1 real hour = 03:45 EDT; the last that fits ends at 04:00 EDT.
    assert labels(starts, TORONTO) == [*grid("01:00", "01:45"), "03:00"]
    assert starts[-1] + H == end


def test_local_instant_in_the_gap_and_in_the_repeated_hour() -> None:
    # 02:30 does not exist on spring-forward day: it becomes 03:30 EDT.
    assert local_instant(date(2026, 3, 8), 150, TORONTO) == utc(2026, 3, 8, 7, 30)
    assert local_instant(date(2026, 3, 29), 150, BERLIN) == utc(2026, 3, 29, 1, 30)
    # 01:30 happens twice on fall-back day: the first time is meant.
    assert local_instant(date(2026, 11, 1), 90, TORONTO) == utc(2026, 11, 1, 5, 30)
    assert local_instant(date(2026, 10, 25), 150, BERLIN) == utc(2026, 10, 25, 0, 30)
    # 24:00 is the next midnight.
    assert local_instant(date(2026, 3, 7), 24 * 60, TORONTO) == utc(2026, 3, 8, 5)


# --- notice, horizon, overlaps, pure --------------------------------------------------

DAY = (utc(2026, 12, 1, 9), utc(2026, 12, 1, 12))  # 09:00-12:00 UTC


def test_minimum_notice_boundary_is_included() -> None:
    starts = free_slots([DAY], [], M30, not_before=utc(2026, 12, 1, 10, 15))
    assert starts[0] == utc(2026, 12, 1, 10, 15)
    starts = free_slots([DAY], [], M30, not_before=utc(2026, 12, 1, 10, 15, 1))
    assert starts[0] == utc(2026, 12, 1, 10, 30)


def test_horizon_boundary_is_included() -> None:
    starts = free_slots([DAY], [], M30, not_after=utc(2026, 12, 1, 10, 15))
    assert starts[-1] == utc(2026, 12, 1, 10, 15)
    starts = free_slots([DAY], [], M30, not_after=utc(2026, 12, 1, 10, 14, 59))
    assert starts[-1] == utc(2026, 12, 1, 10)


def test_a_longer_busy_interval_blocks_every_partly_overlapping_slot() -> None:
    busy = [(utc(2026, 12, 1, 10), utc(2026, 12, 1, 10, 45))]  # a 45-minute appointment
    starts = free_slots([DAY], busy, M30)
    assert labels(starts, ZoneInfo("UTC")) == [*grid("09:00", "09:30"), *grid("10:45", "11:30")]


def test_busy_intervals_that_touch_or_overlap_are_merged() -> None:
    busy = [
        (utc(2026, 12, 1, 9, 30), utc(2026, 12, 1, 10)),
        (utc(2026, 12, 1, 10), utc(2026, 12, 1, 10, 20)),  # touches the first
        (utc(2026, 12, 1, 10, 10), utc(2026, 12, 1, 10, 25)),  # inside the merged one, ends later
    ]
    starts = free_slots([DAY], busy, M15)
    assert labels(starts, ZoneInfo("UTC")) == [*grid("09:00", "09:15"), *grid("10:30", "11:45")]


def test_busy_time_outside_working_hours_changes_nothing() -> None:
    busy = [(utc(2026, 12, 1, 7), utc(2026, 12, 1, 9)), (utc(2026, 12, 1, 12), utc(2026, 12, 1, 14))]
    assert free_slots([DAY], busy, M30) == free_slots([DAY], [], M30)
    assert len(free_slots([DAY], [], M30)) == 11  # 09:00 .. 11:30


# --- with the database ------------------------------------------------------------------


@dataclass(frozen=True)
class Schedule:
    """An office of the world whose owner and practitioner take online bookings."""

    office_id: int
    zone: ZoneInfo
    owner: Actor  # a practitioner, works every day 09:00-17:00
    other: Actor  # a second practitioner, no hours until a test sets them
    staff: Actor
    thirty: int  # 30-minute service, offered online by both
    forty_five: int  # 45-minute service, offered by both
    owner_only: int  # 30-minute service only the owner offers
    patient_id: int


def save_options(db: Session, actor: Actor, office_id: int, **changes: object) -> None:
    values: dict[str, object] = {
        "enabled": True,
        "min_notice_hours": 0,
        "horizon_days": 365,
        "allow_cancellation": True,
        "cancellation_notice_hours": 24,
        "registration_policy": "new_too",
        "refusal_phone": "+1 416 555 0199",
    }
    values.update(changes)
    booking_options.save_booking_options(db, actor, office_id, BookingOptionsInput(**values))  # type: ignore[arg-type]
    db.commit()


def schedule(world: World, team: Team, zone: str = "America/Toronto") -> Schedule:
    """The team's office in `zone`: three services, the owner's hours every day, online booking on."""
    world.set_time_zone(team, zone)
    owner, other = team.owner, team.practitioner
    ids = [
        world.add_service(team, name, minutes, *who).id
        for name, minutes, who in (
            ("Consultation", 30, (owner, other)),
            ("Treatment", 45, (owner, other)),
            ("Owner's special", 30, (owner,)),
        )
    ]
    world.set_hours(team, owner, days=range(7))
    save_options(world.db, owner, team.office_id)
    patient = world.ana if team is world.maple else world.cleo
    return Schedule(team.office_id, ZoneInfo(zone), owner, other, team.staff, *ids, patient.id)  # type: ignore[arg-type]


@pytest.fixture
def maple(world: World) -> Schedule:
    return schedule(world, world.maple)


def slots(
    db: Session, clinic: Schedule, day: date, service: int | None = None, who: int | None = -1, now: datetime = EARLY
) -> list[availability.Slot]:
    practitioner = clinic.owner.user_id if who == -1 else who
    found = availability.available_slots(db, clinic.office_id, service or clinic.thirty, practitioner, day, now)
    db.rollback()  # end the read transaction
    return found


def shown(db: Session, clinic: Schedule, day: date, **kwargs) -> list[str]:  # type: ignore[no-untyped-def]
    return labels([s.starts_at for s in slots(db, clinic, day, **kwargs)], clinic.zone)


def book(db: Session, clinic: Schedule, day: date, clock: str, service: int, who: int | None = None) -> int:
    appointment = appointments.book(
        db,
        clinic.staff,
        clinic.office_id,
        practitioner_id=who or clinic.owner.user_id,
        patient_id=clinic.patient_id,
        service_id=service,
        starts_at=at(clinic.zone, day, clock),
    )
    db.commit()
    return appointment.id  # type: ignore[return-value]


TUESDAY = date(2026, 12, 1)


def test_an_ordinary_day(db: Session, world: World, maple: Schedule) -> None:
    assert shown(db, maple, TUESDAY) == grid("09:00", "16:30")
    assert shown(db, maple, TUESDAY, service=maple.forty_five) == grid("09:00", "16:15")


@pytest.mark.parametrize(
    ("zone", "day", "first_utc", "night"),
    [
        (
            "America/Toronto",
            date(2026, 3, 8),
            utc(2026, 3, 8, 13),
            [*grid("01:00", "01:45"), "03:00"],
        ),
        (
            "America/Toronto",
            date(2026, 11, 1),
            utc(2026, 11, 1, 14),
            [*grid("01:00", "01:45"), *grid("01:00", "01:45"), *grid("02:00", "03:00")],
        ),
        ("Europe/Berlin", date(2026, 3, 29), utc(2026, 3, 29, 7), [*grid("01:00", "01:45"), "03:00"]),
        (
            "Europe/Berlin",
            date(2026, 10, 25),
            utc(2026, 10, 25, 8),
            [*grid("01:00", "01:45"), *grid("02:00", "02:45"), *grid("02:00", "03:00")],
        ),
    ],
    ids=["toronto-spring", "toronto-fall", "berlin-spring", "berlin-fall"],
)
def test_available_slots_on_daylight_saving_days(  # type: ignore[no-untyped-def]
    db: Session, world: World, zone, day, first_utc, night
) -> None:
    maple = schedule(world, world.maple, zone)
    hour = service_catalog.save_service(
        db, maple.owner, maple.office_id, ServiceInput("Hour", 60, practitioner_ids=(maple.owner.user_id,))
    ).id
    working_hours.set_weekly_hours(
        db,
        maple.owner,
        maple.office_id,
        maple.owner.user_id,
        [WeeklyInterval(6, 60, 4 * 60), WeeklyInterval(6, 9 * 60, 17 * 60)],
    )
    db.commit()
    found = slots(db, maple, day, service=hour)
    starts = [s.starts_at for s in found]
    assert labels(starts, maple.zone) == night + grid("09:00", "16:00")
    day_part = [s for s in starts if s >= first_utc]
    assert day_part[0] == first_utc and len(day_part) == 29
    assert len(set(starts)) == len(starts)


def test_an_appointment_in_the_repeated_hour_blocks_only_its_own_occurrence(
    db: Session, world: World, maple: Schedule
) -> None:
    fall = date(2026, 11, 1)
    working_hours.set_weekly_hours(
        db, maple.owner, maple.office_id, maple.owner.user_id, [WeeklyInterval(6, 60, 4 * 60)]
    )
    db.commit()
    # 06:30 UTC is the second 01:30 (EST) that night.
    appointments.book(
        db,
        maple.staff,
        maple.office_id,
        practitioner_id=maple.owner.user_id,
        patient_id=maple.patient_id,
        service_id=maple.thirty,
        starts_at=utc(2026, 11, 1, 6, 30),
    )
    db.commit()
    starts = [s.starts_at for s in slots(db, maple, fall)]
    assert utc(2026, 11, 1, 5, 30) in starts  # the first 01:30 (EDT) is still free
    assert utc(2026, 11, 1, 6, 15) not in starts and utc(2026, 11, 1, 6, 30) not in starts
    assert utc(2026, 11, 1, 7) in starts
    assert labels(starts, maple.zone).count("01:30") == 1


def test_a_local_day_that_crosses_utc_midnight_keeps_all_its_evening(
    db: Session, world: World, maple: Schedule
) -> None:
    working_hours.set_weekly_hours(
        db, maple.owner, maple.office_id, maple.owner.user_id, [WeeklyInterval(1, 17 * 60, 22 * 60)]
    )
    db.commit()
    found = slots(db, maple, TUESDAY)
    assert labels([s.starts_at for s in found], maple.zone) == grid("17:00", "21:30")
    assert found[-1].starts_at == utc(2026, 12, 2, 2, 30)  # the next UTC day
    assert shown(db, maple, date(2026, 12, 2)) == []  # Wednesday: no hours


def test_minimum_notice(db: Session, world: World, maple: Schedule) -> None:
    save_options(db, maple.owner, maple.office_id, min_notice_hours=2)
    nine = at(maple.zone, TUESDAY, "09:00")
    assert shown(db, maple, TUESDAY, now=nine)[0] == "11:00"  # exactly at the notice: offered
    assert shown(db, maple, TUESDAY, now=nine + timedelta(seconds=1))[0] == "11:15"
    assert shown(db, maple, TUESDAY, now=nine - timedelta(minutes=1))[0] == "11:00"
    # In the afternoon, nothing is left that day, and the next day is whole.
    assert shown(db, maple, TUESDAY, now=at(maple.zone, TUESDAY, "14:31")) == []
    assert shown(db, maple, date(2026, 12, 2), now=at(maple.zone, TUESDAY, "14:31")) == grid("09:00", "16:30")


def test_horizon(db: Session, world: World, maple: Schedule) -> None:
    save_options(db, maple.owner, maple.office_id, horizon_days=14)
    nine = at(maple.zone, TUESDAY, "09:00")
    last_day = date(2026, 12, 15)
    assert shown(db, maple, last_day, now=nine) == ["09:00"]  # exactly at the horizon: offered
    assert shown(db, maple, last_day, now=nine + timedelta(minutes=20)) == ["09:00", "09:15"]
    assert shown(db, maple, last_day, now=nine - timedelta(seconds=1)) == []
    assert shown(db, maple, date(2026, 12, 14), now=nine) == grid("09:00", "16:30")
    assert shown(db, maple, date(2026, 12, 16), now=nine) == []


def test_time_off_removes_its_slots(db: Session, world: World, maple: Schedule) -> None:
    wednesday = date(2026, 12, 2)
    time_off.add_time_off(
        db,
        maple.owner,
        maple.office_id,
        maple.owner.user_id,
        at(maple.zone, wednesday, "12:00"),
        at(maple.zone, wednesday, "13:30"),
        "Lunch and a walk",
    )
    # A three-day holiday from Thursday midnight.
    time_off.add_time_off(
        db,
        maple.staff,
        maple.office_id,
        maple.owner.user_id,
        at(maple.zone, date(2026, 12, 3), "00:00"),
        at(maple.zone, date(2026, 12, 6), "00:00"),
    )
    db.commit()
    assert shown(db, maple, wednesday) == grid("09:00", "11:30") + grid("13:30", "16:30")
    for day in (date(2026, 12, 3), date(2026, 12, 4), date(2026, 12, 5)):
        assert shown(db, maple, day) == []
    assert shown(db, maple, date(2026, 12, 6)) == grid("09:00", "16:30")
    # Only the owner's time: the other practitioner keeps their slots.
    working_hours.set_weekly_hours(
        db, maple.other, maple.office_id, maple.other.user_id, [WeeklyInterval(3, 9 * 60, 10 * 60)]
    )
    db.commit()
    assert shown(db, maple, date(2026, 12, 3), who=maple.other.user_id) == grid("09:00", "09:30")


def test_an_appointment_of_another_length_blocks_partly_overlapping_slots(
    db: Session, world: World, maple: Schedule
) -> None:
    book(db, maple, TUESDAY, "10:00", maple.forty_five)  # 10:00-10:45
    morning = [t for t in shown(db, maple, TUESDAY) if t < "12:00"]
    # 09:30-10:00 ends as it starts (back to back); 09:45 and 10:00-10:30 overlap; 10:45 starts as it ends.
    assert morning == [*grid("09:00", "09:30"), *grid("10:45", "11:45")]
    # Longer slots are blocked earlier: an hour at 09:15 would run into it.
    hour = service_catalog.save_service(
        db, maple.owner, maple.office_id, ServiceInput("Hour", 60, practitioner_ids=(maple.owner.user_id,))
    ).id
    db.commit()
    assert [t for t in shown(db, maple, TUESDAY, service=hour) if t < "12:00"] == ["09:00", *grid("10:45", "11:45")]
    # Staff can't book into the overlap either (the check in appointments and the database).
    for clock in ("09:45", "10:30"):
        with pytest.raises(Conflict):
            book(db, maple, TUESDAY, clock, maple.thirty)
        db.rollback()
    # A second, back-to-back appointment may be booked right after; then 10:45-11:15 is gone.
    book(db, maple, TUESDAY, "10:45", maple.thirty)
    assert [t for t in shown(db, maple, TUESDAY) if t < "12:00"] == [*grid("09:00", "09:30"), *grid("11:15", "11:45")]


def test_a_cancelled_appointment_frees_its_slots(db: Session, world: World, maple: Schedule) -> None:
    appointment_id = book(db, maple, TUESDAY, "10:00", maple.forty_five)
    assert "10:00" not in shown(db, maple, TUESDAY)
    appointments.set_status(db, maple.staff, appointment_id, AppointmentStatus.cancelled)
    db.commit()
    assert shown(db, maple, TUESDAY) == grid("09:00", "16:30")
    # A no-show still holds its time (the visit happened in the calendar).
    other_id = book(db, maple, TUESDAY, "10:00", maple.thirty)
    appointments.set_status(db, maple.staff, other_id, AppointmentStatus.no_show)
    db.commit()
    assert "10:00" not in shown(db, maple, TUESDAY)


def test_an_appointment_in_another_office_blocks_the_same_practitioner(
    db: Session, world: World, maple: Schedule
) -> None:
    second = offices.create_office(
        db,
        maple.owner,
        offices.OfficeInput(name="Birch clinic", address="2 Birch Rd", phone="+1 416 555 0111", time_zone="UTC"),
    )
    service = Service(office_id=second.id, name="Elsewhere", duration_minutes=60)  # type: ignore[arg-type]
    patient = Patient(office_id=second.id, first_name="Eve", last_name="Elsewhere")  # type: ignore[arg-type]
    db.add_all([service, patient])
    db.commit()
    appointments.book(
        db,
        maple.owner,
        second.id,  # type: ignore[arg-type]
        practitioner_id=maple.owner.user_id,
        patient_id=patient.id,  # type: ignore[arg-type]
        service_id=service.id,  # type: ignore[arg-type]
        starts_at=at(maple.zone, TUESDAY, "13:00"),
    )
    db.commit()
    # 13:00-14:00 there: 12:45 would run into it, 14:00 starts as it ends.
    assert [t for t in shown(db, maple, TUESDAY) if "12:00" <= t < "15:00"] == [
        *grid("12:00", "12:30"),
        *grid("14:00", "14:45"),
    ]


def test_a_service_not_offered_by_the_practitioner_is_refused(
    db: Session, world: World, maple: Schedule, settings: Settings
) -> None:
    working_hours.set_weekly_hours(
        db, maple.other, maple.office_id, maple.other.user_id, [WeeklyInterval(1, 9 * 60, 17 * 60)]
    )
    db.commit()
    with pytest.raises(Invalid) as caught:
        slots(db, maple, TUESDAY, service=maple.owner_only, who=maple.other.user_id)
    assert caught.value.field == "practitioner"
    db.rollback()
    # "Any" means any of those who offer it: only the owner's slots.
    assert {s.practitioner_id for s in slots(db, maple, TUESDAY, service=maple.owner_only, who=None)} == {
        maple.owner.user_id
    }
    # A staff member is not a practitioner at all.
    with pytest.raises(Invalid):
        slots(db, maple, TUESDAY, who=maple.staff.user_id)
    db.rollback()


def test_services_that_are_not_bookable_online_give_no_slots(db: Session, world: World, maple: Schedule) -> None:
    offline = service_catalog.save_service(
        db,
        maple.owner,
        maple.office_id,
        ServiceInput("Phone only", 30, bookable_online=False, practitioner_ids=(maple.owner.user_id,)),
    ).id
    service_catalog.retire_service(db, maple.owner, maple.office_id, maple.forty_five)
    db.commit()
    other = schedule(world, world.birch)
    for service in (offline, maple.forty_five, other.thirty, 987_654):
        with pytest.raises(Invalid) as caught:
            slots(db, maple, TUESDAY, service=service)
        assert caught.value.field == "service"
        db.rollback()


def test_online_booking_off_gives_no_slots(db: Session, world: World, maple: Schedule) -> None:
    assert shown(db, maple, TUESDAY) != []
    save_options(db, maple.owner, maple.office_id, enabled=False)
    assert shown(db, maple, TUESDAY) == []
    assert shown(db, maple, TUESDAY, who=None) == []


def test_any_practitioner_merges_both_and_picks_one_who_is_free(
    db: Session, world: World, maple: Schedule, settings: Settings
) -> None:
    owner_id, other_id = maple.owner.user_id, maple.other.user_id
    working_hours.set_weekly_hours(db, maple.owner, maple.office_id, owner_id, [WeeklyInterval(1, 9 * 60, 12 * 60)])
    working_hours.set_weekly_hours(db, maple.other, maple.office_id, other_id, [WeeklyInterval(1, 11 * 60, 17 * 60)])
    db.commit()
    merged = slots(db, maple, TUESDAY, who=None)
    assert labels([s.starts_at for s in merged], maple.zone) == grid("09:00", "16:30")  # no duplicates
    by_label = who_at(merged, maple.zone)
    assert by_label["09:00"] == owner_id and by_label["16:30"] == other_id
    assert by_label["11:00"] in (owner_id, other_id)

    # The owner is taken 11:00-11:30: at 11:00 and 11:15 only the other practitioner is free;
    # 10:45 (which would run into 11:00 for the owner, before the other starts) is gone.
    book(db, maple, TUESDAY, "11:00", maple.thirty, who=owner_id)
    merged = slots(db, maple, TUESDAY, who=None)
    by_label = who_at(merged, maple.zone)
    assert "10:45" not in by_label
    assert by_label["11:00"] == other_id and by_label["11:15"] == other_id
    assert by_label["10:30"] == owner_id

    # Booking online with "any" at 11:00 gives it to the one who is free.
    account, _ = sign_in_as(db, make_user(db, email="walk-in@example.com", kind=AccountKind.patient))
    booked = online_booking.book_online(
        db,
        settings,
        account,
        maple.office_id,
        service_id=maple.thirty,
        practitioner_id=None,
        starts_at=at(maple.zone, TUESDAY, "11:00"),
        now=EARLY,
    )
    db.commit()
    assert booked.practitioner_id == other_id
    merged = slots(db, maple, TUESDAY, who=None)
    assert "11:00" not in labels([s.starts_at for s in merged], maple.zone)
    live = db.exec(select(Appointment).where(Appointment.starts_at == at(maple.zone, TUESDAY, "11:00"))).all()
    assert sorted(a.practitioner_id for a in live) == sorted([owner_id, other_id])
    db.rollback()


def test_a_practitioner_removed_from_the_office_is_no_longer_offered(
    db: Session, world: World, maple: Schedule, settings: Settings
) -> None:
    owner_id, other_id = maple.owner.user_id, maple.other.user_id
    working_hours.set_weekly_hours(db, maple.owner, maple.office_id, owner_id, [WeeklyInterval(1, 9 * 60, 12 * 60)])
    working_hours.set_weekly_hours(db, maple.other, maple.office_id, other_id, [WeeklyInterval(1, 11 * 60, 17 * 60)])
    members.remove_member(db, maple.owner, maple.office_id, other_id)
    db.commit()
    merged = slots(db, maple, TUESDAY, who=None)
    assert {s.practitioner_id for s in merged} == {owner_id}
    assert labels([s.starts_at for s in merged], maple.zone) == grid("09:00", "11:30")
