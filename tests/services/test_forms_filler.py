"""The portal filler's page services (issue 13): opening a form to fill in or, once submitted, to read
back; the required answers a section still misses before *Next*; the review of every answer before
*Submit*. Another person's form and a missing one look the same."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.services.errors import NotFound, PermissionDenied
from app.services.forms import filler, filling
from tests.forms_support import T0, Intake, assign_to, build_intake, complete_answers
from tests.world import World


@pytest.fixture
def intake(world: World, db: Session) -> Intake:
    return build_intake(db, world.maple.practitioner, world.maple.office_id)


def ana_form(world: World, db: Session, intake: Intake) -> int:
    return assign_to(db, world.settings, world.maple.practitioner, world.ana.id or 0, intake.form_id)


def test_a_form_opens_to_fill_in_and_once_submitted_to_read_back(world: World, db: Session, intake: Intake) -> None:
    parent = world.actor(world.parent)
    mine = ana_form(world, db, intake)
    opened = filler.open_portal_form(db, parent, str(mine))
    assert opened.submitted is None and opened.fill is not None
    assert opened.fill.title == "Intake" and opened.fill.status == "assigned"
    filling.submit_form(db, parent, mine, complete_answers(intake), now=T0)
    db.commit()
    again = filler.open_portal_form(db, parent, mine)
    assert again.fill is None and again.submitted is not None
    assert again.submitted.title == "Intake" and not again.submitted.may_review
    for who, what in ((world.actor(world.stranger), mine), (parent, 987_654), (parent, "abc"), (parent, None)):
        with pytest.raises(NotFound):
            filler.open_portal_form(db, who, what)
        db.rollback()
    with pytest.raises(PermissionDenied):
        filler.open_portal_form(db, world.maple.practitioner, mine)
    db.rollback()


def test_a_section_names_its_shown_required_questions_without_an_answer(
    world: World, db: Session, intake: Intake
) -> None:
    parent = world.actor(world.parent)
    mine = ana_form(world, db, intake)
    missing = filler.section_problems(db, parent, mine, intake.section_id)
    # The follow-up "How many a day?" is hidden until "Do you smoke?" is Yes: not required yet.
    assert set(missing) == {intake.smoker, intake.visit, intake.sign}
    assert missing[intake.smoker] == filling.REQUIRED
    filling.save_answer(db, parent, mine, intake.smoker, "yes", now=T0)
    db.commit()
    assert set(filler.section_problems(db, parent, mine, intake.section_id)) == {
        intake.per_day,
        intake.visit,
        intake.sign,
    }
    filling.save_answer(db, parent, mine, intake.sign, {"name": "Pat Parent", "image": ""}, now=T0)
    filling.save_answer(db, parent, mine, intake.per_day, "3", now=T0)
    filling.save_answer(db, parent, mine, intake.visit, "Follow-up", now=T0)
    db.commit()
    assert filler.section_problems(db, parent, mine, intake.section_id) == {}
    with pytest.raises(NotFound):
        filler.section_problems(db, parent, mine, "s-nonsense")
    db.rollback()
    with pytest.raises(NotFound):
        filler.section_problems(db, world.actor(world.stranger), mine, intake.section_id)
    db.rollback()


def test_the_review_lists_every_shown_question_with_its_saved_answer(world: World, db: Session, intake: Intake) -> None:
    parent = world.actor(world.parent)
    mine = ana_form(world, db, intake)
    filling.save_answer(db, parent, mine, intake.smoker, "no", now=T0)
    filling.save_answer(db, parent, mine, intake.sign, {"name": "Pat Parent", "image": ""}, now=T0)
    db.commit()
    shown = {q.label: q.answer for s in filler.review_answers(db, parent, mine) for q in s.questions}
    assert shown["Do you smoke?"] == "No"
    assert "How many a day?" not in shown  # hidden: never asked, never kept
    assert shown["Which visit is this?"] == ""  # not answered yet: the review says so
    assert shown["Your signature"] == "Signed by Pat Parent on Mon 4 May 2026, 10:00"
    with pytest.raises(NotFound):
        filler.review_answers(db, world.actor(world.stranger), mine)
    db.rollback()
