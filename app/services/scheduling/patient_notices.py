"""Telling the patient when the clinic books, moves or cancels their visit, and the day-before
reminder (issue 14 item 6).

Mail goes to the record's own e-mail address or, when it has none, to the portal account that
booked the visit online; a record with neither hears nothing. Only visits still ahead are worth
a mail: a visit entered after the fact, or a past one tidied up, is not announced. The message is
queued in the action's transaction (services/mail.py), so it exists only if the change happened.
Each carries the visit as an .ics (appointment_calendar.py): REQUEST adds or updates it in the
patient's calendar, CANCEL takes it out.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Session

from app.models import AccountKind, Appointment, Office, Patient, User
from app.services import formatting, mail
from app.services.icalendar import Method
from app.services.scheduling import appointment_calendar
from app.settings import get_settings


class Change(StrEnum):
    booked = "booked"
    moved = "moved"
    cancelled = "cancelled"
    reminder = "reminder"  # the day before (reminders.py)


SUBJECTS = {
    Change.booked: "Your appointment at {office}: {when}",
    Change.moved: "Your appointment at {office} has moved to {when}",
    Change.cancelled: "Your appointment at {office} on {when} is cancelled",
    Change.reminder: "Reminder: your appointment at {office} tomorrow, {when}",
}


def recipient(db: Session, appointment: Appointment, patient: Patient) -> str:
    if patient.email:
        return patient.email
    booker = db.get(User, appointment.booked_by_user_id) if appointment.booked_by_user_id else None
    return booker.email if booker is not None and booker.kind == AccountKind.patient else ""


def _body(change: Change, appointment: Appointment, patient: Patient, office: Office, what: str, was: str) -> str:
    zone = office.time_zone
    when = formatting.when(appointment.starts_at, zone, year=True)
    hello = f"Hello {patient.first_name},\n\n"
    if change == Change.cancelled:
        lines = f"{office.name} has cancelled your appointment:\n\n  {what}\n  {when} ({zone})\n\n"
        closing = f"To book another time, call {office.phone} or book online in your portal"
    elif change == Change.reminder:
        lines = f"A reminder of your appointment tomorrow:\n\n  {what}\n  {when} ({zone})\n  {office.address}\n\n"
        closing = f"Can't make it? Please call {office.phone}, or see it in your portal"
    else:
        opening = "has booked an appointment for you" if change == Change.booked else "has moved your appointment"
        moved_from = f"  (was {was})\n" if was else ""
        lines = f"{office.name} {opening}:\n\n  {what}\n  {when} ({zone})\n{moved_from}  {office.address}\n\n"
        closing = f"Can't make it? Call {office.phone}, or see it in your portal"
    return f"{hello}{lines}{closing}: {get_settings().base_url}/portal/appointments\n"


def tell_patient(
    db: Session, appointment: Appointment, change: Change, now: datetime, moved_from: datetime | None = None
) -> str:
    """Queue the mail for this change, with the visit's .ics; returns the address told, or "" when
    nobody is (no address, or the visit is past)."""
    if appointment.starts_at <= now:
        return ""
    patient = db.get(Patient, appointment.patient_id)
    office = db.get(Office, appointment.office_id)
    if patient is None or office is None:
        return ""
    to_address = recipient(db, appointment, patient)
    if not to_address:
        return ""
    service_name, practitioner_name = appointment_calendar.names(db, appointment)
    what = f"{service_name} with {practitioner_name}"
    was = formatting.when(moved_from, office.time_zone, year=True) if moved_from is not None else ""
    when = formatting.when(appointment.starts_at, office.time_zone, year=True)
    subject = SUBJECTS[change].format(office=office.name, when=when)
    method = Method.cancel if change == Change.cancelled else Method.request
    ics = appointment_calendar.for_mail(db, get_settings(), appointment, method, to_address, now)
    mail.enqueue(db, to_address, subject, _body(change, appointment, patient, office, what, was), ics_text=ics)
    return to_address
