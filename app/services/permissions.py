"""Who may do what in an office: the one table of roles and actions.

Every office service asks `require(db, actor, office_id, action)`; the check
reads the membership row every time, so a removed member is refused on their
very next action.

It is also the one place where an office's "require two-factor sign-in for
the team" bites: a member without two-factor sign-in is refused every action
in that office (TwoFactorRequired) until they have set it up, whatever their role.

`capabilities(db, actor, office_id)` answers the same questions all at once, for
the pages: which controls to show. Pages and states never compare roles; the
services check again on every action, whatever the page showed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session, col, select

from app.models import AccountKind, Membership, Office, OfficeRole, TwoFactorCredential
from app.services import checks
from app.services.actor import Actor, require_clinic
from app.services.errors import PermissionDenied, TwoFactorRequired


class OfficeAction(StrEnum):
    view_office = "view_office"
    edit_office = "edit_office"
    manage_team = "manage_team"
    view_schedule = "view_schedule"
    manage_schedule = "manage_schedule"
    view_patients = "view_patients"
    edit_demographics = "edit_demographics"
    manage_access_codes = "manage_access_codes"
    read_charts = "read_charts"
    write_charts = "write_charts"
    manage_documents = "manage_documents"
    manage_forms = "manage_forms"  # build SmartForms (practitioners and the owner)
    administer_forms = "administer_forms"  # assign forms to the office's patients, read their submissions
    view_audit_log = "view_audit_log"


_EVERY_ACTION = frozenset(OfficeAction)

ROLE_PERMISSIONS: dict[OfficeRole, frozenset[OfficeAction]] = {
    OfficeRole.owner: _EVERY_ACTION,
    OfficeRole.practitioner: _EVERY_ACTION
    - {OfficeAction.edit_office, OfficeAction.manage_team, OfficeAction.view_audit_log},
    # Administrative staff run the front desk: no clinical charts, no forms authoring (they assign
    # forms and read their patients' submissions, issue 13).
    OfficeRole.staff: frozenset(
        {
            OfficeAction.view_office,
            OfficeAction.view_schedule,
            OfficeAction.manage_schedule,
            OfficeAction.view_patients,
            OfficeAction.edit_demographics,
            OfficeAction.manage_access_codes,
            OfficeAction.manage_documents,
            OfficeAction.administer_forms,
        }
    ),
}


ONLY_PRACTITIONERS_CREATE = "Only a practitioner account can create an office."


@dataclass(frozen=True)
class Capabilities:
    """What the actor may do, for showing or hiding controls: one flag per OfficeAction (in the
    office the page is about), and whether the account may create an office. All off by default."""

    create_office: bool = False
    view_office: bool = False
    edit_office: bool = False
    manage_team: bool = False
    view_schedule: bool = False
    manage_schedule: bool = False
    view_patients: bool = False
    edit_demographics: bool = False
    manage_access_codes: bool = False
    read_charts: bool = False
    write_charts: bool = False
    manage_documents: bool = False
    manage_forms: bool = False
    administer_forms: bool = False
    view_audit_log: bool = False


def may_create_office(actor: Actor) -> bool:
    """Practitioner accounts create offices (and own them); staff accounts join by invitation."""
    return actor.kind == AccountKind.practitioner


def require_office_creator(actor: Actor) -> None:
    require_clinic(actor)
    if not may_create_office(actor):
        raise PermissionDenied(ONLY_PRACTITIONERS_CREATE)


def allows(role: OfficeRole, action: OfficeAction) -> bool:
    return action in ROLE_PERMISSIONS[role]


def membership(db: Session, actor: Actor, office_id: int) -> Membership | None:
    def read() -> Membership | None:
        return db.exec(
            select(Membership).where(Membership.office_id == office_id, Membership.user_id == actor.user_id)
        ).first()

    return checks.remembered(db, ("membership", actor.user_id, office_id), read)


def two_factor_missing(db: Session, user_id: int, office_id: int) -> bool:
    """Whether the office requires two-factor sign-in and the account has not turned it on."""

    def read() -> bool:
        required = db.exec(select(Office.require_two_factor).where(Office.id == office_id)).first()
        if not required:
            return False
        enabled = db.exec(
            select(TwoFactorCredential.id).where(
                TwoFactorCredential.user_id == user_id,
                col(TwoFactorCredential.enabled_at).is_not(None),
            )
        ).first()
        return enabled is None

    return checks.remembered(db, ("two_factor_missing", user_id, office_id), read)


def can(db: Session, actor: Actor, office_id: int, action: OfficeAction) -> bool:
    """Whether the actor may do the action in the office now (for showing or hiding a control)."""
    member = membership(db, actor, office_id) if actor.is_clinic else None
    return member is not None and allows(member.role, action) and not two_factor_missing(db, actor.user_id, office_id)


def require(db: Session, actor: Actor, office_id: int, action: OfficeAction) -> Membership:
    """The actor's membership if their role allows the action; otherwise refused."""
    require_clinic(actor)
    member = membership(db, actor, office_id)
    if member is None:
        raise PermissionDenied("You do not have access to this office.")
    if not allows(member.role, action):
        raise PermissionDenied("Your role in this office does not allow that.")
    if two_factor_missing(db, actor.user_id, office_id):
        raise TwoFactorRequired()
    return member


def capabilities(db: Session, actor: Actor, office_id: int | None) -> Capabilities:
    """Everything `can` would answer for the office, at once (no office: only `create_office`).

    A portal account, a non-member and a member who still has to set up the office's required
    two-factor sign-in may do nothing there."""
    creates = may_create_office(actor)
    member = membership(db, actor, office_id) if actor.is_clinic and office_id else None
    if member is None or two_factor_missing(db, actor.user_id, member.office_id):
        return Capabilities(create_office=creates)
    allowed = ROLE_PERMISSIONS[member.role]
    return Capabilities(create_office=creates, **{action.value: action in allowed for action in OfficeAction})
