"""Clinic: the patient list (the client workspace is pages/patient_workspace.py)."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from app.components.empty_state import empty_state
from app.components.forms import dialog_actions, form_error
from app.components.layout import clinic_page
from app.components.patient_form import patient_fields
from app.state.patients import PatientListState

# ---- patient list -----------------------------------------------------------------


def _same_email_note() -> rx.Component:
    found = PatientListState.same_email
    return rx.cond(
        found.contains("id"),
        rx.callout(
            rx.text(
                rx.text.strong(found["name"]),
                " already has this e-mail address. Is it the same person? ",
                rx.link("Open " + found["name"].to(str) + "'s record", href="/clinic/patients/" + found["id"].to(str)),
                ". Families may share an address: choose Create patient again to add a separate record.",
            ),
            icon="users",
            color_scheme="amber",
            role="status",
        ),
    )


def _new_patient_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("user_plus", size=16), "New patient", size="3")),
        rx.dialog.content(
            rx.dialog.title("New patient"),
            rx.dialog.description(
                "The official record. Only first and last name are required.", size="2", color_scheme="gray"
            ),
            rx.form(
                rx.vstack(
                    form_error(PatientListState.form_error),
                    patient_fields(PatientListState.errors, {}, "new-patient"),
                    _same_email_note(),
                    dialog_actions("Create patient", PatientListState.busy),
                    spacing="4",
                    margin_top="var(--space-4)",
                ),
                on_submit=PatientListState.create,
            ),
            max_width="640px",
        ),
        open=PatientListState.new_open,
        on_open_change=PatientListState.set_new_open,
    )


def _patient_row(row: ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(row["name"], href="/clinic/patients/" + row["id"].to(str), weight="medium")),
        rx.table.cell(row["date_of_birth"]),
        rx.table.cell(row["email"]),
        rx.table.cell(row["phone"]),
    )


def _pagination() -> rx.Component:
    return rx.flex(
        rx.text(
            "Page ",
            PatientListState.page,
            " of ",
            PatientListState.pages,
            " · ",
            PatientListState.total,
            rx.cond(PatientListState.total == 1, " patient", " patients"),
            size="2",
            color_scheme="gray",
        ),
        rx.spacer(),
        rx.button(
            rx.icon("chevron_left", size=16),
            "Previous",
            variant="soft",
            color_scheme="gray",
            disabled=PatientListState.page <= 1,
            on_click=PatientListState.go_to_page((PatientListState.page - 1).to(int)),
        ),
        rx.button(
            "Next",
            rx.icon("chevron_right", size=16),
            variant="soft",
            color_scheme="gray",
            disabled=PatientListState.page >= PatientListState.pages,
            on_click=PatientListState.go_to_page((PatientListState.page + 1).to(int)),
        ),
        align="center",
        spacing="2",
        width="100%",
    )


def patient_list_page() -> rx.Component:
    search = rx.flex(
        rx.el.label(rx.text("Search patients", size="2", weight="medium"), html_for="patient-search"),
        rx.input(
            rx.input.slot(rx.cond(PatientListState.searching, rx.spinner(size="1"), rx.icon("search", size=16))),
            id="patient-search",
            placeholder="Name, e-mail, phone or date of birth (yyyy-mm-dd)",
            on_change=PatientListState.set_query.debounce(250),
            size="3",
            type="search",
            auto_complete="off",
        ),
        direction="column",
        spacing="1",
        width="100%",
        max_width="520px",
    )
    archived = rx.el.label(
        rx.hstack(
            rx.switch(checked=PatientListState.archived, on_change=PatientListState.show_archived),
            rx.text("Show archived records", size="2"),
            align="center",
            spacing="2",
        ),
    )
    table = rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell("Name"),
                rx.table.column_header_cell("Date of birth"),
                rx.table.column_header_cell("E-mail"),
                rx.table.column_header_cell("Phone"),
            )
        ),
        rx.table.body(rx.foreach(PatientListState.rows, _patient_row)),
        variant="surface",
        width="100%",
    )
    nothing_found = rx.cond(
        PatientListState.query != "",
        empty_state(
            "search_x",
            "No patients match your search",
            "Check the spelling, or search by e-mail, phone or date of birth (yyyy-mm-dd).",
        ),
        empty_state(
            "users",
            "No patients yet",
            "Add your first patient with New patient. Patients who book online appear here too.",
        ),
    )
    nothing_archived = empty_state(
        "archive", "No archived records", "Records archived from a patient's workspace are listed here."
    )
    results = rx.cond(
        PatientListState.total > 0,
        rx.vstack(table, _pagination(), spacing="3", width="100%"),
        rx.cond(PatientListState.archived, nothing_archived, nothing_found),
    )
    return clinic_page(
        "Patients",
        "Everyone this office looks after.",
        rx.vstack(
            rx.flex(search, archived, align="end", spacing="4", wrap="wrap", width="100%"),
            results,
            spacing="4",
            width="100%",
        ),
        action=_new_patient_dialog(),
    )
