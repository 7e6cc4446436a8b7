"""The patient's Documents in the portal, and where a portal upload goes.

For the record chosen in the family record switcher:
- documents the clinic shared with that patient — only when the account holds
  the record through a redeemed access code (SPEC §4), and while it holds it;
- the files this account uploaded for that record, always; and, so that
  nothing an account uploaded disappears from its view, its uploads for
  records it no longer holds or never held (its online client record).
A portal upload goes to the chosen record; an account holding no record
uploads to its online client record (the record its online booking made),
and is asked to book or unlock a record first when it has none.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.models import Appointment, Document, DocumentOrigin, Office, Patient, PortalAccess
from app.services import formatting
from app.services.actor import Actor, require_patient
from app.services.charts.portal import unlocked_with_code
from app.services.documents.access import live, shared_with_patients, uploaded_by_me
from app.services.documents.filetypes import type_of
from app.services.documents.uploads import UploadTarget
from app.services.errors import Invalid
from app.services.ids import saved_id
from app.services.portal import held_patient

NO_RECORD = (
    "Book an appointment online or unlock your record with an access code first, so that we know which "
    "clinic your file is for."
)
MAX_LISTED = 200


@dataclass(frozen=True)
class PortalDocument:
    id: int
    name: str
    type_label: str
    size: str
    added_on: str
    source: str  # "Shared by Maple Street Clinic" / "Uploaded by you"
    previewable: bool
    thumbnail: bool
    page_count: int


@dataclass(frozen=True)
class PortalDocuments:
    shared: list[PortalDocument]
    uploads: list[PortalDocument]
    unlocked: bool  # the chosen record is held through a code: shared documents show
    can_upload: bool
    upload_to: str  # the clinic an upload goes to


def online_client_record(db: Session, actor: Actor) -> Patient | None:
    """The record the account's newest online booking is for (its online client record), if any."""
    return db.exec(
        select(Patient)
        .join(Appointment, col(Appointment.patient_id) == Patient.id)
        .where(
            Appointment.booked_by_user_id == actor.user_id,
            col(Appointment.booked_online).is_(True),
            col(Patient.archived_at).is_(None),
        )
        .order_by(col(Appointment.created_at).desc(), col(Appointment.id).desc())
    ).first()


def portal_upload_target(db: Session, actor: Actor, patient: object) -> UploadTarget:
    require_patient(actor)
    record = held_patient(db, actor, patient) if patient not in (None, "") else online_client_record(db, actor)
    if record is None:
        raise Invalid(NO_RECORD)
    assert record.id is not None
    return UploadTarget(record.office_id, record.id, DocumentOrigin.patient)


def _held_ids(db: Session, actor: Actor) -> list[int]:
    return list(
        db.exec(
            select(PortalAccess.patient_id).where(
                PortalAccess.user_id == actor.user_id, col(PortalAccess.revoked_at).is_(None)
            )
        ).all()
    )


def portal_documents(db: Session, actor: Actor, current: int | None) -> PortalDocuments:
    """The chosen record's shared documents (with a code) and the account's own uploads, newest first."""
    require_patient(actor)
    unlocked = False
    shared: list[Document] = []
    if current is not None:
        patient = held_patient(db, actor, current)
        unlocked = unlocked_with_code(db, actor, patient.id or 0)
        if unlocked:
            shared = list(
                db.exec(
                    select(Document)
                    .where(live(), shared_with_patients([patient.id]))
                    .order_by(col(Document.uploaded_at).desc())
                    .limit(MAX_LISTED)
                ).all()
            )
    held = _held_ids(db, actor)
    mine = db.exec(
        select(Document)
        .where(
            live(),
            uploaded_by_me(actor),
            (col(Document.patient_id) == current) | col(Document.patient_id).not_in(held),
        )
        .order_by(col(Document.uploaded_at).desc())
        .limit(MAX_LISTED)
    ).all()
    own = {d.id for d in mine}
    shared = [d for d in shared if d.id not in own]
    target = online_client_record(db, actor) if current is None else db.get(Patient, current)
    office = db.get(Office, target.office_id) if target else None
    zones = _offices(db, [*shared, *mine])
    return PortalDocuments(
        shared=[_row(d, zones, f"Shared by {zones[d.office_id][0]}") for d in shared],
        uploads=[_row(d, zones, "Uploaded by you") for d in mine],
        unlocked=unlocked,
        can_upload=target is not None,
        upload_to=office.name if office else "",
    )


def _offices(db: Session, docs: list[Document]) -> dict[int, tuple[str, str]]:
    ids = {d.office_id for d in docs}
    if not ids:
        return {}
    return {saved_id(o): (o.name, o.time_zone) for o in db.exec(select(Office).where(col(Office.id).in_(ids))).all()}


def _row(document: Document, offices: dict[int, tuple[str, str]], source: str) -> PortalDocument:
    file_type = type_of(document.content_type)
    return PortalDocument(
        id=document.id or 0,
        name=document.name,
        type_label=file_type.label,
        size=formatting.file_size(document.size),
        added_on=formatting.when(document.uploaded_at, offices[document.office_id][1], year=True),
        source=source,
        previewable=file_type.previewable,
        thumbnail=document.thumbnail_sha256 is not None,
        page_count=document.page_count or 0,
    )
