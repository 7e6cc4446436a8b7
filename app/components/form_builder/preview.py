"""The builder's live preview: the form as the patient will see it, drawn with the filler's inputs
(components/form_preview.py); choices answered here show and hide conditional questions, nothing
is saved.

Each row is a React memo of plain props (lists travel as one joined string), so a change to the
form or a preview answer draws again only the rows it touched, not all of a long form's fields.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from app.components.form_builder.numbering import numbered
from app.components.form_preview import question_input, question_label
from app.state.form_builder import FormBuilderState as B
from app.state.form_rows import FormRow

_JOIN = "\u001f"  # the unit separator: never typed into an option


def _split(joined: rx.Var[str]) -> rx.Var:
    return rx.cond(joined == "", rx.Var.create([]), joined.to(str).split(_JOIN))


def _row_var(fields: dict[str, rx.Var]) -> ObjectVar[FormRow]:
    return rx.Var.create(fields).to(FormRow)


@rx.memo
def _preview_input(
    row_id: rx.Var[str],
    type: rx.Var[str],
    options: rx.Var[str],
    steps: rx.Var[str],
    low: rx.Var[str],
    high: rx.Var[str],
    low_label: rx.Var[str],
    high_label: rx.Var[str],
    answer: rx.Var[str],
) -> rx.Component:
    """A question's input (the heavy part: radio groups, checkboxes, a scale): without its number,
    so adding a question above, which renumbers the rest, does not draw every input again."""
    fields = {"id": row_id, "type": type, "options": _split(options), "steps": _split(steps)}
    fields |= {"min": low, "max": high, "min_label": low_label, "max_label": high_label}
    return question_input(_row_var(fields), answer.to(str), B.preview_answer, B.preview_toggle)


@rx.memo
def _preview_row(
    kind: rx.Var[str],
    row_id: rx.Var[str],
    title: rx.Var[str],
    label: rx.Var[str],
    type: rx.Var[str],
    help: rx.Var[str],
    required: rx.Var[bool],
    options: rx.Var[str],
    steps: rx.Var[str],
    low: rx.Var[str],
    high: rx.Var[str],
    low_label: rx.Var[str],
    high_label: rx.Var[str],
    shown: rx.Var[bool],
    answer: rx.Var[str],
    rest: rx.RestProp,  # only to take React's `key` (React keeps it: nothing is spread)
) -> rx.Component:
    row = _row_var({"id": row_id, "label": label, "required": required})
    question = rx.vstack(
        question_label(row, numbered=False),
        rx.cond(help != "", rx.text(help, size="2", color_scheme="gray")),
        rx.el.div(
            _preview_input(
                row_id=row_id,
                type=type,
                options=options,
                steps=steps,
                low=low,
                high=high,
                low_label=low_label,
                high_label=high_label,
                answer=answer,
            ),
            class_name="q-input-offscreen",  # off screen, the input skips style and layout
        ),
        spacing="2",
        width="100%",
    )
    return rx.fragment(
        rest,
        rx.cond(
            kind == "section",
            rx.heading(title, size="4", as_="h3", margin_top="var(--space-3)"),
            rx.cond(shown, question),
        ),
    )


def _row(row: ObjectVar[FormRow]) -> rx.Component:
    """A section's heading; a question shown for the preview's answers, its number beside it (numbering.py).
    A hidden question keeps its number, as in the filler: the ones after it do not move up."""
    shown = B.preview_visible.contains(row.id)
    return rx.fragment(
        rx.cond(
            row.kind == "section",
            _memo_row(row, shown),
            rx.cond(shown, numbered(row.number, "preview", _memo_row(row, shown))),
        ),
        key=row.id,  # React keeps each question's drawing when others are added above it
    )


def _memo_row(row: ObjectVar[FormRow], shown: rx.Var[bool]) -> rx.Component:
    return _preview_row(
        kind=row.kind,
        row_id=row.id,
        title=row.title,
        label=row.label,
        type=row.type,
        help=row.help,
        required=row.required,
        options=row.options.join(_JOIN),
        steps=row.steps.join(_JOIN),
        low=row.min,
        high=row.max,
        low_label=row.min_label,
        high_label=row.max_label,
        shown=shown,
        answer=B.preview_answers.get(row.id, "").to(str),
        key=row.id,
    )


def builder_preview() -> rx.Component:
    """The whole form: section headings, and the questions shown for the preview's answers."""
    return rx.vstack(rx.foreach(B.rows, _row), spacing="4", width="100%")
