"""Where an upload may go, and recording it once its bytes are stored.

The upload route asks `upload_target` before it reads a byte of the body, and
`record_upload` asks again when the file has arrived (a removal during a long
upload still bites). Clinic people upload to their office's All Documents or
to a patient's workspace (manage_documents); a portal account uploads for the
record it has chosen, or, holding none, for its online client record
(portal.py). Staff see patient uploads in that patient's Documents, marked
"From the patient".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.models import Document, DocumentOrigin
from app.services import audit
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.documents.access import DOCUMENT_NOT_FOUND
from app.services.documents.derivatives import Derived
from app.services.documents.filetypes import FileType
from app.services.documents.receiving import Received, clean_name
from app.services.errors import Invalid, NotFound, PermissionDenied
from app.services.ids import parse_id
from app.services.patients.access import PATIENT_NOT_FOUND, access_patient
from app.services.permissions import OfficeAction, require

OFFICE_NOT_FOUND = "This office was not found."
PORTAL_TYPES = "From the portal you can send photos (JPEG, PNG, HEIC, GIF, WebP) and PDFs."


@dataclass(frozen=True)
class UploadTarget:
    office_id: int
    patient_id: int | None  # None: the office's All Documents
    origin: DocumentOrigin


def upload_target(db: Session, actor: Actor, office: object = None, patient: object = None) -> UploadTarget:
    """Where the actor may upload: refused (NotFound) for an office or a record that is not theirs."""
    if actor.is_patient:
        from app.services.documents.portal import portal_upload_target

        return portal_upload_target(db, actor, patient)
    office_id = parse_id(office, OFFICE_NOT_FOUND)
    try:
        require(db, actor, office_id, OfficeAction.manage_documents)
    except PermissionDenied as refused:
        if type(refused) is PermissionDenied:  # TwoFactorRequired says what to do: it stays
            raise NotFound(OFFICE_NOT_FOUND) from None
        raise
    if patient is None or patient == "":
        return UploadTarget(office_id, None, DocumentOrigin.clinic)
    record = access_patient(db, actor, patient, OfficeAction.manage_documents)
    if record.office_id != office_id:
        raise NotFound(PATIENT_NOT_FOUND)
    return UploadTarget(office_id, record.id, DocumentOrigin.clinic)


def refusal_for(target: UploadTarget, file_type: FileType) -> str:
    """Why this kind of file may not go there ("" when it may): patients send photos and PDFs only."""
    if target.origin == DocumentOrigin.patient and file_type.kind not in ("image", "pdf"):
        return PORTAL_TYPES
    return ""


def record_upload(
    db: Session,
    actor: Actor,
    office: object,
    patient: object,
    name: str,
    received: Received,
    now: datetime | None = None,
) -> Document:
    """The document row for a stored file, for the same request `upload_target` allowed (asked again), audited once."""
    target = upload_target(db, actor, office, patient)
    if refusal_for(target, received.file_type):
        raise Invalid(refusal_for(target, received.file_type))
    shown = clean_name(name)
    document = Document(
        office_id=target.office_id,
        patient_id=target.patient_id,
        name=shown,
        search_name=shown.lower(),
        content_type=received.file_type.mime,
        size=received.size,
        sha256=received.sha256,
        origin=target.origin,
        uploaded_by_user_id=actor.user_id,
        uploaded_at=now_or(now),
    )
    db.add(document)
    db.flush()
    audit.record(
        db,
        actor,
        AuditAction.document_uploaded,
        office_id=target.office_id,
        patient_id=target.patient_id,
        target_type="document",
        target_id=document.id,
        detail={"name": shown, "type": received.file_type.label, "size": received.size},
    )
    return document


def attach_derivatives(
    db: Session, document_id: int, derived: Derived, thumbnail: str | None, preview: str | None
) -> None:
    """Note the thumbnail and preview made after the upload (no person's action: not audited)."""
    document = db.get(Document, parse_id(document_id, DOCUMENT_NOT_FOUND))
    if document is None:
        return
    document.thumbnail_sha256, document.preview_sha256 = thumbnail, preview
    document.page_count = derived.page_count
    db.add(document)
