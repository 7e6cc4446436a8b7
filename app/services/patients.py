"""Patient records of an office: list and search, create, edit, and proposals from the portal.

Staff of the record's office only; another office's record looks exactly
like a missing one. Every view and change is written to the audit log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import (
    Office,
    Patient,
    ProfileProposal,
    ProposalStatus,
    User,
)
from app.services import audit
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.errors import Invalid, NotFound, PermissionDenied
from app.services.ids import parse_id
from app.services.permissions import OfficeAction, require
from app.services.validation import EMAIL_PATTERN, phone_number, required_text

PAGE_SIZE = 25
PATIENT_NOT_FOUND = "This patient record was not found."
PROPOSAL_GONE = "This change was already handled."
DATE_WORD = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")  # a birth date or its year-month
PHONE_WORD = re.compile(r"^[0-9+().\-]+$")
SEXES = ("female", "male", "intersex", "unknown")
# The demographics a patient may propose changes to from the portal, with their labels.
PROPOSABLE_FIELDS = {
    "first_name": "First name",
    "last_name": "Last name",
    "date_of_birth": "Date of birth",
    "sex": "Sex",
    "email": "E-mail",
    "phone": "Phone",
    "address": "Address",
    "emergency_contact": "Emergency contact",
}


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


@dataclass(frozen=True)
class PatientRow:
    id: int
    name: str
    date_of_birth: str
    email: str
    phone: str


@dataclass(frozen=True)
class PatientPage:
    rows: list[PatientRow]
    total: int
    page: int
    pages: int


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


def search_text(patient: Patient) -> str:
    """What the patient search matches against: names, e-mail, phone digits, date of birth (lower case).

    The one builder: every write of a patient's names or contact details stores it again."""
    digits = re.sub(r"\D", "", patient.phone)
    born = patient.date_of_birth.isoformat() if patient.date_of_birth else ""
    return f"{patient.first_name} {patient.last_name} {patient.email} {digits} {born}".lower()[:800]


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


def access_patient(
    db: Session, actor: Actor, patient_id: object, action: OfficeAction = OfficeAction.view_patients
) -> Patient:
    """The one access check for a patient record: of an office the actor works in, with the
    permission asked for. Another office's record, one the actor's role may not do this to, and a
    missing one all read the same. Not audited: the service that shows the record audits once."""
    patient = db.get(Patient, parse_id(patient_id, PATIENT_NOT_FOUND))
    if patient is None:
        raise NotFound(PATIENT_NOT_FOUND)
    try:
        require(db, actor, patient.office_id, action)
    except PermissionDenied:
        raise NotFound(PATIENT_NOT_FOUND) from None
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
    for name, value in clean_patient_input(data, office_today(db, patient.office_id, now)).items():
        setattr(patient, name, value)
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


