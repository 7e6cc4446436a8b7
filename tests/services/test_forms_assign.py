"""Assigning forms from the patient's workspace, the Forms tab, and the form a service asks for
during online booking (issue 13): who may assign what, the e-mail to the portal holders, bad input,
and merges that move assignments and submissions to the surviving record."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, func, select

from app.models import FormAssignment, FormSubmission, OutboxMessage, Patient, ServiceBookingForm
from app.services import local_time, patient_merge
from app.services.errors import Invalid, NotFound, PermissionDenied
from app.services.forms import assign, booking, filling, portal_list, review, sharing
from app.services.patients import records
from app.services.scheduling import online_booking
from tests.forms_support import T0, Intake, assign_to, build_intake, complete_answers, fill_and_submit
from tests.world import NOW, World


@pytest.fixture
def intake(world: World, db: Session) -> Intake:
    """Priya's intake form, shared with her own office (so its owner and front desk use it too)."""
    found = build_intake(db, world.maple.practitioner, world.maple.office_id)
    sharing.save_sharing(
        db,
        world.maple.practitioner,
        found.form_id,
        recipients=[f"office:{world.maple.office_id}"],
        author_sees_all=False,
        recipients_see_all=False,
    )
    db.commit()
    return found


def outbox(db: Session) -> list[OutboxMessage]:
    return list(db.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())


def test_the_front_desk_assigns_a_form_and_the_family_is_told_by_e_mail(
    world: World, db: Session, intake: Intake
) -> None:
    before = len(outbox(db))
    result = assign.assign_form(
        db,
        world.settings,
        world.maple.staff,
        world.ana.id,
        intake.form_id,
        due_date="2099-03-01",
        message="Please bring your inhaler.",
        now=T0,
    )
    db.commit()
    assert result.notified == 1
    [mail] = outbox(db)[before:]
    assert mail.to_address == "parent@family.test"
    assert mail.subject == "Maple Street Clinic asks you to fill in a form"
    assert "“Intake” for Ana" in mail.body_text and "http://praxis.test/portal/forms" in mail.body_text
    assert "Please fill it in by Sun 1 Mar 2099." in mail.body_text and "Please bring your inhaler." in mail.body_text
    [row] = assign.patient_forms(db, world.maple.staff, world.ana.id)
    assert (row.title, row.status_words, row.assigned_by, row.due, row.submitted_on) == (
        "Intake",
        "To fill in",
        "Sam Maple",
        "Sun 1 Mar 2099",
        "",
    )
    # A record nobody holds with a code: assigned, and nobody to tell.
    assert assign.assign_form(db, world.settings, world.maple.owner, world.ben.id, intake.form_id).notified == 1
    nobody = world.add_patient(world.maple, "Nia", "New")
    assert assign.assign_form(db, world.settings, world.maple.owner, nobody.id, intake.form_id).notified == 0
    db.commit()
    assert [e.actor_user_id for e in world.audit_since_built("form.assigned")] == [
        world.maple.staff.user_id,
        world.maple.owner.user_id,
        world.maple.owner.user_id,
    ]


def test_the_forms_tab_follows_a_form_from_assigned_to_reviewed(world: World, db: Session, intake: Intake) -> None:
    mine = assign_to(db, world.settings, world.maple.practitioner, world.ana.id or 0, intake.form_id)
    parent = world.actor(world.parent)
    filling.save_answer(db, parent, mine, intake.smoker, "no", now=T0 + timedelta(hours=1))
    db.commit()
    [row] = assign.patient_forms(db, world.maple.owner, world.ana.id)
    assert (row.status, row.status_words, row.started_on) == ("in_progress", "In progress", "Mon 4 May 2026, 11:00")
    submission = fill_and_submit(db, parent, mine, intake, now=T0 + timedelta(hours=2))
    review.mark_reviewed(db, world.maple.owner, submission, now=T0 + timedelta(hours=3))
    db.commit()
    [row] = assign.patient_forms(db, world.maple.staff, world.ana.id)
    assert (row.status_words, row.submission_id, row.submitted_on) == ("Submitted", submission, "Mon 4 May 2026, 12:00")
    assert row.reviewed == "Reviewed by Olive Maple on Mon 4 May 2026, 13:00"
    for outsider in (world.birch.owner, world.birch.practitioner, world.actor(world.parent)):
        with pytest.raises((NotFound, PermissionDenied)):
            assign.patient_forms(db, outsider, world.ana.id)
        db.rollback()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"due_date": "2020-01-01"}, "due_date"),
        ({"due_date": "tomorrow"}, "due_date"),
        ({"due_date": "2026-02-30"}, "due_date"),
        ({"message": "x" * 1001}, "message"),
    ],
)
def test_bad_assignments_are_refused_beside_the_field(
    world: World, db: Session, intake: Intake, extra: dict[str, str], field: str
) -> None:
    with pytest.raises(Invalid) as refused:
        assign.assign_form(db, world.settings, world.maple.staff, world.ana.id, intake.form_id, **extra)
    db.rollback()
    assert refused.value.field == field
    assert db.exec(select(func.count()).select_from(FormAssignment)).one() == 0
    assert db.exec(select(func.count()).select_from(OutboxMessage)).one() == 0


