"""Who may use a form and who may read an assignment or submission: ONE rule each, as SQL conditions
used by every list and every single load.

A form is **usable** (previewed, assigned to a patient, attached to a service's online booking) by
a clinic person who is a member of at least one office (with two-factor sign-in where that office
requires it) and
1. wrote it, or
2. it is shared with them (a practitioner recipient), or with an office they are a member of —
   owner, practitioner or staff: the front desk assigns the forms shared with its office.
Only its author edits it and sets its sharing options (and only while they may build forms in
one of their offices: practitioners and owners).

An assignment (a form given to a patient, and its submission) is **readable** by
1. the team of the patient's office: owner, practitioners and staff — "the office team sees its
   own patients' submissions" (so the practitioner who assigned it does too, while in the office);
2. the form's author, when *See all submissions* is on — submitted ones only, whoever's patient;
3. the practitioners the form is shared with (directly, or as owner or practitioner of a recipient
   office), when *Allow other practitioners to see all submissions* is on — submitted ones only.
Removing a member, a share or an option takes the access away on the next click.

A portal account reads an assignment that was made for it (an online booking's form: with or
without an access code, SPEC §4), or one of a record it holds through a redeemed access code.
Another person's form, assignment or submission and a missing one look the same (NotFound).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, false, or_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.models import (
    AccountKind,
    AssignmentStatus,
    Form,
    FormAssignment,
    FormShare,
    FormSubmission,
    Membership,
    Office,
)
from app.services.actor import Actor
from app.services.documents.access import code_holder_ids
from app.services.errors import NotFound
from app.services.ids import parse_id
from app.services.permissions import OfficeAction, allows
from app.services.two_factor import status as two_factor_status

FORM_NOT_FOUND = "This form was not found."
SUBMISSION_NOT_FOUND = "This form was not found for this patient."
NOT_AVAILABLE = "This form is not available."


def reachable_offices(db: Session, actor: Actor, action: OfficeAction) -> list[int]:
    """The offices where the actor's role allows `action` now (two-factor sign-in where required)."""
    if not actor.is_clinic:
        return []
    rows = db.exec(
        select(col(Membership.office_id), col(Membership.role), col(Office.require_two_factor))
        .join(Office, col(Office.id) == Membership.office_id)
        .where(col(Membership.user_id) == actor.user_id)
    ).all()
    enrolled: bool | None = None
    found: list[int] = []
    for office_id, role, strict in rows:
        if not allows(role, action):
            continue
        if strict:
            enrolled = two_factor_status.is_enabled(db, actor.user_id) if enrolled is None else enrolled
            if not enrolled:
                continue
        found.append(office_id)
    return found


def _shared_to(form_id: Any, user_id: int, offices: list[int]) -> Any:
    """EXISTS: a share of the form (its id column, correlated) to the user or to one of these offices."""
    to_office = col(FormShare.recipient_office_id).in_(offices) if offices else false()
    return exists(
        sa_select(col(FormShare.id)).where(
            col(FormShare.form_id) == form_id, or_(col(FormShare.recipient_user_id) == user_id, to_office)
        )
    )


def usable_forms(db: Session, actor: Actor) -> Any:
    """The condition on Form for every form the actor may use (rules 1-2 of the module)."""
    offices = reachable_offices(db, actor, OfficeAction.administer_forms)
    if not offices:
        return false()
    return or_(col(Form.author_id) == actor.user_id, _shared_to(Form.id, actor.user_id, offices))


def shared_with_me(db: Session, actor: Actor) -> Any:
    """The condition on Form for forms others shared with the actor (*Shared with me*)."""
    offices = reachable_offices(db, actor, OfficeAction.administer_forms)
    if not offices:
        return false()
    return and_(col(Form.author_id) != actor.user_id, _shared_to(Form.id, actor.user_id, offices))


@dataclass(frozen=True)
class FormAccess:
    form: Form
    is_author: bool


def access_form(db: Session, actor: Actor, form_id: object) -> FormAccess:
    """A form the actor may use, and whether they wrote it; NotFound for anything else."""
    wanted = parse_id(form_id, FORM_NOT_FOUND)
    form = db.exec(select(Form).where(Form.id == wanted, usable_forms(db, actor))).first()
    if form is None:
        raise NotFound(FORM_NOT_FOUND)
    return FormAccess(form, form.author_id == actor.user_id)


def authored_form(db: Session, actor: Actor, form_id: object) -> Form:
    """A form the actor wrote and may still edit: they build forms (owner or practitioner) in one of
    their offices. Anyone else cannot tell there is anything to edit."""
    wanted = parse_id(form_id, FORM_NOT_FOUND)
    form = db.get(Form, wanted)
    if form is None or form.author_id != actor.user_id or not reachable_offices(db, actor, OfficeAction.manage_forms):
        raise NotFound(FORM_NOT_FOUND)
    return form


def visible_assignments(db: Session, actor: Actor) -> Any:
    """The condition on FormAssignment for every assignment the actor may read (rules 1-3)."""
    team = reachable_offices(db, actor, OfficeAction.administer_forms)
    own_office = col(FormAssignment.office_id).in_(team) if team else false()
    if actor.kind != AccountKind.practitioner:
        return own_office
    clinical = reachable_offices(db, actor, OfficeAction.manage_forms)
    form = aliased(Form)  # the list may join Form itself: this subquery keeps its own
    sees_all = exists(
        sa_select(col(form.id)).where(
            col(form.id) == FormAssignment.form_id,
            or_(
                and_(col(form.author_id) == actor.user_id, col(form.author_sees_all).is_(True)),
                and_(col(form.recipients_see_all).is_(True), _shared_to(form.id, actor.user_id, clinical)),
            ),
        )
    )
    return or_(own_office, and_(col(FormAssignment.status) == AssignmentStatus.submitted, sees_all))


def access_assignment(db: Session, actor: Actor, assignment_id: object) -> FormAssignment:
    wanted = parse_id(assignment_id, SUBMISSION_NOT_FOUND)
    found = db.exec(select(FormAssignment).where(FormAssignment.id == wanted, visible_assignments(db, actor))).first()
    if found is None:
        raise NotFound(SUBMISSION_NOT_FOUND)
    return found


def access_submission(db: Session, actor: Actor, submission_id: object) -> tuple[FormSubmission, FormAssignment]:
    wanted = parse_id(submission_id, SUBMISSION_NOT_FOUND)
    found = db.exec(
        select(FormSubmission, FormAssignment)
        .join(FormAssignment, col(FormAssignment.id) == FormSubmission.assignment_id)
        .where(FormSubmission.id == wanted, visible_assignments(db, actor))
    ).first()
    if found is None:
        raise NotFound(SUBMISSION_NOT_FOUND)
    return found[0], found[1]


def portal_visible(actor: Actor) -> Any:
    """The condition on FormAssignment for a portal account: its own (booking) forms, and those of
    records it holds through a redeemed access code."""
    if not actor.is_patient:
        return false()
    return or_(
        col(FormAssignment.portal_user_id) == actor.user_id,
        col(FormAssignment.patient_id).in_(code_holder_ids(actor)),
    )


def portal_assignment(db: Session, actor: Actor, assignment_id: object) -> FormAssignment:
    wanted = parse_id(assignment_id, NOT_AVAILABLE)
    found = db.exec(select(FormAssignment).where(FormAssignment.id == wanted, portal_visible(actor))).first()
    if found is None:
        raise NotFound(NOT_AVAILABLE)
    return found
