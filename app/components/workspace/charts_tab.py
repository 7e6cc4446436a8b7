"""Charts: the record's charts the reader may read, newest visit first, and *New chart*
(loaded when the tab opens; the tab shows only for practitioners and the owner)."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from app.components.empty_state import empty_state
from app.components.layout import loading_panel
from app.components.tables import data_table
from app.state.patient_workspace import PatientWorkspaceState as W
from app.state.workspace_tabs import WorkspaceChartsState as C


def status_badges(row: ObjectVar[dict[str, str]]) -> rx.Component:
    """Draft or Locked in words (with an icon), and Shared when a share covers the chart."""
    locked = row["status"] == "locked"
    return rx.hstack(
        rx.badge(
            rx.icon(rx.cond(locked, "lock", "pencil"), size=12),
            row["status_words"],
            variant="soft",
            color_scheme=rx.cond(locked, "gray", "amber"),
        ),
        rx.cond(row["shared"] == "true", rx.badge(rx.icon("share_2", size=12), "Shared", variant="outline")),
        spacing="1",
        wrap="wrap",
    )


def _row(c: ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(c["visit_label"], href=c["href"], weight="medium")),
        rx.table.cell(c["author"]),
        rx.table.cell(status_badges(c)),
    )


def new_chart_button() -> rx.Component:
    return rx.cond(
        W.may_write_charts,
        rx.button(
            rx.icon("file_plus", size=16),
            "New chart",
            on_click=C.new_chart,
            loading=C.starting,
            disabled=C.starting | (W.archived_on != ""),
        ),
    )


def charts_tab() -> rx.Component:
    table = data_table(
        ["Visit", "Written by", "Status"],
        C.rows,
        _row,
        empty_state(
            "clipboard_list",
            "No charts yet",
            rx.cond(
                W.may_write_charts,
                "Start one with New chart: a SOAP note of the visit, with the treatment plan the patient sees "
                "in their portal.",
                "Charts written for this patient, or shared with you, are listed here.",
            ),
        ),
        variant="surface",
    )
    return rx.vstack(
        rx.flex(
            rx.text(
                "A chart is private to its author and the office owner until its author shares it.",
                size="2",
                color_scheme="gray",
            ),
            rx.spacer(),
            new_chart_button(),
            align="center",
            spacing="3",
            wrap="wrap",
            width="100%",
        ),
        rx.cond(C.loading_tab & (C.rows.length() == 0), loading_panel(), table),
        spacing="4",
        width="100%",
    )
