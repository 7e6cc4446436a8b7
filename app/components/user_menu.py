"""The user menu (initials, top right): Share PIN, Account, Sign out."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventType

from app.state.account import SharePinState
from app.state.session import SessionState

RENEWAL_EXPLAINED = (
    "A new PIN replaces this one at once: the old PIN stops working, so nobody can add you with it any "
    "more. Practitioners who already added you keep you on their sharing lists."
)


def share_pin_renewal(
    confirming: rx.Var, busy: rx.Var, ask: EventType[()], cancel: EventType[()], renew: EventType[()], explained: str
) -> rx.Component:
    """ "Make a new PIN", which first says what it changes (the Share PIN dialog, the office's card)."""
    return rx.cond(
        confirming,
        rx.callout.root(
            rx.callout.icon(rx.icon("refresh_cw", size=16)),
            rx.vstack(
                rx.callout.text(explained),
                rx.hstack(
                    rx.button("Keep this PIN", variant="soft", color_scheme="gray", size="2", on_click=cancel),
                    rx.button("Make the new PIN", size="2", loading=busy, on_click=renew),
                    spacing="2",
                    wrap="wrap",
                ),
                spacing="3",
            ),
            color_scheme="amber",
            width="100%",
        ),
        rx.button(rx.icon("refresh_cw", size=16), "Make a new PIN", variant="soft", color_scheme="gray", on_click=ask),
    )


def share_pin_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Your Practitioner Share PIN"),
            rx.dialog.description(
                "Give this PIN to a practitioner you want to share with. They enter it to add you to their "
                "sharing list. Nothing is shared until you choose to share it.",
                size="2",
                color_scheme="gray",
            ),
            rx.center(
                rx.code(SharePinState.share_pin, size="8", variant="ghost", weight="bold", letter_spacing="0.1em"),
                padding_y="var(--space-5)",
            ),
            rx.flex(
                share_pin_renewal(
                    SharePinState.confirming_renewal,
                    SharePinState.renewing,
                    SharePinState.set_confirming_renewal(True),
                    SharePinState.set_confirming_renewal(False),
                    SharePinState.renew,
                    RENEWAL_EXPLAINED,
                ),
                rx.spacer(),
                rx.button(
                    rx.icon("copy", size=16),
                    "Copy",
                    variant="soft",
                    on_click=[rx.set_clipboard(SharePinState.share_pin), rx.toast.success("PIN copied.")],
                ),
                rx.dialog.close(rx.button("Close")),
                justify="end",
                align="start",
                spacing="3",
                wrap="wrap",
            ),
            max_width="460px",
        ),
        open=SharePinState.dialog_open,
        on_open_change=SharePinState.set_dialog_open,
    )


def user_menu() -> rx.Component:
    is_clinic = SessionState.clinic_account
    return rx.fragment(
        rx.dropdown_menu.root(
            rx.dropdown_menu.trigger(
                rx.button(
                    rx.avatar(fallback=SessionState.user_initials, size="2", radius="full"),
                    variant="ghost",
                    radius="full",
                    aria_label=SessionState.user_initials + ", account menu",  # starts with what it shows
                    padding="0",
                ),
            ),
            rx.dropdown_menu.content(
                rx.box(
                    rx.text(SessionState.user_name, weight="medium", size="2"),
                    rx.text(SessionState.user_email, color_scheme="gray", size="1"),
                    padding_x="var(--space-2)",
                    padding_y="var(--space-1)",
                ),
                rx.dropdown_menu.separator(),
                rx.cond(
                    is_clinic,
                    rx.dropdown_menu.item(
                        rx.icon("key_round", size=16), "View Share PIN", on_select=SharePinState.open_dialog
                    ),
                ),
                rx.dropdown_menu.item(rx.icon("user", size=16), "Account", on_select=rx.redirect("/account")),
                rx.dropdown_menu.separator(),
                rx.dropdown_menu.item(rx.icon("log_out", size=16), "Sign out", on_select=SessionState.sign_out),
                align="end",
            ),
            modal=False,  # a menu is not a dialog: the page is not hidden from screen readers while it is open
        ),
        share_pin_dialog(),
    )
