"""Appointments: booking, rescheduling, cancelling, arrival.

No practitioner is ever double-booked. Every write runs in one transaction
that checks for overlap and inserts; on SQLite that transaction holds the
write lock from its first statement (BEGIN IMMEDIATE, see app/db.py) and a
partial unique index backs it up; on PostgreSQL an exclusion constraint
refuses any overlap, however the two writes interleave. Whoever loses is told
kindly that the slot was just taken.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, select

from app.models import (
    Appointment,
    AppointmentStatus,
    Membership,
    OfficeRole,
    Patient,
    Service,
    ServicePractitioner,
    User,
)
from app.services import audit
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.errors import Conflict, Invalid, NotFound
from app.services.ids import optional_id, parse_id, saved_id
from app.services.permissions import OfficeAction, membership, require
from app.services.scheduling import patient_notices
from app.services.scheduling.calendar_changes import bump_calendar
from app.services.scheduling.patient_notices import Change

DEADLOCK_DETECTED = "40P01"
SLOT_TAKEN = "Sorry, that time was just taken. Please choose another."
APPOINTMENT_NOT_FOUND = "This appointment was not found."
PATIENT_NOT_FOUND = "This patient record was not found."
LIVE = (AppointmentStatus.booked, AppointmentStatus.arrived, AppointmentStatus.no_show)
STATUS_ACTIONS = {
    AppointmentStatus.booked: AuditAction.appointment_marked_booked,
    AppointmentStatus.arrived: AuditAction.appointment_arrived,
    AppointmentStatus.no_show: AuditAction.appointment_no_show,
    AppointmentStatus.cancelled: AuditAction.appointment_cancelled,
}


def _overlapping(db: Session, practitioner_id: int, starts_at: datetime, ends_at: datetime, ignore_id: int | None):
    query = select(Appointment.id).where(
        Appointment.practitioner_id == practitioner_id,
        col(Appointment.status).in_(LIVE),
        Appointment.starts_at < ends_at,
        Appointment.ends_at > starts_at,
    )
    if ignore_id is not None:
        query = query.where(Appointment.id != ignore_id)
    return db.exec(query).first()


def _practitioner_of(db: Session, office_id: int, user_id: int) -> User:
    user_id = parse_id(user_id)
    member = db.exec(select(Membership).where(Membership.office_id == office_id, Membership.user_id == user_id)).first()
    user = db.get(User, user_id)
    if member is None or member.role == OfficeRole.staff or user is None:
        raise Invalid("Choose a practitioner of this office.", "practitioner")
    return user


def _service_of(db: Session, office_id: int, service_id: int) -> Service:
    service = db.get(Service, parse_id(service_id))
    if service is None or service.office_id != office_id or not service.active:
        raise Invalid("Choose one of the office's services.", "service")
    return service


def offered_by(db: Session, service_id: int) -> tuple[int, ...]:
    """The practitioners ticked for a service (Services and working hours → Offered by)."""
    rows = db.exec(select(ServicePractitioner.user_id).where(ServicePractitioner.service_id == service_id)).all()
    return tuple(sorted(rows))


def offers(offered: Collection[int], practitioner_id: int) -> bool:
    """Whether a practitioner offers a service ticked for `offered`. Nobody ticked means everyone
    (the front desk books such a service with any practitioner; online booking needs a name)."""
    return not offered or practitioner_id in offered


def _require_offered(db: Session, service: Service, practitioner: User) -> None:
    if not offers(offered_by(db, saved_id(service)), saved_id(practitioner)):
        raise Invalid(f"{practitioner.full_name} does not offer {service.name}.", "service")


def _write(db: Session, appointment: Appointment) -> Appointment:
    """Check, insert or update, and let the database have the last word on overlaps."""
    # No autoflush: a moved appointment must not reach the database before the check (PostgreSQL
    # would refuse it right here, outside the handling below).
    with db.no_autoflush:
        taken = _overlapping(
            db, appointment.practitioner_id, appointment.starts_at, appointment.ends_at, appointment.id
        )
    if taken:
        raise Conflict(SLOT_TAKEN)
    try:
        with db.begin_nested():
            db.add(appointment)
            db.flush()
    except IntegrityError as error:
        raise Conflict(SLOT_TAKEN) from error
    except OperationalError as error:
        # Two overlapping inserts checking the exclusion constraint at once can wait on each other;
        # PostgreSQL then aborts one of them as a deadlock. For its client that is simply "taken".
        if getattr(error.orig, "sqlstate", None) != DEADLOCK_DETECTED:
            raise
        raise Conflict(SLOT_TAKEN) from error
    bump_calendar(db, appointment.office_id)
    return appointment


def create(
    db: Session,
    *,
    office_id: int,
    practitioner_id: int,
    patient_id: int,
    service_id: int,
    starts_at: datetime,
    booked_by_user_id: int | None,
    booked_online: bool,
    now: datetime,
) -> Appointment:
    """Insert an appointment after every check that does not depend on who asks: a service of the
    office, offered by a practitioner of the office, for a patient of the office."""
    service = _service_of(db, office_id, service_id)
    practitioner = _practitioner_of(db, office_id, practitioner_id)
    _require_offered(db, service, practitioner)
    patient = db.get(Patient, parse_id(patient_id))
    if patient is None or patient.office_id != office_id:
        raise Invalid("Choose a patient of this office.", "patient")
    if starts_at.tzinfo is None:
        raise Invalid("The time needs a time zone.", "starts_at")
    return _write(
        db,
        Appointment(
            office_id=office_id,
            practitioner_id=saved_id(practitioner),
            patient_id=saved_id(patient),
            service_id=service.id,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=service.duration_minutes),
            booked_online=booked_online,
            booked_by_user_id=booked_by_user_id,
            created_at=now,
        ),
    )


def book(
    db: Session,
    actor: Actor,
    office_id: int,
    *,
    practitioner_id: int,
    patient_id: int,
    service_id: int,
    starts_at: datetime,
    now: datetime | None = None,
) -> Appointment:
    """Staff book from the calendar."""
    require(db, actor, office_id, OfficeAction.manage_schedule)
    appointment = create(
        db,
        office_id=office_id,
        practitioner_id=practitioner_id,
        patient_id=patient_id,
        service_id=service_id,
        starts_at=starts_at,
        booked_by_user_id=actor.user_id,
        booked_online=False,
        now=now_or(now),
    )
    patient_notices.tell_patient(db, appointment, Change.booked, now_or(now))
    audit.record(
        db,
        actor,
        AuditAction.appointment_booked,
        office_id=office_id,
        patient_id=appointment.patient_id,
        target_type="appointment",
        target_id=appointment.id,
    )
    return appointment


def _appointment_for(db: Session, actor: Actor, appointment_id: object, action: OfficeAction) -> Appointment:
    """An appointment of an office the actor works in; another office's looks exactly like a missing one."""
    appointment = db.get(Appointment, parse_id(appointment_id, APPOINTMENT_NOT_FOUND))
    if appointment is None or membership(db, actor, appointment.office_id) is None:
        raise NotFound(APPOINTMENT_NOT_FOUND)
    require(db, actor, appointment.office_id, action)  # their own office: the role may refuse
    return appointment


