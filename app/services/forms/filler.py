"""The portal's filler, page by page: opening a form (to fill in, or read back once submitted), the
required answers a section still misses before *Next*, and the review of every answer before *Submit*.

Filling itself (save per question, submit) is services/forms/filling.py; who reaches which
assignment is services/forms/access.py (`portal_assignment`). *Next* and the review step only help:
*Submit* checks everything again whatever the page did.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.models import AssignmentStatus, Office
from app.services.actor import Actor, require_patient
from app.services.errors import NotFound
from app.services.forms import access, filling, versions
from app.services.forms.answers import is_answered
from app.services.forms.render import ShownSection, answered_sections
from app.services.forms.review import SubmissionView
from app.services.forms.schema import visible_ids

NO_SECTION = "This part of the form was not found. Please reload it."


@dataclass(frozen=True)
class PortalForm:
    """One of the two: the form to fill in (`fill`), or what was submitted (`submitted`)."""

    fill: filling.FillView | None
    submitted: SubmissionView | None


def open_portal_form(db: Session, actor: Actor, assignment_id: object) -> PortalForm:
    """The filler's page: the form with its saved answers (audited as opened), or, once submitted,
    the read-only submission."""
    require_patient(actor)
    assignment = access.portal_assignment(db, actor, assignment_id)
    if assignment.status == AssignmentStatus.submitted:
        return PortalForm(None, filling.own_submission(db, actor, assignment.id))
    return PortalForm(filling.load_for_filling(db, actor, assignment.id), None)


def section_problems(db: Session, actor: Actor, assignment_id: object, section_id: object) -> dict[str, str]:
    """The shown required questions of one section that have no saved answer yet: question id → message."""
    require_patient(actor)
    assignment = access.portal_assignment(db, actor, assignment_id)
    schema = versions.schema_of(db, assignment.version_id)[1]
    section = next((s for s in schema.sections if s.id == section_id), None)
    if section is None:
        raise NotFound(NO_SECTION)
    saved = filling.saved_answers(db, assignment.id or 0)
    shown = visible_ids(schema, saved)
    return {
        q.id: filling.REQUIRED
        for q in section.questions
        if q.id in shown and q.required and not is_answered(saved.get(q.id))
    }


def review_answers(db: Session, actor: Actor, assignment_id: object) -> list[ShownSection]:
    """Every shown question with its saved answer, as a person reads it (the step before *Submit*)."""
    require_patient(actor)
    assignment = access.portal_assignment(db, actor, assignment_id)
    schema = versions.schema_of(db, assignment.version_id)[1]
    office = db.get(Office, assignment.office_id)
    saved = filling.saved_answers(db, assignment.id or 0)
    return answered_sections(schema, saved, office.time_zone if office else "UTC")
