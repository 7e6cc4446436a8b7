"""Schedule set-up: services (appointment types), who offers them, working hours, time off,
and the office's Online Booking Options."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, delete, select

from app.models import (
    Membership,
    Office,
    OfficeRole,
    OnlineBookingOptions,
    RegistrationPolicy,
    Service,
    ServicePractitioner,
    TimeOff,
    User,
    WorkingHours,
)
from app.services import audit, formatting, local_time
from app.services.actor import Actor
from app.services.appointments import bump_calendar
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.errors import Invalid, NotFound, PermissionDenied
from app.services.ids import is_id, parse_id
from app.services.permissions import OfficeAction, require
from app.services.slots import WeeklyInterval
from app.services.validation import phone_number, required_text

COLORS = ("teal", "blue", "violet", "pink", "orange", "amber", "grass", "cyan", "red", "gray")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NO_SERVICE = "This service was not found."
NO_TIME_OFF = "This time off was not found."
NOT_A_PRACTITIONER = "Choose a practitioner of this office."
END_AFTER_START = "The end must come after the start."


@dataclass(frozen=True)
class ServiceInput:
    name: str
    duration_minutes: int | str
    color: str = "teal"
    bookable_online: bool = True
    practitioner_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class ServiceView:
    id: int
    name: str
    duration_minutes: int
    color: str
    bookable_online: bool
    practitioner_ids: tuple[int, ...]


@dataclass(frozen=True)
class PractitionerView:
    user_id: int
    name: str


def practitioners(db: Session, office_id: int) -> list[PractitionerView]:
    """The office's practitioners (the owner included), by name: the calendar's columns."""
    rows = db.exec(
        select(User)
        .join(Membership, Membership.user_id == User.id)  # type: ignore[arg-type]
        .where(Membership.office_id == office_id, Membership.role != OfficeRole.staff)
        .order_by(User.full_name)
    ).all()
    return [PractitionerView(u.id, u.full_name) for u in rows]  # type: ignore[arg-type]


def _clean_service(db: Session, office_id: int, data: ServiceInput) -> tuple[str, int, str, list[int]]:
    name = required_text(data.name, "name", "Name", 80)
    try:
        minutes = int(str(data.duration_minutes).strip())
    except ValueError:
        raise Invalid("Enter the length in minutes, for example 30.", "duration_minutes") from None
    if not 5 <= minutes <= 480 or minutes % 5:
        raise Invalid("Use a length between 5 and 480 minutes, in steps of 5.", "duration_minutes")
    if data.color not in COLORS:
        raise Invalid("Choose one of the colours.", "color")
    allowed = {p.user_id for p in practitioners(db, office_id)}
    chosen = sorted(set(data.practitioner_ids))
    if any(p not in allowed for p in chosen):
        raise Invalid("Choose practitioners of this office.", "practitioner_ids")
    return name, minutes, data.color, chosen


def _view(db: Session, service: Service) -> ServiceView:
    offered = db.exec(select(ServicePractitioner.user_id).where(ServicePractitioner.service_id == service.id)).all()
    return ServiceView(
        service.id,
        service.name,
        service.duration_minutes,
        service.color,  # type: ignore[arg-type]
        service.bookable_online,
        tuple(sorted(offered)),
    )


def list_services(db: Session, actor: Actor, office_id: int) -> list[ServiceView]:
    require(db, actor, office_id, OfficeAction.view_schedule)
    rows = db.exec(
        select(Service).where(Service.office_id == office_id, Service.active).order_by(Service.name)  # type: ignore[arg-type]
    ).all()
    return [_view(db, s) for s in rows]


def save_service(
    db: Session, actor: Actor, office_id: int, data: ServiceInput, service_id: int | None = None
) -> Service:
    require(db, actor, office_id, OfficeAction.manage_schedule)
    name, minutes, color, chosen = _clean_service(db, office_id, data)
    if service_id is None:
        service = Service(
            office_id=office_id,
            name=name,
            duration_minutes=minutes,
            color=color,
            bookable_online=bool(data.bookable_online),
        )
    else:
        found = db.get(Service, parse_id(service_id, NO_SERVICE))
        if found is None or found.office_id != office_id or not found.active:
            raise NotFound(NO_SERVICE)
        service = found
        service.name, service.duration_minutes, service.color = name, minutes, color
        service.bookable_online = bool(data.bookable_online)
    db.add(service)
    db.flush()
    db.exec(delete(ServicePractitioner).where(ServicePractitioner.service_id == service.id))  # type: ignore[arg-type]
    db.add_all(ServicePractitioner(service_id=service.id, user_id=user_id) for user_id in chosen)  # type: ignore[arg-type]
    audit.record(db, actor, AuditAction.service_saved, office_id=office_id, target_type="service", target_id=service.id)
    return service


def retire_service(db: Session, actor: Actor, office_id: int, service_id: int) -> None:
    """Services are retired, not deleted: past appointments keep their name and colour."""
    require(db, actor, office_id, OfficeAction.manage_schedule)
    service = db.get(Service, parse_id(service_id, NO_SERVICE))
    if service is None or service.office_id != office_id:
        raise NotFound(NO_SERVICE)
    service.active = False
    db.add(service)
    audit.record(
        db, actor, AuditAction.service_retired, office_id=office_id, target_type="service", target_id=service.id
    )


def _may_edit_hours_of(db: Session, actor: Actor, office_id: int, user_id: int) -> int:
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
        .order_by(WorkingHours.weekday, WorkingHours.start_minute)
    ).all()
    return [WeeklyInterval(r.weekday, r.start_minute, r.end_minute) for r in rows]


def parse_clock(value: str, field: str) -> int:
    """A working-hours boundary: 'HH:MM', where '24:00' ends a day."""
    return local_time.parse_clock(value, field, end_of_day=True)


def set_weekly_hours(db: Session, actor: Actor, office_id: int, user_id: int, intervals: list[WeeklyInterval]) -> None:
    """Replace a practitioner's weekly hours; intervals of one day may not overlap."""
    user_id = _may_edit_hours_of(db, actor, office_id, user_id)
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
    db.exec(delete(WorkingHours).where(WorkingHours.office_id == office_id, WorkingHours.user_id == user_id))  # type: ignore[arg-type]
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


