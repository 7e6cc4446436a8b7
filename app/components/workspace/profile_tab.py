"""Profile: the official record, portal proposals to accept field by field, merging an online record."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from app.components.forms import form_error, submit_button
from app.components.patient_form import patient_fields
from app.state.patient_workspace import PatientWorkspaceState as W


def _proposal_row(proposal: ObjectVar[dict[str, str]]) -> rx.Component:
    label = proposal["label"].to(str)
    return rx.table.row(
        rx.table.row_header_cell(proposal["label"]),
        rx.table.cell(proposal["official"]),
        rx.table.cell(rx.text(proposal["proposed"], weight="medium")),
        rx.table.cell(
            rx.hstack(
                rx.button("Accept", size="1", on_click=W.accept_proposal(proposal["id"]), aria_label="Accept " + label),
                rx.button(
                    "Dismiss",
                    size="1",
                    variant="soft",
                    color_scheme="gray",
                    on_click=W.dismiss_proposal(proposal["id"]),
                    aria_label="Dismiss " + label,
                ),
                spacing="2",
            )
        ),
    )


def _proposals() -> rx.Component:
    header = rx.table.header(
        rx.table.row(
            rx.table.column_header_cell("Field"),
            rx.table.column_header_cell("Official"),
            rx.table.column_header_cell("Proposed by the patient"),
            rx.table.column_header_cell(rx.text("Decision", class_name="sr-only")),
        )
    )
    return rx.cond(
        W.proposals.length() > 0,
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
                rx.table.root(header, rx.table.body(rx.foreach(W.proposals, _proposal_row)), width="100%"),
                spacing="3",
                width="100%",
            ),
            size="3",
            width="100%",
            aria_label="Changes proposed in the portal",
        ),
    )


def _merge_panel() -> rx.Component:
    return rx.cond(
        W.new_online_client & W.may_edit,
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
                    on_change=W.find_merge_target.debounce(250),
                    width="100%",
                ),
                rx.foreach(
                    W.merge_matches,
                    lambda m: rx.button(
                        "Merge into ", m["name"], variant="soft", size="1", on_click=W.merge_into(m["id"])
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


def profile_tab() -> rx.Component:
    form = rx.form(
        rx.vstack(
            rx.heading("Official record", size="3", as_="h3"),
            form_error(W.form_error),
            patient_fields(W.errors, W.patient, "patient"),
            rx.cond(
                W.may_edit,
                rx.hstack(submit_button("Save changes", W.busy), justify="end", width="100%"),
            ),
            spacing="4",
        ),
        on_submit=W.save_profile,
        # Re-mount the form when the record changes so the fields show the new values.
        key=W.patient.to_string(),
    )
    return rx.vstack(
        _merge_panel(),
        _proposals(),
        rx.card(form, size="3", width="100%"),
        spacing="4",
        width="100%",
    )
