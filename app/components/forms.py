"""Form pieces: a labelled field with its message, a submit button with a busy state."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import ObjectVar
from reflex_components_core.el.elements.forms import HTMLInputTypeAttribute
from reflex_components_radix.themes.components.checkbox import Checkbox


def bare_checkbox(**props: Any) -> rx.Component:
    """A checkbox without a label of its own, for inside a `<label>` that holds its words.

    `rx.checkbox(...)` wraps the box in a `<label>` of its own even without text; inside another
    label that empty inner label is the one that names it, and the checkbox has no name."""
    return Checkbox.create(**props)


def field_error(error: rx.Var[str], field_id: str) -> rx.Component:
    return rx.cond(
        error != "",
        rx.text(error, id=f"{field_id}-error", color_scheme="red", size="2", role="alert"),
    )


def field(
    label: str,
    name: str,
    errors: ObjectVar[dict[str, str]],
    *,
    type: HTMLInputTypeAttribute = "text",
    hint: str = "",
    autocomplete: str = "",
    default_value: rx.Var | str = "",
    placeholder: str = "",
    form_id: str = "",
    input_mode: str = "",
    auto_focus: bool = False,
) -> rx.Component:
    """A visible label bound to its input, an optional hint, and the field's error under it."""
    field_id = f"{form_id or 'f'}-{name}"
    error = errors.get(name, "")
    described_by = f"{field_id}-error" + (f" {field_id}-hint" if hint else "")
    extra: dict = {}
    if input_mode:
        extra["input_mode"] = input_mode  # e.g. "numeric": a phone shows its number pad
    if auto_focus:
        extra["auto_focus"] = True
    return rx.flex(
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for=field_id),
        rx.input(
            id=field_id,
            name=name,
            type=type,
            auto_complete=autocomplete or "off",
            default_value=default_value,
            placeholder=placeholder,
            size="3",
            aria_invalid=rx.cond(error != "", "true", "false"),
            aria_describedby=described_by,
            color_scheme=rx.cond(error != "", "red", "gray"),
            **extra,
        ),
        rx.cond(hint != "", rx.text(hint, id=f"{field_id}-hint", size="1", color_scheme="gray")),
        field_error(error, field_id),
        direction="column",
        spacing="1",
        width="100%",
    )


def select_field(
    label: str,
    name: str,
    errors: ObjectVar[dict[str, str]],
    items: rx.Var | list[str],
    *,
    default_value: rx.Var | str = "",
    form_id: str = "",
) -> rx.Component:
    field_id = f"{form_id or 'f'}-{name}"
    error = errors.get(name, "")
    return rx.flex(
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for=field_id),
        rx.select(
            items,
            name=name,
            id=field_id,
            default_value=default_value,
            size="3",
            aria_label=label,
            position="popper",
        ),
        field_error(error, field_id),
        direction="column",
        spacing="1",
        width="100%",
    )


def form_error(message: rx.Var[str]) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon="circle_alert", color_scheme="red", role="alert", width="100%"),
    )


def submit_button(label: str | rx.Var[str], busy: rx.Var[bool], **props: Any) -> rx.Component:
    """Disabled until the page is live, so nothing is ever submitted by the browser on its own."""
    return rx.button(label, type="submit", size="3", loading=busy, disabled=busy | ~rx.State.is_hydrated, **props)


def choice_field(
    label: str,
    name: str,
    errors: ObjectVar[dict[str, str]],
    options: list[tuple[str, str]],
    *,
    default_value: rx.Var | str = "",
    form_id: str = "",
) -> rx.Component:
    """A Radix select with readable labels for stored values, submitted with the form."""
    field_id = f"{form_id or 'f'}-{name}"
    error = errors.get(name, "")
    return rx.flex(
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for=field_id),
        rx.select.root(
            rx.select.trigger(id=field_id, aria_label=label, placeholder="Choose…"),
            rx.select.content(*[rx.select.item(text, value=value) for value, text in options]),
            name=name,
            default_value=default_value,
            size="3",
        ),
        field_error(error, field_id),
        direction="column",
        spacing="1",
        width="100%",
    )


def text_area_field(
    label: str, name: str, errors: ObjectVar[dict[str, str]], *, default_value: rx.Var | str = "", form_id: str = ""
) -> rx.Component:
    field_id = f"{form_id or 'f'}-{name}"
    error = errors.get(name, "")
    return rx.flex(
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for=field_id),
        rx.text_area(id=field_id, name=name, default_value=default_value, size="3", rows="3"),
        field_error(error, field_id),
        direction="column",
        spacing="1",
        width="100%",
    )


def dialog_actions(label: str | rx.Var[str], busy: rx.Var[bool]) -> rx.Component:
    """The footer of a dialog's form: Cancel closes it, the main button submits."""
    return rx.flex(
        rx.dialog.close(rx.button("Cancel", type="button", variant="soft", color_scheme="gray", size="3")),
        submit_button(label, busy),
        justify="end",
        spacing="3",
        width="100%",
    )
