"""Patient records are never lost: merges move every patient-owned table, deletion is refused,
records are archived and restored (issue 10, item 2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

import app.models  # noqa: F401  (every table in the metadata)
from app.models import AccessCode, Appointment, AuditEntry, AuthSession, Patient, PortalAccess, ProfileProposal
from app.services import audit, patient_merge, portal
from app.services.errors import Invalid, NotFound
from app.services.patients import access, records, search
from app.services.scheduling import booking_options, online_booking
from tests.world import World


def test_every_foreign_key_to_patients_is_in_the_merge_registry() -> None:
    references = {
        (table.name, fk.parent.name)
        for table in SQLModel.metadata.tables.values()
        for fk in table.foreign_keys
        if fk.column.table.name == "patients"
    }
    assert references, "no foreign keys to patients at all?"
    missing = references - set(patient_merge.PATIENT_REFERENCES)
    assert not missing, f"merging would lose rows of {sorted(missing)}: add them to PATIENT_REFERENCES"
    assert set(patient_merge.PATIENT_REFERENCES) <= references  # nothing stale either


def test_patient_owned_rows_restrict_deletion() -> None:
    for table in SQLModel.metadata.tables.values():
        for fk in table.foreign_keys:
            if fk.column.table.name == "patients" and table.name != "auth_sessions":
                assert fk.ondelete == "RESTRICT", f"{table.name}.{fk.parent.name} must be ON DELETE RESTRICT"


def test_the_database_refuses_to_delete_a_patient_with_history(world: World, db: Session) -> None:
    with pytest.raises(IntegrityError):
        db.delete(db.get(Patient, world.ana.id))
        db.flush()
    db.rollback()
    assert db.get(Patient, world.ana.id) is not None


def online_record(world: World, db: Session) -> Patient:
    """A record an online booking made for the family's account, holding a bit of everything."""
    online = Patient(office_id=world.maple.office_id, first_name="Ana", last_name="S.", new_online_client=True)
    db.add(online)
    db.flush()
    db.add(PortalAccess(office_id=world.maple.office_id, patient_id=online.id, user_id=world.parent.user_id))
    db.add(
        AccessCode(
            office_id=world.maple.office_id,
            patient_id=online.id,
            code_hash="x" * 64,
            expires_at=datetime.now(UTC) + timedelta(days=1),
        )
    )
    db.add(
        ProfileProposal(office_id=world.maple.office_id, patient_id=online.id, field="phone", value="+1 416 555 0101")
    )
    db.commit()
    return online


def test_a_merge_moves_every_patient_owned_row_and_audits_what_moved(world: World, db: Session) -> None:
    online = online_record(world, db)
    parent = world.actor(world.parent)
    portal.choose_record(db, parent, online.id)  # type: ignore[arg-type]
    db.commit()
    start = datetime.now(UTC) + timedelta(days=2)
    appointment = Appointment(
        office_id=world.maple.office_id,
        practitioner_id=world.maple.practitioner.user_id,
        patient_id=online.id,  # type: ignore[arg-type]
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
    )
    db.add(appointment)
    db.commit()
    online_id = online.id

    patient_merge.merge_into(db, world.maple.staff, online_id, world.ana.id)  # type: ignore[arg-type]
    db.commit()
    db.expire_all()

    assert db.get(Patient, online_id) is None
    assert db.get(Appointment, appointment.id).patient_id == world.ana.id  # type: ignore[union-attr]
    assert {a.patient_id for a in db.exec(select(AccessCode)).all()} >= {world.ana.id}
    assert db.exec(select(AccessCode).where(AccessCode.patient_id == online_id)).all() == []
    assert db.exec(select(ProfileProposal).where(ProfileProposal.field == "phone")).one().patient_id == world.ana.id
    # The family already held Ana's record: one live access, not two.
    live = db.exec(select(PortalAccess).where(PortalAccess.user_id == world.parent.user_id)).all()
    assert sorted(a.patient_id for a in live if a.revoked_at is None) == sorted([world.ana.id, world.ben.id])
    assert db.get(AuthSession, parent.session_id).current_patient_id == world.ana.id  # type: ignore[union-attr]
    [entry] = db.exec(select(AuditEntry).where(AuditEntry.action == "patient.merged")).all()
    detail = audit.detail_of(entry)
    assert (detail["merged"], detail["into"]) == (online_id, world.ana.id)
    assert detail["moved"] == {"appointments": 1, "access_codes": 1, "profile_proposals": 1, "auth_sessions": 1}


def test_archiving_hides_a_record_from_lists_pickers_and_online_booking(world: World, db: Session) -> None:
    office = world.maple.office_id
    records.archive_patient(db, world.maple.staff, world.ben.id)  # type: ignore[arg-type]
    db.commit()
    listed = {r.name for r in search.search_patients(db, world.maple.staff, office).rows}
    assert "Souza, Ben" not in listed and "Souza, Ana" in listed
    assert [r.name for r in search.search_patients(db, world.maple.staff, office, archived=True).rows] == ["Souza, Ben"]
    assert search.quick_find(db, world.maple.staff, office, "ben") == []
    # The record and its history stay, and it opens for staff.
    assert access.access_patient(db, world.maple.staff, world.ben.id).archived_at is not None  # type: ignore[arg-type]
    with pytest.raises(Invalid):
        records.archive_patient(db, world.maple.staff, world.ben.id)  # type: ignore[arg-type]
    records.restore_patient(db, world.maple.staff, world.ben.id)  # type: ignore[arg-type]
    db.commit()
    assert "Souza, Ben" in {r.name for r in search.search_patients(db, world.maple.staff, office).rows}
    actions = [e.action for e in db.exec(select(AuditEntry).where(AuditEntry.patient_id == world.ben.id)).all()]
    assert actions.count("patient.archived") == actions.count("patient.restored") == 1


def test_an_archived_record_is_not_booked_online(world: World, db: Session) -> None:
    office = world.maple.office_id
    options = booking_options.BookingOptionsInput(
        enabled=True,
        min_notice_hours=0,
        horizon_days=30,
        allow_cancellation=True,
        cancellation_notice_hours=0,
        registration_policy="existing_only",
        refusal_phone="+1 416 555 0100",
    )
    booking_options.save_booking_options(db, world.maple.owner, office, options)
    for patient in (world.ana, world.ben):
        records.archive_patient(db, world.maple.staff, patient.id)  # type: ignore[arg-type]
    db.commit()
    with pytest.raises(Invalid) as refused:
        online_booking._patient_for_booking(db, world.actor(world.parent), world.maple.office, None)
    assert "+1 416 555 0100" in refused.value.message


def test_only_the_office_may_archive_its_records(world: World, db: Session) -> None:
    for outsider in (world.birch.owner, world.actor(world.parent)):
        with pytest.raises(NotFound):
            records.archive_patient(db, outsider, world.ana.id)  # type: ignore[arg-type]
        with pytest.raises(NotFound):
            records.restore_patient(db, outsider, world.ana.id)  # type: ignore[arg-type]
    db.rollback()
    assert db.get(Patient, world.ana.id).archived_at is None  # type: ignore[union-attr]
