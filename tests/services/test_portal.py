"""The family portal (SPEC §3-4, issue 4): the record switcher, per-record checks and profile proposals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from app.models import (
    AccountKind,
    AuthSession,
    Patient,
    ProfileProposal,
    ProposalStatus,
    User,
)
from app.services import access_codes, audit, portal, sessions
from app.services.errors import Invalid, NotFound, PermissionDenied
from app.services.patients import proposals, records, search
from app.services.patients.records import PatientInput
from tests.factories import make_user, sign_in_as
from tests.world import PortalAccount, World

NOW = datetime.now(UTC).replace(microsecond=0)
CLIENT = "203.0.113.9"
MISSING_ID = 987_654


# --- helpers -----------------------------------------------------------------


def portal_account(db: Session, email: str, name: str = "Pat Parent") -> PortalAccount:
    """A portal account of its own, beside the world's parent and stranger."""
    actor, token = sign_in_as(db, make_user(db, email=email, kind=AccountKind.patient, full_name=name))
    return PortalAccount(token, actor.user_id, name)


def fresh(db: Session, patient_id: int) -> Patient:
    db.expire_all()
    patient = db.get(Patient, patient_id)
    assert patient is not None
    return patient


def snapshot(db: Session, patient_id: int) -> dict:
    return fresh(db, patient_id).model_dump()


def propose(world: World, account: PortalAccount, patient: Patient, **values: str) -> int:
    changed = portal.propose_changes(world.db, world.actor(account), patient.id, values, now=NOW)  # type: ignore[arg-type]
    world.db.commit()
    return changed


def pending_rows(db: Session, patient_id: int) -> list[ProfileProposal]:
    db.expire_all()
    return list(
        db.exec(
            select(ProfileProposal)
            .where(ProfileProposal.patient_id == patient_id, ProfileProposal.status == ProposalStatus.pending)
            .order_by(ProfileProposal.field)
        ).all()
    )


def proposal_for(db: Session, patient_id: int, field: str) -> ProfileProposal:
    [row] = [p for p in pending_rows(db, patient_id) if p.field == field]
    return row


def count(db: Session, model: type, *where) -> int:  # type: ignore[no-untyped-def]
    return db.exec(select(func.count()).select_from(model).where(*where)).one()


@pytest.fixture
def family(world: World) -> tuple[Patient, PortalAccount]:
    """The world's parent holding Ana's record; the front desk has Ana's phone, e-mail and address."""
    official = PatientInput(
        "Ana",
        "Souza",
        date_of_birth="2015-04-02",
        email="ana@example.com",
        phone="416 555 0199",
        address="12 Elm St, Toronto",
        sex="female",
    )
    records.update_patient(world.db, world.maple.staff, world.ana.id, official, now=NOW)  # type: ignore[arg-type]
    world.db.commit()
    return world.ana, world.parent


# --- one account cannot load another's record ------------------------------------


def test_account_a_cannot_load_account_b_record_by_id(db: Session, world: World) -> None:
    ana = world.add_patient(world.maple, "Ana")
    bob = world.add_patient(world.maple, "Bob", "Jones", phone="905 555 0142")
    a, b = portal_account(db, "a@example.com"), portal_account(db, "b@example.com")
    world.give(world.maple, ana, a)
    world.give(world.maple, bob, b)
    actor = world.actor(a)
    before = snapshot(db, bob.id)  # type: ignore[arg-type]

    def refused(call) -> str:  # type: ignore[no-untyped-def]
        with pytest.raises(NotFound) as caught:
            call()
        db.rollback()
        return caught.value.message

    missing = refused(lambda: portal.profile(db, actor, MISSING_ID))
    assert refused(lambda: portal.profile(db, actor, None)) == missing
    assert refused(lambda: portal.profile(db, actor, bob.id)) == missing
    assert refused(lambda: portal.choose_record(db, actor, bob.id)) == missing  # type: ignore[arg-type]
    assert refused(lambda: portal.choose_record(db, actor, MISSING_ID)) == missing
    assert refused(lambda: portal.propose_changes(db, actor, bob.id, {"phone": "647 555 0000"}, now=NOW)) == missing
    assert refused(lambda: portal.propose_changes(db, actor, MISSING_ID, {"phone": "647 555 0000"}, now=NOW)) == missing

    # Nothing was written: no proposal, no switch, no read of Bob in the audit log.
    assert pending_rows(db, bob.id) == []  # type: ignore[arg-type]
    assert snapshot(db, bob.id) == before  # type: ignore[arg-type]
    session_row = db.get(AuthSession, actor.session_id)
    assert session_row is not None and session_row.current_patient_id == ana.id
    assert [e.patient_id for e in world.audit_since_built("portal.profile-viewed")] == []
    # A's own record works, B's still works for B.
    assert portal.profile(db, actor, ana.id).name == "Ana Smith"
    assert portal.profile(db, world.actor(b), bob.id).name == "Bob Jones"
    db.commit()


