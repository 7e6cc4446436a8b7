"""The form builder (issue 13): author-only editing, every question type, conditions, moves, and
immutable versions — a submission renders with the questions it was filled against, forever."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, func, select

from app.models import AuditEntry, Form, FormVersion
from app.services.errors import Invalid, NotFound, PermissionDenied
from app.services.forms import builder, library, review, sections
from app.services.forms.schema import MAX_OPTIONS, from_json
from tests.forms_support import INTAKE_QUESTIONS, T0, assign_to, build_intake, fill_and_submit
from tests.world import World


def versions_of(db: Session, form_id: int) -> list[int]:
    return list(db.exec(select(FormVersion.number).where(FormVersion.form_id == form_id)).all())


def labels(view: builder.BuilderView) -> list[str]:
    return [q.label for q in view.schema.questions()]


def test_a_practitioner_builds_a_form_with_every_type_of_question(world: World, db: Session) -> None:
    intake = build_intake(db, world.maple.practitioner, world.maple.office_id)
    view = builder.builder_view(db, world.maple.practitioner, intake.form_id)
    assert view.version == 1 and not view.in_use
    assert [q.type for q in view.schema.questions()] == [q["type"] for q in INTAKE_QUESTIONS]
    per_day = view.schema.question(intake.per_day)
    assert per_day is not None and (per_day.min, per_day.max, per_day.required) == ("1", "100", True)
    assert per_day.show_if is not None and (per_day.show_if.question, per_day.show_if.value) == (intake.smoker, "yes")
    pain = view.schema.question(intake.pain)
    assert pain is not None and (pain.min, pain.max, pain.min_label, pain.max_label) == ("0", "10", "None", "Worst")
    diet = view.schema.question(intake.diet)
    assert diet is not None and diet.options == ["Vegetarian", "Vegan", "Gluten-free"]
    assert view.schema.description == "Before your first visit"
    rows = library.my_forms(db, world.maple.practitioner)
    assert [(r.title, r.questions, r.version) for r in rows] == [("Intake", 8, 1)]
    # One "created" entry, and one "edited" for the whole stretch of building (not one per question).
    actions = [e.action for e in world.audit_since_built() if e.target_type == "form"]
    assert actions == ["form.created", "form.edited"]


def test_staff_and_portal_accounts_build_nothing(world: World, db: Session) -> None:
    for who in (world.maple.staff, world.actor(world.parent)):
        with pytest.raises(PermissionDenied):
            library.create_form(db, who, world.maple.office_id, "Mine")
        db.rollback()
    with pytest.raises(PermissionDenied):  # another office's id
        library.create_form(db, world.birch.owner, world.maple.office_id, "Mine")
    db.rollback()
    assert db.exec(select(func.count()).select_from(Form)).one() == 0


def test_only_the_author_edits_and_others_cannot_tell_there_is_a_form(world: World, db: Session) -> None:
    intake = build_intake(db, world.maple.practitioner, world.maple.office_id)
    before = db.exec(select(FormVersion.content)).one()
    edits = [
        lambda who: builder.builder_view(db, who, intake.form_id),
        lambda who: sections.save_details(db, who, intake.form_id, "Hacked", ""),
        lambda who: builder.add_question(db, who, intake.form_id, intake.section_id, {"type": "date", "label": "x"}),
        lambda who: builder.delete_question(db, who, intake.form_id, intake.notes),
        lambda who: builder.move_question(db, who, intake.form_id, intake.notes, -1),
        lambda who: sections.add_section(db, who, intake.form_id, "More"),
    ]
    others = [world.maple.owner, world.maple.staff, world.birch.owner, world.birch.practitioner]
    for who in [*others, world.actor(world.parent)]:
        for edit in edits:
            with pytest.raises((NotFound, PermissionDenied)) as refused:
                edit(who)
            db.rollback()
            assert refused.value.message in (library.access.FORM_NOT_FOUND, "This part of Praxis is for clinic staff.")
    with pytest.raises(NotFound) as missing:
        builder.builder_view(db, world.maple.practitioner, 987_654)
    assert missing.value.message == library.access.FORM_NOT_FOUND
    db.rollback()
    assert db.exec(select(FormVersion.content)).one() == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"type": "nonsense", "label": "x"}, "type"),
        ({"type": "short_text", "label": "   "}, "label"),
        ({"type": "short_text", "label": "x" * 501}, "label"),
        ({"type": "single_choice", "label": "x", "options": "\n \n"}, "options"),
        ({"type": "single_choice", "label": "x", "options": "A\na"}, "options"),
        (
            {"type": "multiple_choice", "label": "x", "options": "\n".join(str(i) for i in range(MAX_OPTIONS + 1))},
            "options",
        ),
        ({"type": "number", "label": "x", "min": "ten"}, "min"),
        ({"type": "number", "label": "x", "min": "1e3"}, "min"),
        ({"type": "number", "label": "x", "min": "5", "max": "1"}, "max"),
        ({"type": "scale", "label": "x", "min": "3", "max": "3"}, "max"),
        ({"type": "scale", "label": "x", "min": "0", "max": "1000"}, "max"),
        ({"type": "scale", "label": "x", "min": "0.5"}, "min"),
        ({"type": "date", "label": "x", "help": "h" * 1001}, "help"),
        (
            {"type": "date", "label": "x", "show_if_question": "qnothere", "show_if_op": "is", "show_if_value": "yes"},
            "show_if_question",
        ),
        (["not", "a", "dict"], "type"),
    ],
)
def test_bad_questions_are_refused_beside_their_field_and_change_nothing(
    world: World, db: Session, fields: object, field: str
) -> None:
    intake = build_intake(db, world.maple.practitioner, world.maple.office_id)
    before = db.exec(select(FormVersion.content)).one()
    with pytest.raises(Invalid) as refused:
        builder.add_question(db, world.maple.practitioner, intake.form_id, intake.section_id, fields)  # type: ignore[arg-type]
    db.rollback()
    assert refused.value.field == field
    assert db.exec(select(FormVersion.content)).one() == before


def test_conditions_name_an_earlier_choice_question_and_one_of_its_answers(world: World, db: Session) -> None:
    author = world.maple.practitioner
    intake = build_intake(db, author, world.maple.office_id)
    add = lambda **fields: builder.add_question(  # noqa: E731
        db, author, intake.form_id, intake.section_id, {"type": "short_text", "label": "Which brand?", **fields}
    )
    cases = [
        ({"show_if_question": intake.notes, "show_if_op": "is", "show_if_value": "x"}, "show_if_question"),  # text
        ({"show_if_question": intake.smoker, "show_if_op": "includes", "show_if_value": "yes"}, "show_if_op"),
        ({"show_if_question": intake.smoker, "show_if_op": "is", "show_if_value": "maybe"}, "show_if_value"),
        ({"show_if_question": intake.diet, "show_if_op": "includes", "show_if_value": "Keto"}, "show_if_value"),
    ]
    for fields, field in cases:
        with pytest.raises(Invalid) as refused:
            add(**fields)
        db.rollback()
        assert refused.value.field == field
    view = add(show_if_question=intake.diet, show_if_op="is_not", show_if_value="Vegan")
    db.commit()
    assert view.schema.question(view.changed).show_if.op == "is_not"  # type: ignore[union-attr]


def test_a_question_others_depend_on_keeps_its_place_answers_and_existence(world: World, db: Session) -> None:
    author = world.maple.practitioner
    intake = build_intake(db, author, world.maple.office_id)
    refusals = [
        lambda: builder.delete_question(db, author, intake.form_id, intake.smoker),
        lambda: builder.move_question(db, author, intake.form_id, intake.per_day, -1),  # above its source
        lambda: builder.move_question(db, author, intake.form_id, intake.smoker, 1),
        lambda: builder.update_question(
            db, author, intake.form_id, intake.smoker, {"type": "short_text", "label": "S"}
        ),
        lambda: builder.update_question(
            db, author, intake.form_id, intake.diet, {"type": "multiple_choice", "label": "D", "options": "Vegetarian"}
        ),
    ]
    for refusal in refusals:
        with pytest.raises(Invalid) as refused:
            refusal()
        db.rollback()
        assert "depending on" in refused.value.message
    assert labels(builder.builder_view(db, author, intake.form_id))[:2] == ["Do you smoke?", "How many a day?"]


def test_add_edit_duplicate_delete_and_move_questions_and_sections(world: World, db: Session) -> None:
    author = world.maple.practitioner
    intake = build_intake(db, author, world.maple.office_id)
    form = intake.form_id
    view = builder.update_question(
        db, author, form, intake.notes, {"type": "short_text", "label": "Allergies", "required": "on"}
    )
    edited = view.schema.question(intake.notes)
    assert edited is not None and (edited.type, edited.label, edited.required, edited.help) == (
        "short_text",
        "Allergies",
        True,
        "",
    )
    view = builder.duplicate_question(db, author, form, intake.diet)
    assert labels(view)[2:4] == ["Your diet", "Your diet (copy)"] and view.changed not in (intake.diet,)
    view = builder.delete_question(db, author, form, view.changed)
    assert "Your diet (copy)" not in labels(view)
    view = builder.move_question(db, author, form, intake.pain, -1)
    assert labels(view)[4:6] == ["Pain today", "Allergies"]
    view = sections.add_section(db, author, form, "Consent")
    consent = view.changed
    # Down past the last question of the first section: into the next one, at its top.
    view = builder.move_question(db, author, form, intake.sign, 1)
    assert [s.title for s in view.schema.sections] == ["", "Consent"]
    assert [q.id for q in view.schema.sections[1].questions] == [intake.sign]
    view = builder.move_question(db, author, form, intake.sign, -1)  # and back up
    assert view.schema.sections[0].questions[-1].id == intake.sign
    db.commit()
    with pytest.raises(Invalid):
        builder.move_question(db, author, form, intake.smoker, -1)  # already first
    db.rollback()
    for step in ("2", 0, "up", None):
        with pytest.raises(Invalid):
            builder.move_question(db, author, form, intake.pain, step)
        db.rollback()
    view = sections.rename_section(db, author, form, consent, "Consent and signature")
    view = sections.move_section(db, author, form, consent, -1)
    assert [s.title for s in view.schema.sections] == ["Consent and signature", ""]
    view = sections.delete_section(db, author, form, consent)
    assert len(view.schema.sections) == 1
    db.commit()
    with pytest.raises(Invalid):
        sections.delete_section(db, author, form, view.schema.sections[0].id)  # the last one stays
    db.rollback()
    with pytest.raises(NotFound):
        builder.update_question(db, author, form, "qgone", {"type": "date", "label": "x"})
    db.rollback()


def test_editing_a_form_in_use_makes_a_new_version_and_old_submissions_keep_their_wording(
    world: World, db: Session
) -> None:
    author, parent = world.maple.practitioner, world.actor(world.parent)
    intake = build_intake(db, author, world.maple.office_id)
    first = assign_to(db, world.settings, author, world.ana.id, intake.form_id)  # type: ignore[arg-type]
    # Assigned but not started: the author may still fix the wording in place.
    builder.update_question(
        db,
        author,
        intake.form_id,
        intake.smoker,
        {"type": "yes_no", "label": "Do you smoke tobacco?", "required": True},
    )
    db.commit()
    assert versions_of(db, intake.form_id) == [1]
    submission = fill_and_submit(db, parent, first, intake)
    view = builder.builder_view(db, author, intake.form_id)
    assert view.in_use  # the builder warns that the next edit makes a new version
    later = T0 + timedelta(hours=1)
    builder.update_question(
        db,
        author,
        intake.form_id,
        intake.smoker,
        {"type": "yes_no", "label": "Do you vape?", "required": True},
        now=later,
    )
    sections.save_details(db, author, intake.form_id, "Intake (2027)", "", now=later)
    db.commit()
    assert sorted(versions_of(db, intake.form_id)) == [1, 2]  # one new version for the stretch of edits
    old = review.view_submission(db, author, submission)
    assert (old.title, old.version) == ("Intake", 1)
    assert old.sections[0].questions[0].label == "Do you smoke tobacco?"
    assert old.sections[0].questions[0].answer == "Yes"
    # A new assignment is filled against the new wording.
    second = assign_to(db, world.settings, author, world.ben.id, intake.form_id)  # type: ignore[arg-type]
    from app.services.forms import filling

    fresh = filling.load_for_filling(db, parent, second)
    assert (fresh.title, fresh.version, fresh.sections[0].questions[0].label) == ("Intake (2027)", 2, "Do you vape?")
    new_version = [e for e in world.audit_since_built("form.edited") if '"new_version":true' in e.detail]
    assert len(new_version) == 1


def test_the_builders_view_carries_the_form_as_stored(world: World, db: Session) -> None:
    """The page keeps the JSON the service saved (no second serialisation): it is the version's content,
    after an edit in place, after an edit that made a new version, and when the builder opens."""
    author, parent = world.maple.practitioner, world.actor(world.parent)
    intake = build_intake(db, author, world.maple.office_id)
    section = builder.builder_view(db, author, intake.form_id).schema.sections[0].id
    view = builder.add_question(db, author, intake.form_id, section, {"type": "date", "label": "Last visit"})
    db.commit()

    def stored() -> str:
        return (
            db.exec(
                select(FormVersion.content)
                .where(FormVersion.form_id == intake.form_id)
                .order_by(col(FormVersion.number).desc())
            ).first()
            or ""
        )

    assert view.content == stored() == view.schema.to_json() and "Last visit" in view.content
    assert builder.builder_view(db, author, intake.form_id).content == stored()
    fill_and_submit(db, parent, assign_to(db, world.settings, author, world.ana.id, intake.form_id), intake)  # type: ignore[arg-type]
    view = builder.move_question(db, author, intake.form_id, view.changed, -1)
    db.commit()
    assert (view.version, view.content) == (2, stored()) and from_json(view.content) == view.schema


def test_a_form_list_shows_my_forms_newest_first_and_the_preview(world: World, db: Session) -> None:
    author = world.maple.practitioner
    first = build_intake(db, author, world.maple.office_id, "Diet journal")
    build_intake(db, author, world.maple.office_id, "Outcome", now=T0 + timedelta(minutes=5))
    assert [r.title for r in library.my_forms(db, author)] == ["Outcome", "Diet journal"]
    assert library.shared_forms(db, author) == []
    preview = library.preview(db, author, first.form_id)
    assert preview.is_author and preview.schema.title == "Diet journal" and len(preview.schema.questions()) == 8
    audit_before = db.exec(select(func.count()).select_from(AuditEntry)).one()
    library.preview(db, author, first.form_id)
    assert db.exec(select(func.count()).select_from(AuditEntry)).one() == audit_before  # a form holds no patient data
