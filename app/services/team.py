"""The office team: invitations by e-mail, accepting them, removing members, ownership.

Only the owner invites, revokes, removes and hands over ownership (the
`manage_team` permission). An invitation is for one exact address, compared
without case, and only the account with that address can answer it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, delete, select, update

from app.models import (
    AccountKind,
    Invitation,
    InvitationStatus,
    Membership,
    Office,
    OfficeRole,
    Service,
    ServicePractitioner,
    User,
    WorkingHours,
)
from app.services import audit, mail, sessions
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.errors import Invalid, NotFound, PermissionDenied
from app.services.ids import parse_id
from app.services.permissions import OfficeAction, membership, require
from app.services.validation import email_address, normalize_email
from app.settings import Settings

INVITATION_LIFETIME = timedelta(days=7)
INVITABLE_ROLES = (OfficeRole.practitioner, OfficeRole.staff)
GONE = "This invitation is no longer open. Ask the office to invite you again."
INVITATION_NOT_FOUND = "This invitation was not found."
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
class InvitationView:
    id: int
    email: str
    role: OfficeRole
    expires_at: datetime


@dataclass(frozen=True)
class TeamView:
    practitioners: list[MemberView]  # the owner and practitioners
    staff: list[MemberView]
    invited_practitioners: list[InvitationView]
    invited_staff: list[InvitationView]


@dataclass(frozen=True)
class IncomingInvitation:
    id: int
    office_name: str
    inviter_name: str
    role: OfficeRole


def _open_invitations(office_id: int, now: datetime):  # type: ignore[no-untyped-def]
    return select(Invitation).where(
        Invitation.office_id == office_id,
        Invitation.status == InvitationStatus.pending,
        Invitation.expires_at > now,
    )


def team(db: Session, actor: Actor, office_id: int, now: datetime | None = None) -> TeamView:
    """Everyone in the office and the open invitations; every member may look."""
    require(db, actor, office_id, OfficeAction.view_office)
    now = now_or(now)
    rows = db.exec(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)  # type: ignore[arg-type]
        .where(Membership.office_id == office_id)
        .order_by(User.full_name)
    ).all()
    members = [MemberView(user.id, user.full_name, user.email, m.role) for m, user in rows]  # type: ignore[arg-type]
    invitations = db.exec(_open_invitations(office_id, now).order_by(Invitation.created_at)).all()

    def views(role: OfficeRole) -> list[InvitationView]:
        return [InvitationView(i.id, i.email, i.role, i.expires_at) for i in invitations if i.role == role]  # type: ignore[arg-type]

    return TeamView(
        practitioners=[m for m in members if m.role != OfficeRole.staff],
        staff=[m for m in members if m.role == OfficeRole.staff],
        invited_practitioners=views(OfficeRole.practitioner),
        invited_staff=views(OfficeRole.staff),
    )


def invite(
    db: Session,
    settings: Settings,
    actor: Actor,
    office_id: int,
    email: str,
    role: str,
    now: datetime | None = None,
) -> Invitation:
    """Invite an address as practitioner or staff; a second invitation replaces the first."""
    require(db, actor, office_id, OfficeAction.manage_team)
    now = now_or(now)
    if role not in INVITABLE_ROLES:
        raise Invalid("Choose practitioner or staff.", "role")
    email = email_address(email)
    normalized = normalize_email(email)
    office = db.get(Office, office_id)
    if office is None:
        raise NotFound()
    already = db.exec(
        select(User.full_name)
        .join(Membership, Membership.user_id == User.id)  # type: ignore[arg-type]
        .where(Membership.office_id == office_id, User.email_normalized == normalized)
    ).first()
    if already is not None:
        raise Invalid(f"{already} is already a member of this office.", "email")
    db.exec(
        update(Invitation)
        .where(
            Invitation.office_id == office_id,
            Invitation.email_normalized == normalized,
            Invitation.status == InvitationStatus.pending,
        )
        .values(status=InvitationStatus.replaced, responded_at=now)
    )
    invitation = Invitation(
        office_id=office_id,
        email=email,
        email_normalized=normalized,
        role=OfficeRole(role),
        invited_by_user_id=actor.user_id,
        created_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    db.add(invitation)
    db.flush()
    as_what = "administrative staff" if role == OfficeRole.staff else "a practitioner"
    mail.enqueue(
        db,
        email,
        f"{actor.full_name} invites you to join {office.name} on Praxis",
        f"Hello,\n\n{actor.full_name} invites you to join {office.name} on Praxis as {as_what}.\n\n"
        f"Already have a Praxis account with this address? Sign in to approve:\n{settings.base_url}/sign-in\n\n"
        f'New to Praxis? Create your account with this exact address, choosing "Practitioner" '
        f"(front-desk staff too):\n{settings.base_url}/sign-up\n\n"
        "The invitation is waiting for you when you sign in, for 7 days.",
    )
    audit.record(
        db,
        actor,
        AuditAction.team_invited,
        office_id=office_id,
        target_type="invitation",
        target_id=invitation.id,
        detail={"role": role, "email": normalized},
    )
    return invitation


def _invitation_to_manage(db: Session, actor: Actor, invitation_id: object) -> Invitation:
    """An invitation of an office whose team the actor manages.

    Another office's invitation looks exactly like a missing one: same exception, same words."""
    invitation = db.get(Invitation, parse_id(invitation_id, INVITATION_NOT_FOUND))
    if invitation is None or membership(db, actor, invitation.office_id) is None:
        raise NotFound(INVITATION_NOT_FOUND)
    require(db, actor, invitation.office_id, OfficeAction.manage_team)  # their own office: the role may refuse
    return invitation


