"""Changes a patient proposes from the portal to their record's demographics, which the office
accepts into the record (one field at a time) or dismisses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from app.models import Patient, ProfileProposal, ProposalStatus, User
from app.services import audit
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.errors import NotFound
from app.services.ids import parse_id, saved_id
from app.services.patients.access import access_patient
from app.services.patients.records import PatientInput, as_input, clean_patient_input, full_name, office_today
from app.services.patients.search import search_text
from app.services.permissions import OfficeAction
from app.services.scheduling.calendar_changes import bump_calendar

PROPOSAL_GONE = "This change was already handled."
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
        .outerjoin(User, col(User.id) == ProfileProposal.proposed_by_user_id)
        .where(ProfileProposal.patient_id == patient_id, ProfileProposal.status == ProposalStatus.pending)
        .order_by(col(ProfileProposal.id))
    ).all()
    order = list(PROPOSABLE_FIELDS)
    views = [
        ProposalView(
            saved_id(p),
            p.field,
            PROPOSABLE_FIELDS.get(p.field, p.field),
            official.get(p.field, ""),
            p.value,
            name or "",
        )
        for p, name in rows
    ]
    return sorted(views, key=lambda view: order.index(view.field) if view.field in order else 99)


def _pending(db: Session, actor: Actor, proposal_id: object, action: OfficeAction) -> tuple[ProfileProposal, Patient]:
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


def accept_proposal(db: Session, actor: Actor, proposal_id: object, now: datetime | None = None) -> Patient:
    """Copy one proposed field into the official record; the other fields stay as they are."""
    now = now_or(now)
    proposal, patient = _pending(db, actor, proposal_id, OfficeAction.edit_demographics)
    values = as_input(patient)
    values[proposal.field] = proposal.value
    cleaned = clean_patient_input(PatientInput(**values), office_today(db, patient.office_id, now))
    named = full_name(patient)
    setattr(patient, proposal.field, cleaned[proposal.field])
    if full_name(patient) != named:  # the calendar shows the name on their appointments
        bump_calendar(db, patient.office_id)
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


def dismiss_proposal(db: Session, actor: Actor, proposal_id: object, now: datetime | None = None) -> None:
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
