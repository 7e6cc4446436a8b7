"""Reading submissions in the clinic: one submission rendered with its version, marking it reviewed,
and a form's submissions (the author's *See all submissions*, the recipients' too).

Who reads which is services/forms/access.py (one rule, for the lists and the single loads). Opening
a submission is one audited reading; marking it reviewed is the office team's (the patient's office),
and is the only change a submission ever sees: its answers never change after submit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from app.models import AssignmentStatus, Form, FormAssignment, FormSubmission, FormVersion, Office, Patient, User
from app.services import audit, formatting
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.errors import Conflict, NotFound
from app.services.forms import access, versions
from app.services.forms.render import ShownSection, answered_sections
from app.services.patients.records import full_name
from app.services.permissions import OfficeAction, can


@dataclass(frozen=True)
class SubmissionView:
    submission_id: int
    assignment_id: int
    form_id: int
    title: str
    description: str
    version: int
    patient_id: int
    patient_name: str
    office_name: str
    submitted_on: str
    submitted_by: str
    reviewed: str  # "Reviewed by … on …", or ""
    may_review: bool  # the office team of the patient, while it is not reviewed yet
    sections: list[ShownSection]


def render_submission(db: Session, submission: FormSubmission, may_review: bool) -> SubmissionView:
    version, schema = versions.schema_of(db, submission.version_id)
    office = db.get(Office, submission.office_id)
    zone = office.time_zone if office else "UTC"
    patient = db.get(Patient, submission.patient_id)
    submitter = db.get(User, submission.submitted_by_user_id)
    reviewed = ""
    if submission.reviewed_at is not None:
        reviewer = db.get(User, submission.reviewed_by_user_id) if submission.reviewed_by_user_id else None
        who = reviewer.full_name if reviewer else "a former team member"
        reviewed = f"Reviewed by {who} on {formatting.when(submission.reviewed_at, zone, year=True)}"
    return SubmissionView(
        submission_id=submission.id or 0,
        assignment_id=submission.assignment_id,
        form_id=submission.form_id,
        title=schema.title,
        description=schema.description,
        version=version.number,
        patient_id=submission.patient_id,
        patient_name=full_name(patient) if patient else "",
        office_name=office.name if office else "",
        submitted_on=formatting.when(submission.submitted_at, zone, year=True),
        submitted_by=submitter.full_name if submitter else "",
        reviewed=reviewed,
        may_review=may_review and submission.reviewed_at is None,
        sections=answered_sections(schema, json.loads(submission.answers), zone),
    )


def _team(db: Session, actor: Actor, submission: FormSubmission) -> bool:
    return can(db, actor, submission.office_id, OfficeAction.administer_forms)


def view_submission(db: Session, actor: Actor, submission_id: object, *, seen: bool = True) -> SubmissionView:
    """One submission as it was submitted; `seen` audits the reading once (a page's opening)."""
    submission, _ = access.access_submission(db, actor, submission_id)
    if seen:
        audit.record(
            db,
            actor,
            AuditAction.form_submission_viewed,
            office_id=submission.office_id,
            patient_id=submission.patient_id,
            target_type="form_submission",
            target_id=submission.id,
        )
    return render_submission(db, submission, _team(db, actor, submission))


def mark_reviewed(db: Session, actor: Actor, submission_id: object, now: datetime | None = None) -> SubmissionView:
    """The patient's office team marks a submission reviewed (once)."""
    now = now_or(now)
    submission, _ = access.access_submission(db, actor, submission_id)
    if not _team(db, actor, submission):
        raise NotFound(access.SUBMISSION_NOT_FOUND)  # a reader from elsewhere reads, never changes
    if submission.reviewed_at is not None:
        raise Conflict("This submission is already marked reviewed.")
    submission.reviewed_at, submission.reviewed_by_user_id = now, actor.user_id
    db.add(submission)
    audit.record(
        db,
        actor,
        AuditAction.form_submission_reviewed,
        office_id=submission.office_id,
        patient_id=submission.patient_id,
        target_type="form_submission",
        target_id=submission.id,
        at=now,
    )
    return render_submission(db, submission, True)


@dataclass(frozen=True)
class SubmissionRow:
    submission_id: int
    patient_name: str
    office_name: str
    submitted_on: str
    version: int
    reviewed: bool


@dataclass(frozen=True)
class FormSubmissions:
    form_id: int
    title: str
    is_author: bool
    rows: list[SubmissionRow]


def form_submissions(db: Session, actor: Actor, form_id: object, limit: int = 500) -> FormSubmissions:
    """The submissions of a form that the actor may read, newest first."""
    form: Form = access.access_form(db, actor, form_id).form
    rows = db.exec(
        select(FormSubmission, Patient, Office)
        .join(FormAssignment, col(FormAssignment.id) == FormSubmission.assignment_id)
        .join(Patient, col(Patient.id) == FormSubmission.patient_id)
        .join(Office, col(Office.id) == FormSubmission.office_id)
        .where(
            FormSubmission.form_id == form.id,
            FormAssignment.status == AssignmentStatus.submitted,
            access.visible_assignments(db, actor),
        )
        .order_by(col(FormSubmission.submitted_at).desc(), col(FormSubmission.id).desc())
        .limit(limit)
    ).all()
    numbers = {}
    found = []
    for submission, patient, office in rows:
        if submission.version_id not in numbers:
            version = db.get(FormVersion, submission.version_id)
            numbers[submission.version_id] = version.number if version else 0
        found.append(
            SubmissionRow(
                submission.id or 0,
                full_name(patient),
                office.name,
                formatting.when(submission.submitted_at, office.time_zone, year=True),
                numbers[submission.version_id],
                submission.reviewed_at is not None,
            )
        )
    return FormSubmissions(form.id or 0, form.title, form.author_id == actor.user_id, found)
