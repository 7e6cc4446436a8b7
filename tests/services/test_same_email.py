"""A second record with an address already on file is asked about once, not refused (issue 14 item 9)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.models import Patient
from app.services.errors import NotFound, PermissionDenied
from app.services.patients import records
from app.services.patients.records import PatientInput
from app.services.patients.same_email import create_unless_email_taken
from tests.world import NOW, World


def new_record(world: World, email: str, confirmed: str = "", actor=None, office_id=None):  # type: ignore[no-untyped-def]
    outcome = create_unless_email_taken(
        world.db,
        actor or world.maple.staff,
        office_id or world.maple.office_id,
        PatientInput("Bia", "Souza", email=email),
        confirmed_email=confirmed,
        now=NOW,
    )
    world.db.commit()
    return outcome


def test_the_same_address_is_pointed_out_then_created_when_asked_again(world: World) -> None:
    asked = new_record(world, "  ANA@family.test ")  # Ana Souza has ana@family.test
    assert asked.created_id is None and asked.same_email is not None
    assert (asked.same_email.patient_id, asked.same_email.name) == (world.ana.id, "Ana Souza")
    assert world.count_new(Patient) == 0

    created = new_record(world, "ana@family.test", confirmed="ANA@family.test ")
    assert created.created_id is not None and created.same_email is None
    assert world.count_new(Patient) == 1


def test_confirming_one_address_does_not_wave_through_another(world: World) -> None:
    world.add_patient(world.maple, "Caio", email="caio@family.test")
    asked = new_record(world, "caio@family.test", confirmed="ana@family.test")
    assert asked.same_email is not None and asked.same_email.name == "Caio Smith"


def test_new_addresses_no_address_and_other_offices_records_create_at_once(world: World) -> None:
    assert new_record(world, "new@family.test").created_id is not None
    assert new_record(world, "").created_id is not None
    world.add_patient(world.birch, "Ana", email="shared@x.test")
    assert new_record(world, "shared@x.test").created_id is not None  # Birch's record is not Maple's business


def test_archived_records_do_not_count(world: World, db: Session) -> None:
    records.archive_patient(db, world.maple.owner, world.ana.id, now=NOW)  # type: ignore[arg-type]
    db.commit()
    assert new_record(world, "ana@family.test").created_id is not None


def test_only_those_who_may_create_records_learn_which_record_has_an_address(world: World) -> None:
    for refused, office in (
        (world.birch.staff, world.maple.office_id),
        (world.actor(world.parent), world.maple.office_id),
    ):
        with pytest.raises((NotFound, PermissionDenied)):
            new_record(world, "ana@family.test", actor=refused, office_id=office)
        world.db.rollback()
