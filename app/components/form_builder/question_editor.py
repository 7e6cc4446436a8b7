"""The question editor, a card inline in the outline (at the end of a section to add a question,
below a question's card to edit it): type, the question, help text, required, the type's settings
(options, the smallest and largest number, the scale and its end words), and when to show it."""

from __future__ import annotations

import reflex as rx

from app.components.forms import bare_checkbox, field_error, form_error, submit_button
from app.services.forms.schema import QUESTION_TYPES
from app.state.form_question import ALWAYS
from app.state.form_question import QuestionEditorState as Q

FORM_ID = "question"
HEADING_ID = "question-editor-heading"


def _labelled(label: str, name: str, control: rx.Component, hint: str = "") -> rx.Component:
    field_id = f"{FORM_ID}-{name}"
    return rx.flex(
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for=field_id),
        rx.cond(hint != "", rx.text(hint, size="1", color_scheme="gray", id=f"{field_id}-hint")),
        control,
        field_error(Q.errors.get(name, ""), field_id),
        direction="column",
        spacing="1",
        width="100%",
    )


def _input(label: str, name: str, hint: str = "", **props) -> rx.Component:
    field_id = f"{FORM_ID}-{name}"
    error = Q.errors.get(name, "")
    control = rx.input(
        id=field_id,
        name=name,
        default_value=Q.draft.get(name, ""),
        aria_invalid=rx.cond(error != "", "true", "false"),
        aria_describedby=f"{field_id}-error" + (f" {field_id}-hint" if hint else ""),
        **props,
    )
    return _labelled(label, name, control, hint)


def _area(label: str, name: str, hint: str = "", rows: str = "3") -> rx.Component:
    field_id = f"{FORM_ID}-{name}"
    control = rx.text_area(
        id=field_id,
        name=name,
        default_value=Q.draft.get(name, ""),
        rows=rows,
        aria_describedby=f"{field_id}-error" + (f" {field_id}-hint" if hint else ""),
    )
    return _labelled(label, name, control, hint)


def _select(label: str, name: str, value: rx.Var, on_change, items: rx.Component) -> rx.Component:
    field_id = f"{FORM_ID}-{name}"
    control = rx.select.root(
        rx.select.trigger(id=field_id, aria_label=label, width="100%"),
        rx.select.content(items),
        value=value,
        on_change=on_change,
    )
    return _labelled(label, name, control)


def _type_settings() -> rx.Component:
    kind = Q.draft_type
    return rx.fragment(
        rx.cond(
            (kind == "single_choice") | (kind == "multiple_choice"),
            _area("Options", "options", "One option per line.", rows="4"),
        ),
        rx.cond(
            kind == "number",
            rx.hstack(
                _input("Smallest answer", "min", "Optional", input_mode="decimal"),
                _input("Largest answer", "max", "Optional", input_mode="decimal"),
                spacing="3",
                width="100%",
            ),
        ),
        rx.cond(
            kind == "scale",
            rx.vstack(
                rx.hstack(
                    _input("Scale from", "min", "A whole number, e.g. 0", input_mode="numeric"),
                    _input("Scale to", "max", "e.g. 10", input_mode="numeric"),
                    spacing="3",
                    width="100%",
                ),
                rx.hstack(
                    _input("Words at the start", "min_label", "e.g. No pain"),
                    _input("Words at the end", "max_label", "e.g. Worst pain"),
                    spacing="3",
                    width="100%",
                ),
                spacing="3",
                width="100%",
            ),
        ),
        rx.cond(
            kind == "signature",
            rx.text(
                "The patient draws their signature with a finger or the mouse, or types their full name; "
                "the name and the time are kept with it.",
                size="1",
                color_scheme="gray",
            ),
        ),
    )


def _condition() -> rx.Component:
    sources = rx.select.group(
        rx.select.item("Always show this question", value=ALWAYS),
        rx.foreach(Q.sources, lambda s: rx.select.item("Only when " + s["label"], value=s["id"])),
    )
    return rx.vstack(
        rx.text("When to show it", size="2", weight="bold"),
        rx.cond(
            Q.sources.length() > 0,
            _select("Show this question", "show_if_question", Q.source, Q.set_source, sources),
            rx.text(
                "To show it only after a certain answer, put a choice or yes/no question above it first.",
                size="1",
                color_scheme="gray",
            ),
        ),
        rx.cond(
            Q.source != ALWAYS,
            rx.hstack(
                _select(
                    "The answer",
                    "show_if_op",
                    Q.op,
                    Q.set_op,
                    rx.foreach(Q.ops, lambda o: rx.select.item(o[1], value=o[0])),
                ),
                _select(
                    "Answer",
                    "show_if_value",
                    Q.value,
                    Q.set_value,
                    rx.foreach(Q.values, lambda v: rx.select.item(v[1], value=v[0])),
                ),
                spacing="3",
                width="100%",
            ),
        ),
        rx.cond(
            Q.source != ALWAYS,
            rx.text("A hidden question is never required, and its answer is not kept.", size="1", color_scheme="gray"),
        ),
        spacing="2",
        width="100%",
    )


def question_editor() -> rx.Component:
    types = rx.fragment(*[rx.select.item(words, value=value) for value, words in QUESTION_TYPES.items()])
    return rx.card(
        rx.heading(rx.cond(Q.editing != "", "Edit question", "Add a question"), size="3", as_="h3", id=HEADING_ID),
        rx.text("What the patient is asked, and how they answer.", size="2", color_scheme="gray"),
        rx.form(
            rx.vstack(
                form_error(Q.form_error),
                _select("Type of answer", "type", Q.draft_type, Q.set_draft_type, types),
                _input("The question", "label", auto_focus=True),
                _area("Help text", "help", "Optional: shown under the question.", rows="2"),
                rx.el.label(
                    rx.hstack(
                        bare_checkbox(name="required", default_checked=Q.draft.get("required", "") == "on"),
                        rx.text("Required: the form cannot be submitted without an answer", size="2"),
                        spacing="2",
                        align="center",
                    ),
                    cursor="pointer",
                ),
                _type_settings(),
                _condition(),
                rx.flex(
                    rx.button(
                        "Cancel", type="button", variant="soft", color_scheme="gray", size="3", on_click=Q.cancel
                    ),
                    submit_button("Save question", Q.busy),
                    justify="end",
                    spacing="3",
                    width="100%",
                ),
                spacing="4",
                margin_top="var(--space-3)",
            ),
            on_submit=Q.save,
            key=Q.form_key,
        ),
        size="3",
        width="100%",
        role="region",
        aria_labelledby=HEADING_ID,
        variant="surface",
    )
