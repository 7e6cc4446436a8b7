"""The clinic's document lists: All Documents of an office, and a patient's Documents tab.

All Documents: the documents filed in the office's All Documents, and those
shared with the person as a practitioner (from any office), marked "Shared by
…" — both through access.py's conditions. A patient's Documents: the
documents in that patient's workspace (a "From the patient" filter shows the
portal uploads). Both search by name and label, filter by label, sort and
page 25 at a time, with counting and paging in the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func, select

from app.models import Document, DocumentLabel, DocumentLabelLink, DocumentOrigin, DocumentShare, Office, Patient, User
from app.services import formatting
from app.services.actor import Actor
from app.services.documents.access import live, shared_with_me
from app.services.documents.filetypes import type_of
from app.services.documents.labels import LabelView, office_labels
from app.services.ids import optional_id
from app.services.patients.access import access_patient
from app.services.permissions import OfficeAction, can, require

PAGE_SIZE = 25
SORTS: dict[str, tuple[Any, ...]] = {
    "newest": (col(Document.uploaded_at).desc(), col(Document.id).desc()),
    "oldest": (col(Document.uploaded_at), col(Document.id)),
    "name": (col(Document.search_name), col(Document.id)),
    "size": (col(Document.size).desc(), col(Document.id).desc()),
    "type": (col(Document.content_type), col(Document.search_name), col(Document.id)),
}
SHOWS = ("all", "shared", "patient", "clinic")  # All Documents: everything / shared with me; a patient's: by origin


@dataclass(frozen=True)
class ListQuery:
    text: str = ""
    label: object = None  # a label id from the filter ("" or None: any)
    sort: str = "newest"
    show: str = "all"
    page: int = 1


@dataclass(frozen=True)
class Tag:
    name: str
    color: str


@dataclass(frozen=True)
class DocumentRow:
    id: int
    name: str
    type_label: str
    size: str
    uploaded_by: str
    uploaded_on: str
    from_patient: bool
    manage: bool  # the office's own document: labels, shares, rename, move, delete
    previewable: bool
    thumbnail: bool
    page_count: int
    in_workspace: bool
    labels: list[Tag] = field(default_factory=list)
    shared_with: list[str] = field(default_factory=list)
    shared_by: str = ""


@dataclass(frozen=True)
class DocumentPage:
    rows: list[DocumentRow]
    total: int
    page: int
    pages: int
    labels: list[LabelView]
    office_id: int  # the office whose documents these are (0: only documents shared with the actor)


def _filters(office_id: int, query: ListQuery) -> list[Any]:
    found: list[Any] = []
    for word in (query.text or "").lower().split()[:6]:
        # The office's labels with the word in their name, and their documents: one uncorrelated subquery.
        named = col(Document.id).in_(
            sa_select(col(DocumentLabelLink.document_id))
            .join(DocumentLabel, col(DocumentLabel.id) == DocumentLabelLink.label_id)
            .where(
                col(DocumentLabel.office_id) == office_id, col(DocumentLabel.name_key).contains(word, autoescape=True)
            )
        )
        found.append(or_(col(Document.search_name).contains(word, autoescape=True), named))
    label_id = optional_id(query.label if isinstance(query.label, str | int) else None, "This label was not found.")
    if label_id is not None:
        found.append(
            col(Document.id).in_(
                sa_select(col(DocumentLabelLink.document_id)).where(col(DocumentLabelLink.label_id) == label_id)
            )
        )
    return found


def all_documents(db: Session, actor: Actor, office_id: int, query: ListQuery) -> DocumentPage:
    """All Documents of the office (and documents shared with the actor), one page of them."""
    mine = shared_with_me(actor)
    if office_id:
        require(db, actor, office_id, OfficeAction.manage_documents)
        filed = and_(col(Document.office_id) == office_id, col(Document.patient_id).is_(None))
        scope = mine if query.show == "shared" else or_(filed, mine)
    else:  # in no office (yet): what others shared with them
        scope = mine
    labels = office_labels(db, actor, office_id) if office_id else []
    return _page(db, actor, office_id, [live(), scope, *_filters(office_id, query)], query, labels)


def patient_documents(db: Session, actor: Actor, patient_id: object, query: ListQuery) -> DocumentPage:
    """The documents in a patient's workspace; `show` "patient" keeps the portal uploads ("From the patient")."""
    patient = access_patient(db, actor, patient_id, OfficeAction.manage_documents)
    conditions = [live(), Document.patient_id == patient.id, *_filters(patient.office_id, query)]
    if query.show in ("patient", "clinic"):
        conditions.append(Document.origin == DocumentOrigin(query.show))
    return _page(db, actor, patient.office_id, conditions, query, office_labels(db, actor, patient.office_id))


