"""Assigning forms from a patient's workspace (the Forms tab), and what the tab lists.

The office's team (owner, practitioners, staff) assigns, to a patient of the office, a form it may
use (services/forms/access.py: its own, or shared with them or their office), with an optional due
date and message. Every portal account that holds the record through a redeemed access code gets
an e-mail (through the outbox) with a link to the portal's Forms; nothing of the form's content
is in it. An archived record is not given forms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from app.models import (
    FORM_MESSAGE_LIMIT,
    AssignmentStatus,
    Form,
    FormAssignment,
    FormSubmission,
    Office,
    Patient,
    PortalAccess,
    User,
)
from app.services import audit, formatting, local_time, mail
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.errors import Invalid
from app.services.forms import access, versions
from app.services.ids import saved_id
from app.services.patients.access import access_patient
from app.services.patients.records import office_today
from app.services.permissions import OfficeAction
from app.settings import Settings

STATUS_WORDS = {
    AssignmentStatus.assigned: "To fill in",
    AssignmentStatus.in_progress: "In progress",
    AssignmentStatus.submitted: "Submitted",
}
ARCHIVED = "This record is archived: restore it to give it a form."


@dataclass(frozen=True)
class AssignableForm:
    id: int
    title: str
    author: str
    mine: bool


@dataclass(frozen=True)
class AssignResult:
    assignment_id: int
    notified: int  # portal accounts e-mailed (0: nobody holds the record with a code yet)


@dataclass(frozen=True)
class PatientFormRow:
    assignment_id: int
    submission_id: int  # 0 until submitted
    title: str
    status: str
    status_words: str
    assigned_on: str
    assigned_by: str  # "Dr Priya" / "Online booking"
    due: str
    started_on: str
    submitted_on: str
    reviewed: str  # "Reviewed by … on …" or ""


def assignable_forms(db: Session, actor: Actor, patient_id: object) -> list[AssignableForm]:
    """The forms the actor may give this patient: their own first, then the shared ones, by title."""
    access_patient(db, actor, patient_id, OfficeAction.administer_forms)
    rows = db.exec(
        select(Form, User.full_name)
        .join(User, col(User.id) == Form.author_id)
        .where(access.usable_forms(db, actor))
        .order_by(col(Form.title), col(Form.id))
    ).all()
    found = [AssignableForm(f.id or 0, f.title, name, f.author_id == actor.user_id) for f, name in rows]
    return sorted(found, key=lambda f: not f.mine)


def _due(db: Session, patient: Patient, value: object, now: datetime) -> date | None:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        return None
    day = local_time.parse_day(text, "due_date", "due date")
    if day < office_today(db, patient.office_id, now):
        raise Invalid("The due date cannot be in the past.", "due_date")
    return day


def _message(value: object) -> str:
    text = (value if isinstance(value, str) else "").strip().replace("\r\n", "\n")
    if len(text) > FORM_MESSAGE_LIMIT:
        raise Invalid(f"Keep the message under {FORM_MESSAGE_LIMIT:,} characters.", "message")
    return text


def holders_emails(db: Session, patient_id: int) -> list[str]:
    """The portal accounts holding the record through a redeemed access code."""
    return list(
        db.exec(
            select(User.email)
            .join(PortalAccess, col(PortalAccess.user_id) == User.id)
            .where(
                PortalAccess.patient_id == patient_id,
                col(PortalAccess.revoked_at).is_(None),
                col(PortalAccess.access_code_id).is_not(None),
            )
            .order_by(User.email)
        ).all()
    )


def assign_form(
    db: Session,
    settings: Settings,
    actor: Actor,
    patient_id: object,
    form_id: object,
    *,
    due_date: object = "",
    message: object = "",
    now: datetime | None = None,
) -> AssignResult:
    now = now_or(now)
    patient = access_patient(db, actor, patient_id, OfficeAction.administer_forms)
    assert patient.id is not None
    if patient.archived_at is not None:
        raise Invalid(ARCHIVED)
    form = access.access_form(db, actor, form_id).form
    assert form.id is not None
    due, note = _due(db, patient, due_date, now), _message(message)
    head = versions.head_version(db, form.id)
    assignment = FormAssignment(
        office_id=patient.office_id,
        patient_id=patient.id,
        form_id=form.id,
        version_id=saved_id(head),
        assigned_by_user_id=actor.user_id,
        due_date=due,
        message=note,
        created_at=now,
        updated_at=now,
    )
    db.add(assignment)
    db.flush()
    office = db.get(Office, patient.office_id)
    office_name = office.name if office else "Your clinic"
    emails = holders_emails(db, patient.id)
    due_line = f"\nPlease fill it in by {formatting.day_with_year(due)}.\n" if due else ""
    note_line = f"\nA message from {actor.full_name}:\n{note}\n" if note else ""
    for email in emails:
        mail.enqueue(
            db,
            email,
            f"{office_name} asks you to fill in a form",
            f"Hello,\n\n{office_name} asks you to fill in the form “{form.title}” for {patient.first_name}.\n"
            f"{due_line}{note_line}\nOpen it in your portal: {settings.base_url}/portal/forms\n\n"
            f"You can save your answers and come back to finish later.",
        )
    audit.record(
        db,
        actor,
        AuditAction.form_assigned,
        office_id=patient.office_id,
        patient_id=patient.id,
        target_type="form_assignment",
        target_id=assignment.id,
        detail={"form": form.id, "version": head.number, "notified": len(emails)},
        at=now,
    )
    return AssignResult(assignment.id or 0, len(emails))


def patient_forms(db: Session, actor: Actor, patient_id: object) -> list[PatientFormRow]:
    """The Forms tab: every form given to the record, newest first (the office team's view)."""
    patient = access_patient(db, actor, patient_id, OfficeAction.administer_forms)
    office = db.get(Office, patient.office_id)
    zone = office.time_zone if office else "UTC"
    rows = db.exec(
        select(FormAssignment, Form.title, FormSubmission)
        .join(Form, col(Form.id) == FormAssignment.form_id)
        .outerjoin(FormSubmission, col(FormSubmission.assignment_id) == FormAssignment.id)
        .where(FormAssignment.patient_id == patient.id, access.visible_assignments(db, actor))
        .order_by(col(FormAssignment.created_at).desc(), col(FormAssignment.id).desc())
    ).all()
    people_ids = {a.assigned_by_user_id for a, _, _ in rows} | {s.reviewed_by_user_id for _, _, s in rows if s}
    wanted = [person for person in people_ids if person is not None]
    people = dict(db.exec(select(User.id, User.full_name).where(col(User.id).in_(wanted))).all()) if wanted else {}
    found = []
    for assignment, title, submission in rows:
        reviewed = ""
        if submission is not None and submission.reviewed_at is not None:
            who = people.get(submission.reviewed_by_user_id, "")
            reviewed = f"Reviewed by {who} on {formatting.when(submission.reviewed_at, zone, year=True)}"
        found.append(
            PatientFormRow(
                assignment_id=assignment.id or 0,
                submission_id=submission.id if submission is not None and submission.id else 0,
                title=title,
                status=assignment.status.value,
                status_words=STATUS_WORDS[assignment.status],
                assigned_on=formatting.when(assignment.created_at, zone, year=True),
                assigned_by=people.get(assignment.assigned_by_user_id, "") or "Online booking",
                due=formatting.day_with_year(assignment.due_date) if assignment.due_date else "",
                started_on=formatting.when(assignment.started_at, zone, year=True) if assignment.started_at else "",
                submitted_on=formatting.when(submission.submitted_at, zone, year=True) if submission else "",
                reviewed=reviewed,
            )
        )
    return found
