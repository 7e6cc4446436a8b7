"""The SmartForms sharing options matrix (issue 13), written out by hand:

(author, Maple's owner and front desk, the recipient practitioner, the recipient office's owner and
front desk, a practitioner the form is not shared with, a portal account) × (administer the form,
read the submission of the author's patient, read the submission of the recipient's patient), for
each sharing option. The rule is services/forms/access.py; README "SmartForms" says it in words.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import Session, select

from app.models import AccountKind, Form, FormAssignment, FormSubmission, Office, User
from app.services import access_codes, offices
from app.services.actor import Actor
from app.services.errors import Invalid, NotFound, PermissionDenied
from app.services.forms import access, assign, library, review, sharing
from app.services.sharing import pins
from tests.factories import make_user, sign_in_as
from tests.forms_support import Intake, assign_to, build_intake, fill_and_submit
from tests.world import World

PEOPLE = ("author", "maple_owner", "maple_staff", "birch_prac", "birch_owner", "birch_staff", "cedar", "portal")


@dataclass
class SharingWorld:
    world: World
    intake: Intake
    cedar: Actor  # the owner of a third office, on nobody's list

    def actor(self, who: str) -> Actor:
        w = self.world
        return {
            "author": w.maple.practitioner,
            "maple_owner": w.maple.owner,
            "maple_staff": w.maple.staff,
            "birch_prac": w.birch.practitioner,
            "birch_owner": w.birch.owner,
            "birch_staff": w.birch.staff,
            "cedar": self.cedar,
            "portal": w.actor(w.parent),
        }[who]


@pytest.fixture
def sw(world: World, db: Session) -> SharingWorld:
    author = world.maple.practitioner
    birch_prac = db.get(User, world.birch.practitioner.user_id)
    pins.add_by_pin(db, author, birch_prac.share_pin)  # type: ignore[union-attr]
    pins.add_by_pin(db, author, db.get(Office, world.birch.office_id).share_pin)  # type: ignore[union-attr]
    cedar, _ = sign_in_as(db, make_user(db, email="owner@cedar.test", full_name="Cedar Owner"))
    offices.create_office(db, cedar, offices.OfficeInput("Cedar Clinic", "1 Cedar Rd", "+1 416 555 0111", "UTC"))
    db.commit()
    return SharingWorld(world, build_intake(db, author, world.maple.office_id), cedar)


def share(sw: SharingWorld, db: Session, recipients: list[str], author_all: bool, others_all: bool) -> None:
    sharing.save_sharing(
        db,
        sw.actor("author"),
        sw.intake.form_id,
        recipients=recipients,
        author_sees_all=author_all,
        recipients_see_all=others_all,
    )
    db.commit()


def administers(db: Session, sw: SharingWorld, who: str) -> bool:
    actor = sw.actor(who)
    listed = sw.intake.form_id in set(db.exec(select(Form.id).where(access.usable_forms(db, actor))).all())
    try:
        access.access_form(db, actor, sw.intake.form_id)
        loads = True
    except NotFound:
        loads = False
    assert listed == loads, f"{who}: the list and the single load disagree"
    return loads


def reads(db: Session, sw: SharingWorld, who: str, submission_id: int) -> bool:
    actor = sw.actor(who)
    assignment = db.exec(select(FormAssignment).join(FormSubmission).where(FormSubmission.id == submission_id)).one()
    listed = assignment.id in set(db.exec(select(FormAssignment.id).where(access.visible_assignments(db, actor))).all())
    try:
        review.view_submission(db, actor, submission_id)
        loads = True
    except (NotFound, PermissionDenied):
        loads = False
    db.rollback()
    assert listed == loads, f"{who}: the list and the single load disagree"
    return loads


BIRCH_PRAC, BIRCH_OFFICE = "practitioner", "office"
# sharing option → (who administers, who reads Ana's (Maple) submission, who reads Cleo's (Birch) one)
MATRIX = {
    "not shared": (
        (None, False, False),
        {"author"},
        {"author", "maple_owner", "maple_staff"},
        None,  # nobody at Birch may give Cleo the form
    ),
    "shared with a practitioner (by PIN)": (
        (BIRCH_PRAC, False, False),
        {"author", "birch_prac"},
        {"author", "maple_owner", "maple_staff"},
        {"birch_prac", "birch_owner", "birch_staff"},
    ),
    "… and See all submissions": (
        (BIRCH_PRAC, True, False),
        {"author", "birch_prac"},
        {"author", "maple_owner", "maple_staff"},
        {"birch_prac", "birch_owner", "birch_staff", "author"},
    ),
    "… and Allow other practitioners to see all submissions": (
        (BIRCH_PRAC, False, True),
        {"author", "birch_prac"},
        {"author", "maple_owner", "maple_staff", "birch_prac"},
        {"birch_prac", "birch_owner", "birch_staff"},
    ),
    "shared with an office (by Office PIN), both options": (
        (BIRCH_OFFICE, True, True),
        {"author", "birch_prac", "birch_owner", "birch_staff"},
        {"author", "maple_owner", "maple_staff", "birch_prac", "birch_owner"},  # not the front desk: not a practitioner
        {"birch_prac", "birch_owner", "birch_staff", "author"},
    ),
}


@pytest.mark.parametrize("option", list(MATRIX))
def test_the_sharing_options_matrix(sw: SharingWorld, db: Session, option: str) -> None:
    (recipient, author_all, others_all), administer, read_ana, read_cleo = MATRIX[option]
    world = sw.world
    keys = {
        BIRCH_PRAC: f"practitioner:{world.birch.practitioner.user_id}",
        BIRCH_OFFICE: f"office:{world.birch.office_id}",
    }
    share(sw, db, [keys[recipient]] if recipient else [], author_all, others_all)
    assert {who for who in PEOPLE if administers(db, sw, who)} == administer
    ana_id, cleo_id = world.ana.id or 0, world.cleo.id or 0
    ana_assignment = assign_to(db, world.settings, world.maple.practitioner, ana_id, sw.intake.form_id)
    ana = fill_and_submit(db, sw.actor("portal"), ana_assignment, sw.intake)
    assert {who for who in PEOPLE if reads(db, sw, who, ana)} == read_ana
    if read_cleo is None:
        with pytest.raises(NotFound):
            assign_to(db, world.settings, world.birch.practitioner, cleo_id, sw.intake.form_id)
        db.rollback()
        return
    cleo_assignment = assign_to(db, world.settings, world.birch.practitioner, cleo_id, sw.intake.form_id)
    # Not submitted yet: only Birch's own team sees that Cleo has the form, whatever the options.
    started = {
        who
        for who in PEOPLE
        if cleo_assignment
        in set(db.exec(select(FormAssignment.id).where(access.visible_assignments(db, sw.actor(who)))).all())
    }
    assert started == {"birch_prac", "birch_owner", "birch_staff"}
    cleo = _submit_for_cleo(db, sw, cleo_assignment)
    assert {who for who in PEOPLE if reads(db, sw, who, cleo)} == read_cleo
    # The form's list of submissions shows each reader exactly what they may open.
    for who in administer:
        listed = {row.submission_id for row in review.form_submissions(db, sw.actor(who), sw.intake.form_id).rows}
        assert listed == {s for s, readers in ((ana, read_ana), (cleo, read_cleo)) if who in readers}, who


def _submit_for_cleo(db: Session, sw: SharingWorld, assignment_id: int) -> int:
    """Cleo's family holds her record with a code, and submits."""
    family, _ = sign_in_as(db, make_user(db, email="cleo@family.test", kind=AccountKind.patient, full_name="Cleo Mum"))
    code = access_codes.generate(db, sw.world.settings, sw.world.birch.staff, sw.world.cleo.id or 0)
    db.commit()
    access_codes.redeem(db, sw.world.settings, family, code.code)
    db.commit()
    return fill_and_submit(db, family, assignment_id, sw.intake)


