"""A form's sections and questions as the pages show them: one flat list of rows (a section's row,
then its questions' rows), so a page renders a whole form with one foreach.

Used by the builder, its live preview, and a submission's read-only view.
"""

from __future__ import annotations

import dataclasses

from app.services.forms.render import ShownSection
from app.services.forms.schema import CONDITION_OPS, CONDITION_SOURCES, QUESTION_TYPES, YES_NO


@dataclasses.dataclass
class FormRow:
    kind: str = "question"  # "section" or "question"
    id: str = ""
    section_id: str = ""
    number: str = ""  # questions are numbered through the whole form: "1", "2", …
    title: str = ""  # a section's title ("Section 2" when it has none)
    label: str = ""
    type: str = ""
    type_label: str = ""
    help: str = ""
    required: bool = False
    options: list[str] = dataclasses.field(default_factory=list)
    steps: list[str] = dataclasses.field(default_factory=list)  # a scale's numbers, in order
    min: str = ""
    max: str = ""
    min_label: str = ""
    max_label: str = ""
    condition: str = ""  # "Shown when “Do you smoke?” is Yes"
    condition_question: str = ""
    condition_op: str = ""
    condition_value: str = ""
    answer: str = ""  # a submission's answer as a person reads it
    image: str = ""  # a drawn signature
    first: bool = False  # nothing above it to move past (the builder's Move up is off)
    last: bool = False
    ends_section: bool = False  # the last row of its section (where its *Add question* goes)


def form_rows(sections: list[ShownSection]) -> list[FormRow]:
    rows: list[FormRow] = []
    number, total = 0, sum(len(s.questions) for s in sections)
    for index, section in enumerate(sections):
        rows.append(
            FormRow(
                kind="section",
                id=section.id,
                section_id=section.id,
                title=section.title or f"Section {index + 1}",
                label=section.title,
                first=index == 0,
                last=index == len(sections) - 1,
                ends_section=not section.questions,
            )
        )
        for position, question in enumerate(section.questions):
            number += 1
            steps = []
            if question.type == "scale" and question.min and question.max:
                steps = [str(n) for n in range(int(question.min), int(question.max) + 1)]
            rows.append(
                FormRow(
                    id=question.id,
                    section_id=section.id,
                    number=str(number),
                    label=question.label,
                    type=question.type,
                    type_label=question.type_label,
                    help=question.help,
                    required=question.required,
                    options=list(YES_NO.values()) if question.type == "yes_no" else list(question.options),
                    steps=steps,
                    min=question.min,
                    max=question.max,
                    min_label=question.min_label,
                    max_label=question.max_label,
                    condition=question.condition,
                    condition_question=question.condition_question,
                    condition_op=question.condition_op,
                    condition_value=question.condition_value,
                    answer=question.answer,
                    image=question.image,
                    first=number == 1,
                    last=number == total,
                    ends_section=position == len(section.questions) - 1,
                )
            )
    return rows


def question_types() -> list[tuple[str, str]]:
    return list(QUESTION_TYPES.items())


def condition_sources(rows: list[FormRow], before: str) -> list[dict[str, str]]:
    """The questions a condition may name: choice and yes/no questions above `before` (a question id;
    a section id: above that section's end)."""
    found: list[dict[str, str]] = []
    for index, row in enumerate(rows):
        if row.kind == "question" and row.id == before:
            break
        if row.kind == "section" and row.id != before and any(r.id == before for r in rows[:index]):
            break
        if row.kind == "question" and row.type in CONDITION_SOURCES:
            found.append({"id": row.id, "label": f"{row.number}. {row.label}", "type": row.type})
    return found


def condition_choices(rows: list[FormRow], source: str) -> tuple[list[list[str]], list[list[str]]]:
    """For a source question: its comparisons and its answers, as [value, words] pairs."""
    row = next((r for r in rows if r.kind == "question" and r.id == source), None)
    if row is None or row.type not in CONDITION_SOURCES:
        return [], []
    ops = [[value, words] for value, words in CONDITION_OPS[row.type].items()]
    values = (
        [[value, words] for value, words in YES_NO.items()] if row.type == "yes_no" else [[o, o] for o in row.options]
    )
    return ops, values