def test_clinic_accounts_cannot_use_the_portal(db: Session, world: World, family) -> None:  # type: ignore[no-untyped-def]
    ana, _ = family
    for call in (
        lambda: portal.held_records(db, world.maple.staff),
        lambda: portal.profile(db, world.maple.staff, ana.id),
        lambda: portal.choose_record(db, world.maple.owner, ana.id),
        lambda: portal.propose_changes(db, world.maple.staff, ana.id, {"phone": "647 555 0000"}, now=NOW),
    ):
        with pytest.raises(PermissionDenied):
            call()
        db.rollback()
    assert pending_rows(db, ana.id) == []


def test_profile_read_is_audited(db: Session, world: World, family) -> None:  # type: ignore[no-untyped-def]
    ana, parent = family
    actor = world.actor(parent)
    view = portal.profile(db, actor, ana.id)
    db.commit()
    assert (view.patient_id, view.name, view.office_name) == (ana.id, "Ana Souza", "Maple Street Clinic")
    assert view.official["phone"] == "416 555 0199"
    assert view.official["date_of_birth"] == "2015-04-02"
    assert "notes" not in view.official  # clinic notes are not shown in the portal
    assert view.pending == {}
    [entry] = world.audit_since_built("portal.profile-viewed")
    assert (entry.actor_user_id, entry.patient_id, entry.office_id, entry.client_ip) == (
        parent.user_id,
        ana.id,
        world.maple.office_id,
        CLIENT,
    )


# --- the family record switcher ------------------------------------------------


def test_a_parent_holds_two_records_and_switches(db: Session, world: World) -> None:
    ana = world.add_patient(world.maple, "Ana")
    zoe = world.add_patient(world.birch, "Zoe", "Smith")
    parent = portal_account(db, "parent@example.com")
    world.give(world.maple, ana, parent)
    world.give(world.birch, zoe, parent)

    actor = world.actor(parent)
    assert [(r.patient_id, r.name, r.office_name) for r in portal.held_records(db, actor)] == [
        (ana.id, "Ana Smith", "Maple Street Clinic"),
        (zoe.id, "Zoe Smith", "Birch Road Clinic"),
    ]
    # The last redeemed record is the current one.
    assert portal.current_record(db, actor) == zoe.id
    db.commit()

    portal.choose_record(db, actor, ana.id)  # type: ignore[arg-type]
    db.commit()
    session_row = db.get(AuthSession, actor.session_id)
    db.refresh(session_row)
    assert session_row is not None and session_row.current_patient_id == ana.id
    # A reload (a fresh resolve of the same cookie) keeps the choice.
    reloaded = world.actor(parent)
    assert reloaded.current_patient_id == ana.id
    assert portal.current_record(db, reloaded) == ana.id
    assert portal.profile(db, reloaded, portal.current_record(db, reloaded)).name == "Ana Smith"
    db.commit()

    portal.choose_record(db, reloaded, zoe.id)  # type: ignore[arg-type]
    db.commit()
    again = world.actor(parent)
    assert portal.current_record(db, again) == zoe.id
    assert portal.profile(db, again, again.current_patient_id).office_name == "Birch Road Clinic"
    db.commit()