def _page(
    db: Session, actor: Actor, office_id: int, conditions: list[Any], query: ListQuery, labels: list[LabelView]
) -> DocumentPage:
    total = db.exec(select(func.count()).select_from(Document).where(*conditions)).one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, query.page if isinstance(query.page, int) else 1), pages)
    docs = db.exec(
        select(Document)
        .where(*conditions)
        .order_by(*SORTS.get(query.sort, SORTS["newest"]))
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    office = db.get(Office, office_id) if office_id else None
    zone = office.time_zone if office else "UTC"
    return DocumentPage(rows(db, actor, list(docs), zone, office_id), total, page, pages, labels, office_id)


def rows(db: Session, actor: Actor, docs: list[Document], zone: str, office_id: int) -> list[DocumentRow]:
    """What the table shows of each document; labels and shares only to the document's own office, and
    only the list's own office's documents can be selected (labelled, shared, moved, deleted) there."""
    ids = [d.id for d in docs]
    if not ids:
        return []
    managed = {office_id} if office_id and can(db, actor, office_id, OfficeAction.manage_documents) else set()
    tags: dict[int, list[Tag]] = {}
    for document_id, name, color in db.exec(
        select(DocumentLabelLink.document_id, DocumentLabel.name, DocumentLabel.color)
        .join(DocumentLabel, col(DocumentLabel.id) == DocumentLabelLink.label_id)
        .where(col(DocumentLabelLink.document_id).in_(ids))
        .order_by(DocumentLabel.name_key)
    ).all():
        tags.setdefault(document_id, []).append(Tag(name, color))
    shares = db.exec(
        select(DocumentShare).where(col(DocumentShare.document_id).in_(ids), col(DocumentShare.removed_at).is_(None))
    ).all()
    people = (
        {s.recipient_user_id for s in shares}
        | {s.shared_by_user_id for s in shares}
        | {d.uploaded_by_user_id for d in docs}
    )
    names = dict(db.exec(select(User.id, User.full_name).where(col(User.id).in_(people - {None}))).all())
    patient_ids = {s.patient_id for s in shares if s.patient_id}
    patients = {
        p.id: formatting.full_name(p.first_name, p.last_name)
        for p in db.exec(select(Patient).where(col(Patient.id).in_(patient_ids)))
    }
    offices = dict(db.exec(select(Office.id, Office.name).where(col(Office.id).in_({d.office_id for d in docs}))).all())
    found = []
    for d in docs:
        own = d.office_id in managed
        mine = [s for s in shares if s.document_id == d.id]
        to_me = next((s for s in mine if s.recipient_user_id == actor.user_id), None)
        with_whom = [patients.get(s.patient_id or 0) or names.get(s.recipient_user_id or 0, "") for s in mine]
        file_type = type_of(d.content_type)
        found.append(
            DocumentRow(
                id=d.id or 0,
                name=d.name,
                type_label=file_type.label,
                size=formatting.file_size(d.size),
                uploaded_by=names.get(d.uploaded_by_user_id, ""),
                uploaded_on=formatting.when(d.uploaded_at, zone, year=True),
                from_patient=d.origin == DocumentOrigin.patient,
                manage=own,
                previewable=file_type.previewable,
                thumbnail=d.thumbnail_sha256 is not None,
                page_count=d.page_count or 0,
                in_workspace=d.patient_id is not None,
                labels=tags.get(d.id or 0, []) if own else [],
                shared_with=sorted(w for w in with_whom if w) if own else [],
                shared_by=f"Shared by {names.get(to_me.shared_by_user_id, '')} · {offices.get(d.office_id, '')}"
                if to_me is not None
                else "",
            )
        )
    return found
