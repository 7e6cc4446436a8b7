"""The role × action matrix of SPEC §2, checked through `permissions.require` against real rows.

The expected table is written out here by hand, not derived from ROLE_PERMISSIONS,
so a change to the services' table that strays from the SPEC fails these tests.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import Session, select

from app.models import AccountKind, Membership, Office, OfficeRole
from app.services import permissions, sessions
from app.services.actor import Actor
from app.services.errors import PermissionDenied
from app.services.permissions import ROLE_PERMISSIONS, OfficeAction
from tests.factories import make_office, make_user, sign_in_as

A = OfficeAction

# SPEC §2: owner (everything); practitioner (own schedule, charts, forms, documents; the office
# schedule and patient list); staff (schedule, patient list and demographics, access codes,
# documents; no clinical charts).
SPEC_ALLOWED: dict[OfficeRole, set[OfficeAction]] = {
    OfficeRole.owner: {
        A.view_office,
        A.edit_office,
        A.manage_team,
        A.view_schedule,
        A.manage_schedule,
        A.view_patients,
        A.edit_demographics,
        A.manage_access_codes,
        A.read_charts,
        A.write_charts,
        A.manage_documents,
        A.manage_forms,
        A.administer_forms,
        A.view_audit_log,  # the office's Audit log is the owner's (issue 10)
    },
    OfficeRole.practitioner: {
        A.view_office,
        A.view_schedule,
        A.manage_schedule,
        A.view_patients,
        A.edit_demographics,
        A.manage_access_codes,
        A.read_charts,
        A.write_charts,
        A.manage_documents,
        A.manage_forms,
        A.administer_forms,
    },
    OfficeRole.staff: {
        A.view_office,
        A.view_schedule,
        A.manage_schedule,
        A.view_patients,
        A.edit_demographics,
        A.manage_access_codes,
        A.manage_documents,
        A.administer_forms,  # the front desk assigns forms and reads its patients' submissions (issue 13)
    },
}
STAFF_NEVER = {A.read_charts, A.write_charts, A.manage_forms, A.manage_team, A.edit_office}

MATRIX = [
    pytest.param(role, action, action in SPEC_ALLOWED[role], id=f"{role.value}-{action.value}")
    for role in OfficeRole
    for action in OfficeAction
]
ACTIONS = pytest.mark.parametrize("action", list(OfficeAction), ids=[a.value for a in OfficeAction])


@dataclass
class Setup:
    office: Office
    owner: Actor
    owner_token: str


def signed_in(db: Session, email: str, kind: AccountKind) -> tuple[Actor, str]:
    return sign_in_as(db, make_user(db, email=email, kind=kind, full_name=email.split("@")[0].title()))


def add_member(db: Session, office: Office, actor: Actor, role: OfficeRole) -> Membership:
    member = Membership(office_id=office.id, user_id=actor.user_id, role=role)  # type: ignore[arg-type]
    db.add(member)
    db.commit()
    return member


@pytest.fixture
def setup(db: Session) -> Setup:
    owner, token = signed_in(db, "owner@example.com", AccountKind.practitioner)
    return Setup(office=make_office(db, owner), owner=owner, owner_token=token)


def member_with_role(db: Session, setup: Setup, role: OfficeRole) -> Actor:
    """A signed-in user holding `role` in the office: the creator for owner, a fresh account otherwise."""
    if role == OfficeRole.owner:
        return setup.owner
    kind = AccountKind.staff if role == OfficeRole.staff else AccountKind.practitioner
    actor, _ = signed_in(db, f"{role.value}@example.com", kind)
    add_member(db, setup.office, actor, role)
    return actor


def assert_refused_everything(db: Session, actor: Actor, office_id: int) -> None:
    for action in OfficeAction:
        with pytest.raises(PermissionDenied):
            permissions.require(db, actor, office_id, action)
        db.rollback()


# --- the table itself --------------------------------------------------------


def test_the_services_table_is_the_spec_table() -> None:
    assert set(ROLE_PERMISSIONS) == set(OfficeRole)
    for role in OfficeRole:
        assert set(ROLE_PERMISSIONS[role]) == SPEC_ALLOWED[role], role
    assert SPEC_ALLOWED[OfficeRole.owner] == set(OfficeAction)
    assert not (SPEC_ALLOWED[OfficeRole.staff] & STAFF_NEVER)


@pytest.mark.parametrize(("role", "action", "allowed"), MATRIX)
def test_allows_follows_the_spec(role: OfficeRole, action: OfficeAction, allowed: bool) -> None:
    assert permissions.allows(role, action) is allowed


# --- require() against real membership rows ----------------------------------


@pytest.mark.parametrize(("role", "action", "allowed"), MATRIX)
def test_require_follows_the_spec(
    db: Session, setup: Setup, role: OfficeRole, action: OfficeAction, allowed: bool
) -> None:
    actor = member_with_role(db, setup, role)
    if allowed:
        member = permissions.require(db, actor, setup.office.id, action)  # type: ignore[arg-type]
        assert (member.office_id, member.user_id, member.role) == (setup.office.id, actor.user_id, role)
    else:
        with pytest.raises(PermissionDenied) as refused:
            permissions.require(db, actor, setup.office.id, action)  # type: ignore[arg-type]
        db.rollback()
        assert refused.value.message == "Your role in this office does not allow that."


@pytest.mark.parametrize("role", list(OfficeRole), ids=[r.value for r in OfficeRole])
def test_a_role_is_allowed_exactly_its_actions(db: Session, setup: Setup, role: OfficeRole) -> None:
    """The same matrix row by row: what passes is exactly the SPEC's set."""
    actor = member_with_role(db, setup, role)
    passed = set()
    for action in OfficeAction:
        try:
            permissions.require(db, actor, setup.office.id, action)  # type: ignore[arg-type]
        except PermissionDenied:
            db.rollback()
        else:
            passed.add(action)
    assert passed == SPEC_ALLOWED[role]