def test_who_may_assign_which_form_to_whom(world: World, db: Session, intake: Intake) -> None:
    own = build_intake(db, world.birch.practitioner, world.birch.office_id, "Birch only")
    # Another office's record, another office's form, a missing one: the same answer, nothing written.
    refusals = [
        (world.birch.owner, world.ana.id, intake.form_id),
        (world.maple.staff, world.ana.id, own.form_id),
        (world.maple.staff, world.ana.id, 987_654),
        (world.maple.staff, world.cleo.id, intake.form_id),
        (world.maple.staff, world.ana.id, "1; drop table"),
        (world.actor(world.parent), world.ana.id, intake.form_id),
    ]
    for who, patient, form in refusals:
        with pytest.raises((NotFound, PermissionDenied)):
            assign.assign_form(db, world.settings, who, patient, form)
        db.rollback()
    assert db.exec(select(func.count()).select_from(FormAssignment)).one() == 0
    assert [f.title for f in assign.assignable_forms(db, world.maple.staff, world.ana.id)] == ["Intake"]
    assert [(f.title, f.mine) for f in assign.assignable_forms(db, world.birch.practitioner, world.cleo.id)] == [
        ("Birch only", True)
    ]
    records.archive_patient(db, world.maple.staff, world.ben.id or 0)
    db.commit()
    with pytest.raises(Invalid) as archived:
        assign.assign_form(db, world.settings, world.maple.staff, world.ben.id, intake.form_id)
    assert archived.value.message == assign.ARCHIVED


def _book_online(world: World, db: Session, service_id: int, days: int = 3) -> online_booking.BookingConfirmation:
    day = local_time.today("America/Toronto", NOW) + timedelta(days=days)
    moment = local_time.local_instant(day, 10 * 60, local_time.zone("America/Toronto"))
    confirmed = online_booking.confirm_booking(
        db,
        world.settings,
        world.actor(world.stranger),
        world.maple.office_id,
        service_id=str(service_id),
        practitioner_id=str(world.maple.practitioner.user_id),
        starts_at=moment.isoformat(),
        now=NOW,
    )
    db.commit()
    return confirmed


def test_a_service_asks_for_a_form_at_online_booking_and_a_merge_moves_it(
    world: World, db: Session, intake: Intake
) -> None:
    service = world.add_service(world.maple, "First visit", 30, world.maple.practitioner)
    plain = world.add_service(world.maple, "Follow-up", 30, world.maple.practitioner)
    world.set_hours(world.maple, world.maple.practitioner, days=range(7))
    world.set_booking_options(world.maple)
    booking.set_booking_form(db, world.maple.staff, world.maple.office_id, service.id, str(intake.form_id))
    db.commit()
    options = booking.booking_forms(db, world.maple.staff, world.maple.office_id)
    assert [(s.service_name, s.form_title) for s in options.services] == [("First visit", "Intake"), ("Follow-up", "")]
    assert options.forms == [(intake.form_id, "Intake")]
    confirmed = _book_online(world, db, service.id or 0)
    assert confirmed.form_assignment_id
    stranger = world.actor(world.stranger)
    # The account's own form: in its portal without any access code.
    listed = portal_list.portal_forms(db, stranger, None)
    assert [r.assignment_id for r in listed.to_fill] == [confirmed.form_assignment_id]
    submission = fill_and_submit(db, stranger, confirmed.form_assignment_id, intake)
    online = db.exec(select(Patient).where(col(Patient.new_online_client).is_(True))).one()
    [row] = assign.patient_forms(db, world.maple.staff, online.id)
    assert (row.assigned_by, row.submission_id) == ("Online booking", submission)
    # A service without a form gives none.
    assert _book_online(world, db, plain.id or 0, days=4).form_assignment_id == 0
    # The front desk merges the online record into Ana's: the form and its submission follow.
    patient_merge.merge_into(db, world.maple.staff, online.id, world.ana.id)
    db.commit()
    assert db.get(FormSubmission, submission).patient_id == world.ana.id  # type: ignore[union-attr]
    assert {r.submission_id for r in assign.patient_forms(db, world.maple.staff, world.ana.id)} == {submission}
    assert filling.own_submission(db, world.actor(world.stranger), confirmed.form_assignment_id).patient_name == (
        "Ana Souza"
    )
    # Taking the form off the service.
    booking.set_booking_form(db, world.maple.staff, world.maple.office_id, service.id, "")
    db.commit()
    assert db.exec(select(func.count()).select_from(ServiceBookingForm)).one() == 0


def test_attaching_a_booking_form_is_checked(world: World, db: Session, intake: Intake) -> None:
    service = world.add_service(world.maple, "First visit", 30)
    birch_form = build_intake(db, world.birch.practitioner, world.birch.office_id, "Birch only")
    birch_service = world.add_service(world.birch, "Birch visit", 30)
    refusals = [
        (world.maple.staff, world.maple.office_id, service.id, birch_form.form_id),  # not theirs to use
        (world.maple.staff, world.maple.office_id, birch_service.id, intake.form_id),  # another office's service
        (world.birch.owner, world.maple.office_id, service.id, birch_form.form_id),  # another office
        (world.actor(world.parent), world.maple.office_id, service.id, intake.form_id),
        (world.maple.staff, world.maple.office_id, "x", intake.form_id),
    ]
    for who, office, service_id, form in refusals:
        with pytest.raises((NotFound, PermissionDenied)):
            booking.set_booking_form(db, who, office, service_id, form)
        db.rollback()
    assert db.exec(select(func.count()).select_from(ServiceBookingForm)).one() == 0
    assert complete_answers(intake)  # the fixture's form stays usable
