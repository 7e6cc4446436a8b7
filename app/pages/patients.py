"""Clinic: the patient list and the client workspace."""

from __future__ import annotations

import reflex as rx

from app.components.access_code_dialog import access_code_dialog
from app.components.empty_state import empty_state
from app.components.forms import dialog_actions, form_error, submit_button
from app.components.layout import clinic_page
from app.components.patient_form import patient_fields
from app.components.tables import data_table
from app.state.patients import PatientListState, PatientWorkspaceState

# ---- patient list -----------------------------------------------------------------


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


def _patient_row(row: rx.Var) -> rx.Component:
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
            on_click=PatientListState.go_to_page(PatientListState.page - 1),
        ),
        rx.button(
            "Next",
            rx.icon("chevron_right", size=16),
            variant="soft",
            color_scheme="gray",
            disabled=PatientListState.page >= PatientListState.pages,
            on_click=PatientListState.go_to_page(PatientListState.page + 1),
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
    results = rx.cond(
        PatientListState.total > 0,
        rx.vstack(table, _pagination(), spacing="3", width="100%"),
        rx.cond(
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
        ),
    )
    return clinic_page(
        "Patients",
        "Everyone this office looks after.",
        rx.vstack(search, results, spacing="4", width="100%"),
        action=_new_patient_dialog(),
    )


# ---- client workspace ----------------------------------------------------------------


def _proposal_row(proposal: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(proposal["label"]),
        rx.table.cell(proposal["official"]),
        rx.table.cell(rx.text(proposal["proposed"], weight="medium")),
        rx.table.cell(
            rx.hstack(
                rx.button(
                    "Accept",
                    size="1",
                    on_click=PatientWorkspaceState.accept_proposal(proposal["id"]),
                    aria_label="Accept " + proposal["label"].to(str),
                ),
                rx.button(
                    "Dismiss",
                    size="1",
                    variant="soft",
                    color_scheme="gray",
                    on_click=PatientWorkspaceState.dismiss_proposal(proposal["id"]),
                    aria_label="Dismiss " + proposal["label"].to(str),
                ),
                spacing="2",
            )
        ),
    )


def _proposals() -> rx.Component:
    return rx.cond(
        PatientWorkspaceState.proposals.length() > 0,
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.icon("user_pen", size=18, color=rx.color("amber", 10)),
                    rx.heading("Changes proposed in the portal", size="3", as_="h3"),
                    align="center",
                ),
                rx.text(
                    "The official record stays as it is until you accept a change, field by field.",
                    size="2",
                    color_scheme="gray",
                ),
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell("Field"),
                            rx.table.column_header_cell("Official"),
                            rx.table.column_header_cell("Proposed by the patient"),
                            rx.table.column_header_cell(rx.text("Decision", class_name="sr-only")),
                        )
                    ),
                    rx.table.body(rx.foreach(PatientWorkspaceState.proposals, _proposal_row)),
                    width="100%",
                ),
                spacing="3",
                width="100%",
            ),
            size="3",
            width="100%",
            aria_label="Changes proposed in the portal",
        ),
    )


