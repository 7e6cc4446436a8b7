"""The booking calendar's grid: which days and practitioners are columns, and where each
appointment sits, computed on the server so the browser only draws boxes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.models import Office, TimeOff, WorkingHours
from app.services import appointments
from app.services.actor import Actor
from app.services.errors import NotFound
from app.services.permissions import OfficeAction, require
from app.services.schedule_setup import practitioners
from app.services.slots import WeeklyInterval

MINUTE_PX = 1.2  # 72 px an hour
DEFAULT_DAY = (8 * 60, 18 * 60)


@dataclass(frozen=True)
class CalendarGrid:
    days: list[date]
    practitioners: list[tuple[int, str]]
    first_minute: int
    last_minute: int
    items: list[appointments.CalendarItem]
    time_zone: str
    version: int
    # Every practitioner of the office, shown or not (`practitioners` are the columns shown).
    everyone: list[tuple[int, str]] = field(default_factory=list)
    # Weekly working hours of each practitioner shown, and their time off that touches the days.
    hours: dict[int, list[WeeklyInterval]] = field(default_factory=dict)
    time_off: list[tuple[int, datetime, datetime]] = field(default_factory=list)


def start_of_week(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_hours_of(db: Session, office_id: int, user_ids: list[int]) -> dict[int, list[WeeklyInterval]]:
    """Everyone's weekly hours in one query (the grid is drawn on every week switch)."""
    rows = db.exec(
        select(WorkingHours.user_id, WorkingHours.weekday, WorkingHours.start_minute, WorkingHours.end_minute)
        .where(WorkingHours.office_id == office_id, WorkingHours.user_id.in_(user_ids))  # type: ignore[attr-defined]
        .order_by(WorkingHours.weekday, WorkingHours.start_minute)
    ).all()
    hours: dict[int, list[WeeklyInterval]] = {user_id: [] for user_id in user_ids}
    for user_id, weekday, start, end in rows:
        hours[user_id].append(WeeklyInterval(weekday, start, end))
    return hours


def hours_span(hours: dict[int, list[WeeklyInterval]]) -> tuple[int, int]:
    """The earliest start and latest end of anyone's working hours, and at least the default day."""
    every = [interval for intervals in hours.values() for interval in intervals]
    return (
        min([DEFAULT_DAY[0]] + [i.start_minute for i in every]),
        max([DEFAULT_DAY[1]] + [i.end_minute for i in every]),
    )


def grid(
    db: Session, actor: Actor, office_id: int, anchor: date, view: str, hidden: frozenset[int] = frozenset()
) -> CalendarGrid:
    """The days and columns to draw. `hidden` practitioners get no column (hiding everyone shows everyone)."""
    require(db, actor, office_id, OfficeAction.view_schedule)
    office = db.get(Office, office_id)
    if office is None:
        raise NotFound()
    zone = ZoneInfo(office.time_zone)
    days = [anchor] if view == "day" else [start_of_week(anchor) + timedelta(days=i) for i in range(7)]
    everyone = [(p.user_id, p.name) for p in practitioners(db, office_id)]
    people = [p for p in everyone if p[0] not in hidden] or everyone
    shown_ids = [user_id for user_id, _ in people]
    hours = weekly_hours_of(db, office_id, shown_ids)
    first, last = hours_span(hours)
    first_instant = datetime.combine(days[0], datetime.min.time(), tzinfo=zone).astimezone(UTC)
    last_instant = datetime.combine(days[-1] + timedelta(days=1), datetime.min.time(), tzinfo=zone).astimezone(UTC)
    items = appointments.week(db, actor, office_id, first_instant, last_instant, practitioner_ids=shown_ids)
    time_off = db.exec(
        select(TimeOff.user_id, TimeOff.starts_at, TimeOff.ends_at).where(
            TimeOff.office_id == office_id,
            TimeOff.user_id.in_(shown_ids),  # type: ignore[attr-defined]
            TimeOff.starts_at < last_instant,
            TimeOff.ends_at > first_instant,
        )
    ).all()
    for item in items:  # widen the day for an appointment booked outside working hours
        local = item.starts_at.astimezone(zone)
        start = local.hour * 60 + local.minute
        first = min(first, start - start % 60)
        last = max(last, min(24 * 60, start + int((item.ends_at - item.starts_at).total_seconds() // 60)))
    return CalendarGrid(
        days,
        people,
        first,
        last,
        items,
        office.time_zone,
        appointments.calendar_version(db, office_id),
        everyone,
        hours,
        [(user_id, starts, ends) for user_id, starts, ends in time_off],
    )
