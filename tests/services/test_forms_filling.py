"""The portal filler's services (issue 13): which forms a portal account reaches, save and come back
(idempotent from two tabs, the last write per question wins), server-side validation that a
hand-made event cannot get around, an atomic submit, and submissions that never change."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from app.db import unit_of_work
from app.models import AssignmentStatus, FormAnswer, FormAssignment, FormSubmission, User
from app.services import access_codes, sessions
from app.services.errors import Conflict, Invalid, NotFound, PermissionDenied
from app.services.forms import filling, portal_list, review
from tests.forms_support import PNG, T0, Intake, assign_to, build_intake, complete_answers
from tests.world import World


@pytest.fixture
def intake(world: World, db: Session) -> Intake:
    return build_intake(db, world.maple.practitioner, world.maple.office_id)


def ana_form(world: World, db: Session, intake: Intake, **extra: str) -> int:
    return assign_to(db, world.settings, world.maple.practitioner, world.ana.id or 0, intake.form_id, **extra)


def saved(db: Session, assignment_id: int) -> dict[str, object]:
    return filling.saved_answers(db, assignment_id)


def test_the_portal_lists_a_records_forms_with_its_code_and_its_own_forms_always(
    world: World, db: Session, intake: Intake
) -> None:
    parent, stranger = world.actor(world.parent), world.actor(world.stranger)
    mine = ana_form(world, db, intake, due_date="2099-01-31", message="Before Tuesday, please")
    listed = portal_list.portal_forms(db, parent, world.ana.id)
    assert listed.unlocked and [r.assignment_id for r in listed.to_fill] == [mine]
    row = listed.to_fill[0]
    assert (row.title, row.office_name, row.patient_name, row.message) == (
        "Intake",
        "Maple Street Clinic",
        "Ana Souza",
        "Before Tuesday, please",
    )
    assert row.due == "Sat 31 Jan 2099"
    assert portal_list.portal_forms(db, parent, world.ben.id).to_fill == []  # another record of the family
    with pytest.raises(NotFound):
        portal_list.portal_forms(db, stranger, world.ana.id)  # a record it does not hold
    assert portal_list.portal_forms(db, stranger, None).to_fill == []
    for who, what in ((stranger, mine), (parent, 987_654), (parent, "²"), (parent, None)):
        with pytest.raises(NotFound) as refused:
            filling.load_for_filling(db, who, what)
        db.rollback()
        assert refused.value.message == "This form is not available."
    with pytest.raises(PermissionDenied):  # clinic accounts never reach the portal's services
        filling.load_for_filling(db, world.maple.practitioner, mine)
    db.rollback()
    # A form made for the account itself (at booking) shows without any code.
    own = FormAssignment(
        office_id=world.maple.office_id,
        patient_id=world.ben.id or 0,
        form_id=intake.form_id,
        version_id=db.exec(select(FormAssignment.version_id)).first() or 0,
        portal_user_id=world.stranger.user_id,
    )
    db.add(own)
    db.commit()
    assert [r.assignment_id for r in portal_list.portal_forms(db, stranger, None).to_fill] == [own.id]
    assert filling.load_for_filling(db, stranger, own.id).patient_name == "Ben Souza"
    db.commit()
    # Revoking the family's access takes Ana's form away on the next click.
    [holder] = access_codes.holders(db, world.maple.staff, world.ana.id or 0)
    access_codes.revoke_access(db, world.maple.staff, holder.access_id)
    db.commit()
    with pytest.raises(NotFound):
        filling.load_for_filling(db, world.actor(world.parent), mine)
    db.rollback()


def test_save_and_come_back_on_another_device(world: World, db: Session, intake: Intake) -> None:
    parent = world.actor(world.parent)
    mine = ana_form(world, db, intake)
    first = filling.load_for_filling(db, parent, mine)
    assert (first.status, first.answers, first.visible) == ("assigned", {}, sorted(set(first.visible)))
    assert intake.per_day not in first.visible and intake.vegan_since not in first.visible
    result = filling.save_answer(db, parent, mine, intake.smoker, "yes", now=T0)
    assert intake.per_day in result.visible  # answering "yes" shows the follow-up
    filling.save_answer(db, parent, mine, intake.notes, "Penicillin\r\nand dust", now=T0)
    filling.save_answer(db, parent, mine, intake.diet, ["Gluten-free", "Vegan"], now=T0)
    db.commit()
    # Another device: a new session of the same account.
    user = db.get(User, world.parent.user_id)
    assert user is not None
    other_device = sessions.resolve(db, sessions.start(db, user, "198.51.100.4"), "198.51.100.4")
    db.commit()
    assert other_device is not None and other_device.session_id != parent.session_id
    again = filling.load_for_filling(db, other_device, mine)
    assert again.status == "in_progress"
    assert again.answers == {
        intake.smoker: "yes",
        intake.notes: "Penicillin\nand dust",
        intake.diet: ["Vegan", "Gluten-free"],  # in the form's order
    }
    assert {intake.per_day, intake.vegan_since} <= set(again.visible)
    filling.save_answer(db, parent, mine, intake.notes, "", now=T0)  # cleared
    db.commit()
    assert intake.notes not in saved(db, mine)
    assert [
        e.action for e in world.audit_since_built() if e.action.startswith("form.") and e.action != "form.edited"
    ] == [
        "form.created",
        "form.assigned",
        "form.opened",
        "form.started",
        "form.opened",
    ]


def test_two_tabs_saving_at_once_lose_nothing_and_the_last_write_wins(
    world: World, db: Session, engine: Engine, intake: Intake
) -> None:
    mine = ana_form(world, db, intake)
    token = world.parent.token
    questions = [intake.notes, intake.smoker, intake.pain, intake.visit]
    values = {intake.notes: "text", intake.smoker: "no", intake.pain: 4, intake.visit: "Follow-up"}
    barrier, errors = threading.Barrier(2), []

    def tab(index: int) -> None:
        barrier.wait()
        for round_ in range(6):
            question = questions[(index + round_) % len(questions)]
            try:
                with unit_of_work(engine) as work:
                    actor = sessions.resolve(work, token, touch=False)
                    filling.save_answer(work, actor, mine, question, values[question])  # type: ignore[arg-type]
            except Exception as error:
                errors.append(error)

    threads = [threading.Thread(target=tab, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db.rollback()
    assert saved(db, mine) == values
    assert db.exec(select(func.count()).select_from(FormAnswer)).one() == 4
    assert len(world.audit_since_built("form.started")) == 1
    # The same question from two tabs: the later write is what stays.
    filling.save_answer(db, world.actor(world.parent), mine, intake.notes, "first tab", now=T0)
    db.commit()
    filling.save_answer(db, world.actor(world.parent), mine, intake.notes, "second tab", now=T0 + timedelta(seconds=1))
    db.commit()
    assert saved(db, mine)[intake.notes] == "second tab"


BAD_ANSWERS = [
    ("smoker", "maybe"),
    ("smoker", True),
    ("per_day", "0"),
    ("per_day", "101"),
    ("per_day", "12abc"),
    ("per_day", "1e2"),
    ("per_day", "NaN"),
    ("diet", ["Keto"]),
    ("diet", "Vegan"),
    ("vegan_since", "31/01/2020"),
    ("vegan_since", "2020-02-30"),
    ("vegan_since", "٢٠٢٠-٠١-٠١"),
    ("notes", "x" * 1_000_000),
    ("notes", {"x": 1}),
    ("pain", 11),
    ("pain", "2.5"),
    ("visit", "Third visit"),
    ("sign", {"name": "", "image": PNG}),
    ("sign", {"name": "Pat", "image": "data:image/png;base64,bm90IGEgcG5n"}),
    ("sign", {"name": "Pat", "image": "data:image/svg+xml;base64,PHN2Zz4="}),
    ("sign", {"name": "Pat", "image": PNG + "A" * 400_000}),
    ("sign", "Pat Parent"),
]


@pytest.mark.parametrize(("name", "value"), BAD_ANSWERS, ids=[f"{n}-{str(v)[:20]}" for n, v in BAD_ANSWERS])
def test_a_bad_answer_is_refused_beside_its_question_and_changes_nothing(
    world: World, db: Session, intake: Intake, name: str, value: object
) -> None:
    mine = ana_form(world, db, intake)
    parent = world.actor(world.parent)
    question = getattr(intake, name)
    filling.save_answer(db, parent, mine, question, complete_answers(intake)[question], now=T0)
    db.commit()
    before = saved(db, mine)
    with pytest.raises(Invalid) as refused:
        filling.save_answer(db, parent, mine, question, value, now=T0)
    db.rollback()
    assert refused.value.field == question and refused.value.message
    assert saved(db, mine) == before
    with pytest.raises(Invalid):  # nor through submit, with everything else right
        filling.submit_form(db, parent, mine, {**complete_answers(intake), question: value}, now=T0)
    db.rollback()
    assert db.exec(select(func.count()).select_from(FormSubmission)).one() == 0


def test_submit_checks_required_drops_hidden_answers_and_is_all_or_nothing(
    world: World, db: Session, engine: Engine, intake: Intake
) -> None:
    mine = ana_form(world, db, intake)
    token = world.parent.token

    def submit(answers: dict[str, object] | None) -> int:
        with unit_of_work(engine) as work:
            actor = sessions.resolve(work, token, touch=False)
            return filling.submit_form(work, actor, mine, answers, now=T0)  # type: ignore[arg-type]

    answers = complete_answers(intake)
    for missing in (intake.smoker, intake.per_day, intake.visit, intake.sign):
        with pytest.raises(Invalid) as refused:
            submit({**answers, missing: None})
        assert (refused.value.field, refused.value.message) == (missing, filling.REQUIRED)
    with pytest.raises(NotFound):
        submit({**answers, "qnothere": "x"})
    db.rollback()
    # Nothing of the refused attempts stayed: no answer, no submission, still to fill in.
    assert saved(db, mine) == {}
    assert db.get(FormAssignment, mine).status == AssignmentStatus.assigned  # type: ignore[union-attr]
    db.rollback()  # SQLite: a reading transaction holds the write lock the next action needs
    # A non-smoker: "How many a day?" is hidden — not required, and its hand-made answer is dropped.
    submission_id = submit({**answers, intake.smoker: "no", intake.per_day: "40"})
    db.rollback()
    submission = db.get(FormSubmission, submission_id)
    kept = json.loads(submission.answers)  # type: ignore[union-attr]
    assert intake.per_day not in kept and kept[intake.smoker] == "no"
    assert kept[intake.sign]["name"] == "Pat Parent" and kept[intake.sign]["image"] == PNG
    assert kept[intake.diet] == ["Vegan"] and kept[intake.pain] == 3
    assert saved(db, mine) == {}  # the draft answers are gone: the submission holds them
    assert db.get(FormAssignment, mine).status == AssignmentStatus.submitted  # type: ignore[union-attr]
    db.rollback()
    # Submissions never change.
    for attempt in (
        lambda: submit(answers),
        lambda: submit(None),
    ):
        with pytest.raises(Conflict):
            attempt()
    parent = world.actor(world.parent)
    with pytest.raises(Conflict):
        filling.save_answer(db, parent, mine, intake.notes, "later", now=T0)
    db.rollback()
    with pytest.raises(Conflict):
        filling.load_for_filling(db, parent, mine)
    db.rollback()
    assert db.get(FormSubmission, submission_id).answers == submission.answers  # type: ignore[union-attr]
    assert len(world.audit_since_built("form.submitted")) == 1


def test_a_typed_name_alone_signs_and_the_patient_reads_back_what_was_submitted(
    world: World, db: Session, intake: Intake
) -> None:
    mine = ana_form(world, db, intake)
    parent = world.actor(world.parent)
    answers = {**complete_answers(intake), intake.sign: {"name": "  Pat   Parent ", "image": ""}}
    filling.submit_form(db, parent, mine, answers, now=T0)
    db.commit()
    mine_back = filling.own_submission(db, parent, mine)
    shown = {q.label: (q.answer, q.image) for s in mine_back.sections for q in s.questions}
    assert shown["Your signature"] == ("Signed by Pat Parent on Mon 4 May 2026, 10:00", "")
    assert shown["Your diet"] == ("Vegan", "")
    assert shown["Vegan since"] == ("Fri 31 Jan 2020", "")
    assert shown["Pain today"] == ("3 (from 0 to 10)", "")
    assert not mine_back.may_review
    with pytest.raises(NotFound):
        filling.own_submission(db, world.actor(world.stranger), mine)
    db.rollback()
    other = ana_form(world, db, intake)
    with pytest.raises(NotFound):  # not submitted yet
        filling.own_submission(db, parent, other)
    db.rollback()


def test_the_office_team_reviews_a_submission_once(world: World, db: Session, intake: Intake) -> None:
    mine = ana_form(world, db, intake)
    submission = filling.submit_form(db, world.actor(world.parent), mine, complete_answers(intake), now=T0)
    db.commit()
    view = review.view_submission(db, world.maple.staff, submission)
    assert view.may_review and view.reviewed == ""
    db.commit()
    for outsider in (world.birch.owner, world.birch.staff):
        with pytest.raises(NotFound):
            review.mark_reviewed(db, outsider, submission)
        db.rollback()
    done = review.mark_reviewed(db, world.maple.staff, submission, now=T0 + timedelta(hours=2))
    db.commit()
    assert done.reviewed == "Reviewed by Sam Maple on Mon 4 May 2026, 12:00" and not done.may_review
    with pytest.raises(Conflict):
        review.mark_reviewed(db, world.maple.owner, submission)
    db.rollback()
    assert [e.actor_user_id for e in world.audit_since_built("form.submission-reviewed")] == [world.maple.staff.user_id]
    assert len(world.audit_since_built("form.submission-viewed")) == 1
