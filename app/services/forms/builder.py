"""The form builder: its author's edits, one at a time, each checked and saved at once.

Every edit loads the form's newest version, changes it, checks the whole form (services/forms/
schema.py `check`), and writes it (services/forms/versions.py: in place, or as a new version once
someone started filling the newest in). Only the author edits; anyone else gets NotFound. An edit
is audited once per stretch of editing (ten minutes), and always when it starts a new version.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import func
from sqlmodel import Session, select

from app.models import AuditEntry, Form, FormShare, FormVersion
from app.services import audit
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.errors import Invalid, NotFound
from app.services.forms import access, versions
from app.services.forms.schema import (
    FormSchema,
    Question,
    Section,
    check,
    clean_question,
    dependents,
    from_json,
    new_id,
)

EDIT_AUDIT_GAP = timedelta(minutes=10)
QUESTION_GONE = "This question is no longer on the form."
SECTION_GONE = "This section is no longer on the form."
T = TypeVar("T")


@dataclass(frozen=True)
class BuilderView:
    form_id: int
    schema: FormSchema
    version: int
    in_use: bool  # someone started filling the newest version: the next edit makes a new one
    shared: bool
    author_sees_all: bool
    recipients_see_all: bool
    changed: str = ""  # the section or question an edit made or moved (to focus it)
    content: str = ""  # the schema as stored (its JSON), so the page need not serialise it again


def _view(
    db: Session, form: Form, schema: FormSchema, head: FormVersion, in_use: bool, changed: str = ""
) -> BuilderView:
    shared = db.exec(select(FormShare.id).where(FormShare.form_id == form.id)).first() is not None
    return BuilderView(
        form.id or 0,
        schema,
        head.number,
        in_use,
        shared,
        form.author_sees_all,
        form.recipients_see_all,
        changed,
        head.content,
    )


def builder_view(db: Session, actor: Actor, form_id: object) -> BuilderView:
    """The builder's page: the newest version of the actor's own form."""
    form = access.authored_form(db, actor, form_id)
    assert form.id is not None
    head = versions.head_version(db, form.id)
    return _view(db, form, from_json(head.content), head, versions.in_use(db, head.id or 0))


def _edited_lately(db: Session, actor: Actor, form: Form, now: datetime) -> bool:
    latest = db.exec(
        select(func.max(AuditEntry.at)).where(
            AuditEntry.target_type == "form",
            AuditEntry.target_id == form.id,
            AuditEntry.actor_user_id == actor.user_id,
            AuditEntry.action == AuditAction.form_edited.value,
        )
    ).one()
    return latest is not None and now - latest < EDIT_AUDIT_GAP


def edit(
    db: Session, actor: Actor, form_id: object, change: Callable[[FormSchema], str], now: datetime | None
) -> BuilderView:
    now = now_or(now)
    form = access.authored_form(db, actor, form_id)
    assert form.id is not None
    head = versions.head_version(db, form.id)
    schema = from_json(head.content)
    changed = change(schema)
    check(schema)
    version, new = versions.write(db, form, schema, now, head)
    if new or not _edited_lately(db, actor, form, now):
        detail = {"version": version.number, "new_version": new}
        audit.record(
            db,
            actor,
            AuditAction.form_edited,
            office_id=form.office_id,
            target_type="form",
            target_id=form.id,
            detail=detail,
            at=now,
        )
    # Just written: in place on a version nobody started, or as a new one: either way not in use yet.
    return _view(db, form, schema, version, False, changed)


def _question(schema: FormSchema, question_id: object) -> tuple[Section, int]:
    for section in schema.sections:
        for index, question in enumerate(section.questions):
            if isinstance(question_id, str) and question.id == question_id:
                return section, index
    raise NotFound(QUESTION_GONE)


def find_section(schema: FormSchema, section_id: object) -> int:
    for index, section in enumerate(schema.sections):
        if isinstance(section_id, str) and section.id == section_id:
            return index
    raise NotFound(SECTION_GONE)


def one_step(step: object) -> int:
    if step not in (-1, 1, "-1", "1"):
        raise Invalid("Move a question one place up or down.")
    return int(step)


def add_question(
    db: Session, actor: Actor, form_id: object, section_id: object, fields: dict[str, Any], now: datetime | None = None
) -> BuilderView:
    """A new question at the end of a section."""
    question = clean_question(fields, new_id("q"))

    def change(schema: FormSchema) -> str:
        schema.sections[find_section(schema, section_id)].questions.append(question)
        return question.id

    return edit(db, actor, form_id, change, now)


def update_question(
    db: Session, actor: Actor, form_id: object, question_id: object, fields: dict[str, Any], now: datetime | None = None
) -> BuilderView:
    def change(schema: FormSchema) -> str:
        section, index = _question(schema, question_id)
        updated = clean_question(fields, section.questions[index].id)
        for follower in dependents(schema, updated.id):
            assert follower.show_if is not None  # a dependent has a condition
            allowed = ("yes", "no") if updated.type == "yes_no" else updated.options
            if (
                updated.type not in ("single_choice", "multiple_choice", "yes_no")
                or follower.show_if.value not in allowed
            ):
                field = "type" if updated.type != section.questions[index].type else "options"
                raise Invalid(
                    f"“{follower.label}” is shown depending on this answer: change its condition first.", field
                )
        section.questions[index] = updated
        return updated.id

    return edit(db, actor, form_id, change, now)


def duplicate_question(
    db: Session, actor: Actor, form_id: object, question_id: object, now: datetime | None = None
) -> BuilderView:
    """A copy right below the question (its condition too)."""

    def change(schema: FormSchema) -> str:
        section, index = _question(schema, question_id)
        original = section.questions[index]
        label = original.label if len(original.label) > 490 else f"{original.label} (copy)"
        copy = replace(original, id=new_id("q"), label=label, options=list(original.options))
        section.questions.insert(index + 1, copy)
        return copy.id

    return edit(db, actor, form_id, change, now)


def delete_question(
    db: Session, actor: Actor, form_id: object, question_id: object, now: datetime | None = None
) -> BuilderView:
    def change(schema: FormSchema) -> str:
        section, index = _question(schema, question_id)
        followers = dependents(schema, section.questions[index].id)
        if followers:
            raise Invalid(f"“{followers[0].label}” is shown depending on this answer: change its condition first.")
        del section.questions[index]
        return section.id

    return edit(db, actor, form_id, change, now)


def move_question(
    db: Session, actor: Actor, form_id: object, question_id: object, step: object, now: datetime | None = None
) -> BuilderView:
    """One place up or down; past a section's edge it moves into the section beside it."""
    by = one_step(step)

    def change(schema: FormSchema) -> str:
        section, index = _question(schema, question_id)
        question = section.questions[index]
        at = schema.sections.index(section)
        if 0 <= index + by < len(section.questions):
            questions = section.questions
            questions[index], questions[index + by] = questions[index + by], questions[index]
        elif 0 <= at + by < len(schema.sections):
            del section.questions[index]
            neighbour = schema.sections[at + by]
            neighbour.questions.insert(len(neighbour.questions) if by < 0 else 0, question)
        else:
            raise Invalid("This question cannot move further.")
        conditions_still_hold(schema)
        return question.id

    return edit(db, actor, form_id, change, now)


def conditions_still_hold(schema: FormSchema) -> None:
    """A question shown depending on another must stay below it."""
    seen: dict[str, Question] = {}
    for question in schema.questions():
        condition = question.show_if
        if condition is not None and condition.question not in seen:
            source = schema.question(condition.question)
            name = source.label if source else "its question"
            raise Invalid(f"“{question.label}” is shown depending on “{name}”: it must stay below it.")
        seen[question.id] = question