def revoke_invitation(db: Session, actor: Actor, invitation_id: int, now: datetime | None = None) -> None:
    invitation = _invitation_to_manage(db, actor, invitation_id)
    if invitation.status != InvitationStatus.pending:
        raise Invalid("This invitation is no longer open.")
    invitation.status = InvitationStatus.revoked
    invitation.responded_at = now_or(now)
    db.add(invitation)
    audit.record(
        db,
        actor,
        AuditAction.team_invitation_revoked,
        office_id=invitation.office_id,
        target_type="invitation",
        target_id=invitation.id,
    )


def incoming_invitations(db: Session, actor: Actor, now: datetime | None = None) -> list[IncomingInvitation]:
    """Open invitations addressed to the signed-in account's e-mail address."""
    now = now_or(now)
    rows = db.exec(
        select(Invitation, Office.name, User.full_name)
        .join(Office, Office.id == Invitation.office_id)  # type: ignore[arg-type]
        .outerjoin(User, User.id == Invitation.invited_by_user_id)  # type: ignore[arg-type]
        .where(
            Invitation.email_normalized == normalize_email(actor.email),
            Invitation.status == InvitationStatus.pending,
            Invitation.expires_at > now,
        )
        .order_by(Invitation.created_at)
    ).all()
    return [
        IncomingInvitation(invitation.id, office_name, inviter or "The office owner", invitation.role)  # type: ignore[arg-type]
        for invitation, office_name, inviter in rows
    ]


def _addressed_to(db: Session, actor: Actor, invitation_id: int, now: datetime) -> Invitation:
    invitation = db.get(Invitation, parse_id(invitation_id, GONE))
    # Someone else's invitation looks exactly like a missing one.
    if invitation is None or invitation.email_normalized != normalize_email(actor.email):
        raise NotFound(GONE)
    if invitation.status != InvitationStatus.pending or now >= invitation.expires_at:
        raise NotFound(GONE)
    return invitation


def accept_invitation(db: Session, actor: Actor, invitation_id: int, now: datetime | None = None) -> int:
    """Join the office; returns its id. A staff invitation turns an office-less practitioner into staff."""
    now = now_or(now)
    invitation = _addressed_to(db, actor, invitation_id, now)
    if actor.kind == AccountKind.patient:
        raise PermissionDenied(
            "This address belongs to a patient portal account, which can't join an office's team. "
            "Ask the office to invite the address of your practitioner account."
        )
    if actor.kind == AccountKind.staff and invitation.role == OfficeRole.practitioner:
        raise PermissionDenied("Administrative staff accounts can join an office as staff only.")
    user = db.get(User, actor.user_id)
    if user is None:
        raise NotFound(GONE)
    has_office = db.exec(select(Membership.id).where(Membership.user_id == user.id)).first() is not None
    if invitation.role == OfficeRole.staff and user.kind == AccountKind.practitioner and not has_office:
        user.kind = AccountKind.staff
        db.add(user)
    db.add(Membership(office_id=invitation.office_id, user_id=user.id, role=invitation.role, created_at=now))  # type: ignore[arg-type]
    invitation.status = InvitationStatus.accepted
    invitation.responded_at = now
    db.add(invitation)
    sessions.set_current_office(db, actor, invitation.office_id)
    audit.record(
        db,
        actor,
        AuditAction.team_invitation_accepted,
        office_id=invitation.office_id,
        target_type="invitation",
        target_id=invitation.id,
        detail={"role": invitation.role},
    )
    return invitation.office_id


def decline_invitation(db: Session, actor: Actor, invitation_id: int, now: datetime | None = None) -> None:
    now = now_or(now)
    invitation = _addressed_to(db, actor, invitation_id, now)
    invitation.status = InvitationStatus.declined
    invitation.responded_at = now
    db.add(invitation)
    audit.record(
        db,
        actor,
        AuditAction.team_invitation_declined,
        office_id=invitation.office_id,
        target_type="invitation",
        target_id=invitation.id,
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
            ServicePractitioner.user_id == user_id,
            ServicePractitioner.service_id.in_(offered_here),  # type: ignore[attr-defined]
        )
    )
    db.exec(delete(WorkingHours).where(WorkingHours.office_id == office_id, WorkingHours.user_id == user_id))  # type: ignore[arg-type]
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
    audit.record(
        db, actor, AuditAction.team_ownership_transferred, office_id=office_id, target_type="user", target_id=user_id
    )
