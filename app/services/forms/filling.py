"""The portal's forms: what a record has to fill in, filling in with save and come back, submitting,
and reading back what was submitted.

Which assignments a portal account reaches is services/forms/access.py (`portal_visible`): the ones
made for the account itself (an online booking's form, visible without an access code, SPEC §4),
and every form of a record it holds through a redeemed access code.

Saving is per question, an upsert: the last write of a question wins, two tabs saving the same
answers change nothing, and different questions from two tabs both stay. Submitting is one
transaction: it checks every answer again against the version (required, options, ranges, dates,
lengths), keeps only the answers of the questions shown, writes the submission, and from then on
nothing about it changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from app.models import AssignmentStatus, FormAnswer, FormAssignment, FormSubmission, Office, Patient
from app.services import audit, formatting
from app.services.actor import Actor, require_patient
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.errors import Conflict, Invalid, NotFound
from app.services.forms import access, versions
from app.services.forms.answers import clean_answer, is_answered
from app.services.forms.render import ShownSection, sections
from app.services.forms.review import SubmissionView, render_submission
from app.services.forms.schema import FormSchema, visible_ids
from app.services.patients.records import full_name

ALREADY_SUBMITTED = "This form was already submitted: it can be read, not changed."
QUESTION_GONE = "This question is no longer on the form. Please reload it."
REQUIRED = "This question needs an answer."


@dataclass(frozen=True)
class FillView:
    assignment_id: int
    title: str
    description: str
    office_name: str
    patient_name: str
    due: str
    message: str
    status: str
    version: int
    sections: list[ShownSection]
    answers: dict[str, object]  # question id → the saved answer (as stored, see answers.py)
    visible: list[str]  # the questions shown for these answers
    resume_at: int = 0  # the section to open: where the patient left off (see resume_section)


def resume_section(shown: list[ShownSection], answers: dict[str, object], visible: set[str]) -> int:
    """Where someone coming back goes: the section after the last one with an answer, or an earlier
    one still missing a required answer (a condition may have made one required since)."""
    last_answered, first_missing = -1, len(shown)
    for index, section in enumerate(shown):
        here = [q for q in section.questions if q.id in visible]
        if any(is_answered(answers.get(q.id)) for q in here):
            last_answered = index
        if first_missing == len(shown) and any(q.required and not is_answered(answers.get(q.id)) for q in here):
            first_missing = index
    return max(0, min(first_missing, last_answered + 1, len(shown) - 1))


def _load(db: Session, actor: Actor, assignment_id: object) -> FormAssignment:
    require_patient(actor)
    return access.portal_assignment(db, actor, assignment_id)


def _open(db: Session, assignment: FormAssignment) -> FormSchema:
    if assignment.status == AssignmentStatus.submitted:
        raise Conflict(ALREADY_SUBMITTED)
    versions.follow_head(db, assignment)
    return versions.schema_of(db, assignment.version_id)[1]


def saved_answers(db: Session, assignment_id: int) -> dict[str, object]:
    rows = db.exec(
        select(FormAnswer.question_id, FormAnswer.value).where(FormAnswer.assignment_id == assignment_id)
    ).all()
    return {question_id: json.loads(value) for question_id, value in rows}


def _zone_and_office(db: Session, office_id: int) -> tuple[str, str]:
    office = db.get(Office, office_id)
    return (office.time_zone, office.name) if office else ("UTC", "")


def load_for_filling(db: Session, actor: Actor, assignment_id: object) -> FillView:
    """The form to fill in with the answers saved so far (on any device). Audited once per opening."""
    assignment = _load(db, actor, assignment_id)
    schema = _open(db, assignment)
    answers = saved_answers(db, assignment.id or 0)
    _, office_name = _zone_and_office(db, assignment.office_id)
    patient = db.get(Patient, assignment.patient_id)
    version = versions.schema_of(db, assignment.version_id)[0]
    audit.record(
        db,
        actor,
        AuditAction.form_opened,
        office_id=assignment.office_id,
        patient_id=assignment.patient_id,
        target_type="form_assignment",
        target_id=assignment.id,
    )
    shown, visible = sections(schema), visible_ids(schema, answers)
    return FillView(
        assignment_id=assignment.id or 0,
        title=schema.title,
        description=schema.description,
        office_name=office_name,
        patient_name=full_name(patient) if patient else "",
        due=formatting.day_with_year(assignment.due_date) if assignment.due_date else "",
        message=assignment.message,
        status=assignment.status.value,
        version=version.number,
        sections=shown,
        answers=answers,
        visible=sorted(visible),
        resume_at=resume_section(shown, answers, visible),
    )


def _upsert(db: Session, assignment_id: int, question_id: str, value: object, actor: Actor, now: datetime) -> None:
    if value is None:
        db.exec(
            delete(FormAnswer).where(
                col(FormAnswer.assignment_id) == assignment_id, col(FormAnswer.question_id) == question_id
            )
        )
        return
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    values = {"value": json.dumps(value, separators=(",", ":")), "updated_at": now, "updated_by_user_id": actor.user_id}
    statement = dialect.insert(FormAnswer).values(assignment_id=assignment_id, question_id=question_id, **values)
    db.exec(statement.on_conflict_do_update(index_elements=["assignment_id", "question_id"], set_=values))


def _started(db: Session, actor: Actor, assignment: FormAssignment, now: datetime) -> None:
    """The first answer moves the assignment to in progress (audited once, even from two tabs)."""
    moved = db.exec(
        update(FormAssignment)
        .where(col(FormAssignment.id) == assignment.id, col(FormAssignment.status) == AssignmentStatus.assigned)
        .values(status=AssignmentStatus.in_progress, started_at=now, updated_at=now)
    )
    if moved.rowcount == 1:
        audit.record(
            db,
            actor,
            AuditAction.form_started,
            office_id=assignment.office_id,
            patient_id=assignment.patient_id,
            target_type="form_assignment",
            target_id=assignment.id,
            at=now,
        )
    else:
        db.exec(update(FormAssignment).where(col(FormAssignment.id) == assignment.id).values(updated_at=now))


@dataclass(frozen=True)
class SavedAnswer:
    question_id: str
    saved_at: datetime
    visible: list[str]  # the questions shown now (an answer may show or hide others)


def save_answer(
    db: Session, actor: Actor, assignment_id: object, question_id: object, value: object, now: datetime | None = None
) -> SavedAnswer:
    """Save one answer (autosave): checked like at submit except for "required"; None clears it."""
    now = now_or(now)
    assignment = _load(db, actor, assignment_id)
    schema = _open(db, assignment)
    question = schema.question(question_id) if isinstance(question_id, str) else None
    if question is None:
        raise NotFound(QUESTION_GONE)
    cleaned = clean_answer(question, value, now)
    assert assignment.id is not None
    _upsert(db, assignment.id, question.id, cleaned, actor, now)
    _started(db, actor, assignment, now)
    return SavedAnswer(question.id, now, sorted(visible_ids(schema, saved_answers(db, assignment.id))))


def submit_form(
    db: Session,
    actor: Actor,
    assignment_id: object,
    answers: dict[str, object] | None = None,
    now: datetime | None = None,
) -> int:
    """Submit, for good: `answers` (what the page shows, optional) are saved first, then everything is
    checked. Refused whole, with the first question at fault named, when anything is wrong."""
    now = now_or(now)
    assignment = _load(db, actor, assignment_id)
    schema = _open(db, assignment)
    assert assignment.id is not None
    if answers is not None:
        if not isinstance(answers, dict):
            raise Invalid("The answers could not be read. Please reload the form.")
        for question_id, value in answers.items():
            question = schema.question(question_id) if isinstance(question_id, str) else None
            if question is None:
                raise NotFound(QUESTION_GONE)
            _upsert(db, assignment.id, question.id, clean_answer(question, value, now), actor, now)
    saved = saved_answers(db, assignment.id)
    shown = visible_ids(schema, saved)
    kept: dict[str, object] = {}
    for question in schema.questions():
        if question.id not in shown:
            continue  # hidden: not required, and its answer is not kept
        value = clean_answer(question, saved.get(question.id), now) if question.id in saved else None
        if question.type == "signature" and isinstance(saved.get(question.id), dict):
            value = saved[question.id]  # checked when saved; keeps the time it was signed
        if question.required and not is_answered(value):
            raise Invalid(REQUIRED, question.id)
        if is_answered(value):
            kept[question.id] = value
    moved = db.exec(
        update(FormAssignment)
        .where(col(FormAssignment.id) == assignment.id, col(FormAssignment.status) != AssignmentStatus.submitted)
        .values(status=AssignmentStatus.submitted, updated_at=now, started_at=assignment.started_at or now)
    )
    if moved.rowcount != 1:
        raise Conflict(ALREADY_SUBMITTED)
    submission = FormSubmission(
        assignment_id=assignment.id,
        office_id=assignment.office_id,
        patient_id=assignment.patient_id,
        form_id=assignment.form_id,
        version_id=assignment.version_id,
        answers=json.dumps(kept, separators=(",", ":")),
        submitted_at=now,
        submitted_by_user_id=actor.user_id,
    )
    db.add(submission)
    db.exec(delete(FormAnswer).where(col(FormAnswer.assignment_id) == assignment.id))
    db.flush()
    audit.record(
        db,
        actor,
        AuditAction.form_submitted,
        office_id=assignment.office_id,
        patient_id=assignment.patient_id,
        target_type="form_submission",
        target_id=submission.id,
        detail={"assignment": assignment.id, "answers": len(kept)},
        at=now,
    )
    return submission.id or 0


def own_submission(db: Session, actor: Actor, assignment_id: object) -> SubmissionView:
    """What was submitted, read back in the portal (read-only, printable)."""
    assignment = _load(db, actor, assignment_id)
    submission = db.exec(select(FormSubmission).where(FormSubmission.assignment_id == assignment.id)).first()
    if submission is None:
        raise NotFound("This form has not been submitted yet.")
    return render_submission(db, submission, False)
