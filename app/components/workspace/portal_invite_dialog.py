"""Invite by e-mail: a single-use link to the portal for this record (services/portal_invitations.py)."""

from __future__ import annotations

import reflex as rx

from app.components.forms import field, form_error, submit_button
from app.state.workspace_tabs import WorkspaceAccessState as P


def portal_invite_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Invite to the patient portal"),
            rx.dialog.description(
                "We e-mail a link that works once, within 5 days. Whoever opens it signs in or creates a "
                "portal account, and this record is added to it. It is listed with the unused codes until "
                "then, and you can revoke it there.",
                size="2",
                color_scheme="gray",
            ),
            rx.form(
                rx.vstack(
                    form_error(P.form_error),
                    field(
                        "E-mail address",
                        "invite_email",
                        P.errors,
                        type="email",
                        autocomplete="off",
                        default_value=P.record_email,
                        form_id="portal-invite",
                        auto_focus=True,
                    ),
                    rx.flex(
                        rx.dialog.close(rx.button("Cancel", type="button", variant="soft", color_scheme="gray")),
                        submit_button("Send invitation", P.busy),
                        spacing="3",
                        justify="end",
                        width="100%",
                    ),
                    spacing="4",
                    margin_top="var(--space-3)",
                ),
                on_submit=P.invite,
                reset_on_submit=False,
            ),
            max_width="480px",
        ),
        open=P.invite_open,
        on_open_change=P.set_invite_open,
    )