def add_time_off(
    db: Session, actor: Actor, office_id: int, user_id: int, starts_at: datetime, ends_at: datetime, reason: str = ""
) -> TimeOff:
    user_id = _may_edit_hours_of(db, actor, office_id, user_id)
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
    zone_name = _time_zone(db, office_id)
    starts = local_time.to_utc(from_day, from_clock or "00:00", zone_name, field="from_time", day_field="from_date")
    ends = local_time.to_utc(to_day, to_clock or "00:00", zone_name, field="to_time", day_field="to_date")
    if ends <= starts:
        raise Invalid(END_AFTER_START, "to_date")  # beside the form's "To"
    return add_time_off(db, actor, office_id, parse_id(user_id, NOT_A_PRACTITIONER), starts, ends, reason)


def _time_zone(db: Session, office_id: int) -> str:
    office = db.get(Office, office_id)
    return office.time_zone if office else "UTC"


def remove_time_off(db: Session, actor: Actor, office_id: int, time_off_id: int) -> None:
    require(db, actor, office_id, OfficeAction.manage_schedule)  # first: the answer never depends on the id
    row = db.get(TimeOff, parse_id(time_off_id, NO_TIME_OFF))
    if row is None or row.office_id != office_id:
        raise NotFound(NO_TIME_OFF)
    _may_edit_hours_of(db, actor, office_id, row.user_id)
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


# ---- Online Booking Options ------------------------------------------------------


@dataclass(frozen=True)
class BookingOptionsInput:
    enabled: bool
    min_notice_hours: int | str
    horizon_days: int | str
    allow_cancellation: bool
    cancellation_notice_hours: int | str
    registration_policy: str
    refusal_phone: str


def booking_options(db: Session, office_id: int) -> OnlineBookingOptions:
    """The office's options (defaults until someone saves them). Not a secret: the public page reads them."""
    return db.get(OnlineBookingOptions, office_id) or OnlineBookingOptions(office_id=office_id)


def booking_options_for_staff(db: Session, actor: Actor, office_id: int) -> OnlineBookingOptions:
    """The options as the gear menu's form shows them: only for those who may change them."""
    require(db, actor, office_id, OfficeAction.manage_schedule)
    return booking_options(db, office_id)


def _whole(value: int | str, field: str, label: str, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise Invalid(f"{label} must be a whole number.", field) from None
    if not low <= number <= high:
        raise Invalid(f"{label} must be between {low} and {high}.", field)
    return number


def save_booking_options(db: Session, actor: Actor, office_id: int, data: BookingOptionsInput) -> OnlineBookingOptions:
    require(db, actor, office_id, OfficeAction.manage_schedule)
    if data.registration_policy not in RegistrationPolicy.__members__.values():
        raise Invalid("Choose who may book online.", "registration_policy")
    options = db.get(OnlineBookingOptions, office_id) or OnlineBookingOptions(office_id=office_id)
    options.enabled = bool(data.enabled)
    options.min_notice_hours = _whole(data.min_notice_hours, "min_notice_hours", "Minimum notice", 0, 720)
    options.horizon_days = _whole(data.horizon_days, "horizon_days", "Days ahead", 1, 365)
    options.allow_cancellation = bool(data.allow_cancellation)
    options.cancellation_notice_hours = _whole(
        data.cancellation_notice_hours, "cancellation_notice_hours", "Cancellation notice", 0, 720
    )
    options.registration_policy = RegistrationPolicy(data.registration_policy)
    options.refusal_phone = phone_number(data.refusal_phone, "refusal_phone") if data.refusal_phone.strip() else ""
    db.add(options)
    audit.record(db, actor, AuditAction.booking_options_saved, office_id=office_id)
    return options


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
        select(TimeOff).where(TimeOff.office_id == office_id, TimeOff.ends_at > since).order_by(TimeOff.starts_at)
    ).all()
    return [TimeOffView(r.id, r.user_id, r.starts_at, r.ends_at, r.reason) for r in rows]  # type: ignore[arg-type]


# ---- the Services and working hours page ------------------------------------------------------


@dataclass(frozen=True)
class SetupPage:
    time_zone: str
    people: list[PractitionerView]
    hours_for: int | None  # whose weekly hours are shown: the one asked for, else the actor's own, else the first
    weekly: list[WeeklyInterval]  # their hours
    services: list[ServiceView]
    time_off: list[TimeOffView]  # everyone's, not yet over


def setup_page(
    db: Session, actor: Actor, office_id: int, hours_for: object = None, now: datetime | None = None
) -> SetupPage:
    """Everything the page shows, in one read."""
    services = list_services(db, actor, office_id)  # checks the actor may see the schedule
    people = practitioners(db, office_id)
    ids = [p.user_id for p in people]
    wanted = parse_id(hours_for) if is_id(hours_for) else None
    if wanted not in ids:
        wanted = actor.user_id if actor.user_id in ids else (ids[0] if ids else None)
    return SetupPage(
        _time_zone(db, office_id),
        people,
        wanted,
        weekly_hours(db, office_id, wanted) if wanted else [],
        services,
        list_time_off(db, actor, office_id, now_or(now)),
    )
