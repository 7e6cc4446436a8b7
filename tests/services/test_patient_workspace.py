"""The client workspace reads each part once and audits the view once (issue 10, item 1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from app.models import Appointment, AuditEntry
from app.services import access_codes, patient_workspace
from app.services.errors import NotFound
from app.services.patients import access as patient_access
from app.services.patients import records
from tests.world import World


def views(db: Session, patient_id: int) -> int:
    return db.exec(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.patient_id == patient_id, AuditEntry.action == "patient.viewed")
    ).one()


def test_opening_the_workspace_is_one_view_whatever_it_loads(world: World, db: Session) -> None:
    staff, ana = world.maple.staff, world.ana.id
    before = views(db, ana)  # type: ignore[arg-type]
    header = patient_workspace.header(db, staff, ana)
    patient_workspace.appointments_tab(db, staff, ana)
    patient_workspace.portal_access_tab(db, staff, ana)
    db.commit()
    assert views(db, ana) == before + 1  # type: ignore[arg-type]
    assert (header.name, header.profile["email"], header.born) == ("Ana Souza", "ana@family.test", "2 Apr 2015")
    # Refreshing after an action is not another view: the action has its own entry.
    records.update_patient(db, staff, ana, records.PatientInput(first_name="Ana", last_name="Souza"))  # type: ignore[arg-type]
    patient_workspace.header(db, staff, ana, seen=False)
    db.commit()
    assert views(db, ana) == before + 1  # type: ignore[arg-type]


def test_what_each_role_may_do_comes_with_the_header(world: World, db: Session) -> None:
    for actor, edit, access, schedule, charts in (
        (world.maple.owner, True, True, True, True),
        (world.maple.practitioner, True, True, True, True),
        (world.maple.staff, True, True, True, False),  # staff never see charts
    ):
        header = patient_workspace.header(db, actor, world.ana.id, seen=False)
        assert (header.may_edit, header.may_manage_access, header.may_view_schedule) == (edit, access, schedule)
        assert (header.may_read_charts, header.may_write_charts) == (charts, charts)


def test_the_tabs_show_the_record_s_own_rows_in_the_office_s_words(world: World, db: Session) -> None:
    staff, ana = world.maple.staff, world.ana.id
    start = datetime(2026, 6, 2, 13, 30, tzinfo=UTC)  # 09:30 in Toronto
    db.add(
        Appointment(
            office_id=world.maple.office_id,
            practitioner_id=world.maple.practitioner.user_id,
            patient_id=ana,  # type: ignore[arg-type]
            starts_at=start,
            ends_at=start + timedelta(minutes=30),
            booked_online=True,
        )
    )
    db.commit()
    [row] = patient_workspace.appointments_tab(db, staff, ana)
    assert (row.when, row.practitioner, row.status_label, row.online) == (
        "Tue 2 Jun 2026, 09:30",
        "Priya Maple",
        "Booked",
        True,
    )
    assert patient_workspace.appointments_tab(db, staff, world.ben.id) == []
    access = patient_workspace.portal_access_tab(db, staff, ana)
    assert [h.email for h in access.holders] == ["parent@family.test"]
    generated = access_codes.generate(db, world.settings, staff, ana)  # type: ignore[arg-type]
    db.commit()
    assert [c.id for c in patient_workspace.portal_access_tab(db, staff, ana).codes] == [generated.access_code_id]


def test_nobody_outside_the_office_gets_any_part_of_it(world: World, db: Session) -> None:
    for outsider in (world.birch.owner, world.birch.staff, world.actor(world.parent)):
        for read in (
            lambda actor: patient_workspace.header(db, actor, world.ana.id),
            lambda actor: patient_workspace.appointments_tab(db, actor, world.ana.id),
            lambda actor: patient_workspace.portal_access_tab(db, actor, world.ana.id),
        ):
            with pytest.raises(NotFound) as refused:
                read(outsider)
            assert refused.value.message == patient_access.PATIENT_NOT_FOUND
    for odd in ("²", "0", None, 10**30):
        with pytest.raises(NotFound):
            patient_workspace.header(db, world.maple.staff, odd)