def _profile_tab() -> rx.Component:
    return rx.vstack(
        _merge_panel(),
        _proposals(),
        rx.card(
            rx.form(
                rx.vstack(
                    rx.heading("Official record", size="3", as_="h3"),
                    form_error(PatientWorkspaceState.form_error),
                    patient_fields(PatientWorkspaceState.errors, PatientWorkspaceState.patient, "patient"),
                    rx.hstack(submit_button("Save changes", PatientWorkspaceState.busy), justify="end", width="100%"),
                    spacing="4",
                ),
                on_submit=PatientWorkspaceState.save_profile,
                # Re-mount the form when the record changes so the fields show the new values.
                key=PatientWorkspaceState.patient.to_string(),
            ),
            size="3",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def _holder_row(holder: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(holder["name"]),
        rx.table.cell(holder["email"]),
        rx.table.cell(holder["since"]),
        rx.table.cell(
            rx.button(
                "Revoke Access",
                size="1",
                variant="soft",
                color_scheme="red",
                on_click=PatientWorkspaceState.revoke_access(holder["id"]),
                aria_label="Revoke Access for " + holder["email"].to(str),
            )
        ),
    )


def _code_row(code: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(code["created"]),
        rx.table.cell(code["expires"]),
        rx.table.cell(
            rx.button(
                "Revoke",
                size="1",
                variant="soft",
                color_scheme="gray",
                on_click=PatientWorkspaceState.revoke_code(code["id"]),
                aria_label="Revoke code created " + code["created"].to(str),
            )
        ),
    )


def _portal_access_tab() -> rx.Component:
    holders = data_table(
        ["Portal account", "E-mail", "Since", ""],
        PatientWorkspaceState.holders,
        _holder_row,
        "No portal account holds this record yet.",
    )
    codes = data_table(["Created", "Expires", ""], PatientWorkspaceState.codes, _code_row, "No unused codes.")
    return rx.vstack(
        rx.card(
            rx.flex(
                rx.vstack(
                    rx.heading("Medical Records Access Code", size="3", as_="h3"),
                    rx.text(
                        "Give the patient a code to unlock this record in their portal. One code, one "
                        "account, within 5 days. Codes are never sent automatically.",
                        size="2",
                        color_scheme="gray",
                    ),
                    spacing="1",
                ),
                rx.spacer(),
                rx.button(
                    rx.icon("key_round", size=16),
                    "Generate access code",
                    size="3",
                    loading=PatientWorkspaceState.generating,
                    on_click=PatientWorkspaceState.generate_code,
                ),
                align="center",
                spacing="4",
                wrap="wrap",
            ),
            size="3",
            width="100%",
        ),
        rx.card(
            rx.vstack(rx.heading("Portal accounts with access", size="3", as_="h3"), holders, spacing="3"),
            size="3",
            width="100%",
        ),
        rx.card(rx.vstack(rx.heading("Unused codes", size="3", as_="h3"), codes, spacing="3"), size="3", width="100%"),
        access_code_dialog(),
        spacing="4",
        width="100%",
    )


def _appointment_row(a: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(a["when"]),
        rx.table.cell(a["service"]),
        rx.table.cell(a["practitioner"]),
        rx.table.cell(
            rx.hstack(
                rx.badge(a["status"], variant="soft", color_scheme=rx.cond(a["status"] == "cancelled", "gray", "teal")),
                rx.cond(a["online"] == "true", rx.badge("online", variant="outline")),
                spacing="1",
            )
        ),
    )


def _appointments_tab() -> rx.Component:
    return data_table(
        ["When", "Service", "Practitioner", "Status"],
        PatientWorkspaceState.appointments,
        _appointment_row,
        empty_state(
            "calendar",
            "No appointments yet",
            "Appointments booked for this patient, by staff or online, are listed here.",
        ),
        variant="surface",
    )


def _merge_panel() -> rx.Component:
    return rx.cond(
        PatientWorkspaceState.new_online_client,
        rx.callout(
            rx.vstack(
                rx.text(
                    rx.text.strong("New online client. "),
                    "This record was created by an online booking. If the person is already your patient, "
                    "merge it into their record: appointments and portal access move with it.",
                ),
                rx.input(
                    placeholder="Find the existing patient",
                    aria_label="Merge into existing patient",
                    on_change=PatientWorkspaceState.find_merge_target.debounce(250),
                    width="100%",
                ),
                rx.foreach(
                    PatientWorkspaceState.merge_matches,
                    lambda m: rx.button(
                        "Merge into ",
                        m["name"],
                        variant="soft",
                        size="1",
                        on_click=PatientWorkspaceState.merge_into(m["id"]),
                    ),
                ),
                spacing="2",
                width="100%",
            ),
            icon="user_plus",
            color_scheme="blue",
            width="100%",
        ),
    )


def _later(icon: str, title: str, text: str) -> rx.Component:
    return empty_state(icon, title, text)


def patient_workspace_page() -> rx.Component:
    tabs = rx.tabs.root(
        rx.tabs.list(
            rx.tabs.trigger("Profile", value="profile"),
            rx.tabs.trigger("Appointments", value="appointments"),
            rx.tabs.trigger("Charts", value="charts"),
            rx.tabs.trigger("Forms", value="forms"),
            rx.tabs.trigger("Documents", value="documents"),
            rx.tabs.trigger("Patient Portal Access", value="portal"),
        ),
        rx.tabs.content(rx.box(_profile_tab(), padding_top="var(--space-4)"), value="profile"),
        rx.tabs.content(rx.box(_appointments_tab(), padding_top="var(--space-4)"), value="appointments"),
        rx.tabs.content(
            rx.box(
                _later("file_text", "No charts yet", "SOAP charts and treatment plans for this patient appear here."),
                padding_top="var(--space-4)",
            ),
            value="charts",
        ),
        rx.tabs.content(
            rx.box(
                _later(
                    "clipboard_list",
                    "No forms yet",
                    "Intake forms and questionnaires assigned to this patient appear here.",
                ),
                padding_top="var(--space-4)",
            ),
            value="forms",
        ),
        rx.tabs.content(
            rx.box(
                _later(
                    "folder_open", "No documents yet", "Documents uploaded to this patient's workspace appear here."
                ),
                padding_top="var(--space-4)",
            ),
            value="documents",
        ),
        rx.tabs.content(rx.box(_portal_access_tab(), padding_top="var(--space-4)"), value="portal"),
        default_value="profile",
        width="100%",
    )
    subtitle = rx.cond(
        PatientWorkspaceState.patient.get("date_of_birth", "") != "",
        "Born " + PatientWorkspaceState.patient.get("date_of_birth", "").to(str),
        "Client workspace",
    )
    return clinic_page(
        PatientWorkspaceState.patient_name,  # type: ignore[arg-type]
        subtitle,  # type: ignore[arg-type]
        rx.vstack(
            rx.link(
                rx.hstack(rx.icon("arrow_left", size=14), rx.text("All patients"), align="center", spacing="1"),
                href="/clinic/patients",
                size="2",
            ),
            tabs,
            spacing="3",
            width="100%",
        ),
    )
