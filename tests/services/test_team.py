"""The office team (SPEC §2, issue 3): invitations, accepting, declining, revoking, removing, ownership."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from app.models import (
    AccountKind,
    AuditEntry,
    AuthSession,
    Invitation,
    InvitationStatus,
    Membership,
    Office,
    OfficeRole,
    OutboxMessage,
    User,
)
from app.services import offices, permissions, sessions
from app.services.actor import Actor
from app.services.errors import Invalid, NotFound, PermissionDenied
from app.services.permissions import OfficeAction
from app.services.team import invitations, members
from app.settings import Settings
from tests.factories import make_office, make_user, sign_in_as

OFFICE_NAME = "Maple Street Clinic"
OWNER_NAME = "Olivia Owner"


# --- helpers -----------------------------------------------------------------


def signed_in(
    db: Session, email: str, kind: AccountKind = AccountKind.practitioner, name: str | None = None
) -> tuple[Actor, str]:
    user = make_user(db, email=email, kind=kind, full_name=name or email.split("@")[0].title())
    return sign_in_as(db, user)


def add_member(db: Session, office: Office, actor: Actor, role: OfficeRole) -> None:
    db.add(Membership(office_id=office.id, user_id=actor.user_id, role=role))  # type: ignore[arg-type]
    db.commit()


def count(db: Session, model: type, *where) -> int:  # type: ignore[no-untyped-def]
    return db.exec(select(func.count()).select_from(model).where(*where)).one()


def membership(db: Session, office_id: int, user_id: int) -> Membership | None:
    return db.exec(select(Membership).where(Membership.office_id == office_id, Membership.user_id == user_id)).first()


def fresh_invitation(db: Session, invitation_id: int) -> Invitation:
    db.expire_all()
    invitation = db.get(Invitation, invitation_id)
    assert invitation is not None
    return invitation


def audit_entries(db: Session, action: str) -> list[AuditEntry]:
    return list(db.exec(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)).all())  # type: ignore[arg-type]


def invite(
    db: Session, settings: Settings, owner: Actor, office: Office, email: str, role: str, now: datetime
) -> Invitation:
    invitation = invitations.invite(db, settings, owner, office.id, email, role, now=now)  # type: ignore[arg-type]
    db.commit()
    return invitation


def accept(db: Session, actor: Actor, invitation: Invitation, now: datetime) -> int:
    office_id = invitations.accept_invitation(db, actor, invitation.id, now=now)  # type: ignore[arg-type]
    db.commit()
    return office_id


def nothing_written(db: Session) -> None:
    """No invitation, e-mail or audit entry of the team was added (checked before the rollback)."""
    assert count(db, Invitation) == 0
    assert count(db, OutboxMessage) == 0
    assert count(db, AuditEntry, AuditEntry.action.like("team.%")) == 0  # type: ignore[attr-defined]


# --- fixtures ----------------------------------------------------------------


@pytest.fixture
def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def owner_login(db: Session) -> tuple[Actor, str]:
    return signed_in(db, "owner@example.com", name=OWNER_NAME)


@pytest.fixture
def owner(owner_login: tuple[Actor, str]) -> Actor:
    return owner_login[0]


@pytest.fixture
def office(db: Session, owner: Actor) -> Office:
    return make_office(db, owner, name=OFFICE_NAME)


@pytest.fixture
def dana_login(db: Session) -> tuple[Actor, str]:
    """A practitioner account that belongs to no office yet."""
    return signed_in(db, "dana@example.com", name="Dana Desk")


@pytest.fixture
def dana(dana_login: tuple[Actor, str]) -> Actor:
    return dana_login[0]


# --- inviting ------------------------------------------------------------------


def test_owner_invite_creates_a_pending_invitation_and_an_email(
    db: Session, settings: Settings, owner: Actor, office: Office, now: datetime
) -> None:
    invitation = invite(db, settings, owner, office, "  Dana@Example.com ", "staff", now)

    stored = fresh_invitation(db, invitation.id)  # type: ignore[arg-type]
    assert stored.office_id == office.id
    assert stored.email == "Dana@Example.com"
    assert stored.email_normalized == "dana@example.com"
    assert stored.role == OfficeRole.staff
    assert stored.status == InvitationStatus.pending
    assert stored.invited_by_user_id == owner.user_id
    assert stored.expires_at == now + timedelta(days=7)

    message = db.exec(select(OutboxMessage)).one()
    assert message.to_address == "Dana@Example.com"
    assert OFFICE_NAME in message.subject
    assert OFFICE_NAME in message.body_text
    assert OWNER_NAME in message.body_text
    assert "http://praxis.test/sign-in" in message.body_text

    view = members.team(db, owner, office.id, now=now)  # type: ignore[arg-type]
    assert [(i.id, i.email, i.role) for i in view.invited_staff] == [(invitation.id, "Dana@Example.com", "staff")]
    assert view.invited_practitioners == []


def test_a_practitioner_invitation_lands_in_the_practitioners_column(
    db: Session, settings: Settings, owner: Actor, office: Office, now: datetime
) -> None:
    invitation = invite(db, settings, owner, office, "pat@example.com", "practitioner", now)
    view = members.team(db, owner, office.id, now=now)  # type: ignore[arg-type]
    assert [i.id for i in view.invited_practitioners] == [invitation.id]
    assert view.invited_staff == []
    assert "practitioner" in db.exec(select(OutboxMessage)).one().body_text


@pytest.mark.parametrize("who", ["practitioner", "staff", "outsider", "patient"])
def test_only_the_owner_invites(db: Session, settings: Settings, office: Office, now: datetime, who: str) -> None:
    kind = {"staff": AccountKind.staff, "patient": AccountKind.patient}.get(who, AccountKind.practitioner)
    actor, _ = signed_in(db, f"{who}@example.com", kind)
    if who in ("practitioner", "staff"):
        add_member(db, office, actor, OfficeRole(who))

    with pytest.raises(PermissionDenied):
        invitations.invite(db, settings, actor, office.id, "new@example.com", "staff", now=now)  # type: ignore[arg-type]
    nothing_written(db)
    db.rollback()


@pytest.mark.parametrize("address", ["MEMBER@example.com", "member@EXAMPLE.com", "OWNER@Example.Com"])
def test_inviting_someone_already_a_member_says_so(
    db: Session, settings: Settings, owner: Actor, office: Office, now: datetime, address: str
) -> None:
    member, _ = signed_in(db, "member@example.com", AccountKind.staff, name="Mia Member")
    add_member(db, office, member, OfficeRole.staff)

    with pytest.raises(Invalid) as refused:
        invitations.invite(db, settings, owner, office.id, address, "practitioner", now=now)  # type: ignore[arg-type]
    assert refused.value.field == "email"
    expected_name = OWNER_NAME if address.lower().startswith("owner") else "Mia Member"
    assert f"{expected_name} is already a member" in refused.value.message
    nothing_written(db)
    db.rollback()


def test_inviting_the_same_address_again_replaces_the_old_invitation(
    db: Session, settings: Settings, owner: Actor, office: Office, dana: Actor, now: datetime
) -> None:
    first = invite(db, settings, owner, office, "dana@example.com", "practitioner", now)
    later = now + timedelta(hours=1)
    second = invite(db, settings, owner, office, "DANA@Example.COM", "staff", later)

    old = fresh_invitation(db, first.id)  # type: ignore[arg-type]
    assert old.status == InvitationStatus.replaced
    assert old.responded_at == later
    new = fresh_invitation(db, second.id)  # type: ignore[arg-type]
    assert (new.status, new.role, new.expires_at) == (
        InvitationStatus.pending,
        OfficeRole.staff,
        later + timedelta(days=7),
    )
    assert count(db, Invitation, Invitation.status == InvitationStatus.pending) == 1
    assert [i.id for i in invitations.incoming_invitations(db, dana, now=later)] == [second.id]
    assert count(db, OutboxMessage) == 2

    # The replaced invitation can no longer be answered; the new one can.
    with pytest.raises(NotFound):
        invitations.accept_invitation(db, dana, first.id, now=later)  # type: ignore[arg-type]
    db.rollback()
    assert accept(db, dana, second, later) == office.id
    assert membership(db, office.id, dana.user_id).role == OfficeRole.staff  # type: ignore[arg-type, union-attr]


def test_an_invitation_from_another_office_is_not_replaced(
    db: Session, settings: Settings, owner: Actor, office: Office, now: datetime
) -> None:
    other_owner, _ = signed_in(db, "other@example.com")
    other_office = make_office(db, other_owner, name="Birch Clinic")
    theirs = invite(db, settings, other_owner, other_office, "dana@example.com", "staff", now)
    invite(db, settings, owner, office, "dana@example.com", "staff", now)
    assert fresh_invitation(db, theirs.id).status == InvitationStatus.pending  # type: ignore[arg-type]
    assert count(db, Invitation, Invitation.status == InvitationStatus.pending) == 2


@pytest.mark.parametrize("address", ["", "   ", "not-an-email", "dana@example", "two words@example.com", "a@b@c.com"])
def test_a_bad_address_is_refused_and_nothing_is_written(
    db: Session, settings: Settings, owner: Actor, office: Office, now: datetime, address: str
) -> None:
    with pytest.raises(Invalid) as refused:
        invitations.invite(db, settings, owner, office.id, address, "staff", now=now)  # type: ignore[arg-type]
    assert refused.value.field == "email"
    nothing_written(db)
    db.rollback()
    nothing_written(db)


@pytest.mark.parametrize("role", ["owner", "admin", "", "Staff"])
def test_only_practitioner_or_staff_can_be_invited(
    db: Session, settings: Settings, owner: Actor, office: Office, now: datetime, role: str
) -> None:
    with pytest.raises(Invalid) as refused:
        invitations.invite(db, settings, owner, office.id, "dana@example.com", role, now=now)  # type: ignore[arg-type]
    assert refused.value.field == "role"
    nothing_written(db)
    db.rollback()


# --- incoming invitations --------------------------------------------------------


def test_incoming_invitations_match_the_address_without_case(
    db: Session, settings: Settings, owner: Actor, office: Office, dana: Actor, now: datetime
) -> None:
    invitation = invite(db, settings, owner, office, "DANA@EXAMPLE.COM", "staff", now)
    someone_else, _ = signed_in(db, "someone@example.com")

    assert invitations.incoming_invitations(db, dana, now=now) == [
        invitations.IncomingInvitation(invitation.id, OFFICE_NAME, OWNER_NAME, OfficeRole.staff)  # type: ignore[arg-type]
    ]
    assert invitations.incoming_invitations(db, someone_else, now=now) == []
    assert invitations.incoming_invitations(db, owner, now=now) == []


def test_invitations_expire_after_seven_days(
    db: Session, settings: Settings, owner: Actor, office: Office, dana: Actor, now: datetime
) -> None:
    invitation = invite(db, settings, owner, office, "dana@example.com", "practitioner", now)

    almost = now + timedelta(days=7) - timedelta(seconds=1)
    assert [i.id for i in invitations.incoming_invitations(db, dana, now=almost)] == [invitation.id]
    assert invitations.incoming_invitations(db, dana, now=now + timedelta(days=7)) == []
    assert invitations.incoming_invitations(db, dana, now=now + timedelta(days=8)) == []
    # The owner's team view drops it too.
    view = members.team(db, owner, office.id, now=now + timedelta(days=8))  # type: ignore[arg-type]
    assert view.invited_practitioners == []


# --- accepting -------------------------------------------------------------------


def test_a_practitioner_with_no_office_accepting_staff_becomes_staff(
    db: Session,
    settings: Settings,
    owner: Actor,
    office: Office,
    dana_login: tuple[Actor, str],
    now: datetime,
) -> None:
    dana, token = dana_login
    invitation = invite(db, settings, owner, office, "Dana@example.com", "staff", now)

    assert accept(db, dana, invitation, now) == office.id

    db.expire_all()
    assert db.get(User, dana.user_id).kind == AccountKind.staff  # type: ignore[union-attr]
    joined = membership(db, office.id, dana.user_id)  # type: ignore[arg-type]
    assert joined is not None
    assert joined.role == OfficeRole.staff
    stored = fresh_invitation(db, invitation.id)  # type: ignore[arg-type]
    assert (stored.status, stored.responded_at) == (InvitationStatus.accepted, now)
    assert invitations.incoming_invitations(db, dana, now=now) == []
    # Their session now works in that office, as staff.
    assert db.get(AuthSession, dana.session_id).current_office_id == office.id  # type: ignore[union-attr]
    again = sessions.resolve(db, token, "203.0.113.9")
    assert again is not None
    assert again.kind == AccountKind.staff
    assert permissions.require(db, again, office.id, OfficeAction.view_patients).role == OfficeRole.staff  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        permissions.require(db, again, office.id, OfficeAction.read_charts)  # type: ignore[arg-type]
    db.rollback()
    view = members.team(db, owner, office.id, now=now)  # type: ignore[arg-type]
    assert [m.user_id for m in view.staff] == [dana.user_id]
    assert [m.user_id for m in view.practitioners] == [owner.user_id]
    assert view.invited_staff == []


def test_a_practitioner_accepting_a_practitioner_invitation_stays_a_practitioner(
    db: Session, settings: Settings, owner: Actor, office: Office, dana: Actor, now: datetime
) -> None:
    invitation = invite(db, settings, owner, office, "dana@example.com", "practitioner", now)
    assert accept(db, dana, invitation, now) == office.id

    db.expire_all()
    assert db.get(User, dana.user_id).kind == AccountKind.practitioner  # type: ignore[union-attr]
    assert membership(db, office.id, dana.user_id).role == OfficeRole.practitioner  # type: ignore[arg-type, union-attr]
    permissions.require(db, dana, office.id, OfficeAction.write_charts)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        permissions.require(db, dana, office.id, OfficeAction.manage_team)  # type: ignore[arg-type]
    db.rollback()


def test_a_practitioner_who_already_has_an_office_stays_a_practitioner_as_staff_elsewhere(
    db: Session, settings: Settings, owner: Actor, office: Office, dana: Actor, now: datetime
) -> None:
    own_office = make_office(db, dana, name="Dana's Own Clinic")
    invitation = invite(db, settings, owner, office, "dana@example.com", "staff", now)
    accept(db, dana, invitation, now)

    db.expire_all()
    assert db.get(User, dana.user_id).kind == AccountKind.practitioner  # type: ignore[union-attr]
    assert membership(db, office.id, dana.user_id).role == OfficeRole.staff  # type: ignore[arg-type, union-attr]
    assert membership(db, own_office.id, dana.user_id).role == OfficeRole.owner  # type: ignore[arg-type, union-attr]


def test_a_staff_account_accepts_a_staff_invitation(
    db: Session, settings: Settings, owner: Actor, office: Office, now: datetime
) -> None:
    staff, _ = signed_in(db, "frontdesk@example.com", AccountKind.staff)
    invitation = invite(db, settings, owner, office, "frontdesk@example.com", "staff", now)
    accept(db, staff, invitation, now)
    assert membership(db, office.id, staff.user_id).role == OfficeRole.staff  # type: ignore[arg-type, union-attr]


def test_accepting_twice_fails(
    db: Session, settings: Settings, owner: Actor, office: Office, dana: Actor, now: datetime
) -> None:
    invitation = invite(db, settings, owner, office, "dana@example.com", "practitioner", now)
    accept(db, dana, invitation, now)

    with pytest.raises(NotFound):
        invitations.accept_invitation(db, dana, invitation.id, now=now)  # type: ignore[arg-type]
    db.rollback()
    assert count(db, Membership, Membership.user_id == dana.user_id) == 1
    assert len(audit_entries(db, "team.invitation-accepted")) == 1


@pytest.mark.parametrize("late", [timedelta(days=7), timedelta(days=8)], ids=["at-7-days", "after-8-days"])
def test_an_expired_invitation_cannot_be_accepted(
    db: Session, settings: Settings, owner: Actor, office: Office, dana: Actor, now: datetime, late: timedelta
) -> None:
    invitation = invite(db, settings, owner, office, "dana@example.com", "practitioner", now)

    with pytest.raises(NotFound):
        invitations.accept_invitation(db, dana, invitation.id, now=now + late)  # type: ignore[arg-type]
    db.rollback()
    assert membership(db, office.id, dana.user_id) is None  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        invitations.decline_invitation(db, dana, invitation.id, now=now + late)  # type: ignore[arg-type]
    db.rollback()


def test_an_invitation_for_another_address_looks_like_a_missing_one(
    db: Session, settings: Settings, owner: Actor, office: Office, dana: Actor, now: datetime
) -> None:
    invitation = invite(db, settings, owner, office, "dana@example.com", "practitioner", now)
    intruder, _ = signed_in(db, "intruder@example.com")

    with pytest.raises(NotFound) as wrong_account:
        invitations.accept_invitation(db, intruder, invitation.id, now=now)  # type: ignore[arg-type]
    db.rollback()
    with pytest.raises(NotFound) as missing:
        invitations.accept_invitation(db, intruder, invitation.id + 1000, now=now)  # type: ignore[operator]
    db.rollback()
    assert wrong_account.value.message == missing.value.message
    with pytest.raises(NotFound):
        invitations.decline_invitation(db, intruder, invitation.id, now=now)  # type: ignore[arg-type]
    db.rollback()

    assert membership(db, office.id, intruder.user_id) is None  # type: ignore[arg-type]
    assert fresh_invitation(db, invitation.id).status == InvitationStatus.pending  # type: ignore[arg-type]
    # The right person still can.
    accept(db, dana, invitation, now)
    assert membership(db, office.id, dana.user_id) is not None  # type: ignore[arg-type]


def test_a_patient_account_with_the_invited_address_cannot_accept(
    db: Session, settings: Settings, owner: Actor, office: Office, now: datetime
) -> None:
    patient, _ = signed_in(db, "pat@example.com", AccountKind.patient)
    invitation = invite(db, settings, owner, office, "PAT@example.com", "staff", now)

    with pytest.raises(PermissionDenied) as refused:
        invitations.accept_invitation(db, patient, invitation.id, now=now)  # type: ignore[arg-type]
    assert "patient" in refused.value.message.lower()
    assert count(db, Membership, Membership.user_id == patient.user_id) == 0
    db.rollback()
    assert count(db, Membership, Membership.user_id == patient.user_id) == 0
    db.expire_all()
    assert db.get(User, patient.user_id).kind == AccountKind.patient  # type: ignore[union-attr]
    assert fresh_invitation(db, invitation.id).status == InvitationStatus.pending  # type: ignore[arg-type]


def test_a_staff_account_cannot_accept_a_practitioner_invitation(
    db: Session, settings: Settings, owner: Actor, office: Office, now: datetime
) -> None:
    staff, _ = signed_in(db, "frontdesk@example.com", AccountKind.staff)
    invitation = invite(db, settings, owner, office, "frontdesk@example.com", "practitioner", now)

    with pytest.raises(PermissionDenied) as refused:
        invitations.accept_invitation(db, staff, invitation.id, now=now)  # type: ignore[arg-type]
    assert "staff" in refused.value.message.lower()
    db.rollback()
    assert membership(db, office.id, staff.user_id) is None  # type: ignore[arg-type]
    assert fresh_invitation(db, invitation.id).status == InvitationStatus.pending  # type: ignore[arg-type]


# --- declining and revoking ------------------------------------------------------


def test_declining_marks_it_declined_and_it_disappears(
    db: Session, settings: Settings, owner: Actor, office: Office, dana: Actor, now: datetime
) -> None:
    invitation = invite(db, settings, owner, office, "dana@example.com", "staff", now)
    later = now + timedelta(minutes=5)
    invitations.decline_invitation(db, dana, invitation.id, now=later)  # type: ignore[arg-type]
    db.commit()

    stored = fresh_invitation(db, invitation.id)  # type: ignore[arg-type]
    assert (stored.status, stored.responded_at) == (InvitationStatus.declined, later)
    assert invitations.incoming_invitations(db, dana, now=later) == []
    assert members.team(db, owner, office.id, now=later).invited_staff == []  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        invitations.accept_invitation(db, dana, invitation.id, now=later)  # type: ignore[arg-type]
    db.rollback()
    assert membership(db, office.id, dana.user_id) is None  # type: ignore[arg-type]
    db.expire_all()
    assert db.get(User, dana.user_id).kind == AccountKind.practitioner  # type: ignore[union-attr]


def test_a_revoked_invitation_can_no_longer_be_accepted(
    db: Session, settings: Settings, owner: Actor, office: Office, dana: Actor, now: datetime
) -> None:
    invitation = invite(db, settings, owner, office, "dana@example.com", "practitioner", now)
    invitations.revoke_invitation(db, owner, invitation.id, now=now)  # type: ignore[arg-type]
    db.commit()

    assert fresh_invitation(db, invitation.id).status == InvitationStatus.revoked  # type: ignore[arg-type]
    assert invitations.incoming_invitations(db, dana, now=now) == []
    with pytest.raises(NotFound):
        invitations.accept_invitation(db, dana, invitation.id, now=now)  # type: ignore[arg-type]
    db.rollback()
    assert membership(db, office.id, dana.user_id) is None  # type: ignore[arg-type]
    [entry] = audit_entries(db, "team.invitation-revoked")
    assert (entry.actor_user_id, entry.office_id, entry.target_id) == (owner.user_id, office.id, invitation.id)
    # Revoking again is refused: it is no longer open.
    with pytest.raises(Invalid):
        invitations.revoke_invitation(db, owner, invitation.id, now=now)  # type: ignore[arg-type]
    db.rollback()


@pytest.mark.parametrize("who", ["practitioner", "staff", "outsider", "invitee"])
def test_only_the_owner_revokes(
    db: Session, settings: Settings, owner: Actor, office: Office, dana: Actor, now: datetime, who: str
) -> None:
    invitation = invite(db, settings, owner, office, "dana@example.com", "staff", now)
    if who == "invitee":
        actor = dana
    else:
        actor, _ = signed_in(
            db, f"{who}@example.com", AccountKind.staff if who == "staff" else AccountKind.practitioner
        )
        if who != "outsider":
            add_member(db, office, actor, OfficeRole(who))

    # A member whose role may not is told so; for anyone outside the office the invitation does
    # not exist (issue 9: the same answer as a missing id).
    refusal = PermissionDenied if who in ("practitioner", "staff") else NotFound
    with pytest.raises(refusal):
        invitations.revoke_invitation(db, actor, invitation.id, now=now)  # type: ignore[arg-type]
    db.rollback()
    assert fresh_invitation(db, invitation.id).status == InvitationStatus.pending  # type: ignore[arg-type]
    assert [i.id for i in invitations.incoming_invitations(db, dana, now=now)] == [invitation.id]


# --- removing members ------------------------------------------------------------


def test_the_owner_removes_staff_and_access_ends_at_once(
    db: Session,
    settings: Settings,
    owner: Actor,
    office: Office,
    dana_login: tuple[Actor, str],
    now: datetime,
) -> None:
    dana, token = dana_login
    accept(db, dana, invite(db, settings, owner, office, "dana@example.com", "staff", now), now)
    open_page = sessions.resolve(db, token, "203.0.113.9")  # the actor behind a page already open
    db.commit()
    assert open_page is not None
    permissions.require(db, open_page, office.id, OfficeAction.view_schedule)  # type: ignore[arg-type]

    members.remove_member(db, owner, office.id, dana.user_id)  # type: ignore[arg-type]
    db.commit()

    assert membership(db, office.id, dana.user_id) is None  # type: ignore[arg-type]
    for actor in (open_page, dana, sessions.resolve(db, token, "203.0.113.9")):
        assert actor is not None
        for action in OfficeAction:
            with pytest.raises(PermissionDenied):
                permissions.require(db, actor, office.id, action)  # type: ignore[arg-type]
            db.rollback()
    view = members.team(db, owner, office.id, now=now)  # type: ignore[arg-type]
    assert view.staff == []
    assert offices.my_offices(db, open_page) == []


def test_the_owner_removes_a_practitioner(
    db: Session, settings: Settings, owner: Actor, office: Office, dana: Actor, now: datetime
) -> None:
    accept(db, dana, invite(db, settings, owner, office, "dana@example.com", "practitioner", now), now)
    members.remove_member(db, owner, office.id, dana.user_id)  # type: ignore[arg-type]
    db.commit()
    assert membership(db, office.id, dana.user_id) is None  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        permissions.require(db, dana, office.id, OfficeAction.read_charts)  # type: ignore[arg-type]
    db.rollback()


def test_the_owner_cannot_remove_themself(db: Session, owner: Actor, office: Office) -> None:
    with pytest.raises(Invalid):
        members.remove_member(db, owner, office.id, owner.user_id)  # type: ignore[arg-type]
    db.rollback()
    assert membership(db, office.id, owner.user_id).role == OfficeRole.owner  # type: ignore[arg-type, union-attr]
    assert audit_entries(db, "team.member-removed") == []


@pytest.mark.parametrize(
    ("who", "target"),
    [("practitioner", "staff"), ("staff", "practitioner"), ("practitioner", "owner"), ("outsider", "staff")],
)
def test_only_the_owner_removes(db: Session, owner: Actor, office: Office, who: str, target: str) -> None:
    def person(role: str) -> Actor:
        if role == "owner":
            return owner
        actor, _ = signed_in(
            db, f"{role}-{who}@example.com", AccountKind.staff if role == "staff" else AccountKind.practitioner
        )
        if role != "outsider":
            add_member(db, office, actor, OfficeRole(role))
        return actor

    actor, victim = person(who), person(target)
    with pytest.raises(PermissionDenied):
        members.remove_member(db, actor, office.id, victim.user_id)  # type: ignore[arg-type]
    db.rollback()
    assert membership(db, office.id, victim.user_id) is not None  # type: ignore[arg-type]
    assert audit_entries(db, "team.member-removed") == []


def test_removing_someone_who_is_not_a_member_is_not_found(db: Session, owner: Actor, office: Office) -> None:
    stranger, _ = signed_in(db, "stranger@example.com")
    with pytest.raises(NotFound):
        members.remove_member(db, owner, office.id, stranger.user_id)  # type: ignore[arg-type]
    db.rollback()


# --- ownership -------------------------------------------------------------------


def test_ownership_goes_to_a_practitioner_member(
    db: Session, settings: Settings, owner: Actor, office: Office, dana: Actor, now: datetime
) -> None:
    add_member(db, office, dana, OfficeRole.practitioner)
    members.transfer_ownership(db, owner, office.id, dana.user_id)  # type: ignore[arg-type]
    db.commit()

    db.expire_all()
    assert membership(db, office.id, dana.user_id).role == OfficeRole.owner  # type: ignore[arg-type, union-attr]
    assert membership(db, office.id, owner.user_id).role == OfficeRole.practitioner  # type: ignore[arg-type, union-attr]
    with pytest.raises(PermissionDenied):
        permissions.require(db, owner, office.id, OfficeAction.manage_team)  # type: ignore[arg-type]
    db.rollback()
    with pytest.raises(PermissionDenied):
        invitations.invite(db, settings, owner, office.id, "x@example.com", "staff", now=now)  # type: ignore[arg-type]
    db.rollback()
    # The old owner still works there as a practitioner; the new owner runs the team.
    permissions.require(db, owner, office.id, OfficeAction.write_charts)  # type: ignore[arg-type]
    permissions.require(db, dana, office.id, OfficeAction.edit_office)  # type: ignore[arg-type]
    invite(db, settings, dana, office, "x@example.com", "staff", now)
    members.remove_member(db, dana, office.id, owner.user_id)  # type: ignore[arg-type]
    db.commit()
    assert membership(db, office.id, owner.user_id) is None  # type: ignore[arg-type]


def test_ownership_cannot_go_to_staff(db: Session, owner: Actor, office: Office) -> None:
    staff, _ = signed_in(db, "frontdesk@example.com", AccountKind.staff)
    add_member(db, office, staff, OfficeRole.staff)

    with pytest.raises(Invalid):
        members.transfer_ownership(db, owner, office.id, staff.user_id)  # type: ignore[arg-type]
    db.rollback()
    db.expire_all()
    assert membership(db, office.id, owner.user_id).role == OfficeRole.owner  # type: ignore[arg-type, union-attr]
    assert membership(db, office.id, staff.user_id).role == OfficeRole.staff  # type: ignore[arg-type, union-attr]
    assert audit_entries(db, "team.ownership-transferred") == []


def test_ownership_cannot_go_to_a_non_member_or_to_oneself(db: Session, owner: Actor, office: Office) -> None:
    stranger, _ = signed_in(db, "stranger@example.com")
    with pytest.raises(NotFound):
        members.transfer_ownership(db, owner, office.id, stranger.user_id)  # type: ignore[arg-type]
    db.rollback()
    with pytest.raises(Invalid):
        members.transfer_ownership(db, owner, office.id, owner.user_id)  # type: ignore[arg-type]
    db.rollback()
    db.expire_all()
    assert membership(db, office.id, owner.user_id).role == OfficeRole.owner  # type: ignore[arg-type, union-attr]


@pytest.mark.parametrize("who", ["practitioner", "staff"])
def test_only_the_owner_hands_over_ownership(db: Session, owner: Actor, office: Office, who: str) -> None:
    actor, _ = signed_in(db, f"{who}@example.com", AccountKind.staff if who == "staff" else AccountKind.practitioner)
    add_member(db, office, actor, OfficeRole(who))
    colleague, _ = signed_in(db, "colleague@example.com")
    add_member(db, office, colleague, OfficeRole.practitioner)

    for target in (actor.user_id, colleague.user_id):
        with pytest.raises(PermissionDenied):
            members.transfer_ownership(db, actor, office.id, target)  # type: ignore[arg-type]
        db.rollback()
    db.expire_all()
    assert membership(db, office.id, owner.user_id).role == OfficeRole.owner  # type: ignore[arg-type, union-attr]
    assert membership(db, office.id, colleague.user_id).role == OfficeRole.practitioner  # type: ignore[arg-type, union-attr]


# --- several offices ---------------------------------------------------------------


def test_a_practitioner_belongs_to_two_offices_and_switches_between_them(
    db: Session, settings: Settings, owner: Actor, office: Office, dana: Actor, now: datetime
) -> None:
    first_owner, _ = signed_in(db, "first@example.com")
    first_office = make_office(db, first_owner, name="Aspen Clinic")
    accept(db, dana, invite(db, settings, first_owner, first_office, "dana@example.com", "practitioner", now), now)
    accept(db, dana, invite(db, settings, owner, office, "dana@example.com", "practitioner", now), now)

    assert offices.my_offices(db, dana) == [
        offices.OfficeSummary(
            id=first_office.id, name="Aspen Clinic", role=OfficeRole.practitioner, time_zone="America/Toronto"
        ),  # type: ignore[arg-type]
        offices.OfficeSummary(
            id=office.id, name=OFFICE_NAME, role=OfficeRole.practitioner, time_zone="America/Toronto"
        ),  # type: ignore[arg-type]
    ]
    # Accepting moved the session to the office just joined; switching moves it back.
    assert db.get(AuthSession, dana.session_id).current_office_id == office.id  # type: ignore[union-attr]
    offices.switch_office(db, dana, first_office.id)  # type: ignore[arg-type]
    db.commit()
    assert db.get(AuthSession, dana.session_id).current_office_id == first_office.id  # type: ignore[union-attr]

    elsewhere_owner, _ = signed_in(db, "elsewhere@example.com")
    elsewhere = make_office(db, elsewhere_owner, name="Cedar Clinic")
    with pytest.raises(PermissionDenied):
        offices.switch_office(db, dana, elsewhere.id)  # type: ignore[arg-type]
    db.rollback()
    db.expire_all()
    assert db.get(AuthSession, dana.session_id).current_office_id == first_office.id  # type: ignore[union-attr]


# --- audit -------------------------------------------------------------------------


def test_team_changes_are_audited(
    db: Session, settings: Settings, owner: Actor, office: Office, dana: Actor, now: datetime
) -> None:
    staff_invitation = invite(db, settings, owner, office, "Dana@Example.com", "staff", now)
    [invited] = audit_entries(db, "team.invited")
    assert (invited.actor_user_id, invited.office_id, invited.target_type, invited.target_id) == (
        owner.user_id,
        office.id,
        "invitation",
        staff_invitation.id,
    )
    assert "dana@example.com" in invited.detail
    assert "staff" in invited.detail

    accept(db, dana, staff_invitation, now)
    [accepted] = audit_entries(db, "team.invitation-accepted")
    assert (accepted.actor_user_id, accepted.office_id, accepted.target_type, accepted.target_id) == (
        dana.user_id,
        office.id,
        "invitation",
        staff_invitation.id,
    )

    members.remove_member(db, owner, office.id, dana.user_id)  # type: ignore[arg-type]
    db.commit()
    [removed] = audit_entries(db, "team.member-removed")
    assert (removed.actor_user_id, removed.office_id, removed.target_type, removed.target_id) == (
        owner.user_id,
        office.id,
        "user",
        dana.user_id,
    )

    partner, _ = signed_in(db, "partner@example.com")
    add_member(db, office, partner, OfficeRole.practitioner)
    members.transfer_ownership(db, owner, office.id, partner.user_id)  # type: ignore[arg-type]
    db.commit()
    [transferred] = audit_entries(db, "team.ownership-transferred")
    assert (transferred.actor_user_id, transferred.office_id, transferred.target_type, transferred.target_id) == (
        owner.user_id,
        office.id,
        "user",
        partner.user_id,
    )


def test_declining_is_audited_and_refusals_are_not(
    db: Session, settings: Settings, owner: Actor, office: Office, dana: Actor, now: datetime
) -> None:
    invitation = invite(db, settings, owner, office, "dana@example.com", "staff", now)
    intruder, _ = signed_in(db, "intruder@example.com")
    with pytest.raises(NotFound):
        invitations.accept_invitation(db, intruder, invitation.id, now=now)  # type: ignore[arg-type]
    db.rollback()
    assert audit_entries(db, "team.invitation-accepted") == []

    invitations.decline_invitation(db, dana, invitation.id, now=now)  # type: ignore[arg-type]
    db.commit()
    [declined] = audit_entries(db, "team.invitation-declined")
    assert (declined.actor_user_id, declined.office_id, declined.target_id) == (dana.user_id, office.id, invitation.id)
