"""Patient Portal Access: access codes, the portal accounts that hold the record (loaded when the tab opens)."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from app.components.access_code_dialog import access_code_dialog
from app.components.tables import data_table
from app.components.workspace.portal_invite_dialog import portal_invite_dialog
from app.state.workspace_tabs import WorkspaceAccessState as P


def _holder_row(holder: ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(holder["name"]),
        rx.table.cell(holder["email"]),
        rx.table.cell(holder["since"]),
        rx.table.cell(_revoke_access(holder)),
    )


def _revoke_access(holder: ObjectVar[dict[str, str]]) -> rx.Component:
    """Taking a record out of someone's portal is asked once more: it cannot be undone from here."""
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(
                "Revoke Access",
                size="1",
                variant="soft",
                color_scheme="red",
                aria_label="Revoke Access for " + holder["email"].to(str),
            )
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title("Revoke access for " + holder["name"].to(str) + "?"),
            rx.alert_dialog.description(
                "This record leaves the portal account of " + holder["email"].to(str) + " at once. The account "
                "itself stays; to give the record back, make a new code or invitation.",
                size="2",
            ),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Keep access", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button("Revoke Access", color_scheme="red", on_click=P.revoke_access(holder["id"]))
                ),
                spacing="3",
                justify="end",
                margin_top="var(--space-4)",
            ),
            max_width="460px",
        ),
    )


def _code_row(code: ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(code["created"]),
        rx.table.cell(code["expires"]),
        rx.table.cell(
            rx.button(
                "Revoke",
                size="1",
                variant="soft",
                color_scheme="gray",
                on_click=P.revoke_code(code["id"]),
                aria_label="Revoke code created " + code["created"].to(str),
            )
        ),
    )


def _generate_card() -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.heading("Medical Records Access Code", size="3", as_="h3"),
                rx.text(
                    "Give the patient a code to unlock this record in their portal. One code, one "
                    "account, within 5 days. Hand it over in person, or invite by e-mail with a link.",
                    size="2",
                    color_scheme="gray",
                ),
                spacing="1",
            ),
            rx.spacer(),
            rx.flex(
                rx.button(
                    rx.icon("mail", size=16),
                    "Invite by e-mail",
                    size="3",
                    variant="soft",
                    on_click=P.open_invite,
                ),
                rx.button(
                    rx.icon("key_round", size=16),
                    "Generate access code",
                    size="3",
                    loading=P.generating,
                    on_click=P.generate_code,
                ),
                spacing="3",
                wrap="wrap",
            ),
            align="center",
            spacing="4",
            wrap="wrap",
        ),
        size="3",
        width="100%",
    )


def portal_access_tab() -> rx.Component:
    holders = data_table(
        ["Portal account", "E-mail", "Since", ""], P.holders, _holder_row, "No portal account holds this record yet."
    )
    codes = data_table(["Created", "Expires", ""], P.codes, _code_row, "No unused codes.")
    return rx.vstack(
        _generate_card(),
        rx.card(
            rx.vstack(rx.heading("Portal accounts with access", size="3", as_="h3"), holders, spacing="3"),
            size="3",
            width="100%",
        ),
        rx.card(rx.vstack(rx.heading("Unused codes", size="3", as_="h3"), codes, spacing="3"), size="3", width="100%"),
        access_code_dialog(),
        portal_invite_dialog(),
        spacing="4",
        width="100%",
    )
