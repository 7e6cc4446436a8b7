"""The public booking page's days come from the office's options, through a service (issue 10, item 3):
from the first day a slot may start on (now + minimum notice) to the last one within the horizon
(now + days ahead), as local days in the office's time zone, a week at a time. And confirming a
booking answers with what the page shows, without the state reading a row.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from app.services.errors import Invalid
from app.services.scheduling import (
    appointments,
    availability,
    booking_options,
    booking_page,
    online_booking,
    service_catalog,
    working_hours,
)
from app.services.scheduling.booking_options import BookingOptionsInput
from app.services.scheduling.service_catalog import ServiceInput
from app.services.scheduling.slots import WeeklyInterval
from tests.world import World

MONDAY_9_TORONTO = datetime(2026, 11, 23, 14, tzinfo=UTC)  # Monday 23 November 2026, 09:00 in Toronto
OPTIONS = BookingOptionsInput(
    enabled=True,
    min_notice_hours=0,
    horizon_days=14,
    allow_cancellation=True,
    cancellation_notice_hours=24,
    registration_policy="new_too",
    refusal_phone="",
)


def options(world: World, **changes: object) -> None:
    """The options, for a clinic open every day 09:00-17:00 with a service offered online."""
    open_all_week(world)
    data = replace(OPTIONS, **changes)  # type: ignore[arg-type]
    booking_options.save_booking_options(world.db, world.maple.owner, world.maple.office_id, data)
    world.db.commit()


def days_of(bookable: booking_page.BookingDays) -> list[str]:
    return [d.iso for window in bookable.windows for d in window]


def test_no_notice_and_two_weeks_ahead(world: World) -> None:
    options(world)
    bookable = booking_page.booking_days(world.db, world.maple.office_id, MONDAY_9_TORONTO)
    # Today, and every day up to the one 14 days on (its morning is still within the horizon).
    assert days_of(bookable)[0] == "2026-11-23" and days_of(bookable)[-1] == "2026-12-07"
    assert [len(w) for w in bookable.windows] == [7, 7, 1]
    assert bookable.titles == ["23 Nov – 29 Nov 2026", "30 Nov – 6 Dec 2026", "7 Dec – 7 Dec 2026"]
    first = bookable.windows[0][0]
    assert (first.weekday, first.number, first.label) == ("Mon", "23", "Mon 23 Nov")
    assert bookable.default == "2026-11-23"
    assert bookable.has("2026-12-07") and not bookable.has("2026-12-08") and not bookable.has("2026-11-22")
    assert bookable.window_of("2026-12-01") == 1 and bookable.window_of("2027-01-01") == 0


def test_the_minimum_notice_moves_the_first_day_and_the_default(world: World) -> None:
    options(world, min_notice_hours=12)
    evening = datetime(2026, 11, 24, 1, tzinfo=UTC)  # Monday 23 November, 20:00 in Toronto
    bookable = booking_page.booking_days(world.db, world.maple.office_id, evening)
    assert bookable.default == "2026-11-24"  # 12 hours on is Tuesday morning: "tomorrow"
    assert days_of(bookable)[0] == "2026-11-24"
    morning = booking_page.booking_days(world.db, world.maple.office_id, MONDAY_9_TORONTO)
    # The strip starts today (21:00 tonight is past the notice), but the clinic closes at 17:00:
    # no time is left today, so the page opens on tomorrow.
    assert days_of(morning)[0] == "2026-11-23" and morning.default == "2026-11-24"


def test_the_horizon_decides_how_many_days_a_long_one_in_weeks(world: World) -> None:
    options(world, horizon_days=60)
    bookable = booking_page.booking_days(world.db, world.maple.office_id, MONDAY_9_TORONTO)
    assert len(days_of(bookable)) == 61 and len(bookable.windows) == 9
    assert all(len(window) == 7 for window in bookable.windows[:-1])


def test_a_notice_longer_than_the_horizon_leaves_no_day(world: World) -> None:
    options(world, min_notice_hours=720, horizon_days=7)
    bookable = booking_page.booking_days(world.db, world.maple.office_id, MONDAY_9_TORONTO)
    assert bookable.windows == [] and bookable.titles == [] and bookable.default == ""
    assert bookable.window_of("2026-11-23") == 0 and not bookable.has("2026-11-23")


def test_days_are_the_office_s_local_days_across_a_clock_change(world: World) -> None:
    """Saturday 7 March 2026, 23:30 in Toronto; clocks spring forward that night. One day ahead is
    Monday 00:30 local (24 real hours later): Monday is bookable, though "today + 1" is Sunday."""
    options(world, horizon_days=1)
    saturday_night = datetime(2026, 3, 8, 4, 30, tzinfo=UTC)
    bookable = booking_page.booking_days(world.db, world.maple.office_id, saturday_night)
    assert days_of(bookable) == ["2026-03-07", "2026-03-08", "2026-03-09"]
    # And the day is really bookable: a slot at Monday 00:00 local starts within the horizon.
    owner = world.maple.owner
    service = service_catalog.save_service(
        world.db, owner, world.maple.office_id, ServiceInput("Night call", 30, "teal", True, (owner.user_id,))
    )
    working_hours.set_weekly_hours(world.db, owner, world.maple.office_id, owner.user_id, [WeeklyInterval(0, 0, 60)])
    world.db.commit()
    slots = availability.available_slots(
        world.db, world.maple.office_id, service.id, None, date(2026, 3, 9), saturday_night
    )  # type: ignore[arg-type]
    # 00:00, 00:15 and 00:30 EDT: the last start the horizon allows is 24 hours after now.
    assert [s.starts_at for s in slots] == [datetime(2026, 3, 9, 4, m, tzinfo=UTC) for m in (0, 15, 30)]


def open_days(bookable: booking_page.BookingDays) -> list[str]:
    return [d.iso for window in bookable.windows for d in window if d.open]


def test_days_without_any_time_left_are_shown_but_not_offered(world: World) -> None:
    options(world)
    owner = world.maple.owner
    # Weekdays only, and Tuesday is full: every 30-minute slot from 09:00 to 17:00 is booked.
    working_hours.set_weekly_hours(
        world.db, owner, world.maple.office_id, owner.user_id, [WeeklyInterval(d, 9 * 60, 17 * 60) for d in range(5)]
    )
    service_id = open_all_week(world)
    tuesday_9 = datetime(2026, 11, 24, 14, tzinfo=UTC)
    for i in range(16):
        appointments.book(
            world.db,
            world.maple.staff,
            world.maple.office_id,
            practitioner_id=owner.user_id,
            patient_id=world.ana.id,  # type: ignore[arg-type]
            service_id=service_id,
            starts_at=tuesday_9 + timedelta(minutes=30 * i),
            now=MONDAY_9_TORONTO,
        )
    world.db.commit()
    after_hours = datetime(2026, 11, 23, 23, tzinfo=UTC)  # Monday 18:00 in Toronto: nothing left today
    bookable = booking_page.booking_days(world.db, world.maple.office_id, after_hours)
    assert days_of(bookable)[0] == "2026-11-23"  # still in the strip, greyed
    assert open_days(bookable)[:4] == ["2026-11-25", "2026-11-26", "2026-11-27", "2026-11-30"]
    assert bookable.default == "2026-11-25"
    for closed in ("2026-11-23", "2026-11-24", "2026-11-28", "2026-11-29"):
        assert not bookable.has(closed)


def test_an_office_without_online_services_offers_no_day(world: World) -> None:
    booking_options.save_booking_options(world.db, world.maple.owner, world.maple.office_id, OPTIONS)
    world.db.commit()
    bookable = booking_page.booking_days(world.db, world.maple.office_id, MONDAY_9_TORONTO)
    assert open_days(bookable) == [] and bookable.default == ""


def test_an_unknown_office_has_no_booking_days(world: World) -> None:
    from app.services.errors import NotFound

    with pytest.raises(NotFound):
        booking_page.booking_days(world.db, 987_654, MONDAY_9_TORONTO)


# ---- confirming -------------------------------------------------------------------------------


def open_all_week(world: World) -> int:
    owner = world.maple.owner
    found = next(
        (
            s
            for s in service_catalog.list_services(world.db, owner, world.maple.office_id)
            if s.name == "Check-up, short"
        ),
        None,
    )
    if found is not None:
        return found.id
    service = service_catalog.save_service(
        world.db, owner, world.maple.office_id, ServiceInput("Check-up, short", 30, "teal", True, (owner.user_id,))
    )
    working_hours.set_weekly_hours(
        world.db,
        owner,
        world.maple.office_id,
        owner.user_id,
        [WeeklyInterval(d, 9 * 60, 17 * 60) for d in range(7)],
    )
    world.db.commit()
    return service.id  # type: ignore[return-value]


def bookable_clinic(world: World) -> int:
    service_id = open_all_week(world)
    options(world)
    return service_id


def test_confirming_a_booking_answers_with_what_the_page_shows(world: World) -> None:
    service_id = bookable_clinic(world)
    ten = datetime(2026, 11, 25, 15, tzinfo=UTC)  # Wednesday 10:00 in Toronto
    done = online_booking.confirm_booking(
        world.db,
        world.settings,
        world.actor(world.stranger),  # a new client: the clinic gets a record for them
        world.maple.office_id,
        service_id=str(service_id),
        practitioner_id="",
        starts_at=ten.isoformat(),
        now=MONDAY_9_TORONTO,
    )
    assert (done.when, done.service, done.practitioner, done.office) == (
        "Wed 25 Nov 2026, 10:00",
        "Check-up, short",
        "Olive Maple",
        "Maple Street Clinic",
    )
    assert "DTSTART:20261125T150000Z" in done.ics and "SUMMARY:Check-up\\, short with Olive Maple" in done.ics


@pytest.mark.parametrize("starts_at", ["", "soon", "2026-11-25T10:00:00", "2026-11-25T10:00:00+99:00"])
def test_a_time_the_page_did_not_offer_is_asked_again(world: World, starts_at: str) -> None:
    service_id = bookable_clinic(world)
    with pytest.raises(Invalid) as refused:
        online_booking.confirm_booking(
            world.db,
            world.settings,
            world.actor(world.parent),
            world.maple.office_id,
            service_id=service_id,
            practitioner_id=None,
            starts_at=starts_at,
            now=MONDAY_9_TORONTO,
        )
    assert refused.value.message == "Choose a time again."


def test_the_booking_days_and_the_slots_agree_on_the_horizon(world: World) -> None:
    service_id = bookable_clinic(world)
    bookable = booking_page.booking_days(world.db, world.maple.office_id, MONDAY_9_TORONTO)
    last = date.fromisoformat(days_of(bookable)[-1])
    past_it = availability.available_slots(
        world.db, world.maple.office_id, service_id, None, last + timedelta(days=1), MONDAY_9_TORONTO
    )
    on_it = availability.available_slots(world.db, world.maple.office_id, service_id, None, last, MONDAY_9_TORONTO)
    assert past_it == [] and [s.starts_at for s in on_it] == [datetime(2026, 12, 7, 14, tzinfo=UTC)]  # 09:00 only
