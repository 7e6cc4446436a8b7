"""Booking online, from the public page as a portal account.

Booking re-checks the slot inside the write transaction, and the database refuses any
overlap (see appointments.py). Whom the booking is for follows the office's registration policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import Appointment, Office, Patient, RegistrationPolicy, Service, User
from app.services import audit, formatting, local_time, mail
from app.services.actor import Actor, require_patient
from app.services.audit import AuditAction
from app.services.clinic_notices import events as clinic_events
from app.services.clock import now_or
from app.services.errors import Conflict, Invalid
from app.services.forms.booking import assign_after_booking, booking_assignment
from app.services.icalendar import Method
from app.services.ids import optional_id, parse_id, saved_id
from app.services.patients.records import full_name
from app.services.patients.search import search_text
from app.services.scheduling import appointment_calendar, appointments, booking_for
from app.services.scheduling.availability import NO_SERVICE, bookable_service, practitioner_free_slots
from app.services.scheduling.booking_options import booking_options
from app.services.scheduling.booking_page import booking_office, refusal_phone
from app.services.validation import normalize_email, required_text
from app.settings import Settings


def _patient_for_booking(
    db: Session, actor: Actor, office: Office, patient_id: int | None, someone_new: tuple[str, str] | None = None
) -> Patient:
    """Whom the booking is for (booking_for.py): a record the account holds, "someone new" (a new
    record, under the registration policy), or, unasked, the one record it holds or the one with
    its e-mail."""
    held = booking_for.held_records(db, actor, office)
    if patient_id is not None:
        return booking_for.chosen_record(held, patient_id)
    if someone_new is None:
        if len(held) == 1:
            return held[0]
        # Exact comparison without case: LIKE would treat "_" and "%" in an address as wildcards.
        by_email = db.exec(
            select(Patient).where(
                Patient.office_id == office.id,
                col(Patient.archived_at).is_(None),
                func.lower(func.trim(Patient.email)) == normalize_email(actor.email),
            )
        ).all()
        if len(by_email) == 1:
            return by_email[0]
        if len(held) > 1:
            raise Invalid("Choose whom this appointment is for.", "patient")
    if booking_options(db, saved_id(office)).registration_policy == RegistrationPolicy.existing_only:
        # Never say whether the address is known: only where to call.
        raise Invalid(f"Please call the clinic to book: {refusal_phone(db, office)}.")
    user = db.get(User, actor.user_id)
    first, _, last = (user.full_name if user else actor.full_name).partition(" ")
    named = someone_new is not None and any(str(part).strip() for part in someone_new)
    if someone_new is not None and named:  # "someone new", named on the page; unnamed, it is the account holder
        first = required_text(str(someone_new[0]), "new_first_name", "First name", 80)
        last = required_text(str(someone_new[1]), "new_last_name", "Last name", 80)
    patient = Patient(
        office_id=saved_id(office),
        first_name=first or "New",
        last_name=last or "client",
        email="" if named else actor.email,
        new_online_client=True,
    )
    patient.search_text = search_text(patient)
    db.add(patient)
    db.flush()
    return patient


def book_online(
    db: Session,
    settings: Settings,
    actor: Actor,
    office_id: int,
    *,
    service_id: int,
    practitioner_id: int | None,
    starts_at: datetime,
    patient_id: int | None = None,
    someone_new: tuple[str, str] | None = None,
    now: datetime | None = None,
) -> Appointment:
    require_patient(actor)
    now = now_or(now)
    office = booking_office(db, office_id)
    office_id, service_id = saved_id(office), parse_id(service_id, NO_SERVICE)
    practitioner_id, patient_id = optional_id(practitioner_id), optional_id(patient_id)
    if not booking_options(db, office_id).enabled:
        raise Invalid(f"Online booking is closed. Please call the clinic: {refusal_phone(db, office)}.")
    local_day = local_time.local(starts_at, office.time_zone).date()
    starts_at = starts_at.astimezone(UTC)
    service, offered = bookable_service(db, office_id, service_id)
    if practitioner_id is not None and practitioner_id not in offered:
        raise Invalid("This practitioner does not offer that service online.", "practitioner")
    options = booking_options(db, office_id)
    not_before, not_after = now + timedelta(hours=options.min_notice_hours), now + timedelta(days=options.horizon_days)
    free_for = [
        candidate
        for candidate in ([practitioner_id] if practitioner_id else list(offered))
        if starts_at
        in practitioner_free_slots(
            db,
            office,
            candidate,
            timedelta(minutes=service.duration_minutes),
            local_day,
            local_day,
            not_before,
            not_after,
        )
    ]
    if not free_for:
        raise Conflict(appointments.SLOT_TAKEN)
    patient = _patient_for_booking(db, actor, office, patient_id, someone_new)
    appointment = None
    # With "any practitioner", someone else may take one of them at this very moment: try the next.
    for candidate in free_for:
        try:
            with db.begin_nested():
                appointment = appointments.create(
                    db,
                    office_id=office_id,
                    practitioner_id=candidate,
                    patient_id=saved_id(patient),
                    service_id=saved_id(service),
                    starts_at=starts_at,
                    booked_by_user_id=actor.user_id,
                    booked_online=True,
                    now=now,
                )
            break
        except Conflict:
            continue
    if appointment is None:
        raise Conflict(appointments.SLOT_TAKEN)
    form_assignment = assign_after_booking(db, actor, appointment, now)  # the service's form, if it asks for one
    practitioner = db.get(User, appointment.practitioner_id)
    when = formatting.when(appointment.starts_at, office.time_zone, year=True)
    mail.enqueue(
        db,
        actor.email,
        f"Your appointment at {office.name}: {when}",
        f"Hello {actor.full_name},\n\nYou're booked:\n\n  {service.name if service else 'Appointment'} "
        f"with {practitioner.full_name if practitioner else 'your practitioner'}\n  {when} ({office.time_zone})\n"
        f"  {office.name}, {office.address}\n\nSee or cancel it in your portal: {settings.base_url}/portal/appointments"
        f"\n\nNeed to talk to us? Call {office.phone}.",
        ics_text=appointment_calendar.for_mail(db, settings, appointment, Method.request, actor.email, now),
    )
    clinic_events.online_booking(db, appointment, now)  # the clinic hears of it as its owner chose
    audit.record(
        db,
        actor,
        AuditAction.appointment_booked_online,
        office_id=office_id,
        patient_id=patient.id,
        target_type="appointment",
        target_id=appointment.id,
        detail={"form_assignment": form_assignment} if form_assignment else None,
    )
    return appointment


@dataclass(frozen=True)
class BookingConfirmation:
    """What the page shows once booked, and the "Add to calendar" file."""

    when: str
    service: str
    practitioner: str
    patient: str  # whom it is for
    office: str
    address: str
    ics: str
    form_assignment_id: int = 0  # the form to fill in now (the service asks for one), else 0


def confirm_booking(
    db: Session,
    settings: Settings,
    actor: Actor,
    office_id: int,
    *,
    service_id: object,
    practitioner_id: object,
    starts_at: str,
    for_whom: object = "",
    new_name: tuple[str, str] = ("", ""),
    now: datetime | None = None,
) -> BookingConfirmation:
    """Book a time the page offered (its ISO instant) for whom the page says (booking_for.py:
    a held record's id, "new" with the new person's name, or "" when the page did not ask),
    and say what was booked."""
    try:
        moment = datetime.fromisoformat(starts_at) if isinstance(starts_at, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise Invalid("Choose a time again.")
    whom = booking_for.parse_whom_for(for_whom)
    appointment = book_online(
        db,
        settings,
        actor,
        office_id,
        service_id=parse_id(service_id, NO_SERVICE),
        practitioner_id=optional_id(practitioner_id),
        starts_at=moment,
        patient_id=whom if isinstance(whom, int) else None,
        someone_new=new_name if whom == booking_for.SOMEONE_NEW else None,
        now=now,
    )
    office = booking_office(db, appointment.office_id)
    service = db.get(Service, appointment.service_id) if appointment.service_id else None
    who = db.get(User, appointment.practitioner_id)
    booked = db.get(Patient, appointment.patient_id)
    assert booked is not None  # the appointment was just booked for it
    service_name, practitioner_name = service.name if service else "Appointment", who.full_name if who else ""
    return BookingConfirmation(
        when=formatting.when(appointment.starts_at, office.time_zone, year=True),
        service=service_name,
        practitioner=practitioner_name,
        patient=full_name(booked),
        office=office.name,
        address=office.address,
        ics=appointment_calendar.for_download(
            appointment, office, service_name, practitioner_name, settings.base_url, now_or(now)
        ),
        form_assignment_id=booking_assignment(db, appointment.id or 0),
    )
