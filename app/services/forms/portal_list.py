"""The portal's Forms page: for the chosen record, the forms to fill in, in progress and submitted.

The forms the clinic assigned to a record show for an account that holds the record through a
redeemed access code (SPEC §4); the forms made for the account itself (an online booking's form)
always show: those of the chosen record, and those of records it does not hold (its online client
record), so nothing it filled disappears from its view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from app.models import AssignmentStatus, FormAssignment, FormSubmission, Office, Patient, PortalAccess
from app.services import formatting
from app.services.actor import Actor, require_patient
from app.services.charts.portal import unlocked_with_code
from app.services.forms import access, versions
from app.services.patients.records import full_name
from app.services.portal import held_patient


@dataclass(frozen=True)
class PortalFormRow:
    assignment_id: int
    title: str
    office_name: str
    patient_name: str
    status: str
    assigned_on: str
    due: str
    message: str
    submitted_on: str


@dataclass(frozen=True)
class PortalForms:
    to_fill: list[PortalFormRow]
    in_progress: list[PortalFormRow]
    submitted: list[PortalFormRow]
    unlocked: bool  # the chosen record is held through a code: the clinic's assigned forms show


def portal_forms(db: Session, actor: Actor, current: int | None, limit: int = 200) -> PortalForms:
    """The forms of the chosen record (those assigned by the clinic need the record's access code),
    and the forms made for this account itself (at booking), also of records it does not hold."""
    require_patient(actor)
    unlocked = False
    if current is not None:
        patient = held_patient(db, actor, current)
        unlocked = unlocked_with_code(db, actor, patient.id or 0)
    held = select(PortalAccess.patient_id).where(
        PortalAccess.user_id == actor.user_id, col(PortalAccess.revoked_at).is_(None)
    )
    mine = and_(
        col(FormAssignment.portal_user_id) == actor.user_id,
        or_(col(FormAssignment.patient_id) == current, col(FormAssignment.patient_id).not_in(held)),
    )
    which = or_(mine, col(FormAssignment.patient_id) == current) if unlocked else mine
    rows = db.exec(
        select(FormAssignment, FormSubmission)
        .outerjoin(FormSubmission, col(FormSubmission.assignment_id) == FormAssignment.id)
        .where(which, access.portal_visible(actor))
        .order_by(col(FormAssignment.created_at).desc(), col(FormAssignment.id).desc())
        .limit(limit)
    ).all()
    found: dict[str, list[PortalFormRow]] = {s.value: [] for s in AssignmentStatus}
    titles: dict[int, str] = {}  # each version's title, read once
    for assignment, submission in rows:
        if assignment.version_id not in titles:
            titles[assignment.version_id] = versions.schema_of(db, assignment.version_id)[1].title
        found[assignment.status.value].append(_portal_row(db, assignment, submission, titles[assignment.version_id]))
    return PortalForms(found["assigned"], found["in_progress"], found["submitted"], unlocked)


def _portal_row(
    db: Session, assignment: FormAssignment, submission: FormSubmission | None, title: str
) -> PortalFormRow:
    office = db.get(Office, assignment.office_id)
    zone, office_name = (office.time_zone, office.name) if office else ("UTC", "")
    patient = db.get(Patient, assignment.patient_id)
    due: date | None = assignment.due_date
    return PortalFormRow(
        assignment_id=assignment.id or 0,
        title=title,
        office_name=office_name,
        patient_name=full_name(patient) if patient else "",
        status=assignment.status.value,
        assigned_on=formatting.when(assignment.created_at, zone, year=True),
        due=formatting.day_with_year(due) if due else "",
        message=assignment.message,
        submitted_on=formatting.when(submission.submitted_at, zone, year=True) if submission else "",
    )
