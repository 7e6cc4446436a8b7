"""The owner's Audit log and the patient's "Who opened my record" (issue 10, item 13)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from app.models import AuditEntry
from app.services import access_codes, audit, audit_log, permissions, record_access
from app.services.audit import AccessKind, AuditAction
from app.services.errors import Invalid, NotFound, PermissionDenied
from app.services.patients import records
from tests.world import World


def entry_at(db: Session, world: World, at: datetime, action: AuditAction = AuditAction.patient_viewed) -> None:
    audit.record(
        db, world.maple.staff, action, office_id=world.maple.office_id, patient_id=world.ana.id, target_type="patient"
    )
    db.flush()
    row = db.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first()  # type: ignore[union-attr]
    assert row is not None
    row.at = at
    db.add(row)
    db.commit()


def test_the_owner_reads_the_office_log_newest_first_and_nothing_of_another_office(world: World, db: Session) -> None:
    records.get_patient(db, world.maple.practitioner, world.ana.id)  # type: ignore[arg-type]
    db.commit()
    page = audit_log.office_log(db, world.maple.owner, world.maple.office_id, audit_log.LogFilter())
    assert page.total == len(page.rows) > 3
    assert [r.at for r in page.rows] == sorted((r.at for r in page.rows), reverse=True)
    newest = page.rows[0]
    assert (newest.action, newest.person, newest.patient) == ("patient.viewed", "Priya Maple", "Ana Souza")
    assert newest.action_words == "Opened the record"
    assert "Cleo Birchwood" not in {r.patient for r in page.rows}
    assert all(r.patient != "" or r.patient_id is None for r in page.rows)


def test_filters_by_patient_person_and_action(world: World, db: Session) -> None:
    records.get_patient(db, world.maple.practitioner, world.ben.id)  # type: ignore[arg-type]
    db.commit()
    office = world.maple.office_id
    by_patient = audit_log.office_log(db, world.maple.owner, office, audit_log.LogFilter(patient_id=world.ben.id))
    assert by_patient.rows and {r.patient for r in by_patient.rows} == {"Ben Souza"}
    by_person = audit_log.office_log(
        db, world.maple.owner, office, audit_log.LogFilter(person_id=world.maple.practitioner.user_id)
    )
    assert {r.person for r in by_person.rows} == {"Priya Maple"}
    created = audit_log.office_log(db, world.maple.owner, office, audit_log.LogFilter(action="patient.created"))
    assert {r.patient for r in created.rows} == {"Ana Souza", "Ben Souza"}
    with pytest.raises(Invalid) as refused:
        audit_log.office_log(db, world.maple.owner, office, audit_log.LogFilter(action="patient.deleted"))
    assert refused.value.field == "action"


def test_dates_are_the_office_s_days(world: World, db: Session) -> None:
    # Toronto is UTC-5 in January: 23:30 on the 9th there is 04:30 UTC on the 10th.
    entry_at(db, world, datetime(2026, 1, 10, 4, 30, tzinfo=UTC))
    entry_at(db, world, datetime(2026, 1, 10, 5, 30, tzinfo=UTC))  # 00:30 on the 10th in Toronto
    office = world.maple.office_id
    ninth = audit_log.office_log(
        db, world.maple.owner, office, audit_log.LogFilter(start="2026-01-09", end="2026-01-09")
    )
    tenth = audit_log.office_log(
        db, world.maple.owner, office, audit_log.LogFilter(start="2026-01-10", end="2026-01-10")
    )
    assert [r.when for r in ninth.rows] == ["Fri 9 Jan 2026, 23:30"]
    assert [r.when for r in tenth.rows] == ["Sat 10 Jan 2026, 00:30"]
    with pytest.raises(Invalid) as refused:
        audit_log.office_log(db, world.maple.owner, office, audit_log.LogFilter(start="2026-01-10", end="2026-01-09"))
    assert refused.value.field == "end"
    with pytest.raises(Invalid):
        audit_log.office_log(db, world.maple.owner, office, audit_log.LogFilter(start="yesterday"))


def test_pages_of_fifty(world: World, db: Session) -> None:
    for minute in range(120):
        entry_at(db, world, datetime(2026, 2, 1, 12, minute % 60, minute // 60, tzinfo=UTC))
    wanted = audit_log.LogFilter(start="2026-02-01", end="2026-02-01")
    office = world.maple.office_id
    first = audit_log.office_log(db, world.maple.owner, office, wanted, page=1)
    last = audit_log.office_log(db, world.maple.owner, office, wanted, page=99)
    assert (first.total, first.pages, len(first.rows)) == (120, 3, 50)
    assert (last.page, len(last.rows)) == (3, 20)


def test_only_the_owner_may_read_the_office_log(world: World, db: Session) -> None:
    office = world.maple.office_id
    for refused in (world.maple.practitioner, world.maple.staff, world.birch.owner, world.actor(world.parent)):
        with pytest.raises(PermissionDenied):
            audit_log.office_log(db, refused, office, audit_log.LogFilter())
        with pytest.raises(PermissionDenied):
            audit_log.export_csv(db, refused, office, audit_log.LogFilter())
        with pytest.raises(PermissionDenied):
            audit_log.log_choices(db, refused, office)


def test_the_filter_choices_are_the_office_s_people_and_actions(world: World, db: Session) -> None:
    choices = audit_log.log_choices(db, world.maple.owner, world.maple.office_id)
    names = [name for _, name in choices.people]
    assert {"Olive Maple", "Priya Maple", "Sam Maple"} <= set(names)
    assert "Olive Birch" not in names
    assert ("patient.created", "Created the record") in choices.actions


def test_export_is_csv_without_formulas(world: World, db: Session) -> None:
    world.add_patient(world.maple, "=HYPERLINK(evil)", "Smith")
    text = audit_log.export_csv(db, world.maple.owner, world.maple.office_id, audit_log.LogFilter())
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["time (UTC)", "time (office)", "person", "action"]
    patients_named = [row[5] for row in rows[1:]]
    assert "'=HYPERLINK(evil) Smith" in patients_named
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_a_patient_sees_which_clinic_people_opened_changed_or_shared_their_record(world: World, db: Session) -> None:
    records.get_patient(db, world.maple.practitioner, world.ana.id)  # type: ignore[arg-type]
    db.commit()
    seen = record_access.who_opened_my_record(db, world.actor(world.parent), world.ana.id)  # type: ignore[arg-type]
    assert seen[0].who == "Priya Maple"
    assert (seen[0].role, seen[0].kind, seen[0].what) == ("Practitioner", AccessKind.read, "Opened the record")
    kinds = {(a.who, a.kind) for a in seen}
    assert ("Sam Maple", AccessKind.changed) in kinds  # created the record
    assert ("Sam Maple", AccessKind.shared) in kinds  # made the access code
    assert {a.role for a in seen if a.who == "Sam Maple"} == {"Front desk staff"}
    # The family's own actions (redeeming the code) are not "who opened my record".
    assert "Pat Parent" not in {a.who for a in seen}
    # Only this record: Ben's entries are Ben's.
    assert all(a.what != "Opened the record" or a.who != "Nobody" for a in seen)
    ben_seen = record_access.who_opened_my_record(db, world.actor(world.parent), world.ben.id)  # type: ignore[arg-type]
    assert "Priya Maple" not in {a.who for a in ben_seen}


def test_nobody_else_sees_a_record_s_history(world: World, db: Session) -> None:
    for refused, patient_id in (
        (world.actor(world.stranger), world.ana.id),
        (world.actor(world.parent), world.cleo.id),
        (world.actor(world.parent), 987_654),
        (world.maple.owner, world.ana.id),  # the clinic reads the office log, not the portal view
    ):
        with pytest.raises((NotFound, PermissionDenied)):
            record_access.who_opened_my_record(db, refused, patient_id)  # type: ignore[arg-type]
    # A revoked holder no longer sees it.
    [holder] = [h for h in access_codes.holders(db, world.maple.staff, world.ana.id) if h.name == "Pat Parent"]  # type: ignore[arg-type]
    access_codes.revoke_access(db, world.maple.staff, holder.access_id)
    db.commit()
    with pytest.raises(NotFound):
        record_access.who_opened_my_record(db, world.actor(world.parent), world.ana.id)  # type: ignore[arg-type]


def test_the_patient_picker_finds_current_and_archived_records_for_the_owner_only(world: World, db: Session) -> None:
    office = world.maple.office_id
    records.archive_patient(db, world.maple.staff, world.ben.id)  # type: ignore[arg-type]
    db.commit()
    found = audit_log.find_patients(db, world.maple.owner, office, "souza")
    assert {(c.name, c.detail) for c in found} == {
        ("Souza, Ana", "2015-04-02 · ana@family.test"),
        ("Souza, Ben", "Archived"),
    }
    assert audit_log.find_patients(db, world.maple.owner, office, "s") == []  # two letters first
    assert audit_log.find_patients(db, world.maple.owner, office, "Birchwood") == []  # another office's patient
    for refused in (world.maple.practitioner, world.maple.staff, world.birch.owner, world.actor(world.parent)):
        with pytest.raises(PermissionDenied):
            audit_log.find_patients(db, refused, office, "souza")


def test_rows_say_who_and_which_record_even_when_there_is_none(world: World, db: Session) -> None:
    office = world.maple.office_id
    audit.record(db, None, AuditAction.patient_viewed, office_id=office, patient_id=987_654, target_type="patient")
    audit.record(
        db, world.maple.staff, AuditAction.patient_updated, office_id=office, detail={"fields": ["phone", "email"]}
    )
    db.commit()
    rows = audit_log.office_log(db, world.maple.owner, office, audit_log.LogFilter()).rows
    nobody = next(r for r in rows if r.patient_id == 987_654)
    assert (nobody.person, nobody.patient) == (audit_log.NOT_SIGNED_IN, audit_log.NO_LONGER_A_RECORD)
    changed = next(r for r in rows if r.action == "patient.updated" and r.patient_id is None)
    assert changed.detail == "fields: phone, email"
    assert audit_log.log_choices(db, world.maple.owner, office).time_zone == "America/Toronto"


def test_dates_outside_any_log_are_refused_not_crashed(world: World, db: Session) -> None:
    office = world.maple.office_id
    for start, end in (("0001-01-01", ""), ("", "9999-12-31"), ("2026-01-01x", "")):
        with pytest.raises(Invalid):
            audit_log.office_log(db, world.maple.owner, office, audit_log.LogFilter(start=start, end=end))


def test_an_export_is_written_to_the_log_with_its_filter(world: World, db: Session) -> None:
    office = world.maple.office_id
    wanted = audit_log.LogFilter(patient_id=world.ana.id, action="patient.created")
    text = audit_log.export_csv(db, world.maple.owner, office, wanted)
    db.commit()
    assert len(list(csv.reader(io.StringIO(text)))) == 2  # the header and Ana's creation
    newest = audit_log.office_log(db, world.maple.owner, office, audit_log.LogFilter()).rows[0]
    assert (newest.action_words, newest.person, newest.patient) == ("Exported the audit log", "Olive Maple", "")
    assert newest.detail == f"patient: {world.ana.id}; action: patient.created; entries: 1"


def test_the_capabilities_offer_the_audit_log_to_the_owner_only(world: World, db: Session) -> None:
    office = world.maple.office_id
    assert permissions.capabilities(db, world.maple.owner, office).view_audit_log
    assert not permissions.capabilities(db, world.maple.practitioner, office).view_audit_log
    assert not permissions.capabilities(db, world.maple.staff, office).view_audit_log
