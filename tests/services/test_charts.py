"""Writing charts, treatment plans in the portal, Share PINs and the sharing list (issue 11)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from app.models import CHART_TEXT_LIMIT, Appointment, AuditEntry, Chart, Office, Patient, PortalAccess, User
from app.services import audit, patient_merge, throttle
from app.services.charts import charts, portal, shares, views
from app.services.errors import Invalid, NotFound, PermissionDenied, Throttled
from app.services.sharing import pins
from tests.world import World

T0 = datetime(2026, 5, 4, 14, 0, tzinfo=UTC)  # 10:00 in Toronto


def entries(db: Session, action: str) -> list[AuditEntry]:
    return list(db.exec(select(AuditEntry).where(AuditEntry.action == action)).all())


def test_a_new_chart_is_a_draft_of_today_linked_to_today_s_appointment(world: World, db: Session) -> None:
    author = world.maple.practitioner
    db.add(
        Appointment(
            office_id=world.maple.office_id,
            practitioner_id=author.user_id,
            patient_id=world.ana.id,  # type: ignore[arg-type]
            starts_at=T0 + timedelta(hours=1),
            ends_at=T0 + timedelta(hours=2),
        )
    )
    db.commit()
    chart = charts.start_chart(db, author, world.ana.id, now=T0)
    db.commit()
    assert (chart.status.value, chart.visit_date.isoformat(), chart.author_id) == (
        "draft",
        "2026-05-04",
        author.user_id,
    )
    assert chart.appointment_id is not None
    other = charts.start_chart(db, author, world.ben.id, now=T0)  # Ben has no appointment today
    assert other.appointment_id is None


def test_autosave_keeps_every_part_and_audits_one_stretch_of_writing_once(world: World, db: Session) -> None:
    author = world.maple.practitioner
    chart = charts.start_chart(db, author, world.ana.id, now=T0)
    for minute, text in enumerate(("Neck pain", "Neck pain since March", "Neck pain since March, worse at night")):
        charts.save_draft(
            db, author, chart.id, {"subjective": text, "exercises": "Chin tucks"}, now=T0 + timedelta(minutes=minute)
        )
    charts.save_draft(db, author, chart.id, {"visit_date": "2026-05-03", "nonsense": "ignored"}, now=T0)
    db.commit()
    view = views.view_chart(db, author, chart.id)
    assert view.fields["subjective"] == "Neck pain since March, worse at night"
    assert (view.fields["exercises"], view.visit_date, view.saved_at) == ("Chin tucks", "2026-05-03", "10:00")
    assert len(entries(db, "chart.edited")) == 1
    charts.save_draft(db, author, chart.id, {"assessment": "Strain"}, now=T0 + timedelta(minutes=40))
    db.commit()
    assert len(entries(db, "chart.edited")) == 2  # a new stretch of writing, later on
    assert len(entries(db, "chart.viewed")) == 1
    assert audit.detail_of(entries(db, "chart.edited")[0]) == {"fields": ["subjective", "exercises"]}


def test_bad_chart_input_is_a_message_beside_the_field_and_changes_nothing(world: World, db: Session) -> None:
    author = world.maple.practitioner
    chart = charts.start_chart(db, author, world.ana.id, now=T0)
    db.commit()
    with pytest.raises(Invalid) as refused:
        charts.save_draft(db, author, chart.id, {"objective": "x" * (CHART_TEXT_LIMIT + 1)})
    assert refused.value.field == "objective" and "20,000" in refused.value.message
    with pytest.raises(Invalid) as refused:
        charts.save_draft(db, author, chart.id, {"visit_date": "yesterday"})
    assert refused.value.field == "visit_date"
    db.rollback()
    with pytest.raises(Invalid):
        charts.lock_chart(db, author, chart.id)  # an empty chart is not signed
    with pytest.raises(Invalid):
        charts.add_note(db, author, chart.id, "  ")
    assert db.get(Chart, chart.id).objective == ""  # type: ignore[union-attr]


def test_staff_neither_write_nor_list_charts(world: World, db: Session) -> None:
    staff = world.maple.staff
    with pytest.raises(NotFound):
        charts.start_chart(db, staff, world.ana.id)
    with pytest.raises(NotFound):
        views.patient_charts(db, staff, world.ana.id)
    assert views.my_charts(db, staff).rows == []
    with pytest.raises(NotFound):
        charts.start_chart(db, world.birch.practitioner, world.ana.id)  # another office's patient


def test_your_charts_are_searchable_by_patient_newest_first_and_paginated(world: World, db: Session) -> None:
    author = world.maple.practitioner
    for i in range(23):
        charts.start_chart(db, author, (world.ana if i % 2 else world.ben).id, now=T0 + timedelta(minutes=i))
    db.commit()
    first = views.my_charts(db, author)
    assert (first.total, first.pages, len(first.rows)) == (23, 2, 20)
    assert first.rows[0].patient_name == "Ben Souza"  # the newest (i = 22)
    anas = views.my_charts(db, author, "ana")
    assert anas.total == 11 and {r.patient_name for r in anas.rows} == {"Ana Souza"}
    assert views.my_charts(db, author, "nobody-by-that-name").rows == []


def give_by_code(world: World, db: Session) -> None:
    """The parent's access to Ana came from a code (tests/world.py); make Ben's held without one."""
    access = db.exec(select(PortalAccess).where(PortalAccess.patient_id == world.ben.id)).one()
    access.access_code_id = None
    db.add(access)
    db.commit()


def test_the_portal_shows_the_plan_sections_only_for_records_unlocked_with_a_code(world: World, db: Session) -> None:
    give_by_code(world, db)
    author = world.maple.practitioner
    first = charts.start_chart(db, author, world.ana.id, now=T0)
    charts.save_draft(
        db, author, first.id, {"subjective": "SECRET SUBJECTIVE", "goals": "Walk 5 km", "follow_up": "In 2 weeks"}
    )
    later = charts.start_chart(db, author, world.ana.id, now=T0 + timedelta(days=7))
    charts.save_draft(
        db, author, later.id, {"visit_date": "2026-05-11", "exercises": "Stretch daily", "assessment": "SECRET"}
    )
    charts.lock_chart(db, author, later.id)
    soap_only = charts.start_chart(db, author, world.ana.id, now=T0)
    charts.save_draft(db, author, soap_only.id, {"objective": "SECRET OBJECTIVE"})
    ben = charts.start_chart(db, author, world.ben.id, now=T0)
    charts.save_draft(db, author, ben.id, {"goals": "Ben's goal"})
    db.commit()
    parent = world.actor(world.parent)
    visits = portal.treatment_plans(db, parent, world.ana.id)
    assert [(v.visit_label, v.practitioner) for v in visits] == [
        ("Mon 11 May 2026", "Priya Maple"),
        ("Mon 4 May 2026", "Priya Maple"),
    ]
    assert [[(s.label, s.text) for s in v.sections] for v in visits] == [
        [("Exercises", "Stretch daily")],
        [("Goals", "Walk 5 km"), ("Follow-up", "In 2 weeks")],
    ]
    assert "SECRET" not in repr(visits)
    assert portal.treatment_plans(db, parent, world.ben.id) == []  # held without a code
    with pytest.raises(NotFound):
        portal.treatment_plans(db, world.actor(world.stranger), world.ana.id)
    with pytest.raises(NotFound):
        portal.treatment_plans(db, parent, world.cleo.id)


def test_a_family_sees_with_whom_a_record_s_charts_are_shared(world: World, db: Session) -> None:
    author = world.maple.practitioner
    chart = charts.start_chart(db, author, world.ana.id, now=T0)
    charts.save_draft(db, author, chart.id, {"goals": "x"})
    db.commit()
    pins.add_by_pin(db, author, db.get(User, world.birch.practitioner.user_id).share_pin)  # type: ignore[union-attr]
    shares.share_chart(
        db,
        author,
        chart.id,
        rule="patient",
        recipients=[f"practitioner:{world.birch.practitioner.user_id}"],
        consent=True,
        now=T0,
    )
    db.commit()
    rows = portal.shares_of_record(db, world.actor(world.parent), world.ana.id)
    assert [(r.recipient, r.by, r.what) for r in rows] == [("Priya Birch", "Priya Maple", "All charts")]
    assert rows[0].since.startswith("Mon 4 May 2026")
    assert portal.shares_of_record(db, world.actor(world.parent), world.ben.id) == []
    with pytest.raises(NotFound):
        portal.shares_of_record(db, world.actor(world.stranger), world.ana.id)


def test_a_record_held_without_a_code_shows_no_sharing_either(world: World, db: Session) -> None:
    """Nothing clinical for a record held without a code: not even that it has charts, shared with whom."""
    author = world.maple.practitioner
    chart = charts.start_chart(db, author, world.ben.id, now=T0)
    charts.save_draft(db, author, chart.id, {"goals": "x"})
    shares.share_chart(
        db,
        author,
        chart.id,
        rule="all",
        recipients=[f"practitioner:{world.maple.owner.user_id}"],
        consent=True,
        now=T0,
    )
    db.commit()
    parent = world.actor(world.parent)
    assert [r.by for r in portal.shares_of_record(db, parent, world.ben.id)] == ["Priya Maple"]  # with a code
    give_by_code(world, db)  # Ben's record is now held without one
    assert portal.shares_of_record(db, world.actor(world.parent), world.ben.id) == []


def test_share_pins_are_read_any_way_people_type_them(world: World, db: Session) -> None:
    pin = db.get(User, world.birch.practitioner.user_id).share_pin  # type: ignore[union-attr]
    for typed in (pin, pin.lower(), pin.replace("-", ""), f"  {pin[:4]} {pin[5:]} "):
        assert pins.lookup(db, world.maple.practitioner, typed).name == "Priya Birch"
    office_pin = db.get(Office, world.birch.office_id).share_pin  # type: ignore[union-attr]
    target = pins.lookup(db, world.maple.practitioner, office_pin)
    assert (target.kind, target.name) == ("office", "Birch Road Clinic")
    assert pins.normalize_pin("abcd-ef0l") == "ABCD-EF01"  # l reads as 1
    assert pins.normalize_pin("ABCD-EF0U") == ""  # U is not in the alphabet


def test_one_s_own_pin_and_own_office_say_so(world: World, db: Session) -> None:
    me = world.maple.practitioner
    with pytest.raises(Invalid) as refused:
        pins.lookup(db, me, db.get(User, me.user_id).share_pin)  # type: ignore[union-attr]
    assert refused.value.message == "That is your own Share PIN."
    with pytest.raises(Invalid) as refused:
        pins.lookup(db, me, db.get(Office, world.maple.office_id).share_pin)  # type: ignore[union-attr]
    assert "your own office" in refused.value.message
    with pytest.raises(PermissionDenied):
        pins.lookup(db, world.actor(world.parent), "ABCD-EFGH")  # portal accounts keep no sharing list


def wrong_pin(db: Session, actor, pin: str = "ZZZZ-ZZZZ"):  # type: ignore[no-untyped-def]
    from app.db import fail

    with pytest.raises((Invalid, Throttled)) as refused:
        pins.add_by_pin(db, actor, pin)
    fail(db)
    return refused.value


def test_wrong_pins_are_refused_the_same_way_and_throttled(world: World, db: Session) -> None:
    me = world.maple.practitioner
    for pin in ("ZZZZ-ZZZZ", "nonsense", "", "²²²²-²²²²"):
        assert wrong_pin(db, me, pin).message == pins.UNKNOWN_PIN
    for _ in range(6):
        wrong_pin(db, me)
    assert isinstance(wrong_pin(db, me), Throttled)
    assert (
        db.exec(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "sharing-list.pin-failed")
        ).one()
        == 10
    )
    # Another account behind the same address, without failures of its own, is not held back.
    pin = db.get(User, world.birch.practitioner.user_id).share_pin  # type: ignore[union-attr]
    assert pins.add_by_pin(db, world.maple.owner, pin).name == "Priya Birch"
    assert throttle.recent_failures(db, pins.PIN_ACCOUNT, str(world.maple.owner.user_id)) == 0


def test_the_sharing_list_adds_once_removes_and_survives_a_new_pin(world: World, db: Session) -> None:
    me = world.maple.practitioner
    person_pin = db.get(User, world.birch.practitioner.user_id).share_pin  # type: ignore[union-attr]
    pins.add_by_pin(db, me, person_pin)
    pins.add_by_pin(db, me, db.get(Office, world.birch.office_id).share_pin)  # type: ignore[union-attr]
    db.commit()
    with pytest.raises(Invalid) as refused:
        pins.add_by_pin(db, me, person_pin)
    assert "already on your sharing list" in refused.value.message
    db.rollback()
    listed = pins.sharing_list(db, me)
    assert [(e.kind, e.name, e.detail) for e in listed] == [
        ("practitioner", "Priya Birch", "Birch Road Clinic"),
        ("office", "Birch Road Clinic", "12 Maple St, Toronto"),
    ]
    # Priya Birch renews her PIN: new additions need the new one, the entry stays.
    new_pin = pins.renew_own_pin(db, world.birch.practitioner)
    db.commit()
    assert new_pin != person_pin
    assert next(e.name for e in pins.sharing_list(db, me)) == "Priya Birch"
    assert wrong_pin(db, world.maple.owner, person_pin).message == pins.UNKNOWN_PIN
    # Only the owner renews an office's PIN.
    with pytest.raises(PermissionDenied):
        pins.renew_office_pin(db, world.birch.practitioner, world.birch.office_id)
    with pytest.raises(PermissionDenied):
        pins.renew_office_pin(db, world.maple.owner, world.birch.office_id)
    pins.renew_office_pin(db, world.birch.owner, world.birch.office_id)
    # Removing: one's own entries only.
    with pytest.raises(NotFound):
        pins.remove_entry(db, world.maple.owner, listed[0].id)
    pins.remove_entry(db, me, listed[0].id)
    db.commit()
    assert [e.name for e in pins.sharing_list(db, me)] == ["Birch Road Clinic"]


def test_a_merge_moves_charts_and_shares_with_the_record(world: World, db: Session) -> None:
    author = world.maple.practitioner
    online = Patient(office_id=world.maple.office_id, first_name="Ana", last_name="S.", new_online_client=True)
    db.add(online)
    db.commit()
    chart = charts.start_chart(db, author, online.id, now=T0)
    charts.save_draft(db, author, chart.id, {"goals": "Rest"})
    db.commit()
    patient_merge.merge_into(db, world.maple.staff, online.id, world.ana.id)
    db.commit()
    assert db.get(Chart, chart.id).patient_id == world.ana.id  # type: ignore[union-attr]
    assert [r.id for r in views.patient_charts(db, author, world.ana.id)] == [chart.id]