def for_staff(db: Session, actor: Actor, appointment_id: int) -> Appointment:
    """One appointment, for someone who may see the office's schedule."""
    return _appointment_for(db, actor, appointment_id, OfficeAction.view_schedule)


def _staff_appointment(db: Session, actor: Actor, appointment_id: int) -> Appointment:
    return _appointment_for(db, actor, appointment_id, OfficeAction.manage_schedule)


def reschedule(
    db: Session,
    actor: Actor,
    appointment_id: int,
    *,
    starts_at: datetime,
    practitioner_id: int | None = None,
    now: datetime | None = None,
) -> Appointment:
    appointment = _staff_appointment(db, actor, appointment_id)
    if appointment.status == AppointmentStatus.cancelled:
        raise Invalid("A cancelled appointment can't be moved. Book a new one instead.")
    practitioner_id = optional_id(practitioner_id)
    if practitioner_id is not None and practitioner_id != appointment.practitioner_id:
        practitioner = _practitioner_of(db, appointment.office_id, practitioner_id)
        service = db.get(Service, appointment.service_id) if appointment.service_id else None
        if service is not None and not offers(offered_by(db, saved_id(service)), saved_id(practitioner)):
            raise Invalid(f"{practitioner.full_name} does not offer {service.name}.", "practitioner")
        appointment.practitioner_id = saved_id(practitioner)
    length, was = appointment.ends_at - appointment.starts_at, appointment.starts_at
    appointment.starts_at, appointment.ends_at = starts_at, starts_at + length
    if was != starts_at:
        appointment.sequence += 1  # the patient's calendar entry takes the new time over the old
    _write(db, appointment)
    if was != starts_at:  # a change of practitioner alone keeps the patient's time
        patient_notices.tell_patient(db, appointment, Change.moved, now_or(now), moved_from=was)
    audit.record(
        db,
        actor,
        AuditAction.appointment_rescheduled,
        office_id=appointment.office_id,
        patient_id=appointment.patient_id,
        target_type="appointment",
        target_id=appointment.id,
    )
    return appointment


def set_status(
    db: Session, actor: Actor, appointment_id: int, status: AppointmentStatus, now: datetime | None = None
) -> Appointment:
    """Mark arrived or no-show, cancel, or put back to booked."""
    appointment = _staff_appointment(db, actor, appointment_id)
    if status not in AppointmentStatus.__members__.values():
        raise Invalid("Unknown status.")
    if appointment.status == AppointmentStatus.cancelled and status != AppointmentStatus.cancelled:
        raise Invalid("A cancelled appointment stays cancelled. Book a new one instead.")
    cancelling = status == AppointmentStatus.cancelled and appointment.status != AppointmentStatus.cancelled
    appointment.status = AppointmentStatus(status)
    if cancelling:
        appointment.cancelled_at, appointment.cancelled_by_user_id = now_or(now), actor.user_id
        appointment.sequence += 1
        patient_notices.tell_patient(db, appointment, Change.cancelled, now_or(now))
    db.add(appointment)
    bump_calendar(db, appointment.office_id)
    audit.record(
        db,
        actor,
        STATUS_ACTIONS[AppointmentStatus(status)],
        office_id=appointment.office_id,
        patient_id=appointment.patient_id,
        target_type="appointment",
        target_id=appointment.id,
    )
    return appointment
