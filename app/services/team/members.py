"""Who is in an office's team (every member may look), removing a member, and handing the office
to another practitioner (the owner's alone)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, delete, select

from app.models import Invitation, Membership, OfficeRole, Service, ServicePractitioner, User, WorkingHours
from app.services import audit, live_versions
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.errors import Invalid, NotFound, PermissionDenied
from app.services.ids import parse_id, saved_id
from app.services.permissions import OfficeAction, require
from app.services.scheduling.calendar_changes import bump_calendar
from app.services.team.invitations import InvitationView, open_invitations

NOT_A_MEMBER = "This person is not a member of the office."


@dataclass(frozen=True)
class MemberView:
    user_id: int
    name: str
    email: str
    role: OfficeRole

    @property
    def is_owner(self) -> bool:
        return self.role == OfficeRole.owner

    @property
    def may_become_owner(self) -> bool:
        return may_become_owner(self.role)


def may_become_owner(role: OfficeRole) -> bool:
    """Ownership goes to a practitioner of the office."""
    return role == OfficeRole.practitioner


@dataclass(frozen=True)
class TeamView:
    practitioners: list[MemberView]  # the owner and practitioners
    staff: list[MemberView]
    invited_practitioners: list[InvitationView]
    invited_staff: list[InvitationView]


def team(db: Session, actor: Actor, office_id: int, now: datetime | None = None) -> TeamView:
    """Everyone in the office and the open invitations; every member may look."""
    require(db, actor, office_id, OfficeAction.view_office)
    now = now_or(now)
    rows = db.exec(
        select(Membership, User)
        .join(User, col(User.id) == Membership.user_id)
        .where(Membership.office_id == office_id)
        .order_by(User.full_name)
    ).all()
    members = [MemberView(saved_id(user), user.full_name, user.email, m.role) for m, user in rows]
    invitations = db.exec(open_invitations(office_id, now).order_by(col(Invitation.created_at))).all()

    def views(role: OfficeRole) -> list[InvitationView]:
        return [InvitationView(saved_id(i), i.email, i.role, i.expires_at) for i in invitations if i.role == role]

    return TeamView(
        practitioners=[m for m in members if m.role != OfficeRole.staff],
        staff=[m for m in members if m.role == OfficeRole.staff],
        invited_practitioners=views(OfficeRole.practitioner),
        invited_staff=views(OfficeRole.staff),
    )


def _member(db: Session, office_id: int, user_id: int) -> Membership:
    user_id = parse_id(user_id, NOT_A_MEMBER)
    member = db.exec(select(Membership).where(Membership.office_id == office_id, Membership.user_id == user_id)).first()
    if member is None:
        raise NotFound(NOT_A_MEMBER)
    return member


def remove_member(db: Session, actor: Actor, office_id: int, user_id: int) -> None:
    """Take someone out of the office; their very next action is refused."""
    require(db, actor, office_id, OfficeAction.manage_team)
    user_id = parse_id(user_id, NOT_A_MEMBER)
    if user_id == actor.user_id:
        raise Invalid("You own this office. Hand ownership to another practitioner before leaving it.")
    member = _member(db, office_id, user_id)
    if member.role == OfficeRole.owner:
        raise PermissionDenied("The owner cannot be removed.")
    db.delete(member)
    # They no longer offer this office's services nor appear on its calendar.
    offered_here = select(Service.id).where(Service.office_id == office_id)
    db.exec(
        delete(ServicePractitioner).where(
            col(ServicePractitioner.user_id) == user_id,
            col(ServicePractitioner.service_id).in_(offered_here),
        )
    )
    db.exec(delete(WorkingHours).where(col(WorkingHours.office_id) == office_id, col(WorkingHours.user_id) == user_id))
    # Their open pages of the office leave it at once; the office's calendars lose their column.
    live_versions.bump(db, live_versions.office_topic(office_id))
    bump_calendar(db, office_id)  # the version too: an open calendar redraws only when it moved
    audit.record(
        db,
        actor,
        AuditAction.team_member_removed,
        office_id=office_id,
        target_type="user",
        target_id=user_id,
        detail={"role": member.role},
    )


def transfer_ownership(db: Session, actor: Actor, office_id: int, user_id: int) -> None:
    """Hand the office to another practitioner; the old owner stays as a practitioner."""
    mine = require(db, actor, office_id, OfficeAction.manage_team)
    user_id = parse_id(user_id, NOT_A_MEMBER)
    if user_id == actor.user_id:
        raise Invalid("You already own this office.")
    theirs = _member(db, office_id, user_id)
    if not may_become_owner(theirs.role):
        raise Invalid("Only a practitioner of the office can become its owner.")
    theirs.role, mine.role = OfficeRole.owner, OfficeRole.practitioner
    db.add(theirs)
    db.add(mine)
    live_versions.bump(db, live_versions.office_topic(office_id))
    audit.record(
        db, actor, AuditAction.team_ownership_transferred, office_id=office_id, target_type="user", target_id=user_id
    )
