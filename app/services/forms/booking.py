"""Online booking's forms: the office attaches one form per service (Online Booking Options), and an
online booking of that service gives the booked record that form, for the booking account to fill
in right after confirming (its submission belongs to the booked record).

Attaching is for those who set the booking options (manage_schedule), with a form they may use
(services/forms/access.py). The assignment made at booking is the booking account's own: the
portal shows it without an access code (SPEC §4: what the account did itself).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from app.models import Appointment, Form, FormAssignment, Service, ServiceBookingForm
from app.services import audit
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.errors import NotFound
from app.services.forms import access, versions
from app.services.ids import optional_id, parse_id, saved_id
from app.services.permissions import OfficeAction, require
from app.services.scheduling.service_catalog import NO_SERVICE


@dataclass(frozen=True)
class ServiceFormRow:
    service_id: int
    service_name: str
    form_id: int  # 0: no form
    form_title: str


@dataclass(frozen=True)
class BookingForms:
    services: list[ServiceFormRow]  # the services booked online
    forms: list[tuple[int, str]]  # the forms the actor may attach: (id, title)


def booking_forms(db: Session, actor: Actor, office_id: object) -> BookingForms:
    """The Online Booking Options' forms: each online service with its form, and the forms to choose."""
    office = parse_id(office_id, NO_SERVICE)
    require(db, actor, office, OfficeAction.manage_schedule)
    rows = db.exec(
        select(Service, ServiceBookingForm, Form)
        .outerjoin(ServiceBookingForm, col(ServiceBookingForm.service_id) == Service.id)
        .outerjoin(Form, col(Form.id) == ServiceBookingForm.form_id)
        .where(Service.office_id == office, col(Service.active).is_(True), col(Service.bookable_online).is_(True))
        .order_by(Service.name)
    ).all()
    services = [
        ServiceFormRow(saved_id(service), service.name, saved_id(form) if form else 0, form.title if form else "")
        for service, _, form in rows
    ]
    forms = db.exec(select(Form.id, Form.title).where(access.usable_forms(db, actor)).order_by(Form.title)).all()
    return BookingForms(services, [(form_id or 0, title) for form_id, title in forms])


def set_booking_form(
    db: Session, actor: Actor, office_id: object, service_id: object, form_id: object, now: datetime | None = None
) -> None:
    """Attach a form to a service's online booking ("" or None: no form)."""
    now = now_or(now)
    office = parse_id(office_id, NO_SERVICE)
    require(db, actor, office, OfficeAction.manage_schedule)
    service = db.get(Service, parse_id(service_id, NO_SERVICE))
    if service is None or service.office_id != office:
        raise NotFound(NO_SERVICE)
    wanted = optional_id(form_id, access.FORM_NOT_FOUND)
    current = db.get(ServiceBookingForm, service.id)
    if wanted is None:
        if current is not None:
            db.delete(current)
    else:
        form = access.access_form(db, actor, wanted).form
        current = current or ServiceBookingForm(service_id=saved_id(service), office_id=office, form_id=saved_id(form))
        current.form_id, current.set_by_user_id, current.set_at = saved_id(form), actor.user_id, now
        db.add(current)
    audit.record(
        db,
        actor,
        AuditAction.form_booking_form_set,
        office_id=office,
        target_type="service",
        target_id=service.id,
        detail={"form": wanted},
        at=now,
    )


def assign_after_booking(db: Session, actor: Actor, appointment: Appointment, now: datetime | None = None) -> int:
    """Called by an online booking: the service's form for the booked record, the booking account's
    to fill in. Returns the assignment's id (0: the service asks for no form)."""
    if appointment.service_id is None:
        return 0
    attached = db.get(ServiceBookingForm, appointment.service_id)
    if attached is None:
        return 0
    now = now_or(now)
    head = versions.head_version(db, attached.form_id)
    assignment = FormAssignment(
        office_id=appointment.office_id,
        patient_id=appointment.patient_id,
        form_id=attached.form_id,
        version_id=saved_id(head),
        portal_user_id=actor.user_id,
        appointment_id=appointment.id,
        created_at=now,
        updated_at=now,
    )
    db.add(assignment)
    db.flush()
    return assignment.id or 0


def booking_assignment(db: Session, appointment_id: int) -> int:
    """The form an online booking gave its account to fill in (0: none)."""
    found = db.exec(select(FormAssignment.id).where(FormAssignment.appointment_id == appointment_id)).first()
    return found or 0