def test_only_the_author_sets_sharing_options_with_people_they_may_share_with(sw: SharingWorld, db: Session) -> None:
    world = sw.world
    options = sharing.sharing_options(db, sw.actor("author"), sw.intake.form_id)
    offered = {r.key: r.detail for r in options.offered}
    assert f"practitioner:{world.birch.practitioner.user_id}" in offered
    assert offered[f"office:{world.maple.office_id}"] == "Everyone in your office"
    assert f"office:{world.birch.office_id}" in offered
    assert f"practitioner:{world.maple.owner.user_id}" in offered  # a colleague of the author's office
    for who in ("maple_owner", "birch_prac", "maple_staff", "portal"):
        with pytest.raises((NotFound, PermissionDenied)):
            sharing.save_sharing(
                db, sw.actor(who), sw.intake.form_id, recipients=[], author_sees_all=True, recipients_see_all=True
            )
        db.rollback()
    cedar_office = db.exec(select(Office.id).where(Office.name == "Cedar Clinic")).one()
    for wrong in ([f"office:{cedar_office}"], [f"practitioner:{sw.cedar.user_id}"], ["office:x"], [12]):
        with pytest.raises(Invalid) as refused:
            sharing.save_sharing(
                db,
                sw.actor("author"),
                sw.intake.form_id,
                recipients=wrong,
                author_sees_all=False,
                recipients_see_all=False,
            )
        db.rollback()
        assert refused.value.field == "recipients"
    assert sharing.sharing_options(db, sw.actor("author"), sw.intake.form_id).chosen == []
    # Shared with the author's own office: the front desk assigns it; "see all" without recipients is off.
    share(sw, db, [f"office:{world.maple.office_id}"], False, True)
    assert administers(db, sw, "maple_staff") and administers(db, sw, "maple_owner")
    assert [f.title for f in assign.assignable_forms(db, world.maple.staff, world.ana.id)] == ["Intake"]
    share(sw, db, [], False, True)
    options = sharing.sharing_options(db, sw.actor("author"), sw.intake.form_id)
    assert (options.chosen, options.recipients_see_all) == ([], False)
    assert not administers(db, sw, "maple_staff")
    actions = [e.action for e in world.audit_since_built("form.sharing-saved")]
    assert len(actions) == 2


def test_a_share_ends_at_once_and_shared_forms_are_listed(sw: SharingWorld, db: Session) -> None:
    world = sw.world
    share(sw, db, [f"practitioner:{world.birch.practitioner.user_id}"], False, True)
    rows = library.shared_forms(db, world.birch.practitioner)
    assert [(r.title, r.author) for r in rows] == [("Intake", "Priya Maple")]
    assignment = assign_to(db, world.settings, world.maple.practitioner, world.ana.id or 0, sw.intake.form_id)
    ana = fill_and_submit(db, sw.actor("portal"), assignment, sw.intake)
    assert reads(db, sw, "birch_prac", ana)
    assert library.shared_forms(db, world.birch.practitioner)[0].submissions == 1
    share(sw, db, [], False, False)
    assert not reads(db, sw, "birch_prac", ana)
    assert library.shared_forms(db, world.birch.practitioner) == []
    with pytest.raises(NotFound):
        review.form_submissions(db, world.birch.practitioner, sw.intake.form_id)
