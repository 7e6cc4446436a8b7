"""Office → Audit log (owner only): who saw or changed what, filtered, a page at a time, and its CSV."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from app.components.empty_state import empty_state
from app.components.forms import field_error
from app.components.layout import clinic_page
from app.components.tables import data_table, pagination
from app.state.audit_log import ANYONE, AuditLogState

S = AuditLogState


def _label(text: str, html_for: str) -> rx.Component:
    return rx.el.label(rx.text(text, size="2", weight="medium"), html_for=html_for)


def _patient_picker() -> rx.Component:
    """Search-as-you-type, like the calendar's: two letters of a name, phone or date of birth."""
    return rx.flex(
        _label("Patient", "audit-patient"),
        rx.cond(
            S.patient_id != "",
            rx.hstack(
                rx.badge(S.patient_name, size="3", variant="soft", max_width="100%"),
                rx.button(
                    "Any patient",
                    size="1",
                    variant="ghost",
                    type="button",
                    on_click=S.clear_patient,
                    aria_label="Any patient (clear the patient filter)",
                ),
                align="center",
                min_height="var(--space-7)",
            ),
            rx.vstack(
                rx.input(
                    rx.input.slot(rx.icon("search", size=16)),
                    id="audit-patient",
                    placeholder="Any patient: type a name, phone or date of birth",
                    on_change=S.find_patient.debounce(250),
                    type="search",
                    auto_complete="off",
                    width="100%",
                ),
                rx.cond(
                    S.patient_matches.length() > 0,
                    rx.vstack(
                        rx.foreach(
                            S.patient_matches,
                            lambda m: rx.button(
                                rx.text(m["name"], weight="medium"),
                                rx.text(m["detail"], color_scheme="gray", size="1"),
                                type="button",
                                variant="ghost",
                                justify_content="flex-start",
                                width="100%",
                                on_click=S.choose_patient(m["id"]),
                            ),
                        ),
                        spacing="1",
                        width="100%",
                        aria_label="Matching patients",
                        role="group",
                    ),
                ),
                rx.cond(
                    (S.patient_query.length() > 1) & (S.patient_matches.length() == 0),
                    rx.text("No patient matches that.", size="1", color_scheme="gray"),
                ),
                spacing="1",
                width="100%",
            ),
        ),
        direction="column",
        spacing="1",
        width="100%",
        max_width="480px",
    )


def _select(label: str, field_id: str, value: rx.Var, on_change, anyone: str, items: rx.Var, render) -> rx.Component:
    return rx.flex(
        _label(label, field_id),
        rx.select.root(
            rx.select.trigger(id=field_id, aria_label=label, width="100%"),
            rx.select.content(rx.select.item(anyone, value=ANYONE), rx.foreach(items, render)),
            value=value,
            on_change=on_change,
        ),
        direction="column",
        spacing="1",
        min_width="0",
    )


def _day(label: str, name: str, on_change) -> rx.Component:
    field_id = f"audit-{name}"
    error = S.errors.get(name, "")
    return rx.flex(
        _label(label, field_id),
        rx.input(
            id=field_id,
            type="date",
            default_value=getattr(S, name),
            on_change=on_change,
            key=S.dates_key.to_string() + name,
            aria_invalid=rx.cond(error != "", "true", "false"),
            aria_describedby=f"{field_id}-error",
            color_scheme=rx.cond(error != "", "red", "gray"),
        ),
        field_error(error, field_id),
        direction="column",
        spacing="1",
        min_width="0",
    )


def _filters() -> rx.Component:
    return rx.card(
        rx.vstack(
            _patient_picker(),
            rx.grid(
                _select(
                    "Person",
                    "audit-person",
                    S.person_choice,
                    S.set_person,
                    "Everyone",
                    S.people,
                    lambda p: rx.select.item(p["name"], value=p["id"]),
                ),
                _select(
                    "Action",
                    "audit-action",
                    S.action_choice,
                    S.set_action,
                    "Every action",
                    S.actions,
                    lambda a: rx.select.item(a["words"], value=a["value"]),
                ),
                _day("From", "start", S.set_start),
                _day("To", "end", S.set_end),
                columns=rx.breakpoints(initial="1", xs="2", md="4"),
                spacing="3",
                width="100%",
            ),
            rx.cond(
                S.filtered,
                rx.button(rx.icon("x", size=14), "Clear filters", variant="ghost", size="1", on_click=S.clear_filters),
            ),
            spacing="3",
            width="100%",
        ),
        size="2",
        width="100%",
    )


def _row(row: ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["when"], white_space="nowrap"),
        rx.table.cell(row["person"]),
        rx.table.row_header_cell(row["what"], font_weight="normal"),
        rx.table.cell(row["patient"]),
        rx.table.cell(rx.text(row["detail"], size="1", color_scheme="gray")),
    )


def _results() -> rx.Component:
    empty = rx.cond(
        S.filtered,
        empty_state(
            "search_x",
            "No entries match these filters",
            "Try another patient, person or action, or a wider date range.",
            rx.button("Clear filters", variant="soft", on_click=S.clear_filters),
        ),
        empty_state(
            "scroll_text",
            "Nothing in the log yet",
            "Whenever someone in your office opens or changes a record, it is written here.",
        ),
    )
    table = data_table(["Time", "Person", "What", "Patient", "Detail"], S.rows, _row, empty, variant="surface")
    return rx.box(
        rx.vstack(
            table,
            rx.cond(
                S.total > 0,
                pagination(S.page, S.pages, S.total, S.go_to_page, "entry", "entries", busy=S.loading),
                rx.cond(S.loading, rx.spinner(size="2", aria_label="Loading")),
            ),
            spacing="3",
            width="100%",
        ),
        aria_busy=rx.cond(S.loading, "true", "false"),
        aria_live="polite",
        opacity=rx.cond(S.loading, "0.6", "1"),
        width="100%",
    )


def _export() -> rx.Component:
    """A link the browser follows itself (rx.el.a is React Router's Link: `reload_document` hands the click
    back to the browser), so the route's attachment is downloaded instead of routed to inside the app."""
    return rx.cond(
        S.total > 0,
        rx.button(
            rx.el.a(
                rx.icon("download", size=16),
                "Export CSV",
                href=S.export_href,
                reload_document=True,
                download="audit-log.csv",
            ),
            as_child=True,
            variant="soft",
            size="3",
        ),
    )


def audit_log_page() -> rx.Component:
    return clinic_page(
        "Audit log",
        "Who saw or changed what in this office, newest first. Times are in " + S.time_zone + ".",
        rx.vstack(
            rx.link(
                rx.flex(rx.icon("arrow_left", size=14), "Office Details", align="center", spacing="1"),
                href="/clinic/office",
                size="2",
            ),
            _filters(),
            _results(),
            spacing="4",
            width="100%",
        ),
        action=_export(),
    )
