"""Appointments: every appointment of the record, newest first (loaded when the tab opens)."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from app.components.empty_state import empty_state
from app.components.layout import loading_panel
from app.components.tables import data_table
from app.state.workspace_tabs import WorkspaceAppointmentsState as A


def _row(a: ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(a["when"]),
        rx.table.cell(a["service"]),
        rx.table.cell(a["practitioner"]),
        rx.table.cell(
            rx.hstack(
                rx.badge(
                    a["status_label"], variant="soft", color_scheme=rx.cond(a["status"] == "cancelled", "gray", "teal")
                ),
                rx.cond(a["online"] == "true", rx.badge("Booked online", variant="outline")),
                spacing="1",
            )
        ),
    )


def appointments_tab() -> rx.Component:
    table = data_table(
        ["When", "Service", "Practitioner", "Status"],
        A.appointments,
        _row,
        empty_state(
            "calendar",
            "No appointments yet",
            "Appointments booked for this patient, by staff or online, are listed here.",
        ),
        variant="surface",
    )
    return rx.cond(A.loading_tab & (A.appointments.length() == 0), loading_panel(), table)
