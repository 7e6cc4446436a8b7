"""A form as the patient will see it: each question with its label, help and the input of its type.

`question_input(row, answer, on_choose, on_toggle)` draws one question's input: choices and yes/no
are controlled (their answer comes from `answer`, changes go to the handlers, so conditional
questions can show and hide); text, number, date, scale and signature are plain inputs. The
builder's live preview uses it; nothing typed in a preview is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

Handler = Callable[[Any, Any], Any]


def _id(row: rx.Var, suffix: str = "") -> rx.Var:
    return ("preview-" + row.id.to(str) + suffix).to(str)  # type: ignore[attr-defined]


def _label(row: rx.Var) -> rx.Component:
    return rx.el.label(
        rx.text(
            row.number.to(str) + ". " + row.label.to(str),  # type: ignore[attr-defined]
            rx.cond(row.required, rx.text.span(" (required)", color_scheme="red", size="2")),  # type: ignore[attr-defined]
            size="3",
            weight="medium",
        ),
        html_for=_id(row),
        id=_id(row, "-label"),
    )


def _choices(row: rx.Var, answer: rx.Var, on_choose: Handler, on_toggle: Handler) -> rx.Component:
    radios = rx.radio_group.root(
        rx.vstack(
            rx.foreach(
                row.options,  # type: ignore[attr-defined]
                lambda option: rx.el.label(
                    rx.hstack(
                        rx.radio_group.item(value=option), rx.text(option, size="2"), spacing="2", align="center"
                    ),
                    cursor="pointer",
                ),
            ),
            spacing="2",
        ),
        value=answer,
        on_change=lambda value: on_choose(row.id, value),  # type: ignore[attr-defined]
        aria_labelledby=_id(row, "-label"),
        id=_id(row),
    )
    boxes = rx.vstack(
        rx.foreach(
            row.options,  # type: ignore[attr-defined]
            lambda option: rx.checkbox(
                option,
                checked=answer.split("\n").contains(option),
                on_change=lambda _checked: on_toggle(row.id, option),  # type: ignore[attr-defined]
            ),
        ),
        role="group",
        aria_labelledby=_id(row, "-label"),
        spacing="2",
    )
    return rx.cond(row.type == "multiple_choice", boxes, radios)  # type: ignore[attr-defined]


def _yes_no(row: rx.Var, answer: rx.Var, on_choose: Handler) -> rx.Component:
    def item(value: str, words: str) -> rx.Component:
        return rx.el.label(
            rx.hstack(rx.radio_group.item(value=value), rx.text(words, size="2"), spacing="2", align="center"),
            cursor="pointer",
        )

    return rx.radio_group.root(
        rx.hstack(item("yes", "Yes"), item("no", "No"), spacing="5"),
        value=answer,
        on_change=lambda value: on_choose(row.id, value),  # type: ignore[attr-defined]
        aria_labelledby=_id(row, "-label"),
        id=_id(row),
    )


def _scale(row: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.radio_group.root(
            rx.flex(
                rx.foreach(
                    row.steps,  # type: ignore[attr-defined]
                    lambda step: rx.el.label(
                        rx.vstack(
                            rx.radio_group.item(value=step), rx.text(step, size="1"), align="center", spacing="1"
                        ),
                        cursor="pointer",
                    ),
                ),
                spacing="3",
                wrap="wrap",
            ),
            aria_labelledby=_id(row, "-label"),
            id=_id(row),
        ),
        rx.flex(
            rx.text(row.min_label, size="1", color_scheme="gray"),  # type: ignore[attr-defined]
            rx.spacer(),
            rx.text(row.max_label, size="1", color_scheme="gray"),  # type: ignore[attr-defined]
            width="100%",
        ),
        spacing="1",
        width="100%",
    )


def _signature(row: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.box(
            rx.text("Sign here with a finger or the mouse", size="1", color_scheme="gray"),
            border=f"1px dashed {rx.color('gray', 7)}",
            border_radius="var(--radius-3)",
            height="96px",
            width="100%",
            padding="var(--space-2)",
        ),
        rx.el.label(rx.text("Type your full name", size="2"), html_for=_id(row)),
        rx.input(id=_id(row), auto_complete="name"),
        spacing="2",
        width="100%",
    )


def question_input(row: rx.Var, answer: rx.Var, on_choose: Handler, on_toggle: Handler) -> rx.Component:
    kind = row.type  # type: ignore[attr-defined]
    number_hint = rx.cond(
        (row.min != "") & (row.max != ""),  # type: ignore[attr-defined]
        "From " + row.min.to(str) + " to " + row.max.to(str),  # type: ignore[attr-defined]
        "",
    )
    return rx.match(
        kind,
        ("long_text", rx.text_area(id=_id(row), rows="4")),
        (
            "number",
            rx.vstack(
                rx.input(id=_id(row), type="number", input_mode="decimal"),
                rx.text(number_hint, size="1", color_scheme="gray"),
                spacing="1",
            ),
        ),
        ("date", rx.input(id=_id(row), type="date", max_width="220px")),
        ("single_choice", _choices(row, answer, on_choose, on_toggle)),
        ("multiple_choice", _choices(row, answer, on_choose, on_toggle)),
        ("yes_no", _yes_no(row, answer, on_choose)),
        ("scale", _scale(row)),
        ("signature", _signature(row)),
        rx.input(id=_id(row)),
    )


def question_block(row: rx.Var, answer: rx.Var, on_choose: Handler, on_toggle: Handler) -> rx.Component:
    return rx.vstack(
        _label(row),
        rx.cond(row.help != "", rx.text(row.help, size="2", color_scheme="gray")),  # type: ignore[attr-defined]
        question_input(row, answer, on_choose, on_toggle),
        spacing="2",
        width="100%",
    )


def form_preview(
    rows: rx.Var, visible: rx.Var, answers: rx.Var, on_choose: Handler, on_toggle: Handler
) -> rx.Component:
    """The whole form: section headings, and the questions shown for the preview's answers."""
    return rx.vstack(
        rx.foreach(
            rows,
            lambda row: rx.cond(
                row.kind == "section",
                rx.heading(row.title, size="4", as_="h3", margin_top="var(--space-3)"),
                rx.cond(
                    visible.contains(row.id),
                    question_block(row, answers.get(row.id, "").to(str), on_choose, on_toggle),
                ),
            ),
        ),
        spacing="4",
        width="100%",
    )
