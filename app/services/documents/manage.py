"""Renaming, deleting (with undo for a short while), and moving documents into a patient's workspace.

Only the document's own office (manage_documents) does these. Deleting is
soft: the document disappears from every list, share and route at once, and
its row, shares and bytes stay (documents are clinical records). For
UNDO_MINUTES after, the office can take the deletion back. Moving files a
document from All Documents into a patient's workspace; it is refused while
the document is shared with another patient (a workspace document is shared
only with its own patient).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.models import Document, DocumentShare
from app.models.documents import DOCUMENT_NAME_LIMIT
from app.services import audit, formatting
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.documents.access import access_document
from app.services.documents.receiving import clean_name
from app.services.documents.shares import selected
from app.services.errors import Invalid, NotFound
from app.services.ids import parse_id
from app.services.patients.access import PATIENT_NOT_FOUND, access_patient
from app.services.permissions import OfficeAction, require

UNDO_MINUTES = 10
TOO_LATE = "This can no longer be undone."


@dataclass(frozen=True)
class Deleted:
    ids: list[int]
    names: list[str]


def rename(db: Session, actor: Actor, document_id: object, name: object) -> Document:
    document = access_document(db, actor, document_id, manage=True).document
    raw = name if isinstance(name, str) else ""
    if not raw.strip():
        raise Invalid("Enter a name.", "name")
    if len(raw) > DOCUMENT_NAME_LIMIT:
        raise Invalid(f"A name can be at most {DOCUMENT_NAME_LIMIT} characters.", "name")
    new = clean_name(raw)
    if new == document.name:
        return document
    old, document.name, document.search_name = document.name, new, new.lower()
    db.add(document)
    audit.record(
        db,
        actor,
        AuditAction.document_renamed,
        office_id=document.office_id,
        patient_id=document.patient_id,
        target_type="document",
        target_id=document.id,
        detail={"from": old, "to": new},
    )
    return document


def delete(db: Session, actor: Actor, office_id: int, document_ids: object, now: datetime | None = None) -> Deleted:
    """Delete the selected documents of the office (softly; see `restore`)."""
    now = now_or(now)
    docs = selected(db, actor, office_id, document_ids)
    for document in docs:
        document.deleted_at, document.deleted_by_user_id = now, actor.user_id
        db.add(document)
        audit.record(
            db,
            actor,
            AuditAction.document_deleted,
            office_id=document.office_id,
            patient_id=document.patient_id,
            target_type="document",
            target_id=document.id,
            detail={"name": document.name},
        )
    return Deleted([d.id or 0 for d in docs], [d.name for d in docs])


def restore(db: Session, actor: Actor, office_id: int, document_ids: object, now: datetime | None = None) -> int:
    """Undo a deletion of the office's documents made less than UNDO_MINUTES ago."""
    now = now_or(now)
    require(db, actor, office_id, OfficeAction.manage_documents)
    raw = document_ids if isinstance(document_ids, list) else []
    ids = {parse_id(value, TOO_LATE) for value in raw[:201]}
    if not ids or len(ids) > 200:
        raise NotFound(TOO_LATE)
    docs = db.exec(
        select(Document).where(
            col(Document.id).in_(ids),
            Document.office_id == office_id,
            col(Document.deleted_at) >= now - timedelta(minutes=UNDO_MINUTES),
        )
    ).all()
    if len(docs) != len(ids):
        raise NotFound(TOO_LATE)
    for document in docs:
        document.deleted_at, document.deleted_by_user_id = None, None
        db.add(document)
        audit.record(
            db,
            actor,
            AuditAction.document_restored,
            office_id=document.office_id,
            patient_id=document.patient_id,
            target_type="document",
            target_id=document.id,
        )
    return len(docs)


def move_to_patient(db: Session, actor: Actor, office_id: int, document_ids: object, patient_id: object) -> str:
    """File documents of All Documents into a patient's workspace; returns the patient's name."""
    docs = selected(db, actor, office_id, document_ids)
    patient = access_patient(db, actor, patient_id, OfficeAction.manage_documents)
    if patient.office_id != office_id:
        raise NotFound(PATIENT_NOT_FOUND)
    name = formatting.full_name(patient.first_name, patient.last_name)
    if any(d.patient_id is not None for d in docs):
        raise Invalid("Only documents in All Documents can be moved into a patient's workspace.")
    others = db.exec(
        select(DocumentShare.document_id).where(
            col(DocumentShare.document_id).in_([d.id for d in docs]),
            col(DocumentShare.removed_at).is_(None),
            col(DocumentShare.patient_id).is_not(None),
            DocumentShare.patient_id != patient.id,
        )
    ).first()
    if others is not None:
        raise Invalid(
            f"A document shared with another patient cannot go into {name}'s workspace: remove that "
            "Patient Share Label first."
        )
    for document in docs:
        document.patient_id = patient.id
        db.add(document)
        audit.record(
            db,
            actor,
            AuditAction.document_moved,
            office_id=document.office_id,
            patient_id=patient.id,
            target_type="document",
            target_id=document.id,
            detail={"name": document.name},
        )
    return name
