"""Practitioners' time off: absolute instants, entered as the office's local days and times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from app.models import TimeOff
from app.services import audit, local_time
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.errors import Invalid, NotFound
from app.services.ids import parse_id, saved_id
from app.services.permissions import OfficeAction, require
from app.services.scheduling.calendar_changes import bump_calendar
from app.services.scheduling.practitioners import NOT_A_PRACTITIONER
from app.services.scheduling.working_hours import may_edit_hours_of, office_time_zone

NO_TIME_OFF = "This time off was not found."
END_AFTER_START = "The end must come after the start."


def add_time_off(
    db: Session, actor: Actor, office_id: int, user_id: int, starts_at: datetime, ends_at: datetime, reason: str = ""
) -> TimeOff:
    user_id = may_edit_hours_of(db, actor, office_id, user_id)
    if ends_at <= starts_at:
        raise Invalid(END_AFTER_START, "ends_at")
    row = TimeOff(
        office_id=office_id,
        user_id=user_id,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=" ".join((reason or "").split())[:200],
    )
    db.add(row)
    db.flush()
    bump_calendar(db, office_id)
    audit.record(db, actor, AuditAction.time_off_added, office_id=office_id, target_type="user", target_id=user_id)
    return row


def add_time_off_at(
    db: Session,
    actor: Actor,
    office_id: int,
    user_id: object,
    *,
    from_day: str,
    from_clock: str,
    to_day: str,
    to_clock: str,
    reason: str = "",
) -> TimeOff:
    """Time off as the form gives it: local days and 'HH:MM' (empty: midnight) in the office's time zone."""
    require(db, actor, office_id, OfficeAction.manage_schedule)
    if not user_id:
        raise Invalid("Choose a practitioner.", "practitioner")
    zone_name = office_time_zone(db, office_id)
    starts = local_time.to_utc(from_day, from_clock or "00:00", zone_name, field="from_time", day_field="from_date")
    ends = local_time.to_utc(to_day, to_clock or "00:00", zone_name, field="to_time", day_field="to_date")
    if ends <= starts:
        raise Invalid(END_AFTER_START, "to_date")  # beside the form's "To"
    return add_time_off(db, actor, office_id, parse_id(user_id, NOT_A_PRACTITIONER), starts, ends, reason)


def remove_time_off(db: Session, actor: Actor, office_id: int, time_off_id: int) -> None:
    require(db, actor, office_id, OfficeAction.manage_schedule)  # first: the answer never depends on the id
    row = db.get(TimeOff, parse_id(time_off_id, NO_TIME_OFF))
    if row is None or row.office_id != office_id:
        raise NotFound(NO_TIME_OFF)
    may_edit_hours_of(db, actor, office_id, row.user_id)
    db.delete(row)
    bump_calendar(db, office_id)
    audit.record(
        db,
        actor,
        AuditAction.time_off_removed,
        office_id=office_id,
        target_type="user",
        target_id=row.user_id,
        detail={"starts_at": row.starts_at.isoformat(), "ends_at": row.ends_at.isoformat()},
    )


@dataclass(frozen=True)
class TimeOffView:
    id: int
    user_id: int
    starts_at: datetime
    ends_at: datetime
    reason: str


def list_time_off(db: Session, actor: Actor, office_id: int, since: datetime) -> list[TimeOffView]:
    require(db, actor, office_id, OfficeAction.view_schedule)
    rows = db.exec(
        select(TimeOff).where(TimeOff.office_id == office_id, TimeOff.ends_at > since).order_by(col(TimeOff.starts_at))
    ).all()
    return [TimeOffView(saved_id(r), r.user_id, r.starts_at, r.ends_at, r.reason) for r in rows]
