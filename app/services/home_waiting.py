"""What waits for the team on Home: profile changes proposed from the portal, patients' uploads
nobody of the team has opened yet, and submitted forms not yet reviewed (services/home.py).

Each list asks the rule its own area uses, never a looser one: the office's records
(`view_patients`), as the client workspace shows them; documents the one document rule
(documents/access.py) lets the actor open; assignments the one forms rule (forms/access.py) lets
the actor read. A role without the permission gets an empty list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from app.models import (
    AssignmentStatus,
    AuditEntry,
    Document,
    DocumentOrigin,
    Form,
    FormAssignment,
    FormSubmission,
    Membership,
    Office,
    Patient,
    ProfileProposal,
    ProposalStatus,
)
from app.services import formatting
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.documents.access import visible_to
from app.services.forms.access import visible_assignments
from app.services.patients.proposals import PROPOSABLE_FIELDS
from app.services.permissions import OfficeAction, can

SHOWN = 8  # each list shows this many, oldest first, and counts the rest
OPENED = (AuditAction.document_viewed.value, AuditAction.document_downloaded.value)


@dataclass(frozen=True)
class Waiting:
    """One thing waiting for the team: about whom, what, since when, and where it is handled."""

    id: int
    patient_id: int
    patient_name: str
    what: str
    since: str  # "Tue 24 Nov, 09:30"
    href: str


@dataclass(frozen=True)
class WaitingList:
    items: list[Waiting] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return max(self.total - len(self.items), 0)


def _zone(db: Session, office_id: int) -> str:
    office = db.get(Office, office_id)
    return office.time_zone if office else "UTC"


def pending_proposals(db: Session, actor: Actor, office_id: int) -> WaitingList:
    """Records with profile changes proposed from the portal, one entry per record, oldest first."""
    if not can(db, actor, office_id, OfficeAction.view_patients):
        return WaitingList()
    zone = _zone(db, office_id)
    rows = db.exec(
        Select(
            col(ProfileProposal.patient_id),
            col(Patient.first_name),
            col(Patient.last_name),
            col(ProfileProposal.field),
            col(ProfileProposal.created_at),
        )
        .join(Patient, col(Patient.id) == ProfileProposal.patient_id)
        .where(
            ProfileProposal.office_id == office_id,
            Patient.office_id == office_id,
            ProfileProposal.status == ProposalStatus.pending,
        )
        .order_by(col(ProfileProposal.created_at), col(ProfileProposal.id))
    ).all()
    names: dict[int, str] = {}
    fields: dict[int, list[str]] = {}
    since: dict[int, datetime] = {}
    for patient_id, first_name, last_name, proposed, at in rows:
        names.setdefault(patient_id, formatting.full_name(first_name, last_name))
        since.setdefault(patient_id, at)
        label = PROPOSABLE_FIELDS.get(str(proposed)) or str(proposed)
        if label not in fields.setdefault(patient_id, []):
            fields[patient_id].append(label)
    items = [
        Waiting(
            patient_id,
            patient_id,
            name,
            "Changes to " + ", ".join(fields[patient_id]).lower(),
            formatting.when(since[patient_id], zone),
            f"/clinic/patients/{patient_id}",
        )
        for patient_id, name in names.items()
    ]
    return WaitingList(items[:SHOWN], len(items))


def _opened_by_the_team() -> Any:
    """EXISTS: a member of the document's office previewed or downloaded it (the audit log says so)."""
    return exists(
        sa_select(col(AuditEntry.id)).where(
            col(AuditEntry.patient_id) == Document.patient_id,
            col(AuditEntry.target_type) == "document",
            col(AuditEntry.target_id) == Document.id,
            col(AuditEntry.action).in_(OPENED),
            col(AuditEntry.actor_user_id).in_(
                sa_select(col(Membership.user_id)).where(col(Membership.office_id) == Document.office_id)
            ),
        )
    )


def new_uploads(db: Session, actor: Actor, office_id: int) -> WaitingList:
    """Files patients sent from the portal that nobody of the team has opened yet, oldest first."""
    if not can(db, actor, office_id, OfficeAction.manage_documents):
        return WaitingList()
    zone = _zone(db, office_id)
    where = and_(
        col(Document.office_id) == office_id,
        col(Document.origin) == DocumentOrigin.patient,
        col(Document.patient_id).is_not(None),
        visible_to(db, actor),
        ~_opened_by_the_team(),
    )
    total = db.exec(select(func.count()).select_from(Document).where(where)).one()
    rows = db.exec(
        select(Document, Patient.first_name, Patient.last_name)
        .join(Patient, col(Patient.id) == Document.patient_id)
        .where(where)
        .order_by(col(Document.uploaded_at), col(Document.id))
        .limit(SHOWN)
    ).all()
    items = [
        Waiting(
            d.id or 0,
            d.patient_id or 0,
            formatting.full_name(first_name, last_name),
            d.name,
            formatting.when(d.uploaded_at, zone),
            f"/clinic/patients/{d.patient_id}?tab=documents",
        )
        for d, first_name, last_name in rows
    ]
    return WaitingList(items, total)


def unreviewed_submissions(db: Session, actor: Actor, office_id: int) -> WaitingList:
    """Forms this office's patients submitted that nobody has marked reviewed, oldest first."""
    if not can(db, actor, office_id, OfficeAction.administer_forms):
        return WaitingList()
    zone = _zone(db, office_id)
    where = and_(
        col(FormSubmission.office_id) == office_id,
        col(FormSubmission.reviewed_at).is_(None),
        col(FormAssignment.status) == AssignmentStatus.submitted,
        visible_assignments(db, actor),
    )
    total = db.exec(
        select(func.count())
        .select_from(FormSubmission)
        .join(FormAssignment, col(FormAssignment.id) == FormSubmission.assignment_id)
        .where(where)
    ).one()
    rows = db.exec(
        select(FormSubmission, Form.title, Patient.first_name, Patient.last_name)
        .join(FormAssignment, col(FormAssignment.id) == FormSubmission.assignment_id)
        .join(Form, col(Form.id) == FormSubmission.form_id)
        .join(Patient, col(Patient.id) == FormSubmission.patient_id)
        .where(where)
        .order_by(col(FormSubmission.submitted_at), col(FormSubmission.id))
        .limit(SHOWN)
    ).all()
    items = [
        Waiting(
            s.id or 0,
            s.patient_id,
            formatting.full_name(first_name, last_name),
            title,
            formatting.when(s.submitted_at, zone),
            f"/clinic/form-submissions/{s.id}",
        )
        for s, title, first_name, last_name in rows
    ]
    return WaitingList(items, total)
