"""The Forms page: my forms, forms shared with me, a new form, and a form as the patient will see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import AssignmentStatus, Form, FormAssignment, FormShare, FormVersion, Office, User
from app.services import audit, formatting
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.errors import PermissionDenied
from app.services.forms import access, versions
from app.services.forms.schema import FormSchema, clean_title, empty_schema, from_json
from app.services.ids import saved_id
from app.services.permissions import OfficeAction, require

MAX_LISTED = 500
BUILDERS_ONLY = "Forms are built by the office's practitioners."


@dataclass(frozen=True)
class FormRow:
    id: int
    title: str
    questions: int
    version: int
    updated: str  # "Tue 24 Nov 2026, 09:30"
    author: str
    shared: bool  # the author shared it with someone
    submissions: int  # submitted, that the reader may read


def _zone(db: Session, actor: Actor) -> str:
    office = db.get(Office, actor.current_office_id) if actor.current_office_id else None
    return office.time_zone if office else "UTC"


def _rows(db: Session, actor: Actor, condition: Any) -> list[FormRow]:
    forms = list(
        db.exec(
            select(Form)
            .where(condition, access.usable_forms(db, actor))
            .order_by(col(Form.updated_at).desc(), col(Form.id).desc())
            .limit(MAX_LISTED)
        ).all()
    )
    if not forms:
        return []
    ids = [f.id for f in forms]
    heads = dict(
        db.exec(
            select(FormVersion.form_id, func.max(FormVersion.number))
            .where(col(FormVersion.form_id).in_(ids))
            .group_by(col(FormVersion.form_id))
        ).all()
    )
    contents = {
        form_id: content
        for form_id, number, content in db.exec(
            select(FormVersion.form_id, FormVersion.number, FormVersion.content).where(
                col(FormVersion.form_id).in_(ids)
            )
        ).all()
        if heads.get(form_id) == number
    }
    authors = dict(db.exec(select(User.id, User.full_name).where(col(User.id).in_({f.author_id for f in forms}))).all())
    shared = set(db.exec(select(FormShare.form_id).where(col(FormShare.form_id).in_(ids))).all())
    submitted = dict(
        db.exec(
            select(FormAssignment.form_id, func.count())
            .where(
                col(FormAssignment.form_id).in_(ids),
                FormAssignment.status == AssignmentStatus.submitted,
                access.visible_assignments(db, actor),
            )
            .group_by(col(FormAssignment.form_id))
        ).all()
    )
    zone = _zone(db, actor)
    return [
        FormRow(
            id=f.id or 0,
            title=f.title,
            questions=len(from_json(contents[f.id]).questions()) if f.id in contents else 0,
            version=heads.get(saved_id(f), 1),
            updated=formatting.when(f.updated_at, zone, year=True),
            author=authors.get(f.author_id, ""),
            shared=f.id in shared,
            submissions=submitted.get(saved_id(f), 0),
        )
        for f in forms
    ]


def my_forms(db: Session, actor: Actor) -> list[FormRow]:
    """The forms the actor wrote, newest change first."""
    return _rows(db, actor, Form.author_id == actor.user_id)


def shared_forms(db: Session, actor: Actor) -> list[FormRow]:
    """Forms other practitioners shared with the actor or an office of theirs."""
    return _rows(db, actor, access.shared_with_me(db, actor))


def may_build(db: Session, actor: Actor) -> bool:
    return bool(access.reachable_offices(db, actor, OfficeAction.manage_forms))


def create_form(db: Session, actor: Actor, office_id: object, title: object, now: datetime | None = None) -> Form:
    """A new form of the actor's, made in their current office (practitioners and owners)."""
    now = now_or(now)
    if not isinstance(office_id, int) or office_id <= 0:
        raise PermissionDenied(BUILDERS_ONLY)
    require(db, actor, office_id, OfficeAction.manage_forms)
    schema = empty_schema(clean_title(title))
    form = Form(office_id=office_id, author_id=actor.user_id, title=schema.title, created_at=now, updated_at=now)
    db.add(form)
    db.flush()
    assert form.id is not None
    version = FormVersion(form_id=form.id, number=1, content=schema.to_json(), created_at=now)
    version.updated_at = now
    db.add(version)
    audit.record(db, actor, AuditAction.form_created, office_id=office_id, target_type="form", target_id=form.id)
    return form


@dataclass(frozen=True)
class FormPreview:
    form_id: int
    schema: FormSchema
    version: int
    author: str
    is_author: bool


def preview(db: Session, actor: Actor, form_id: object) -> FormPreview:
    """The newest version of a form the actor may use, as the patient will see it (not audited:
    a form holds no patient's data)."""
    found = access.access_form(db, actor, form_id)
    assert found.form.id is not None
    head = versions.head_version(db, found.form.id)
    author = db.get(User, found.form.author_id)
    return FormPreview(
        found.form.id, from_json(head.content), head.number, author.full_name if author else "", found.is_author
    )