# --- outsiders ---------------------------------------------------------------


@ACTIONS
def test_a_non_member_is_refused(db: Session, setup: Setup, action: OfficeAction) -> None:
    outsider, _ = signed_in(db, "outsider@example.com", AccountKind.practitioner)
    with pytest.raises(PermissionDenied) as refused:
        permissions.require(db, outsider, setup.office.id, action)  # type: ignore[arg-type]
    db.rollback()
    assert refused.value.message == "You do not have access to this office."
    # An office that does not exist reads the same.
    with pytest.raises(PermissionDenied) as missing:
        permissions.require(db, outsider, 987_654, action)
    db.rollback()
    assert missing.value.message == refused.value.message


@ACTIONS
def test_the_owner_of_another_office_is_refused(db: Session, setup: Setup, action: OfficeAction) -> None:
    other, _ = signed_in(db, "other-owner@example.com", AccountKind.practitioner)
    other_office = make_office(db, other, name="Other Clinic")
    assert permissions.require(db, other, other_office.id, action).role == OfficeRole.owner  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        permissions.require(db, other, setup.office.id, action)  # type: ignore[arg-type]
    db.rollback()


@ACTIONS
def test_a_patient_account_is_refused(db: Session, setup: Setup, action: OfficeAction) -> None:
    patient, _ = signed_in(db, "patient@example.com", AccountKind.patient)
    with pytest.raises(PermissionDenied):
        permissions.require(db, patient, setup.office.id, action)  # type: ignore[arg-type]
    db.rollback()


@ACTIONS
def test_a_patient_account_is_refused_even_with_a_membership_row(
    db: Session, setup: Setup, action: OfficeAction
) -> None:
    """Defence in depth: a stray owner row must not open the office to a portal account."""
    patient, _ = signed_in(db, "patient@example.com", AccountKind.patient)
    add_member(db, setup.office, patient, OfficeRole.owner)
    with pytest.raises(PermissionDenied):
        permissions.require(db, patient, setup.office.id, action)  # type: ignore[arg-type]
    db.rollback()


# --- removal bites at once -----------------------------------------------------


@pytest.mark.parametrize("role", [OfficeRole.practitioner, OfficeRole.staff], ids=["practitioner", "staff"])
def test_a_removed_member_is_refused_every_action_on_the_next_call(db: Session, setup: Setup, role: OfficeRole) -> None:
    kind = AccountKind.staff if role == OfficeRole.staff else AccountKind.practitioner
    actor, token = signed_in(db, f"{role.value}@example.com", kind)
    add_member(db, setup.office, actor, role)
    # Working in the office, the session pointing at it.
    for action in SPEC_ALLOWED[role]:
        permissions.require(db, actor, setup.office.id, action)  # type: ignore[arg-type]

    member = db.exec(
        select(Membership).where(Membership.office_id == setup.office.id, Membership.user_id == actor.user_id)
    ).one()
    db.delete(member)
    db.commit()

    # The very same actor object (an open page) and a freshly resolved one are both refused.
    assert_refused_everything(db, actor, setup.office.id)  # type: ignore[arg-type]
    resolved = sessions.resolve(db, token, "203.0.113.9")
    assert resolved is not None
    assert_refused_everything(db, resolved, setup.office.id)  # type: ignore[arg-type]
    # The owner is untouched.
    for action in OfficeAction:
        permissions.require(db, setup.owner, setup.office.id, action)  # type: ignore[arg-type]


def test_a_role_change_takes_effect_on_the_next_call(db: Session, setup: Setup) -> None:
    actor = member_with_role(db, setup, OfficeRole.practitioner)
    permissions.require(db, actor, setup.office.id, A.read_charts)  # type: ignore[arg-type]
    member = db.exec(select(Membership).where(Membership.user_id == actor.user_id)).one()
    member.role = OfficeRole.staff
    db.add(member)
    db.commit()
    with pytest.raises(PermissionDenied):
        permissions.require(db, actor, setup.office.id, A.read_charts)  # type: ignore[arg-type]
    db.rollback()
    assert permissions.require(db, actor, setup.office.id, A.view_patients).role == OfficeRole.staff  # type: ignore[arg-type]


def test_can_answers_like_require_without_raising(db: Session) -> None:
    owner, _ = sign_in_as(db, make_user(db, "own@example.com"))
    office = make_office(db, owner)
    outsider, _ = sign_in_as(db, make_user(db, "out@example.com"))
    patient, _ = sign_in_as(db, make_user(db, "pat@example.com", AccountKind.patient))
    assert permissions.can(db, owner, office.id, OfficeAction.manage_team) is True
    assert permissions.can(db, outsider, office.id, OfficeAction.view_office) is False
    assert permissions.can(db, patient, office.id, OfficeAction.view_office) is False
