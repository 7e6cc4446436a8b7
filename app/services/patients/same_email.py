"""Creating a record whose e-mail another record of the office already has: asked, not refused.

Families often share one address (a parent's on each child's record), so a second record with the
same e-mail is allowed; but the front desk is shown the record that has it first, with a way to
open it, because more often it is the same person typed in twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from app.models import Patient
from app.services.actor import Actor
from app.services.patients.records import PatientInput, create_patient, full_name
from app.services.permissions import OfficeAction, require
from app.services.validation import normalize_email


@dataclass(frozen=True)
class SameEmail:
    patient_id: int
    name: str
    email: str


@dataclass(frozen=True)
class CreateOutcome:
    created_id: int | None = None  # the new record, or None while a same-address record is asked about
    same_email: SameEmail | None = None


def record_with_email(db: Session, office_id: int, email: str) -> SameEmail | None:
    """The office's first live (not archived) record with this address, compared without case."""
    wanted = normalize_email(email)
    if not wanted:
        return None
    found = db.exec(
        select(Patient)
        .where(Patient.office_id == office_id, col(Patient.archived_at).is_(None))
        .where(func.lower(func.trim(Patient.email)) == wanted)
        .order_by(col(Patient.id))
    ).first()
    return SameEmail(found.id, full_name(found), found.email) if found is not None and found.id else None


def create_unless_email_taken(
    db: Session,
    actor: Actor,
    office_id: int,
    data: PatientInput,
    *,
    confirmed_email: str = "",
    now: datetime | None = None,
) -> CreateOutcome:
    """Create the record, unless another has its e-mail and the person has not confirmed that exact
    address yet (`confirmed_email`, from their previous try); then say which record has it."""
    require(db, actor, office_id, OfficeAction.edit_demographics)
    typed = data.email or ""
    if normalize_email(typed) != normalize_email(confirmed_email):
        existing = record_with_email(db, office_id, typed)
        if existing is not None:
            return CreateOutcome(same_email=existing)
    patient = create_patient(db, actor, office_id, data, now)
    return CreateOutcome(created_id=patient.id)
