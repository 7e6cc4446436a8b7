"""Ordinary labels: the office's words for filing documents ("Lab results", "Insurance"), each with a colour.

Office-wide: every member who manages documents may create, rename, recolour
and delete them. Deleting a label takes it off every document (nothing else
changes). Labels never share anything; Share Labels are shares.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from app.models import DocumentLabel, DocumentLabelLink
from app.models.documents import LABEL_NAME_LIMIT
from app.services import audit
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.errors import Invalid, NotFound
from app.services.ids import parse_id
from app.services.permissions import OfficeAction, require
from app.services.validation import required_text

# Radix colour scales: a badge's colour scheme, never a colour literal.
COLORS = ("gray", "red", "orange", "amber", "grass", "teal", "cyan", "blue", "indigo", "purple", "pink", "brown")
LABEL_NOT_FOUND = "This label was not found."
MAX_LABELS = 200


@dataclass(frozen=True)
class LabelView:
    id: int
    name: str
    color: str
    documents: int = 0


def office_labels(db: Session, actor: Actor, office_id: int) -> list[LabelView]:
    """The office's labels by name, with how many documents each is on."""
    require(db, actor, office_id, OfficeAction.manage_documents)
    rows = db.exec(
        select(DocumentLabel, func.count(col(DocumentLabelLink.document_id)))
        .outerjoin(DocumentLabelLink, col(DocumentLabelLink.label_id) == DocumentLabel.id)
        .where(DocumentLabel.office_id == office_id)
        .group_by(col(DocumentLabel.id))
        .order_by(DocumentLabel.name_key)
    ).all()
    return [LabelView(label.id or 0, label.name, label.color, count) for label, count in rows]


def office_label(db: Session, office_id: int, label_id: object) -> DocumentLabel:
    label = db.get(DocumentLabel, parse_id(label_id, LABEL_NOT_FOUND))
    if label is None or label.office_id != office_id:
        raise NotFound(LABEL_NOT_FOUND)
    return label


def save_label(
    db: Session,
    actor: Actor,
    office_id: int,
    label_id: object,
    name: object,
    color: object,
    now: datetime | None = None,
) -> DocumentLabel:
    """Create a label (no `label_id`), or rename and recolour one of the office's."""
    require(db, actor, office_id, OfficeAction.manage_documents)
    cleaned = required_text(name if isinstance(name, str) else "", "label_name", "Label name", LABEL_NAME_LIMIT)
    if color not in COLORS:
        raise Invalid("Choose one of the colours.", "label_color")
    key = cleaned.lower()
    label = None if label_id in (None, "") else office_label(db, office_id, label_id)
    clash = db.exec(
        select(DocumentLabel.id).where(DocumentLabel.office_id == office_id, DocumentLabel.name_key == key)
    ).first()
    if clash is not None and (label is None or clash != label.id):
        raise Invalid(f"There is already a label named {cleaned}.", "label_name")
    if label is None:
        count = db.exec(select(func.count()).select_from(DocumentLabel).where(DocumentLabel.office_id == office_id))
        if count.one() >= MAX_LABELS:
            raise Invalid(f"An office can have at most {MAX_LABELS} labels.", "label_name")
        label = DocumentLabel(office_id=office_id, name=cleaned, name_key=key, color=str(color), created_at=now_or(now))
    else:
        label.name, label.name_key, label.color = cleaned, key, str(color)
    created = label.id is None
    db.add(label)
    db.flush()
    audit.record(
        db,
        actor,
        AuditAction.document_label_saved,
        office_id=office_id,
        target_type="document_label",
        target_id=label.id,
        detail={"name": cleaned, "color": label.color, "created": created},
    )
    return label


def delete_label(db: Session, actor: Actor, office_id: int, label_id: object) -> str:
    """Delete one of the office's labels (it leaves every document it was on); returns its name."""
    require(db, actor, office_id, OfficeAction.manage_documents)
    label = office_label(db, office_id, label_id)
    links = db.exec(select(DocumentLabelLink).where(DocumentLabelLink.label_id == label.id)).all()
    for link in links:
        db.delete(link)
    db.delete(label)
    audit.record(
        db,
        actor,
        AuditAction.document_label_deleted,
        office_id=office_id,
        target_type="document_label",
        target_id=label.id,
        detail={"name": label.name, "documents": len(links)},
    )
    return label.name