def test_the_choice_is_per_session(db: Session, world: World) -> None:
    ana, parent = world.ana, world.parent  # the parent holds Ana's and Ben's records
    actor = world.actor(parent)
    portal.choose_record(db, actor, ana.id)  # type: ignore[arg-type]
    db.commit()
    # Another browser of the same account starts with no choice and falls back to the first record it holds.
    owner_user = db.get(User, parent.user_id)
    assert owner_user is not None
    second = PortalAccount(sessions.start(db, owner_user, CLIENT), parent.user_id, parent.name)
    db.commit()
    second_actor = world.actor(second)
    assert second_actor.current_patient_id is None
    assert portal.current_record(db, second_actor) == ana.id  # "Ana" sorts before "Ben"
    db.commit()
    assert world.actor(parent).current_patient_id == ana.id


def test_revoking_one_record_leaves_the_switcher_and_falls_back(db: Session, world: World) -> None:
    ana, ben, parent = world.ana, world.ben, world.parent  # a family: Ana's and Ben's records held by their parent
    actor = world.actor(parent)
    portal.choose_record(db, actor, ana.id)  # type: ignore[arg-type]
    db.commit()

    [holder] = access_codes.holders(db, world.maple.staff, ana.id)  # type: ignore[arg-type]
    access_codes.revoke_access(db, world.maple.staff, holder.access_id, now=NOW)
    db.commit()

    actor = world.actor(parent)
    assert actor.current_patient_id == ana.id  # the session still points at it...
    assert [r.patient_id for r in portal.held_records(db, actor)] == [ben.id]
    assert portal.current_record(db, actor) == ben.id  # ...but the portal falls back to what is held
    db.commit()
    session_row = db.get(AuthSession, actor.session_id)
    db.refresh(session_row)
    assert session_row is not None and session_row.current_patient_id == ben.id
    for call in (
        lambda: portal.profile(db, actor, ana.id),
        lambda: portal.choose_record(db, actor, ana.id),
        lambda: portal.propose_changes(db, actor, ana.id, {"phone": "647 555 0000"}, now=NOW),
    ):
        with pytest.raises(NotFound):
            call()
        db.rollback()
    assert pending_rows(db, ana.id) == []  # type: ignore[arg-type]
    assert portal.profile(db, world.actor(parent), ben.id).name == "Ben Souza"
    db.commit()


# --- profile proposals -----------------------------------------------------------


def test_a_proposal_never_changes_the_official_record(db: Session, world: World, family) -> None:  # type: ignore[no-untyped-def]
    ana, parent = family
    before = snapshot(db, ana.id)
    changed = propose(world, parent, ana, phone="647 555 0100", address="1 New Rd, Ottawa", email="ana@example.com")
    assert changed == 2
    assert snapshot(db, ana.id) == before
    assert {(p.field, p.value, p.proposed_by_user_id) for p in pending_rows(db, ana.id)} == {
        ("phone", "647 555 0100", parent.user_id),
        ("address", "1 New Rd, Ottawa", parent.user_id),
    }
    # The patient sees the change awaiting the clinic, over an unchanged official record.
    view = portal.profile(db, world.actor(parent), ana.id)
    db.commit()
    assert view.official["phone"] == "416 555 0199"
    assert view.pending == {"phone": "647 555 0100", "address": "1 New Rd, Ottawa"}
    # Staff see official and proposed values side by side.
    side_by_side = proposals.pending_proposals(db, world.maple.staff, ana.id)
    db.commit()
    assert [(v.field, v.label, v.official, v.proposed, v.proposed_by) for v in side_by_side] == [
        ("phone", "Phone", "416 555 0199", "647 555 0100", "Pat Parent"),
        ("address", "Address", "12 Elm St, Toronto", "1 New Rd, Ottawa", "Pat Parent"),
    ]
    # The clinic search still finds the official phone only.
    office_id = world.maple.office_id
    assert search.search_patients(db, world.maple.staff, office_id, "416-555-0199").total == 1
    assert search.search_patients(db, world.maple.staff, office_id, "647-555-0100").total == 0
    assert len(world.audit_since_built("portal.profile-proposed")) == 1


