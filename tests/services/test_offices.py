"""Offices and share PINs (SPEC §2, §7); the role × action table is tests/services/test_role_matrix.py."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, func, select

from app.models import AccountKind, AuditEntry, AuthSession, Membership, Office, OfficeRole, User
from app.services import offices, sessions, share_pins
from app.services.accounts import share_pin
from app.services.actor import Actor
from app.services.errors import Invalid, PermissionDenied
from app.services.permissions import OfficeAction, require
from tests.factories import make_office, make_user, sign_in_as

PIN = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")  # Crockford: no I, L, O, U
GOOD = offices.OfficeInput(
    name="Birch Avenue Physio", address="4 Birch Ave, Montreal", phone="+1 514 555 0199", time_zone="America/Montreal"
)


def count(db: Session, model: type) -> int:
    return db.exec(select(func.count()).select_from(model)).one()


def signed_in(db: Session, email: str, kind: AccountKind = AccountKind.practitioner) -> Actor:
    actor, _ = sign_in_as(db, make_user(db, email=email, kind=kind, full_name=email.split("@")[0]))
    return actor


def add_member(db: Session, office: Office, actor: Actor, role: OfficeRole) -> None:
    db.add(Membership(office_id=office.id, user_id=actor.user_id, role=role))  # type: ignore[arg-type]
    db.commit()


@pytest.fixture
def owner(db: Session) -> Actor:
    return signed_in(db, "owner@example.com")


@pytest.fixture
def office(db: Session, owner: Actor) -> Office:
    return make_office(db, owner)


# --- creating an office ----------------------------------------------------


def test_the_creator_owns_the_new_office(db: Session, owner: Actor) -> None:
    office = offices.create_office(db, owner, GOOD)
    db.commit()

    stored = db.get(Office, office.id)
    assert stored is not None
    assert (stored.name, stored.address, stored.phone, stored.time_zone) == (
        "Birch Avenue Physio",
        "4 Birch Ave, Montreal",
        "+1 514 555 0199",
        "America/Montreal",
    )
    membership = db.exec(select(Membership).where(Membership.office_id == office.id)).one()
    assert (membership.user_id, membership.role) == (owner.user_id, OfficeRole.owner)
    assert offices.my_offices(db, owner) == [
        offices.OfficeSummary(id=office.id, name=GOOD.name, role=OfficeRole.owner, time_zone=GOOD.time_zone)
    ]  # type: ignore[arg-type]
    # The creator's session now works in the new office.
    assert db.get(AuthSession, owner.session_id).current_office_id == office.id  # type: ignore[union-attr]


def test_office_creation_is_audited(db: Session, owner: Actor) -> None:
    office = offices.create_office(db, owner, GOOD)
    db.commit()
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "office.created")).one()
    assert (entry.actor_user_id, entry.office_id, entry.target_type, entry.target_id, entry.client_ip) == (
        owner.user_id,
        office.id,
        "office",
        office.id,
        "203.0.113.9",
    )


def test_office_details_show_the_share_pin(db: Session, owner: Actor, office: Office) -> None:
    details = offices.office_details(db, owner, office.id)  # type: ignore[arg-type]
    assert details.name == "Maple Street Clinic"
    assert details.time_zone == "America/Toronto"
    assert details.role == OfficeRole.owner
    assert details.member_count == 1
    assert details.share_pin == office.share_pin
    assert PIN.match(details.share_pin)


def test_office_share_pins_are_unique(db: Session, owner: Actor) -> None:
    pins = {make_office(db, owner, name=f"Office {number}").share_pin for number in range(6)}
    assert len(pins) == 6
    assert all(PIN.match(pin) for pin in pins)


def test_a_pin_already_taken_is_drawn_again(db: Session, owner: Actor, office: Office, monkeypatch) -> None:
    draws = iter([office.share_pin, office.share_pin, "ABCD-EFGH"])
    monkeypatch.setattr(share_pins, "new_pin", lambda: next(draws))
    second = make_office(db, owner, name="Second Clinic")
    assert second.share_pin == "ABCD-EFGH"


def test_new_pins_use_only_the_crockford_alphabet() -> None:
    drawn = [share_pins.new_pin() for _ in range(300)]
    assert all(PIN.match(pin) for pin in drawn)
    assert not set("ILOU") & set("".join(drawn))
    assert len(set(drawn)) == 300


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("name", offices.OfficeInput(name="   ", address="1 Main St", phone="+1 416 555 0100", time_zone="UTC")),
        ("address", offices.OfficeInput(name="Clinic", address="", phone="+1 416 555 0100", time_zone="UTC")),
        ("phone", offices.OfficeInput(name="Clinic", address="1 Main St", phone="call us", time_zone="UTC")),
        ("phone", offices.OfficeInput(name="Clinic", address="1 Main St", phone="555", time_zone="UTC")),
        (
            "time_zone",
            offices.OfficeInput(name="Clinic", address="1 Main St", phone="4165550100", time_zone="Mars/Base"),
        ),
        ("name", offices.OfficeInput(name="x" * 121, address="1 Main St", phone="4165550100", time_zone="UTC")),
    ],
)
def test_bad_input_is_refused_with_its_field_and_writes_nothing(
    db: Session, owner: Actor, field: str, data: offices.OfficeInput
) -> None:
    with pytest.raises(Invalid) as refused:
        offices.create_office(db, owner, data)
    assert refused.value.field == field
    # Checked before any rollback: nothing is even pending in the session.
    assert (count(db, Office), count(db, Membership), count(db, AuditEntry)) == (0, 0, 0)
    assert db.get(AuthSession, owner.session_id).current_office_id is None  # type: ignore[union-attr]
    db.rollback()


# --- who may do what ------------------------------------------------------


def test_a_patient_account_is_refused_every_office_service(db: Session, office: Office) -> None:
    patient = signed_in(db, "pat@example.com", AccountKind.patient)
    with pytest.raises(PermissionDenied):
        offices.create_office(db, patient, GOOD)
    with pytest.raises(PermissionDenied):
        offices.my_offices(db, patient)
    with pytest.raises(PermissionDenied):
        offices.office_details(db, patient, office.id)  # type: ignore[arg-type]
    assert count(db, Office) == 1


def test_a_patient_is_refused_even_with_a_membership_row(db: Session, office: Office) -> None:
    patient = signed_in(db, "pat@example.com", AccountKind.patient)
    add_member(db, office, patient, OfficeRole.owner)
    with pytest.raises(PermissionDenied):
        offices.office_details(db, patient, office.id)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        require(db, patient, office.id, OfficeAction.view_office)  # type: ignore[arg-type]


def test_a_staff_account_cannot_create_an_office(db: Session) -> None:
    staff = signed_in(db, "desk@example.com", AccountKind.staff)
    with pytest.raises(PermissionDenied):
        offices.create_office(db, staff, GOOD)
    assert count(db, Office) == 0


def test_a_practitioner_outside_the_office_sees_nothing_of_it(db: Session, office: Office) -> None:
    stranger = signed_in(db, "stranger@example.com")
    with pytest.raises(PermissionDenied) as refused:
        offices.office_details(db, stranger, office.id)  # type: ignore[arg-type]
    assert refused.value.message == "You do not have access to this office."
    with pytest.raises(PermissionDenied):
        offices.update_office(db, stranger, office.id, GOOD)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        offices.switch_office(db, stranger, office.id)  # type: ignore[arg-type]
    assert offices.my_offices(db, stranger) == []
    assert offices.current_office_id(db, stranger) is None


def test_only_the_owner_updates_the_office(db: Session, owner: Actor, office: Office) -> None:
    colleague = signed_in(db, "colleague@example.com")
    add_member(db, office, colleague, OfficeRole.practitioner)

    with pytest.raises(PermissionDenied) as refused:
        offices.update_office(db, colleague, office.id, GOOD)  # type: ignore[arg-type]
    assert refused.value.message == "Your role in this office does not allow that."
    db.rollback()
    details = offices.office_details(db, colleague, office.id)  # type: ignore[arg-type]
    assert (details.name, details.role, details.member_count) == ("Maple Street Clinic", OfficeRole.practitioner, 2)

    offices.update_office(db, owner, office.id, GOOD)  # type: ignore[arg-type]
    db.commit()
    details = offices.office_details(db, colleague, office.id)  # type: ignore[arg-type]
    assert (details.name, details.phone, details.time_zone) == (GOOD.name, GOOD.phone, GOOD.time_zone)
    assert details.share_pin == office.share_pin  # editing the details keeps the PIN
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "office.updated")).one()
    assert (entry.actor_user_id, entry.office_id) == (owner.user_id, office.id)


def test_an_invalid_update_changes_nothing(db: Session, owner: Actor, office: Office) -> None:
    bad = offices.OfficeInput(name="New name", address="1 Main St", phone="+1 416 555 0100", time_zone="Nowhere")
    with pytest.raises(Invalid) as refused:
        offices.update_office(db, owner, office.id, bad)  # type: ignore[arg-type]
    assert refused.value.field == "time_zone"
    db.rollback()
    assert db.get(Office, office.id).name == "Maple Street Clinic"  # type: ignore[union-attr]


def test_my_offices_lists_memberships_by_name(db: Session, owner: Actor) -> None:
    zed = make_office(db, owner, name="Zed Clinic")
    colleague = signed_in(db, "colleague@example.com")
    alpha = make_office(db, colleague, name="Alpha Clinic")
    add_member(db, alpha, owner, OfficeRole.practitioner)
    assert offices.my_offices(db, owner) == [
        offices.OfficeSummary(
            id=alpha.id, name="Alpha Clinic", role=OfficeRole.practitioner, time_zone="America/Toronto"
        ),  # type: ignore[arg-type]
        offices.OfficeSummary(id=zed.id, name="Zed Clinic", role=OfficeRole.owner, time_zone="America/Toronto"),  # type: ignore[arg-type]
    ]


def test_switch_office_and_losing_membership(db: Session) -> None:
    actor, token = sign_in_as(db, make_user(db, email="multi@example.com"))
    first = make_office(db, actor, name="A First Clinic")
    second = make_office(db, actor, name="B Second Clinic")
    offices.switch_office(db, actor, first.id)  # type: ignore[arg-type]
    db.commit()
    actor = sessions.resolve(db, token)  # type: ignore[assignment]
    assert actor is not None and actor.current_office_id == first.id
    assert offices.current_office_id(db, actor) == first.id
    # Removed from the chosen office: the session falls back to an office still held.
    db.delete(db.exec(select(Membership).where(Membership.office_id == first.id)).one())
    db.commit()
    assert offices.current_office_id(db, actor) == second.id
    db.commit()
    assert db.get(AuthSession, actor.session_id).current_office_id == second.id  # type: ignore[union-attr]


# --- practitioner share PIN ------------------------------------------------


def test_practitioner_share_pin_is_stable(db: Session, owner: Actor) -> None:
    first = share_pin.share_pin(db, owner)
    db.commit()
    assert PIN.match(first)
    assert share_pin.share_pin(db, owner) == first
    assert db.get(User, owner.user_id).share_pin == first  # type: ignore[union-attr]


def test_a_practitioner_without_a_pin_gets_one_that_sticks(db: Session, owner: Actor) -> None:
    user = db.get(User, owner.user_id)
    user.share_pin = None  # type: ignore[union-attr]
    db.commit()
    pin = share_pin.share_pin(db, owner)
    db.commit()
    assert PIN.match(pin)
    assert share_pin.share_pin(db, owner) == pin


def test_share_pin_is_refused_to_patients(db: Session) -> None:
    patient = signed_in(db, "pat@example.com", AccountKind.patient)
    with pytest.raises(PermissionDenied):
        share_pin.share_pin(db, patient)
    assert db.get(User, patient.user_id).share_pin is None  # type: ignore[union-attr]
