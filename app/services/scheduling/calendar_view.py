"""The booking calendar's grid: which days and practitioners are columns, and where each
appointment sits, computed on the server so the browser only draws boxes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from app.models import Appointment, AppointmentStatus, Office, TimeOff, WorkingHours
from app.services import local_time
from app.services.actor import Actor
from app.services.clock import now_or
from app.services.errors import Invalid, NotFound
from app.services.ids import optional_id, parse_id, saved_id
from app.services.permissions import OfficeAction, require
from app.services.scheduling import appointments
from app.services.scheduling.appointment_lists import CalendarItem, week
from app.services.scheduling.calendar_changes import calendar_version
from app.services.scheduling.practitioners import NOT_A_PRACTITIONER, practitioners
from app.services.scheduling.service_catalog import NO_SERVICE, list_services
from app.services.scheduling.slots import WeeklyInterval

MINUTE_PX = 1.6  # 96 px an hour: a quarter-hour cell of the day view is 24 px, the smallest target WCAG 2.2 allows
DEFAULT_DAY = (8 * 60, 18 * 60)


@dataclass(frozen=True)
class CalendarGrid:
    days: list[date]
    practitioners: list[tuple[int, str]]
    first_minute: int
    last_minute: int
    items: list[CalendarItem]
    time_zone: str
    version: int
    # Every practitioner of the office, shown or not (`practitioners` are the columns shown).
    everyone: list[tuple[int, str]] = field(default_factory=list)
    # Weekly working hours of each practitioner shown, and their time off that touches the days.
    hours: dict[int, list[WeeklyInterval]] = field(default_factory=dict)
    time_off: list[tuple[int, datetime, datetime]] = field(default_factory=list)
    today: date | None = None  # the office's today, highlighted when it is shown


def start_of_week(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_hours_of(db: Session, office_id: int, user_ids: list[int]) -> dict[int, list[WeeklyInterval]]:
    """Everyone's weekly hours in one query (the grid is drawn on every week switch)."""
    rows = db.exec(
        select(WorkingHours.user_id, WorkingHours.weekday, WorkingHours.start_minute, WorkingHours.end_minute)
        .where(WorkingHours.office_id == office_id, col(WorkingHours.user_id).in_(user_ids))
        .order_by(col(WorkingHours.weekday), col(WorkingHours.start_minute))
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
    db: Session,
    actor: Actor,
    office_id: int,
    anchor: date | None,
    view: str,
    hidden: frozenset[int] = frozenset(),
    now: datetime | None = None,
) -> CalendarGrid:
    """The days and columns to draw: the day or week of `anchor` (None: the office's today).
    `hidden` practitioners get no column (hiding everyone shows everyone)."""
    require(db, actor, office_id, OfficeAction.view_schedule)
    # The version first: a change committed while the week is read (PostgreSQL reads each query
    # afresh) then shows as a newer version, so the page redraws once more instead of never.
    version = calendar_version(db, office_id)
    office = _office(db, office_id)
    zone = local_time.zone(office.time_zone)
    today = local_time.today(office.time_zone, now_or(now))
    anchor = today if anchor is None else anchor
    days = [anchor] if view == "day" else [start_of_week(anchor) + timedelta(days=i) for i in range(7)]
    everyone = [(p.user_id, p.name) for p in practitioners(db, office_id)]
    people = [p for p in everyone if p[0] not in hidden] or everyone
    shown_ids = [user_id for user_id, _ in people]
    hours = weekly_hours_of(db, office_id, shown_ids)
    first, last = hours_span(hours)
    first_instant = local_time.local_instant(days[0], 0, zone)
    last_instant = local_time.local_instant(days[-1] + timedelta(days=1), 0, zone)
    items = week(db, actor, office_id, first_instant, last_instant, practitioner_ids=shown_ids)
    time_off = db.exec(
        select(TimeOff.user_id, TimeOff.starts_at, TimeOff.ends_at).where(
            TimeOff.office_id == office_id,
            col(TimeOff.user_id).in_(shown_ids),
            TimeOff.starts_at < last_instant,
            TimeOff.ends_at > first_instant,
        )
    ).all()
    # Widen the day for an appointment booked outside working hours: by its start and its longest
    # length (a busy week's appointments share a few hundred starts).
    longest: dict[datetime, timedelta] = {}
    for item in items:
        length = item.ends_at - item.starts_at
        longest[item.starts_at] = max(length, longest.get(item.starts_at, length))
    for starts_at, length in longest.items():
        local = starts_at.astimezone(zone)
        start = local.hour * 60 + local.minute
        first = min(first, start - start % 60)
        last = max(last, min(24 * 60, start + int(length.total_seconds() // 60)))
    return CalendarGrid(
        days,
        people,
        first,
        last,
        items,
        office.time_zone,
        version,
        everyone,
        hours,
        [(user_id, starts, ends) for user_id, starts, ends in time_off],
        today,
    )


# ---- what the calendar's dialogs do ---------------------------------------------------------

FIND_PATIENT_FIRST = "Find the patient first, or create them from Patients."


@dataclass(frozen=True)
class BookableService:
    id: int
    name: str
    duration_minutes: int


def services_for(db: Session, actor: Actor, office_id: int, practitioner_id: object) -> list[BookableService]:
    """The services a practitioner of the office offers: what the booking dialog lists for their column."""
    require(db, actor, office_id, OfficeAction.view_schedule)
    practitioner_id = parse_id(practitioner_id, NOT_A_PRACTITIONER)
    if practitioner_id not in {p.user_id for p in practitioners(db, office_id)}:
        raise NotFound(NOT_A_PRACTITIONER)
    return [
        BookableService(s.id, s.name, s.duration_minutes)
        for s in list_services(db, actor, office_id)
        if appointments.offers(s.practitioner_ids, practitioner_id)
    ]


def book(
    db: Session,
    actor: Actor,
    office_id: int,
    *,
    practitioner_id: object,
    patient_id: object,
    service_id: object,
    day: date | str,
    clock: str,
    now: datetime | None = None,
) -> Appointment:
    """Book from a calendar cell: a local day and 'HH:MM' in the office's time zone."""
    require(db, actor, office_id, OfficeAction.manage_schedule)
    if not patient_id:
        raise Invalid(FIND_PATIENT_FIRST, "patient")
    starts_at = local_time.to_utc(day, clock, _office(db, office_id).time_zone, field="time")
    if not service_id:
        raise Invalid("Choose a service.", "service")
    return appointments.book(
        db,
        actor,
        office_id,
        practitioner_id=parse_id(practitioner_id, NOT_A_PRACTITIONER),
        patient_id=parse_id(patient_id, appointments.PATIENT_NOT_FOUND),
        service_id=parse_id(service_id, NO_SERVICE),
        starts_at=starts_at,
        now=now,
    )


def reschedule(
    db: Session, actor: Actor, appointment_id: object, *, day: date | str, clock: str, practitioner_id: object = None
) -> Appointment:
    """Move an appointment to a local day and 'HH:MM' in its office's time zone (and maybe to another practitioner)."""
    appointment = appointments.for_staff(db, actor, parse_id(appointment_id, appointments.APPOINTMENT_NOT_FOUND))
    zone_name = _office(db, appointment.office_id).time_zone
    starts_at = local_time.to_utc(day, clock, zone_name, field="time", day_field="date")
    return appointments.reschedule(
        db,
        actor,
        saved_id(appointment),
        starts_at=starts_at,
        practitioner_id=optional_id(practitioner_id, NOT_A_PRACTITIONER),
    )


@dataclass(frozen=True)
class AppointmentDetail:
    id: int
    patient_id: int
    booked_online: bool
    practitioners: list[tuple[int, str]]  # who may take it over: they offer its service


def appointment_detail(db: Session, actor: Actor, appointment_id: object) -> AppointmentDetail:
    """What the appointment dialog needs beyond the grid's row."""
    appointment = appointments.for_staff(db, actor, parse_id(appointment_id, appointments.APPOINTMENT_NOT_FOUND))
    offered = appointments.offered_by(db, appointment.service_id) if appointment.service_id else ()
    return AppointmentDetail(
        saved_id(appointment),
        appointment.patient_id,
        appointment.booked_online,
        [
            (p.user_id, p.name)
            for p in practitioners(db, appointment.office_id)
            if p.user_id == appointment.practitioner_id or appointments.offers(offered, p.user_id)
        ],
    )


def _office(db: Session, office_id: int) -> Office:
    office = db.get(Office, office_id)
    if office is None:
        raise NotFound()
    return office


def shifted(anchor: str, view: str, steps: object) -> str:
    """The calendar's anchor (ISO) one day or week back (-1) or on (1); anything else stays put.
    No anchor yet means today, and stays so."""
    direction = {-1: -1, 1: 1, "-1": -1, "1": 1}.get(steps, 0) if isinstance(steps, int | str) else 0
    if not anchor or not direction:
        return anchor
    day = local_time.parse_day(anchor)
    return (day + timedelta(days=direction * (1 if view == "day" else 7))).isoformat()


def set_status(db: Session, actor: Actor, appointment_id: object, status: str) -> Appointment:
    """Mark arrived or no-show, cancel, or put back to booked, from the appointment dialog."""
    if status not in AppointmentStatus.__members__.values():
        raise Invalid("Unknown status.")
    return appointments.set_status(
        db, actor, parse_id(appointment_id, appointments.APPOINTMENT_NOT_FOUND), AppointmentStatus(status)
    )
