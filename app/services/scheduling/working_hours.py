"""Practitioners' weekly working hours: wall-clock intervals in the office's time zone.

Practitioners keep their own hours; the owner and the front desk keep everyone's."""

from __future__ import annotations

import itertools

from sqlmodel import Session, col, delete, select

from app.models import Office, OfficeRole, WorkingHours
from app.services import audit, formatting, local_time
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.errors import Invalid, PermissionDenied
from app.services.ids import parse_id
from app.services.permissions import OfficeAction, require
from app.services.scheduling.calendar_changes import bump_calendar
from app.services.scheduling.practitioners import NOT_A_PRACTITIONER, practitioners
from app.services.scheduling.slots import WeeklyInterval

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def may_edit_hours_of(db: Session, actor: Actor, office_id: int, user_id: int) -> int:
    """Practitioners keep their own hours; the owner and the front desk keep everyone's. Returns the user id."""
    member = require(db, actor, office_id, OfficeAction.manage_schedule)
    user_id = parse_id(user_id, NOT_A_PRACTITIONER)
    if user_id not in {p.user_id for p in practitioners(db, office_id)}:
        raise Invalid(NOT_A_PRACTITIONER, "practitioner")
    if member.role == OfficeRole.practitioner and user_id != actor.user_id:
        raise PermissionDenied("Practitioners set their own working hours.")
    return user_id


def weekly_hours(db: Session, office_id: int, user_id: int) -> list[WeeklyInterval]:
    rows = db.exec(
        select(WorkingHours)
        .where(WorkingHours.office_id == office_id, WorkingHours.user_id == user_id)
        .order_by(col(WorkingHours.weekday), col(WorkingHours.start_minute))
    ).all()
    return [WeeklyInterval(r.weekday, r.start_minute, r.end_minute) for r in rows]


def parse_clock(value: str, field: str) -> int:
    """A working-hours boundary: 'HH:MM', where '24:00' ends a day."""
    return local_time.parse_clock(value, field, end_of_day=True)


def set_weekly_hours(db: Session, actor: Actor, office_id: int, user_id: int, intervals: list[WeeklyInterval]) -> None:
    """Replace a practitioner's weekly hours; intervals of one day may not overlap."""
    user_id = may_edit_hours_of(db, actor, office_id, user_id)
    by_day: dict[int, list[WeeklyInterval]] = {}
    for interval in intervals:
        if not 0 <= interval.weekday <= 6:
            raise Invalid("Unknown weekday.", "weekday")
        if not 0 <= interval.start_minute < interval.end_minute <= 24 * 60:
            raise Invalid(
                f"On {WEEKDAYS[interval.weekday]}, the end must come after the start.", f"day-{interval.weekday}"
            )
        by_day.setdefault(interval.weekday, []).append(interval)
    for day, day_intervals in by_day.items():
        ordered = sorted(day_intervals, key=lambda i: i.start_minute)
        for earlier, later in itertools.pairwise(ordered):
            if later.start_minute < earlier.end_minute:
                raise Invalid(f"On {WEEKDAYS[day]}, two working periods overlap.", f"day-{day}")
    db.exec(delete(WorkingHours).where(col(WorkingHours.office_id) == office_id, col(WorkingHours.user_id) == user_id))
    db.add_all(
        WorkingHours(
            office_id=office_id,
            user_id=user_id,
            weekday=i.weekday,
            start_minute=i.start_minute,
            end_minute=i.end_minute,
        )
        for i in intervals
    )
    bump_calendar(db, office_id)
    audit.record(db, actor, AuditAction.hours_set, office_id=office_id, target_type="user", target_id=user_id)


def parse_day_hours(text: str, weekday: int) -> list[WeeklyInterval]:
    """'09:00-12:00, 13:00-17:00' → intervals for that weekday; empty means not working."""
    field = f"day-{weekday}"
    intervals = []
    for part in (text or "").replace("–", "-").split(","):
        part = part.strip()
        if not part:
            continue
        if part.count("-") != 1:
            raise Invalid(f"Write {WEEKDAYS[weekday]}'s hours like 09:00-12:00, 13:00-17:00.", field)
        start, end = (parse_clock(piece, field) for piece in part.split("-"))
        intervals.append(WeeklyInterval(weekday, start, end))
    return intervals


def format_day_hours(intervals: list[WeeklyInterval], weekday: int) -> str:
    clock = formatting.minute_clock
    return ", ".join(f"{clock(i.start_minute)}-{clock(i.end_minute)}" for i in intervals if i.weekday == weekday)


def office_time_zone(db: Session, office_id: int) -> str:
    office = db.get(Office, office_id)
    return office.time_zone if office else "UTC"