def test_accepting_one_field_changes_only_that_field(db: Session, world: World, family) -> None:  # type: ignore[no-untyped-def]
    ana, parent = family
    propose(world, parent, ana, phone="647 555 0100", address="1 New Rd, Ottawa")
    before = snapshot(db, ana.id)
    phone = proposal_for(db, ana.id, "phone")
    accepted_at = NOW + timedelta(hours=1)
    proposals.accept_proposal(db, world.maple.staff, phone.id, now=accepted_at)  # type: ignore[arg-type]
    db.commit()

    after = snapshot(db, ana.id)
    changed = {key for key in after if after[key] != before[key]}
    assert changed == {"phone", "search_text", "updated_at"}
    assert after["phone"] == "647 555 0100"
    assert after["address"] == "12 Elm St, Toronto"
    assert after["updated_at"] == accepted_at
    assert "6475550100" in after["search_text"]
    # The address proposal is still pending, untouched.
    [still] = pending_rows(db, ana.id)
    assert (still.field, still.value) == ("address", "1 New Rd, Ottawa")
    db.expire_all()
    decided = db.get(ProfileProposal, phone.id)
    assert decided is not None
    assert (decided.status, decided.decided_at, decided.decided_by_user_id) == (
        ProposalStatus.accepted,
        accepted_at,
        world.maple.staff.user_id,
    )
    assert [(v.field, v.official, v.proposed) for v in proposals.pending_proposals(db, world.maple.staff, ana.id)] == [
        ("address", "12 Elm St, Toronto", "1 New Rd, Ottawa")
    ]
    db.commit()
    [entry] = world.audit_since_built("patient.proposal-accepted")
    assert (entry.actor_user_id, entry.patient_id) == (world.maple.staff.user_id, ana.id)
    assert audit.detail_of(entry) == {"field": "phone"}
    # The portal shows the new official phone and the address still awaiting the world.maple.
    view = portal.profile(db, world.actor(parent), ana.id)
    db.commit()
    assert view.official["phone"] == "647 555 0100"
    assert view.pending == {"address": "1 New Rd, Ottawa"}
    # A proposal is handled once.
    with pytest.raises(NotFound):
        proposals.accept_proposal(db, world.maple.staff, phone.id, now=accepted_at)  # type: ignore[arg-type]
    db.rollback()
    with pytest.raises(NotFound):
        proposals.dismiss_proposal(db, world.maple.staff, phone.id, now=accepted_at)  # type: ignore[arg-type]
    db.rollback()


def test_accepting_a_date_of_birth_stores_a_date(db: Session, world: World, family) -> None:  # type: ignore[no-untyped-def]
    ana, parent = family
    propose(world, parent, ana, date_of_birth="2015-04-20")
    proposals.accept_proposal(db, world.maple.staff, proposal_for(db, ana.id, "date_of_birth").id, now=NOW)  # type: ignore[arg-type]
    db.commit()
    assert fresh(db, ana.id).date_of_birth == date(2015, 4, 20)
    assert search.search_patients(db, world.maple.staff, world.maple.office_id, "2015-04-20").total == 1


def test_dismissing_leaves_the_record_unchanged(db: Session, world: World, family) -> None:  # type: ignore[no-untyped-def]
    ana, parent = family
    propose(world, parent, ana, phone="647 555 0100")
    before = snapshot(db, ana.id)
    phone = proposal_for(db, ana.id, "phone")
    proposals.dismiss_proposal(db, world.maple.staff, phone.id, now=NOW)  # type: ignore[arg-type]
    db.commit()
    assert snapshot(db, ana.id) == before
    assert pending_rows(db, ana.id) == []
    db.expire_all()
    row = db.get(ProfileProposal, phone.id)
    assert row is not None and row.status == ProposalStatus.dismissed
    assert row.decided_by_user_id == world.maple.staff.user_id
    assert len(world.audit_since_built("patient.proposal-dismissed")) == 1
    assert portal.profile(db, world.actor(parent), ana.id).pending == {}
    db.commit()


