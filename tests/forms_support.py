"""An intake form built through the services, and small helpers for the SmartForms tests."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session

from app.services.actor import Actor
from app.services.forms import assign, builder, filling, library, sections
from app.settings import Settings

T0 = datetime(2026, 5, 4, 14, 0, tzinfo=UTC)
PNG = "data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40).decode()


@dataclass(frozen=True)
class Intake:
    form_id: int
    section_id: str
    smoker: str  # yes/no, required
    per_day: str  # number 1..100, required, shown when smoker is yes
    diet: str  # multiple choice: Vegetarian, Vegan, Gluten-free
    vegan_since: str  # date, shown when diet includes Vegan
    notes: str  # long text
    pain: str  # scale 0..10
    visit: str  # single choice: First visit, Follow-up (required)
    sign: str  # signature, required


INTAKE_QUESTIONS: list[dict[str, object]] = [
    {"type": "yes_no", "label": "Do you smoke?", "required": True},
    {"type": "number", "label": "How many a day?", "min": "1", "max": "100", "required": True},
    {"type": "multiple_choice", "label": "Your diet", "options": "Vegetarian\nVegan\nGluten-free"},
    {"type": "date", "label": "Vegan since"},
    {"type": "long_text", "label": "Anything else?", "help": "Allergies, medication…"},
    {"type": "scale", "label": "Pain today", "min": "0", "max": "10", "min_label": "None", "max_label": "Worst"},
    {"type": "single_choice", "label": "Which visit is this?", "options": "First visit\nFollow-up", "required": True},
    {"type": "signature", "label": "Your signature", "required": True},
]


def build_intake(db: Session, author: Actor, office_id: int, title: str = "Intake", now: datetime = T0) -> Intake:
    """The intake form of the tests, committed; questions found again by their label."""
    form = library.create_form(db, author, office_id, title, now=now)
    assert form.id is not None
    view = sections.save_details(db, author, form.id, title, "Before your first visit", now=now)
    section_id = view.schema.sections[0].id
    ids: list[str] = []
    for fields in INTAKE_QUESTIONS:
        fields = dict(fields)
        if fields["label"] == "How many a day?":
            fields.update(show_if_question=ids[0], show_if_op="is", show_if_value="yes")
        if fields["label"] == "Vegan since":
            fields.update(show_if_question=ids[2], show_if_op="includes", show_if_value="Vegan")
        view = builder.add_question(db, author, form.id, section_id, fields, now=now)
        ids.append(view.changed)
    db.commit()
    return Intake(form.id, section_id, *ids)


def assign_to(
    db: Session, settings: Settings, actor: Actor, patient_id: int, form_id: int, now: datetime = T0, **extra: str
) -> int:
    result = assign.assign_form(db, settings, actor, patient_id, form_id, now=now, **extra)
    db.commit()
    return result.assignment_id


def complete_answers(intake: Intake) -> dict[str, object]:
    """Every shown question answered (a smoker, vegan), as the filler sends them."""
    return {
        intake.smoker: "yes",
        intake.per_day: "12",
        intake.diet: ["Vegan"],
        intake.vegan_since: "2020-01-31",
        intake.notes: "Penicillin",
        intake.pain: 3,
        intake.visit: "First visit",
        intake.sign: {"name": "Pat Parent", "image": PNG},
    }


def fill_and_submit(db: Session, portal: Actor, assignment_id: int, intake: Intake, now: datetime = T0) -> int:
    submission = filling.submit_form(db, portal, assignment_id, complete_answers(intake), now=now)
    db.commit()
    return submission
