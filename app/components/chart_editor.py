"""A chart's draft: visit date, SOAP and plan fields, saved while typing (nothing lost on a dropped connection)."""

from __future__ import annotations

import reflex as rx
from reflex_components_core.core.banner import has_connection_errors

from app.components.forms import field_error, form_error
from app.services.charts.charts import PLAN_FIELDS, SOAP_FIELDS
from app.state.charts import ChartState as C

AUTOSAVE_PAUSE_MS = 1500  # a pause in typing this long saves the field (leaving it saves at once)


PLAN_NOTE = (
    "These sections are the patient's treatment plan: the portal shows them for records unlocked with an "
    "access code. Subjective, Objective and Assessment never show there."
)


def _text_field(name: str, label: str) -> rx.Component:
    """A multi-line field of the draft. Uncontrolled: the typing stays in the page whatever the
    connection does; each pause in typing and each leaving of the field saves its whole text."""
    field_id = f"chart-{name}"
    error = C.errors.get(name, "")
    return rx.flex(
        rx.el.label(rx.text(label, size="3", weight="bold"), html_for=field_id),
        rx.text_area(
            id=field_id,
            name=name,
            default_value=C.fields.get(name, ""),
            rows="4",
            size="3",
            resize="vertical",
            aria_invalid=rx.cond(error != "", "true", "false"),
            aria_describedby=f"{field_id}-error",
            on_change=lambda value: C.autosave(name, value).debounce(AUTOSAVE_PAUSE_MS),
            on_blur=lambda value: C.autosave(name, value),
            data_autosave="",  # components/unsaved_guard.py
        ),
        field_error(error, field_id),
        direction="column",
        spacing="1",
        width="100%",
    )


def _visit_date_field() -> rx.Component:
    error = C.errors.get("visit_date", "")
    return rx.flex(
        rx.el.label(rx.text("Visit date", size="2", weight="medium"), html_for="chart-visit_date"),
        rx.input(
            id="chart-visit_date",
            type="date",
            default_value=C.chart.get("visit_date", ""),
            size="3",
            aria_invalid=rx.cond(error != "", "true", "false"),
            aria_describedby="chart-visit_date-error",
            on_change=lambda value: C.autosave("visit_date", value).debounce(800),
            on_blur=lambda value: C.autosave("visit_date", value),
            data_autosave="",  # components/unsaved_guard.py
        ),
        field_error(error, "chart-visit_date"),
        direction="column",
        spacing="1",
        max_width="220px",
    )


def _save_status() -> rx.Component:
    return rx.hstack(
        rx.badge(rx.icon("pencil", size=12), "Draft", variant="soft", color_scheme="amber"),
        rx.text(
            rx.cond(C.saving, "Saving…", rx.cond(C.saved_at != "", "Saved " + C.saved_at, "")),
            size="2",
            color_scheme="gray",
            role="status",
            aria_live="polite",
        ),
        rx.cond(
            has_connection_errors,
            rx.text(
                "Offline: keep typing, your text stays here and is saved when the connection is back.",
                size="2",
                color_scheme="amber",
            ),
        ),
        align="center",
        spacing="3",
        wrap="wrap",
    )


def chart_editor() -> rx.Component:
    return rx.vstack(
        rx.flex(_save_status(), rx.spacer(), _visit_date_field(), align="end", spacing="4", wrap="wrap", width="100%"),
        form_error(C.form_error),
        rx.card(
            rx.vstack(*[_text_field(name, label) for name, label in SOAP_FIELDS.items()], spacing="4"),
            size="3",
            width="100%",
        ),
        rx.card(
            rx.vstack(
                rx.heading("Plan", size="4", as_="h2"),
                rx.text(PLAN_NOTE, size="2", color_scheme="gray"),
                *[_text_field(name, label) for name, label in PLAN_FIELDS.items()],
                spacing="4",
            ),
            size="3",
            width="100%",
        ),
        spacing="4",
        width="100%",
        key=C.shown_id.to_string(),  # the same chart keeps its fields mounted; another one starts afresh
    )
