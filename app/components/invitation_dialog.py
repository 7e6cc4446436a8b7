"""The dialog that asks the signed-in person to approve or decline an office invitation.

It appears on an open page without a reload: the server has the tab re-check when an invitation
to its account's address is made (InvitationState.heartbeat, app/live/)."""

from __future__ import annotations

import reflex as rx

from app.state.invitations import InvitationState


def invitation_dialog() -> rx.Component:
    invitation = InvitationState.current
    patient_note = rx.cond(
        InvitationState.patient_account,
        rx.callout(
            "You're signed in with a patient portal account, and patient accounts can't join an office's "
            "team. Ask the office to invite the address of your practitioner or staff account, then decline "
            "this one.",
            icon="info",
            color_scheme="amber",
        ),
    )
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Invitation to join ", invitation["office_name"]),
            rx.dialog.description(
                rx.text.strong(invitation["inviter_name"]),
                " invites you to join ",
                rx.text.strong(invitation["office_name"]),
                " as ",
                invitation["role_words"],
                ".",
            ),
            rx.vstack(
                patient_note,
                rx.cond(
                    InvitationState.answer_error != "",
                    rx.callout(InvitationState.answer_error, icon="circle_alert", color_scheme="red", role="alert"),
                ),
                rx.flex(
                    rx.button(
                        "Decline",
                        variant="soft",
                        color_scheme="gray",
                        disabled=InvitationState.answering,
                        on_click=InvitationState.decline(invitation["id"]),
                    ),
                    # A patient account can only decline: Approve would only be refused (services/team).
                    rx.cond(
                        InvitationState.patient_account,
                        rx.fragment(),
                        rx.button(
                            "Approve",
                            loading=InvitationState.answering,
                            on_click=InvitationState.approve(invitation["id"]),
                        ),
                    ),
                    justify="end",
                    spacing="3",
                    width="100%",
                ),
                spacing="4",
                margin_top="var(--space-4)",
            ),
            max_width="460px",
        ),
        open=InvitationState.dialog_open,
        on_open_change=InvitationState.put_off,
    )
