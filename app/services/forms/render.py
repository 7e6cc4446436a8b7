"""A form version as people see it: the builder's preview, the filler, and a submission read-only.

A submission renders with the version it was filled against, forever: the questions that were
shown for its answers (hidden ones were not kept), each with its answer as a person reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.services.forms.answers import display
from app.services.forms.schema import CONDITION_OPS, QUESTION_TYPES, YES_NO, FormSchema, Question, visible_ids


@dataclass(frozen=True)
class ShownQuestion:
    id: str
    type: str
    type_label: str
    label: str
    help: str
    required: bool
    options: list[str]
    min: str
    max: str
    min_label: str
    max_label: str
    condition: str  # "Shown when “Do you smoke?” is Yes" ("" when always shown)
    condition_question: str
    condition_op: str
    condition_value: str
    answer: str  # as a person reads it ("" for none)
    image: str  # a drawn signature (a PNG data URL), else ""


@dataclass(frozen=True)
class ShownSection:
    id: str
    title: str
    questions: list[ShownQuestion]


def condition_words(schema: FormSchema, question: Question) -> str:
    condition = question.show_if
    if condition is None:
        return ""
    source = schema.question(condition.question)
    if source is None:
        return ""
    op = CONDITION_OPS.get(source.type, {}).get(condition.op, condition.op)
    value = YES_NO.get(condition.value, condition.value) if source.type == "yes_no" else condition.value
    return f"Shown when “{source.label}” {op} {value}"


def shown_question(schema: FormSchema, question: Question, value: object = None, zone: str = "UTC") -> ShownQuestion:
    image = value.get("image", "") if question.type == "signature" and isinstance(value, dict) else ""
    condition = question.show_if
    return ShownQuestion(
        id=question.id,
        type=question.type,
        type_label=QUESTION_TYPES.get(question.type, question.type),
        label=question.label,
        help=question.help,
        required=question.required,
        options=list(question.options),
        min=question.min,
        max=question.max,
        min_label=question.min_label,
        max_label=question.max_label,
        condition=condition_words(schema, question),
        condition_question=condition.question if condition else "",
        condition_op=condition.op if condition else "",
        condition_value=condition.value if condition else "",
        answer=display(question, value, zone),
        image=image if isinstance(image, str) else "",
    )


def sections(schema: FormSchema) -> list[ShownSection]:
    """Every section and question (the builder and the preview)."""
    return [ShownSection(s.id, s.title, [shown_question(schema, q) for q in s.questions]) for s in schema.sections]


def answered_sections(schema: FormSchema, answers: dict[str, object], zone: str) -> list[ShownSection]:
    """The questions that were shown for these answers, with them; empty sections left out."""
    shown = visible_ids(schema, answers)
    found = []
    for section in schema.sections:
        questions = [shown_question(schema, q, answers.get(q.id), zone) for q in section.questions if q.id in shown]
        if questions:
            found.append(ShownSection(section.id, section.title, questions))
    return found
