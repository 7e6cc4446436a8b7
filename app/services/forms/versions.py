"""A form's versions: the newest is edited in place until someone starts filling it in; then the next
edit writes a new version, and what was filled keeps rendering with its own.

An assignment is pinned to the version it will be filled against. While nothing is answered yet it
follows the form's newest version (a typo the author fixes after assigning reaches the patient);
from the first saved answer on it stays with its version for good.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from app.models import AssignmentStatus, Form, FormAssignment, FormVersion
from app.services.forms.schema import FormSchema, from_json
from app.services.ids import saved_id


def head_version(db: Session, form_id: int) -> FormVersion:
    version = db.exec(
        select(FormVersion).where(FormVersion.form_id == form_id).order_by(col(FormVersion.number).desc())
    ).first()
    assert version is not None, "every form has a version"
    return version


def in_use(db: Session, version_id: int) -> bool:
    """Whether someone started filling in this version (it may then never change)."""
    return (
        db.exec(
            select(FormAssignment.id).where(
                FormAssignment.version_id == version_id, FormAssignment.status != AssignmentStatus.assigned
            )
        ).first()
        is not None
    )


def schema_of(db: Session, version_id: int) -> tuple[FormVersion, FormSchema]:
    version = db.get(FormVersion, version_id)
    assert version is not None
    return version, from_json(version.content)


def write(
    db: Session, form: Form, schema: FormSchema, now: datetime, head: FormVersion | None = None
) -> tuple[FormVersion, bool]:
    """Save the author's edit: in place, or as a new version when the newest is in use.
    `head`: the newest version, when the caller has just read it in this transaction.

    Returns the version written and whether it is new."""
    assert form.id is not None
    head = head if head is not None else head_version(db, form.id)
    assert head.id is not None
    form.title, form.updated_at = schema.title, now
    db.add(form)
    if in_use(db, head.id):
        version = FormVersion(form_id=form.id, number=head.number + 1, content=schema.to_json(), created_at=now)
        version.updated_at = now
        db.add(version)
        db.flush()
        return version, True
    head.content, head.updated_at = schema.to_json(), now
    db.add(head)
    return head, False


def follow_head(db: Session, assignment: FormAssignment) -> None:
    """An assignment nobody started yet moves to the form's newest version."""
    if assignment.status != AssignmentStatus.assigned:
        return
    head = head_version(db, assignment.form_id)
    if head.id != assignment.version_id:
        assignment.version_id = saved_id(head)
        db.add(assignment)
