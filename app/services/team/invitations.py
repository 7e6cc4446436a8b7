"""Invitations to an office's team: the owner invites an address by e-mail (or revokes the
invitation); the account with that exact address (compared without case) accepts or declines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select, update

from app.models import AccountKind, Invitation, InvitationStatus, Membership, Office, OfficeRole, User
from app.services import audit, live_versions, mail, sessions
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.errors import Invalid, NotFound, PermissionDenied
from app.services.ids import parse_id, saved_id
from app.services.permissions import OfficeAction, membership, require
from app.services.scheduling.calendar_changes import bump_calendar
from app.services.validation import email_address, normalize_email
from app.settings import Settings

INVITATION_LIFETIME = timedelta(days=7)
INVITABLE_ROLES = (OfficeRole.practitioner, OfficeRole.staff)
GONE = "This invitation is no longer open. Ask the office to invite you again."
INVITATION_NOT_FOUND = "This invitation was not found."


@dataclass(frozen=True)
class InvitationView:
    id: int
    email: str
    role: OfficeRole
    expires_at: datetime


@dataclass(frozen=True)
class IncomingInvitation:
    id: int
    office_name: str
    inviter_name: str
    role: OfficeRole


def open_invitations(office_id: int, now: datetime):
    return select(Invitation).where(
        Invitation.office_id == office_id,
        Invitation.status == InvitationStatus.pending,
        Invitation.expires_at > now,
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
        .join(Membership, col(Membership.user_id) == User.id)
        .where(Membership.office_id == office_id, User.email_normalized == normalized)
    ).first()
    if already is not None:
        raise Invalid(f"{already} is already a member of this office.", "email")
    db.exec(
        update(Invitation)
        .where(
            col(Invitation.office_id) == office_id,
            col(Invitation.email_normalized) == normalized,
            col(Invitation.status) == InvitationStatus.pending,
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
    live_versions.bump_address(db, normalized)  # an open page of the invited account shows it
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
    live_versions.bump_address(db, invitation.email_normalized)
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
        .join(Office, col(Office.id) == Invitation.office_id)
        .outerjoin(User, col(User.id) == Invitation.invited_by_user_id)
        .where(
            Invitation.email_normalized == normalize_email(actor.email),
            Invitation.status == InvitationStatus.pending,
            Invitation.expires_at > now,
        )
        .order_by(col(Invitation.created_at))
    ).all()
    return [
        IncomingInvitation(saved_id(invitation), office_name, inviter or "The office owner", invitation.role)
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
    db.add(Membership(office_id=invitation.office_id, user_id=saved_id(user), role=invitation.role, created_at=now))
    if invitation.role != OfficeRole.staff:  # a new practitioner: a new column on the calendar
        bump_calendar(db, invitation.office_id)
    invitation.status = InvitationStatus.accepted
    invitation.responded_at = now
    db.add(invitation)
    sessions.set_current_office(db, actor, invitation.office_id)
    live_versions.bump_user(db, actor.user_id)  # the dialog leaves the account's other tabs
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
    live_versions.bump_user(db, actor.user_id)
    audit.record(
        db,
        actor,
        AuditAction.team_invitation_declined,
        office_id=invitation.office_id,
        target_type="invitation",
        target_id=invitation.id,
    )