def search_patients(
    db: Session, actor: Actor, office_id: int, query: str = "", page: int = 1, *, archived: bool = False
) -> PatientPage:
    """Name, e-mail, phone digits or date of birth (yyyy-mm-dd); every word must match.

    Archived records are left out, unless `archived` asks for them alone."""
    require(db, actor, office_id, OfficeAction.view_patients)
    archived_condition = col(Patient.archived_at).is_not(None) if archived else col(Patient.archived_at).is_(None)
    conditions = [Patient.office_id == office_id, archived_condition]
    words = (query or "").lower().split()[:8]
    looks_like_phone = any(ch.isdigit() for ch in query or "")
    for word in words:
        if looks_like_phone and word.strip(".") in ("x", "ext"):
            continue  # "ext 12": the extension's digits are searched as digits
        digits = re.sub(r"\D", "", word)
        if DATE_WORD.match(word) or not digits or not PHONE_WORD.match(word):
            conditions.append(Patient.search_text.contains(word, autoescape=True))  # type: ignore[attr-defined]
        else:
            # Phone pieces ("+1", "(416)", "555-0199") match the stored digits.
            conditions.append(Patient.search_text.contains(digits, autoescape=True))  # type: ignore[attr-defined]
    total = db.exec(select(func.count()).select_from(Patient).where(*conditions)).one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    found = db.exec(
        select(Patient)
        .where(*conditions)
        .order_by(Patient.last_name, Patient.first_name, Patient.id)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    rows = [
        PatientRow(
            p.id,
            f"{p.last_name}, {p.first_name}",
            p.date_of_birth.isoformat() if p.date_of_birth else "",  # type: ignore[arg-type]
            p.email,
            p.phone,
        )
        for p in found
    ]
    return PatientPage(rows=rows, total=total, page=page, pages=pages)


def quick_find(
    db: Session, actor: Actor, office_id: int, query: str, limit: int = 8, exclude_id: int | None = None
) -> list[PatientRow]:
    """The few best matches for a search-as-you-type picker; nothing until two characters are typed."""
    if len((query or "").strip()) < 2:
        require(db, actor, office_id, OfficeAction.view_patients)
        return []
    rows = search_patients(db, actor, office_id, query).rows
    return [row for row in rows if row.id != exclude_id][:limit]


def archive_patient(db: Session, actor: Actor, patient_id: int, now: datetime | None = None) -> Patient:
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


def restore_patient(db: Session, actor: Actor, patient_id: int) -> Patient:
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


# ---- proposals from the portal ----------------------------------------------


@dataclass(frozen=True)
class ProposalView:
    id: int
    field: str
    label: str
    official: str
    proposed: str
    proposed_by: str


def pending_proposals(db: Session, actor: Actor, patient_id: int) -> list[ProposalView]:
    patient = access_patient(db, actor, patient_id)
    official = as_input(patient)
    rows = db.exec(
        select(ProfileProposal, User.full_name)
        .outerjoin(User, User.id == ProfileProposal.proposed_by_user_id)  # type: ignore[arg-type]
        .where(ProfileProposal.patient_id == patient_id, ProfileProposal.status == ProposalStatus.pending)
        .order_by(ProfileProposal.id)
    ).all()
    order = list(PROPOSABLE_FIELDS)
    views = [
        ProposalView(
            p.id,
            p.field,
            PROPOSABLE_FIELDS.get(p.field, p.field),
            official.get(p.field, ""),
            p.value,  # type: ignore[arg-type]
            name or "",
        )
        for p, name in rows
    ]
    return sorted(views, key=lambda view: order.index(view.field) if view.field in order else 99)


def _pending(db: Session, actor: Actor, proposal_id: int, action: OfficeAction) -> tuple[ProfileProposal, Patient]:
    """A pending proposal for a record the actor may edit.

    Missing, another office's and already handled all get the same answer, and the record is
    checked before the proposal's status, so nothing about another office's proposals shows."""
    proposal = db.get(ProfileProposal, parse_id(proposal_id, PROPOSAL_GONE))
    if proposal is None:
        raise NotFound(PROPOSAL_GONE)
    try:
        patient = access_patient(db, actor, proposal.patient_id, action)
    except NotFound:
        raise NotFound(PROPOSAL_GONE) from None
    if proposal.status != ProposalStatus.pending:
        raise NotFound(PROPOSAL_GONE)
    return proposal, patient


def accept_proposal(db: Session, actor: Actor, proposal_id: int, now: datetime | None = None) -> Patient:
    """Copy one proposed field into the official record; the other fields stay as they are."""
    now = now_or(now)
    proposal, patient = _pending(db, actor, proposal_id, OfficeAction.edit_demographics)
    values = as_input(patient)
    values[proposal.field] = proposal.value
    cleaned = clean_patient_input(PatientInput(**values), office_today(db, patient.office_id, now))
    setattr(patient, proposal.field, cleaned[proposal.field])
    patient.search_text = search_text(patient)
    patient.updated_at = now
    proposal.status, proposal.decided_at, proposal.decided_by_user_id = ProposalStatus.accepted, now, actor.user_id
    db.add(patient)
    db.add(proposal)
    audit.record(
        db,
        actor,
        AuditAction.proposal_accepted,
        office_id=patient.office_id,
        patient_id=patient.id,
        target_type="profile_proposal",
        target_id=proposal.id,
        detail={"field": proposal.field},
    )
    return patient


def dismiss_proposal(db: Session, actor: Actor, proposal_id: int, now: datetime | None = None) -> None:
    now = now_or(now)
    proposal, patient = _pending(db, actor, proposal_id, OfficeAction.edit_demographics)
    proposal.status, proposal.decided_at, proposal.decided_by_user_id = ProposalStatus.dismissed, now, actor.user_id
    db.add(proposal)
    audit.record(
        db,
        actor,
        AuditAction.proposal_dismissed,
        office_id=patient.office_id,
        patient_id=patient.id,
        target_type="profile_proposal",
        target_id=proposal.id,
        detail={"field": proposal.field},
    )
