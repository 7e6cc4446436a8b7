"""A chart read-only, its addenda and its recipients' notes."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventCallback
from reflex.vars import ObjectVar

from app.components.forms import field_error, submit_button
from app.services.charts.charts import PLAN_FIELDS, SOAP_FIELDS
from app.state.charts import LOCKED_LINE_ID
from app.state.charts import ChartState as C


def _read_only_part(name: str, label: str) -> rx.Component:
    value = C.fields.get(name, "")
    return rx.vstack(
        rx.heading(label, size="3", as_="h3"),
        rx.text(rx.cond(value != "", value, "—"), size="2", white_space="pre-wrap"),
        spacing="1",
        width="100%",
    )


def chart_read_only() -> rx.Component:
    locked = C.chart.get("status", "") == "locked"
    return rx.vstack(
        rx.cond(
            locked,
            rx.callout(
                rx.text(C.chart.get("locked_line", ""), id=LOCKED_LINE_ID, tab_index=-1),
                icon="lock",
                color_scheme="gray",
                width="100%",
            ),
            rx.badge(rx.icon("pencil", size=12), "Draft", variant="soft", color_scheme="amber"),
        ),
        rx.cond(
            C.may_add_note,
            rx.text(
                "Shared with you by ",
                C.chart.get("author", ""),
                ": you can read it and add notes; only its author changes it.",
                size="2",
                color_scheme="gray",
            ),
        ),
        rx.text("Visit date: ", rx.text.strong(C.chart.get("visit_label", "")), size="2"),
        rx.card(
            rx.vstack(*[_read_only_part(name, label) for name, label in SOAP_FIELDS.items()], spacing="4"),
            size="3",
            width="100%",
        ),
        rx.card(
            rx.vstack(
                rx.heading("Plan", size="4", as_="h2"),
                *[_read_only_part(name, label) for name, label in PLAN_FIELDS.items()],
                spacing="4",
            ),
            size="3",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def _dated_entry(entry: ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.el.li(
        rx.vstack(
            rx.text(rx.text.strong(entry["author"]), " · ", entry["when"], size="2", color_scheme="gray"),
            rx.text(entry["text"], size="2", white_space="pre-wrap"),
            spacing="1",
        ),
        padding_y="var(--space-3)",
        border_top=f"1px solid {rx.color('gray', 4)}",
    )


def _dated_list(items: rx.Var, label_id: str) -> rx.Component:
    return rx.el.ul(
        rx.foreach(items, _dated_entry),
        aria_labelledby=label_id,
        style={"list_style": "none", "padding": "0", "margin": "0", "width": "100%"},
    )


def _write_form(label: str, name: str, button: str, on_submit: EventCallback[dict]) -> rx.Component:
    field_id = f"chart-{name}"  # ADDENDUM_FIELD_ID / NOTE_FIELD_ID: emptied once added
    error = C.errors.get(name, "")
    return rx.form(
        rx.vstack(
            rx.el.label(rx.text(label, size="2", weight="medium"), html_for=field_id),
            rx.text_area(
                id=field_id,
                name=name,
                rows="3",
                size="3",
                resize="vertical",
                aria_invalid=rx.cond(error != "", "true", "false"),
                aria_describedby=f"{field_id}-error",
            ),
            field_error(error, field_id),
            rx.hstack(submit_button(button, C.busy), justify="end", width="100%"),
            spacing="2",
            width="100%",
        ),
        on_submit=on_submit,
        width="100%",
    )


def chart_addenda() -> rx.Component:
    return rx.cond(
        C.chart.get("status", "") == "locked",
        rx.card(
            rx.vstack(
                rx.heading("Addenda", size="4", as_="h2", id="addenda-label"),
                rx.cond(
                    C.addenda.length() > 0,
                    _dated_list(C.addenda, "addenda-label"),
                    rx.text(
                        "No addenda. A locked chart is amended only by dated addenda.", size="2", color_scheme="gray"
                    ),
                ),
                rx.cond(
                    C.may_amend,
                    _write_form("Add addendum", "addendum", "Add addendum", C.add_addendum),
                ),
                spacing="3",
                width="100%",
            ),
            size="3",
            width="100%",
        ),
    )


def chart_notes() -> rx.Component:
    return rx.cond(
        (C.notes.length() > 0) | C.may_add_note,
        rx.card(
            rx.vstack(
                rx.heading("Notes", size="4", as_="h2", id="notes-label"),
                rx.text(
                    "Notes from the practitioners this chart is shared with. The author and every recipient see them.",
                    size="2",
                    color_scheme="gray",
                ),
                rx.cond(
                    C.notes.length() > 0,
                    _dated_list(C.notes, "notes-label"),
                    rx.text("No notes yet.", size="2", color_scheme="gray"),
                ),
                rx.cond(C.may_add_note, _write_form("Add note", "note", "Add note", C.add_note)),
                spacing="3",
                width="100%",
            ),
            size="3",
            width="100%",
        ),
    )
