"""Merging a patient record into another without losing anything.

Every column that refers to a patient is in `PATIENT_REFERENCES`, with how its
rows move to the surviving record. A test walks SQLModel.metadata and fails
when a foreign key to patients.id is missing here, so a table added later
(charts, documents, form submissions) cannot be forgotten; and patient references
are ON DELETE RESTRICT, so even then the database would refuse to drop the
merged record rather than silently delete what still points at it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session, col, select, update

from app.models import (
    AccessCode,
    Appointment,
    AuthSession,
    Chart,
    ChartShare,
    Document,
    DocumentShare,
    FormAssignment,
    FormSubmission,
    Patient,
    PortalAccess,
    ProfileProposal,
    ProposalStatus,
)
from app.models.types import utcnow
from app.services import audit
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.errors import Invalid
from app.services.patients.access import access_patient
from app.services.permissions import OfficeAction
from app.services.scheduling.calendar_changes import bump_calendar

# (source id, target id) → how many rows moved
Mover = Callable[[Session, int, int], int]


def _move(model: type, column: str) -> Mover:
    def move(db: Session, source_id: int, target_id: int) -> int:
        result = db.exec(update(model).where(getattr(model, column) == source_id).values({column: target_id}))
        return int(result.rowcount or 0)

    return move


def _move_proposals(db: Session, source_id: int, target_id: int) -> int:
    """The target's own pending change to a field wins over the merged record's."""
    target_pending = set(
        db.exec(
            select(ProfileProposal.field).where(
                ProfileProposal.patient_id == target_id, ProfileProposal.status == ProposalStatus.pending
            )
        )
    )
    moved = 0
    for proposal in db.exec(select(ProfileProposal).where(ProfileProposal.patient_id == source_id)).all():
        if proposal.status == ProposalStatus.pending and proposal.field in target_pending:
            db.delete(proposal)
        else:
            proposal.patient_id = target_id
            db.add(proposal)
            moved += 1
    return moved


def _move_portal_access(db: Session, source_id: int, target_id: int) -> int:
    """A family that held both records keeps one live access to the survivor."""
    moved = 0
    for access in db.exec(select(PortalAccess).where(PortalAccess.patient_id == source_id)).all():
        duplicate = db.exec(
            select(PortalAccess.id).where(
                PortalAccess.patient_id == target_id,
                PortalAccess.user_id == access.user_id,
                col(PortalAccess.revoked_at).is_(None),
            )
        ).first()
        if duplicate is not None and access.revoked_at is None:
            db.delete(access)
        else:
            access.patient_id = target_id
            db.add(access)
            moved += 1
    return moved


def _move_document_shares(db: Session, source_id: int, target_id: int) -> int:
    """A document shared with both records stays shared once, with the survivor."""
    moved = 0
    for share in db.exec(select(DocumentShare).where(DocumentShare.patient_id == source_id)).all():
        duplicate = db.exec(
            select(DocumentShare.id).where(
                DocumentShare.document_id == share.document_id,
                DocumentShare.patient_id == target_id,
                col(DocumentShare.removed_at).is_(None),
            )
        ).first()
        if duplicate is not None and share.removed_at is None:
            share.removed_at = utcnow()  # kept as history; the survivor's share stands
        share.patient_id = target_id
        db.add(share)
        moved += 1
    return moved


# (table, column) → mover. Every foreign key to patients.id must be here.
PATIENT_REFERENCES: dict[tuple[str, str], Mover] = {
    ("appointments", "patient_id"): _move(Appointment, "patient_id"),
    ("access_codes", "patient_id"): _move(AccessCode, "patient_id"),
    ("profile_proposals", "patient_id"): _move_proposals,
    ("portal_access", "patient_id"): _move_portal_access,
    ("charts", "patient_id"): _move(Chart, "patient_id"),
    # "All of this patient's charts" shares follow the patient to the surviving record.
    ("chart_shares", "patient_id"): _move(ChartShare, "patient_id"),
    # Documents in the online record's workspace (its portal uploads) and shares with it follow it.
    ("documents", "patient_id"): _move(Document, "patient_id"),
    ("document_shares", "patient_id"): _move_document_shares,
    # Forms given to the online record (its booking's form) and their submissions follow it.
    ("form_assignments", "patient_id"): _move(FormAssignment, "patient_id"),
    ("form_submissions", "patient_id"): _move(FormSubmission, "patient_id"),
    # A family member looking at the merged record in the portal now looks at the survivor.
    ("auth_sessions", "current_patient_id"): _move(AuthSession, "current_patient_id"),
}


def merge_into(db: Session, actor: Actor, source_id: object, target_id: object, now: datetime | None = None) -> Patient:
    """Fold a record created by an online booking into the patient's existing record.

    Everything that refers to the online record moves to the target (see PATIENT_REFERENCES);
    the emptied online record is removed. Both must belong to the same office."""
    source = access_patient(db, actor, source_id, OfficeAction.edit_demographics)
    target = access_patient(db, actor, target_id, OfficeAction.edit_demographics)
    if source.id == target.id or source.office_id != target.office_id:
        raise Invalid("Choose another patient of this office.", "target")
    if not source.new_online_client:
        raise Invalid("Only a record created by an online booking can be merged away.", "target")
    assert source.id is not None and target.id is not None
    moved = {table: mover(db, source.id, target.id) for (table, _column), mover in PATIENT_REFERENCES.items()}
    db.flush()
    db.delete(source)  # RESTRICT: fails loudly if anything still refers to it
    db.flush()
    bump_calendar(db, target.office_id)  # the moved appointments show the target's name
    audit.record(
        db,
        actor,
        AuditAction.patient_merged,
        office_id=target.office_id,
        patient_id=target.id,
        target_type="patient",
        target_id=source.id,
        detail={"merged": source.id, "into": target.id, "moved": {t: n for t, n in moved.items() if n}},
    )
    return target
