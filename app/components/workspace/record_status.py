"""Whether the record is archived, and the way to archive or restore it."""

from __future__ import annotations

import reflex as rx

from app.state.patient_workspace import PatientWorkspaceState as W


def _archive_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(rx.icon("archive", size=16), "Archive record", variant="soft", color_scheme="gray")
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title("Archive ", W.patient_name, "'s record?"),
            rx.alert_dialog.description(
                "It leaves the patient list, the booking pickers and online booking. Nothing is deleted: "
                "its history stays, and you can restore it at any time.",
                size="2",
            ),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.button("Archive", color_scheme="red", loading=W.archiving, on_click=W.archive),
                justify="end",
                spacing="3",
                margin_top="var(--space-4)",
            ),
        ),
        open=W.confirming_archive,
        on_open_change=W.set_confirming_archive,
    )


def archive_action() -> rx.Component:
    """The page's action for those who may edit an active record."""
    return rx.cond(W.may_edit & (W.archived_on == ""), _archive_dialog())


def archived_notice() -> rx.Component:
    """An archived record says so, with Restore for those who may."""
    return rx.cond(
        W.archived_on != "",
        rx.callout(
            rx.flex(
                rx.text(
                    rx.text.strong("Archived"),
                    " since ",
                    W.archived_on,
                    ". Hidden from the patient list, the booking pickers and online booking.",
                ),
                rx.spacer(),
                rx.cond(W.may_edit, rx.button("Restore record", size="2", on_click=W.restore)),
                align="center",
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            icon="archive",
            color_scheme="gray",
            width="100%",
        ),
    )
