"""The portal's appointments: the chosen person's, and cancelling online under the office's rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.models import Appointment, AppointmentStatus, Office, PortalAccess, Service, User
from app.services import audit, formatting, mail
from app.services.actor import Actor, require_patient
from app.services.audit import AuditAction
from app.services.clinic_notices import events as clinic_events
from app.services.clock import now_or
from app.services.errors import Invalid, NotFound
from app.services.icalendar import Method
from app.services.ids import parse_id, pk, saved_id
from app.services.scheduling import appointment_calendar
from app.services.scheduling.booking_options import booking_options
from app.services.scheduling.booking_page import booking_office, refusal_phone
from app.services.scheduling.calendar_changes import bump_calendar
from app.settings import get_settings

NO_APPOINTMENT = "This appointment was not found."


@dataclass(frozen=True)
class PortalAppointment:
    id: int
    office_id: int
    office_name: str
    service_id: int | None
    service_name: str
    practitioner_id: int
    practitioner_name: str
    starts_at: datetime
    time_zone: str
    status: AppointmentStatus
    upcoming: bool
    can_cancel: bool
    group: str = "upcoming"  # "upcoming", "past" or "cancelled": the page's three groups
    book_again: bool = False  # only a past visit is booked again
    call_to_cancel: str = ""  # the clinic's phone, when an upcoming visit can't be cancelled online


def _group(appointment: Appointment, now: datetime) -> str:
    if appointment.status == AppointmentStatus.cancelled:
        return "cancelled"
    return "upcoming" if appointment.starts_at > now else "past"


@dataclass(frozen=True)
class BookingLink:
    office_id: int
    office_name: str


def booking_links(db: Session, actor: Actor) -> list[BookingLink]:
    """Where the portal offers *Book an appointment*: each office of a record the account holds."""
    require_patient(actor)
    rows = db.exec(
        select(pk(Office.id), Office.name)
        .join(PortalAccess, col(PortalAccess.office_id) == Office.id)
        .where(PortalAccess.user_id == actor.user_id, col(PortalAccess.revoked_at).is_(None))
        .distinct()
        .order_by(Office.name)
    ).all()
    return [BookingLink(office_id, name) for office_id, name in rows]


def _held_ids(db: Session, actor: Actor) -> set[int]:
    return set(
        db.exec(
            select(PortalAccess.patient_id).where(
                PortalAccess.user_id == actor.user_id,
                col(PortalAccess.revoked_at).is_(None),
            )
        )
    )


def _visible(appointment: Appointment, actor: Actor, held: set[int]) -> bool:
    """Booked online by this account: always. Booked by staff: only for a record held through a code."""
    mine = appointment.booked_online and appointment.booked_by_user_id == actor.user_id
    return mine or appointment.patient_id in held


def _cancellable(db: Session, appointment: Appointment, now: datetime) -> bool:
    options = booking_options(db, appointment.office_id)
    return (
        options.allow_cancellation
        and appointment.status == AppointmentStatus.booked
        and appointment.starts_at - now >= timedelta(hours=options.cancellation_notice_hours)
    )


def portal_appointments(
    db: Session, actor: Actor, current_patient_id: int | None, now: datetime | None = None
) -> list[PortalAppointment]:
    """The chosen person's appointments, plus any this account booked online for someone it holds no record of."""
    require_patient(actor)
    now = now_or(now)
    held = _held_ids(db, actor)
    rows = db.exec(
        select(Appointment, Office, Service.name, User.full_name)
        .join(Office, col(Office.id) == Appointment.office_id)
        .outerjoin(Service, col(Service.id) == Appointment.service_id)
        .join(User, col(User.id) == Appointment.practitioner_id)
        .where(
            (col(Appointment.patient_id).in_(held))
            | ((Appointment.booked_by_user_id == actor.user_id) & Appointment.booked_online)
        )
        .order_by(col(Appointment.starts_at))
    ).all()
    result = []
    for appointment, office, service_name, practitioner_name in rows:
        if not _visible(appointment, actor, held):
            continue
        if appointment.patient_id in held and appointment.patient_id != current_patient_id:
            continue  # another family member's: shown when the switcher chooses them
        group, can_cancel = _group(appointment, now), _cancellable(db, appointment, now)
        result.append(
            PortalAppointment(
                saved_id(appointment),
                saved_id(office),
                office.name,
                appointment.service_id,
                service_name or "Appointment",
                appointment.practitioner_id,
                practitioner_name,
                appointment.starts_at,
                office.time_zone,
                appointment.status,
                appointment.starts_at > now,
                can_cancel,
                group,
                book_again=group == "past",
                call_to_cancel=refusal_phone(db, office) if group == "upcoming" and not can_cancel else "",
            )
        )
    return result


def _confirm_cancellation(db: Session, actor: Actor, appointment: Appointment, office: Office, now: datetime) -> None:
    """The account that cancelled gets a confirmation whose .ics takes the visit out of its calendar."""
    service_name, practitioner_name = appointment_calendar.names(db, appointment)
    when = formatting.when(appointment.starts_at, office.time_zone, year=True)
    mail.enqueue(
        db,
        actor.email,
        f"Cancelled: your appointment at {office.name} on {when}",
        f"Hello {actor.full_name},\n\nYou cancelled this appointment:\n\n  {service_name} with {practitioner_name}\n"
        f"  {when} ({office.time_zone})\n  {office.name}\n\nTo book another time: {get_settings().base_url}"
        f"/book/{office.id}\nOr call us: {office.phone}\n",
        ics_text=appointment_calendar.for_mail(db, get_settings(), appointment, Method.cancel, actor.email, now),
    )


def cancel_online(db: Session, actor: Actor, appointment_id: int, now: datetime | None = None) -> Appointment:
    """Cancel from the portal; the office's rules are checked again here, whatever the page showed."""
    require_patient(actor)
    now = now_or(now)
    appointment = db.get(Appointment, parse_id(appointment_id, NO_APPOINTMENT))
    if appointment is None or not _visible(appointment, actor, _held_ids(db, actor)):
        raise NotFound(NO_APPOINTMENT)
    options = booking_options(db, appointment.office_id)
    office = booking_office(db, appointment.office_id)
    if not options.allow_cancellation:
        raise Invalid(f"This clinic doesn't take cancellations online. Please call: {refusal_phone(db, office)}.")
    if appointment.status != AppointmentStatus.booked or appointment.starts_at <= now:
        raise Invalid("This appointment can no longer be cancelled.")
    if appointment.starts_at - now < timedelta(hours=options.cancellation_notice_hours):
        raise Invalid(
            f"It's too late to cancel online (at least {options.cancellation_notice_hours} hours' notice). "
            f"Please call the clinic: {refusal_phone(db, office)}."
        )
    appointment.status = AppointmentStatus.cancelled
    appointment.cancelled_at, appointment.cancelled_by_user_id = now, actor.user_id
    appointment.sequence += 1
    db.add(appointment)
    bump_calendar(db, appointment.office_id)
    _confirm_cancellation(db, actor, appointment, office, now)
    clinic_events.online_cancellation(db, appointment, now)  # the clinic hears of it as its owner chose
    audit.record(
        db,
        actor,
        AuditAction.appointment_cancelled_online,
        office_id=appointment.office_id,
        patient_id=appointment.patient_id,
        target_type="appointment",
        target_id=appointment.id,
    )
    return appointment
