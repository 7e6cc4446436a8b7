"""A form as the patient will see it: each question with its label, help and the input of its type.

`question_input(row, answer, on_choose, on_toggle)` draws one question's input: choices and yes/no
are controlled (their answer comes from `answer`, changes go to the handlers, so conditional
questions can show and hide); text, number, date, scale and signature are plain inputs. The
builder's live preview uses it; nothing typed in a preview is saved.

The portal's filler draws the same inputs with a `Filling` (its handlers and vars): text, number and
date start from the saved answer and save on leaving the field, the scale saves on a choice, the
signature has a drawing pad beside its typed name, and each question shows its error beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import reflex as rx
from reflex.vars import ObjectVar, StringVar

from app.components.signature_pad import signature_pad
from app.state.form_rows import FormRow

Handler = Callable[[Any, Any], Any]


@dataclass(frozen=True)
class Filling:
    """The filler's side of the inputs: saving handlers (question id, value) and the page's vars."""

    on_save: Handler  # a text, number, date or scale answer
    on_sign_name: Handler  # a signature's typed name
    on_drawn: Handler  # a signature's drawing (a PNG data URL, "" when cleared)
    errors: ObjectVar[dict[str, str]]  # question id → the message beside it
    images: ObjectVar[dict[str, str]]  # question id → the saved drawing


def _error_id(row: ObjectVar[FormRow]) -> rx.Var:
    return _id(row, "-error")


def _id(row: ObjectVar[FormRow], suffix: str = "") -> rx.Var:
    return ("preview-" + row.id.to(str) + suffix).to(str)


def question_label(row: ObjectVar[FormRow], *, numbered: bool = True) -> rx.Component:
    """ "N. The question (required)"; without the number when the page shows it beside (the builder)."""
    return rx.el.label(
        rx.text(
            row.number.to(str) + ". " + row.label.to(str) if numbered else row.label,
            rx.cond(row.required, rx.text.span(" (required)", color_scheme="red", size="2")),
            size="3",
            weight="medium",
        ),
        html_for=_id(row),
        id=_id(row, "-label"),
    )


def _choices(row: ObjectVar[FormRow], answer: StringVar, on_choose: Handler, on_toggle: Handler) -> rx.Component:
    radios = rx.radio_group.root(
        rx.vstack(
            rx.foreach(
                row.options,
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
        on_change=lambda value: on_choose(row.id, value),
        aria_labelledby=_id(row, "-label"),
        id=_id(row),
    )
    boxes = rx.vstack(
        rx.foreach(
            row.options,
            lambda option: rx.checkbox(
                option,
                checked=answer.split("\n").contains(option),
                on_change=lambda _checked: on_toggle(row.id, option),
            ),
        ),
        role="group",
        aria_labelledby=_id(row, "-label"),
        spacing="2",
    )
    return rx.cond(row.type == "multiple_choice", boxes, radios)


def _yes_no(row: ObjectVar[FormRow], answer: StringVar, on_choose: Handler) -> rx.Component:
    def item(value: str, words: str) -> rx.Component:
        return rx.el.label(
            rx.hstack(rx.radio_group.item(value=value), rx.text(words, size="2"), spacing="2", align="center"),
            cursor="pointer",
        )

    return rx.radio_group.root(
        rx.hstack(item("yes", "Yes"), item("no", "No"), spacing="5"),
        value=answer,
        on_change=lambda value: on_choose(row.id, value),
        aria_labelledby=_id(row, "-label"),
        id=_id(row),
    )


def _scale(row: ObjectVar[FormRow], answer: StringVar | None = None, filling: Filling | None = None) -> rx.Component:
    saving: dict[str, Any] = {}
    if filling is not None:
        saving = {"value": answer, "on_change": lambda value: filling.on_save(row.id, value)}
    return rx.vstack(
        rx.radio_group.root(
            rx.flex(
                rx.foreach(
                    row.steps,
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
            **saving,
        ),
        rx.flex(
            rx.text(row.min_label, size="1", color_scheme="gray"),
            rx.spacer(),
            rx.text(row.max_label, size="1", color_scheme="gray"),
            width="100%",
        ),
        spacing="1",
        width="100%",
    )


def _signature(
    row: ObjectVar[FormRow], answer: StringVar | None = None, filling: Filling | None = None
) -> rx.Component:
    if filling is None:
        pad: rx.Component = rx.box(
            rx.text("Sign here with a finger or the mouse", size="1", color_scheme="gray"),
            border=f"1px dashed {rx.color('gray', 7)}",
            border_radius="var(--radius-3)",
            height="96px",
            width="100%",
            padding="var(--space-2)",
        )
        name = rx.input(id=_id(row), auto_complete="name")
    else:
        pad = signature_pad(
            image=filling.images.get(row.id, "").to(str),
            label="Signature drawing for " + row.label.to(str),
            on_drawn=lambda image: filling.on_drawn(row.id, image),
        )
        name = rx.input(
            id=_id(row),
            auto_complete="name",
            default_value=answer,
            key=_id(row, "-name"),
            on_blur=lambda value: filling.on_sign_name(row.id, value),
            aria_describedby=_error_id(row),
        )
    return rx.vstack(
        pad,
        rx.el.label(rx.text("Type your full name", size="2"), html_for=_id(row)),
        name,
        spacing="2",
        width="100%",
    )


def _saving(row: ObjectVar[FormRow], answer: StringVar, filling: Filling | None) -> dict[str, Any]:
    """A text, number or date input of the filler: starts from the saved answer (its defaultValue, kept
    up to date after each save), saves when left."""
    if filling is None:
        return {}
    return {
        "default_value": answer,
        "key": _id(row, "-input"),
        "on_blur": lambda value: filling.on_save(row.id, value),
        "aria_describedby": _error_id(row),
        "data_autosave": "",  # closing the tab before the save is confirmed asks first (unsaved_guard.py)
    }


def question_input(
    row: ObjectVar[FormRow], answer: StringVar, on_choose: Handler, on_toggle: Handler, filling: Filling | None = None
) -> rx.Component:
    kind = row.type
    saving = _saving(row, answer, filling)
    number_hint = rx.cond(
        (row.min != "") & (row.max != ""),
        "From " + row.min.to(str) + " to " + row.max.to(str),
        "",
    )
    # rx.match is typed Component | Var: component cases give a Component.
    return cast(
        rx.Component,
        rx.match(
            kind,
            ("long_text", rx.text_area(id=_id(row), rows="4", **saving)),
            (
                "number",
                rx.vstack(
                    rx.input(id=_id(row), type="text", input_mode="decimal", **saving),
                    rx.text(number_hint, size="1", color_scheme="gray"),
                    spacing="1",
                ),
            ),
            ("date", rx.input(id=_id(row), type="date", max_width="220px", **saving)),
            ("single_choice", _choices(row, answer, on_choose, on_toggle)),
            ("multiple_choice", _choices(row, answer, on_choose, on_toggle)),
            ("yes_no", _yes_no(row, answer, on_choose)),
            ("scale", _scale(row, answer, filling)),
            ("signature", _signature(row, answer, filling)),
            rx.input(id=_id(row), **saving),
        ),
    )


def question_block(
    row: ObjectVar[FormRow], answer: StringVar, on_choose: Handler, on_toggle: Handler, filling: Filling | None = None
) -> rx.Component:
    error = rx.fragment()
    if filling is not None:
        message = filling.errors.get(row.id, "").to(str)
        error = rx.cond(
            message != "",
            rx.text(message, color_scheme="red", size="2", id=_error_id(row)),
            rx.el.span(id=_error_id(row)),
        )
    return rx.vstack(
        question_label(row),
        rx.cond(row.help != "", rx.text(row.help, size="2", color_scheme="gray")),
        question_input(row, answer, on_choose, on_toggle, filling),
        error,
        spacing="2",
        width="100%",
    )