def test_staff_of_another_office_cannot_decide_proposals(db: Session, world: World, family) -> None:  # type: ignore[no-untyped-def]
    ana, parent = family
    propose(world, parent, ana, phone="647 555 0100")
    phone = proposal_for(db, ana.id, "phone")
    before = snapshot(db, ana.id)
    for call in (
        lambda: proposals.accept_proposal(db, world.birch.staff, phone.id, now=NOW),
        lambda: proposals.dismiss_proposal(db, world.birch.staff, phone.id, now=NOW),
        lambda: proposals.pending_proposals(db, world.birch.staff, ana.id),
    ):
        with pytest.raises(NotFound):
            call()
        db.rollback()
    assert snapshot(db, ana.id) == before
    assert proposal_for(db, ana.id, "phone").value == "647 555 0100"


def test_proposing_again_replaces_the_pending_value(db: Session, world: World, family) -> None:  # type: ignore[no-untyped-def]
    ana, parent = family
    propose(world, parent, ana, phone="647 555 0100")
    first = proposal_for(db, ana.id, "phone")
    assert propose(world, parent, ana, phone="647 555 0200") == 1
    rows = [p for p in pending_rows(db, ana.id) if p.field == "phone"]
    assert [(p.id, p.value) for p in rows] == [(first.id, "647 555 0200")]
    assert count(db, ProfileProposal, ProfileProposal.patient_id == ana.id) == 1
    assert fresh(db, ana.id).phone == "416 555 0199"


def test_proposing_the_official_value_back_withdraws_the_proposal(db: Session, world: World, family) -> None:  # type: ignore[no-untyped-def]
    ana, parent = family
    propose(world, parent, ana, phone="647 555 0100", address="1 New Rd, Ottawa")
    assert propose(world, parent, ana, phone="416 555 0199", address="1 New Rd, Ottawa") == 1
    assert [(p.field, p.value) for p in pending_rows(db, ana.id)] == [("address", "1 New Rd, Ottawa")]
    assert propose(world, parent, ana, address="12 Elm St, Toronto") == 0
    assert pending_rows(db, ana.id) == []
    assert fresh(db, ana.id).address == "12 Elm St, Toronto"


def test_nothing_changed_is_refused(db: Session, world: World, family) -> None:  # type: ignore[no-untyped-def]
    ana, parent = family
    actor = world.actor(parent)
    for values in (
        {},
        {"phone": "416 555 0199"},
        {"phone": " 416   555 0199 ", "sex": "Female", "email": " ana@example.com "},  # same once cleaned
        {"notes": "the portal cannot write clinic notes"},
    ):
        with pytest.raises(Invalid) as caught:
            portal.propose_changes(db, actor, ana.id, values, now=NOW)
        db.rollback()
        assert caught.value.message == "Nothing changed."
    assert count(db, ProfileProposal) == 0
    assert world.audit_since_built("portal.profile-proposed") == []
    assert fresh(db, ana.id).notes == ""


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"phone": "call me"}, "phone"),
        ({"first_name": "   "}, "first_name"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"sex": "robot"}, "sex"),
    ],
)
def test_an_invalid_proposal_is_refused_with_its_field(
    db: Session, world: World, family, values: dict[str, str], field: str
) -> None:  # type: ignore[no-untyped-def]
    ana, parent = family
    before = snapshot(db, ana.id)
    with pytest.raises(Invalid) as caught:
        portal.propose_changes(db, world.actor(parent), ana.id, {"address": "1 New Rd", **values}, now=NOW)
    db.rollback()
    assert caught.value.field == field
    assert count(db, ProfileProposal) == 0
    assert snapshot(db, ana.id) == before
