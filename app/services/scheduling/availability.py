"""An office's free slots for online booking.

Free slots are working hours minus live appointments and time off, within the
office's minimum notice and horizon, in the office's time zone (slots.py does the arithmetic).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from app.models import Appointment, AppointmentStatus, Office, Service, ServicePractitioner, TimeOff
from app.services import local_time
from app.services.clock import now_or
from app.services.errors import Invalid
from app.services.ids import optional_id, parse_id, saved_id
from app.services.scheduling.booking_options import booking_options
from app.services.scheduling.booking_page import booking_office
from app.services.scheduling.practitioners import practitioners
from app.services.scheduling.slots import free_slots, working_intervals
from app.services.scheduling.working_hours import weekly_hours

STEP = timedelta(minutes=15)
NO_SERVICE = "Choose one of the services offered online."


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    practitioner_id: int


def bookable_service(db: Session, office_id: int, service_id: int) -> tuple[Service, tuple[int, ...]]:
    service = db.get(Service, parse_id(service_id, NO_SERVICE))
    if service is None or service.office_id != office_id or not service.active or not service.bookable_online:
        raise Invalid(NO_SERVICE, "service")
    current = {p.user_id for p in practitioners(db, office_id)}
    offered = tuple(
        user_id
        for user_id in db.exec(select(ServicePractitioner.user_id).where(ServicePractitioner.service_id == service.id))
        if user_id in current  # someone removed from the office is never offered
    )
    return service, offered


def practitioner_free_slots(
    db: Session,
    office: Office,
    practitioner_id: int,
    duration: timedelta,
    first_day: date,
    last_day: date,
    not_before: datetime | None,
    not_after: datetime | None,
) -> list[datetime]:
    """One practitioner's free slot starts from first_day to last_day (local days, inclusive)."""
    zone = local_time.zone(office.time_zone)
    working = working_intervals(weekly_hours(db, saved_id(office), practitioner_id), first_day, last_day, zone)
    if not working:
        return []
    window_start, window_end = working[0][0], max(end for _, end in working)
    busy = [
        (start, end)
        for start, end in db.exec(
            select(Appointment.starts_at, Appointment.ends_at).where(
                Appointment.practitioner_id == practitioner_id,
                Appointment.status != AppointmentStatus.cancelled,
                Appointment.starts_at < window_end,
                Appointment.ends_at > window_start,
            )
        )
    ]
    busy += [
        (start, end)
        for start, end in db.exec(
            select(TimeOff.starts_at, TimeOff.ends_at).where(
                TimeOff.user_id == practitioner_id, TimeOff.starts_at < window_end, TimeOff.ends_at > window_start
            )
        )
    ]
    return free_slots(working, busy, duration, step=STEP, not_before=not_before, not_after=not_after)


def days_with_time(
    db: Session, office: Office, first_day: date, last_day: date, not_before: datetime, not_after: datetime
) -> set[date]:
    """The local days on which some service offered online still has a free slot with someone:
    per practitioner, the shortest service they offer (what does not fit it fits nothing longer)."""
    current = {p.user_id for p in practitioners(db, saved_id(office))}
    shortest: dict[int, int] = {}
    for user_id, minutes in db.exec(
        select(ServicePractitioner.user_id, Service.duration_minutes)
        .join(Service, col(Service.id) == ServicePractitioner.service_id)
        .where(Service.office_id == office.id, Service.active, Service.bookable_online)
    ):
        if user_id in current:
            shortest[user_id] = min(minutes, shortest.get(user_id, minutes))
    found: set[date] = set()
    for user_id, minutes in shortest.items():
        for start in practitioner_free_slots(
            db, office, user_id, timedelta(minutes=minutes), first_day, last_day, not_before, not_after
        ):
            found.add(local_time.local(start, office.time_zone).date())
    return found


def available_slots(
    db: Session,
    office_id: int,
    service_id: object,
    practitioner_id: int | None,
    day: date,
    now: datetime | None = None,
) -> list[Slot]:
    """Free slots on one local day for a service, with one practitioner or any who offers it."""
    now = now_or(now)
    office = booking_office(db, office_id)
    office_id, service_id = saved_id(office), parse_id(service_id, NO_SERVICE)
    practitioner_id = optional_id(practitioner_id)
    options = booking_options(db, office_id)
    if not options.enabled:
        return []
    service, offered = bookable_service(db, office_id, service_id)
    candidates = [practitioner_id] if practitioner_id else list(offered)
    if practitioner_id and practitioner_id not in offered:
        raise Invalid("This practitioner does not offer that service online.", "practitioner")
    not_before = now + timedelta(hours=options.min_notice_hours)
    not_after = now + timedelta(days=options.horizon_days)
    first_free: dict[datetime, int] = {}
    for candidate in candidates:
        for start in practitioner_free_slots(
            db, office, candidate, timedelta(minutes=service.duration_minutes), day, day, not_before, not_after
        ):
            first_free.setdefault(start, candidate)
    return [Slot(start, first_free[start]) for start in sorted(first_free)]
