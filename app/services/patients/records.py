"""Patient records of an office: create, show, edit, archive and restore.

Staff of the record's office only; another office's record looks exactly
like a missing one (access.py). Every view and change is written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from app.models import Office, Patient
from app.services import audit
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.errors import Invalid
from app.services.patients.access import access_patient
from app.services.patients.search import search_text
from app.services.permissions import OfficeAction, require
from app.services.scheduling.calendar_changes import bump_calendar
from app.services.validation import EMAIL_PATTERN, phone_number, required_text

SEXES = ("female", "male", "intersex", "unknown")


@dataclass(frozen=True)
class PatientInput:
    first_name: str
    last_name: str
    date_of_birth: str = ""  # ISO yyyy-mm-dd, as a date input sends it
    sex: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    emergency_contact: str = ""
    notes: str = ""


def clean_date_of_birth(value: str, today: date, field: str = "date_of_birth") -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        born = date.fromisoformat(value)
    except ValueError:
        raise Invalid("Enter the date of birth as a date, for example 1984-03-09.", field) from None
    if born > today:
        raise Invalid("The date of birth can't be in the future.", field)
    if born.year < 1900:
        raise Invalid("Check the year of birth.", field)
    return born


def clean_patient_input(data: PatientInput, today: date) -> dict:
    email = (data.email or "").strip()
    if email and (len(email) > 254 or not EMAIL_PATTERN.match(email)):
        raise Invalid("Enter an e-mail address like name@example.com.", "email")
    sex = (data.sex or "").strip().lower()
    if sex and sex not in SEXES:
        raise Invalid("Choose one of the listed options.", "sex")
    return {
        "first_name": required_text(data.first_name, "first_name", "First name", 80),
        "last_name": required_text(data.last_name, "last_name", "Last name", 80),
        "date_of_birth": clean_date_of_birth(data.date_of_birth, today),
        "sex": sex,
        "email": email,
        "phone": phone_number(data.phone) if (data.phone or "").strip() else "",
        "address": " ".join((data.address or "").split())[:300],
        "emergency_contact": " ".join((data.emergency_contact or "").split())[:200],
        "notes": (data.notes or "").strip()[:4000],
    }


def office_today(db: Session, office_id: int, now: datetime) -> date:
    """Today's date where the office is: "in the future" means after today there."""
    office = db.get(Office, office_id)
    return now.astimezone(ZoneInfo(office.time_zone if office else "UTC")).date()


def full_name(patient: Patient) -> str:
    return f"{patient.first_name} {patient.last_name}"


def create_patient(
    db: Session, actor: Actor, office_id: int, data: PatientInput, now: datetime | None = None
) -> Patient:
    require(db, actor, office_id, OfficeAction.edit_demographics)
    now = now_or(now)
    patient = Patient(
        office_id=office_id,
        created_at=now,
        updated_at=now,
        **clean_patient_input(data, office_today(db, office_id, now)),
    )
    patient.search_text = search_text(patient)
    db.add(patient)
    db.flush()
    audit.record(
        db,
        actor,
        AuditAction.patient_created,
        office_id=office_id,
        patient_id=patient.id,
        target_type="patient",
        target_id=patient.id,
    )
    return patient


def get_patient(
    db: Session, actor: Actor, patient_id: int, action: OfficeAction = OfficeAction.view_patients
) -> Patient:
    """A patient record shown to the actor: checked, and audited as seen."""
    patient = access_patient(db, actor, patient_id, action)
    audit.record(
        db,
        actor,
        AuditAction.patient_viewed,
        office_id=patient.office_id,
        patient_id=patient.id,
        target_type="patient",
        target_id=patient.id,
    )
    return patient


def update_patient(
    db: Session, actor: Actor, patient_id: int, data: PatientInput, now: datetime | None = None
) -> Patient:
    patient = access_patient(db, actor, patient_id, OfficeAction.edit_demographics)
    now = now_or(now)
    named = full_name(patient)
    for name, value in clean_patient_input(data, office_today(db, patient.office_id, now)).items():
        setattr(patient, name, value)
    if full_name(patient) != named:  # the calendar shows the name on their appointments
        bump_calendar(db, patient.office_id)
    patient.search_text = search_text(patient)
    patient.updated_at = now
    db.add(patient)
    audit.record(
        db,
        actor,
        AuditAction.patient_updated,
        office_id=patient.office_id,
        patient_id=patient.id,
        target_type="patient",
        target_id=patient.id,
    )
    return patient


def archive_patient(db: Session, actor: Actor, patient_id: object, now: datetime | None = None) -> Patient:
    """Hide a record from the patient list, pickers and booking; its history stays, and it can be restored."""
    patient = access_patient(db, actor, patient_id, OfficeAction.edit_demographics)
    if patient.archived_at is not None:
        raise Invalid("This record is already archived.")
    patient.archived_at, patient.archived_by_user_id = now_or(now), actor.user_id
    db.add(patient)
    audit.record(
        db,
        actor,
        AuditAction.patient_archived,
        office_id=patient.office_id,
        patient_id=patient.id,
        target_type="patient",
        target_id=patient.id,
    )
    return patient


def restore_patient(db: Session, actor: Actor, patient_id: object) -> Patient:
    patient = access_patient(db, actor, patient_id, OfficeAction.edit_demographics)
    if patient.archived_at is None:
        raise Invalid("This record is not archived.")
    patient.archived_at, patient.archived_by_user_id = None, None
    db.add(patient)
    audit.record(
        db,
        actor,
        AuditAction.patient_restored,
        office_id=patient.office_id,
        patient_id=patient.id,
        target_type="patient",
        target_id=patient.id,
    )
    return patient


def as_input(patient: Patient) -> dict[str, str]:
    """The record's fields as text, for forms and side-by-side views."""
    values = {}
    for item in fields(PatientInput):
        value = getattr(patient, item.name)
        values[item.name] = value.isoformat() if isinstance(value, date) else (value or "")
    return values
