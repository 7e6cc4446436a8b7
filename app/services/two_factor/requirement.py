"""An office owner may require two-factor sign-in for the team; the requirement is enforced in
`permissions.require`, where every office action is checked."""

from __future__ import annotations

from sqlmodel import Session

from app.models import Office
from app.services import audit, live_versions, permissions
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.errors import Invalid, PermissionDenied
from app.services.permissions import OfficeAction
from app.services.two_factor.status import is_enabled


def missing_for_office(db: Session, actor: Actor, office_id: int) -> bool:
    """Whether this member must set up two-factor sign-in before using the office (for a page to say so)."""
    return actor.is_clinic and permissions.two_factor_missing(db, actor.user_id, office_id)


def set_office_requirement(db: Session, actor: Actor, office_id: int, required: bool) -> None:
    """Owner only (the role table's edit_office). The owner turns it on for themselves first."""
    permissions.require(db, actor, office_id, OfficeAction.edit_office)
    office = db.get(Office, office_id)
    if office is None:
        raise PermissionDenied()
    if required and not is_enabled(db, actor.user_id):
        raise Invalid(
            "Turn on two-factor sign-in for your own account first (Account → Two-factor sign-in).",
            "require_two_factor",
        )
    if office.require_two_factor == required:
        return
    office.require_two_factor = required
    db.add(office)
    live_versions.bump(db, live_versions.office_topic(office_id))  # members without it are sent to set it up
    audit.record(
        db,
        actor,
        AuditAction.two_factor_required_for_team,
        office_id=office_id,
        target_type="office",
        target_id=office_id,
        detail={"required": required},
    )
