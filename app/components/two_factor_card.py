"""Account → Two-factor sign-in: status, set-up with a QR code, recovery codes, turning it off."""

from __future__ import annotations

import reflex as rx

from app.components.forms import dialog_actions, field, form_error, submit_button
from app.state.two_factor import TwoFactorState as T

CARD_ID = "two-factor"


def _required_callout() -> rx.Component:
    return rx.cond(
        (T.required_by != "") & ~T.enabled,
        rx.callout(
            rx.text(
                rx.text.strong(T.required_by),
                " requires two-factor sign-in for its team. Set it up here to open the office's pages again.",
            ),
            icon="shield_alert",
            color_scheme="amber",
            width="100%",
        ),
    )


def _off() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.badge("Off", color_scheme="gray", size="2"), rx.text("Only your password is asked.", size="2")),
        rx.button(
            rx.icon("shield_check", size=16),
            "Set up two-factor sign-in",
            on_click=T.start_setup,
            loading=T.busy,
            disabled=T.busy,
        ),
        form_error(T.form_error),
        spacing="3",
        align="start",
        width="100%",
    )


def _setup() -> rx.Component:
    return rx.vstack(
        rx.el.ol(
            rx.el.li(
                rx.text(
                    "Open an authenticator app on your phone (for example Google Authenticator, Microsoft "
                    "Authenticator, 1Password or Aegis) and scan this QR code:",
                    size="2",
                ),
                rx.image(
                    src=T.setup_qr,
                    alt="QR code to add Praxis to your authenticator app",
                    width="200px",
                    height="200px",
                    margin_y="var(--space-2)",
                    background_color="white",
                ),
                rx.text("Can't scan it? Enter this key in the app instead:", size="2"),
                rx.code(
                    T.setup_key,
                    size="4",
                    variant="ghost",
                    weight="bold",
                    letter_spacing="0.05em",
                    id="two-factor-setup-key",
                    aria_label="Set-up key",
                ),
            ),
            rx.el.li(rx.text("Enter the 6-digit code the app shows, and your password, to turn it on.", size="2")),
            style={"padding_left": "1.25em", "line_height": "1.7", "list_style_type": "decimal"},
        ),
        rx.form(
            rx.vstack(
                form_error(T.form_error),
                field(
                    "6-digit code",
                    "code",
                    T.errors,
                    autocomplete="one-time-code",
                    input_mode="numeric",
                    form_id="two-factor-setup",
                ),
                field(
                    "Your password",
                    "password",
                    T.errors,
                    type="password",
                    autocomplete="current-password",
                    form_id="two-factor-setup",
                ),
                rx.hstack(
                    rx.button(
                        "Cancel", type="button", variant="soft", color_scheme="gray", size="3", on_click=T.cancel_setup
                    ),
                    submit_button("Turn on", T.busy),
                    justify="end",
                    spacing="3",
                    width="100%",
                ),
                spacing="4",
                width="100%",
            ),
            on_submit=T.confirm_setup,
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def _on() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.badge("On", color_scheme="green", size="2"),
            rx.text("Since ", T.enabled_on, ". ", T.codes_left, " of 10 recovery codes left.", size="2"),
            align="center",
            wrap="wrap",
        ),
        rx.hstack(
            rx.button(
                rx.icon("refresh_cw", size=16),
                "New recovery codes",
                variant="soft",
                on_click=T.open_proof("regenerate"),
            ),
            rx.button("Turn off", variant="soft", color_scheme="red", on_click=T.open_proof("off")),
            spacing="3",
            wrap="wrap",
        ),
        spacing="3",
        align="start",
        width="100%",
    )


def _new_codes() -> rx.Component:
    return rx.vstack(
        rx.callout(
            "Save these recovery codes somewhere safe (a password manager, or printed and locked away). "
            "Each one signs you in once if you lose your phone. They are shown only now.",
            icon="key_round",
            color_scheme="amber",
            width="100%",
        ),
        rx.el.ul(
            rx.foreach(
                T.new_codes,
                lambda code: rx.el.li(rx.code(code, size="3", variant="ghost", weight="bold")),
            ),
            aria_label="Recovery codes",
            style={
                "display": "grid",
                "grid_template_columns": "repeat(2, max-content)",
                "gap": "var(--space-2) var(--space-6)",
                "list_style": "none",
                "padding": "0",
                "margin": "0",
            },
        ),
        rx.hstack(
            rx.button(
                rx.icon("copy", size=16),
                "Copy codes",
                variant="soft",
                on_click=[rx.set_clipboard(T.codes_text), rx.toast.success("Recovery codes copied.")],
            ),
            rx.button("I have saved them", on_click=T.done_with_codes),
            spacing="3",
            wrap="wrap",
        ),
        spacing="4",
        width="100%",
    )


def _proof_dialog() -> rx.Component:
    turning_off = T.proof_action == "off"
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(turning_off, "Turn off two-factor sign-in?", "New recovery codes?")),
            rx.dialog.description(
                rx.cond(
                    turning_off,
                    "Your password alone will sign you in. An office that requires two-factor sign-in will "
                    "refuse you until you set it up again.",
                    "Your current recovery codes stop working, and ten new ones are shown once.",
                ),
                size="2",
                color_scheme="gray",
            ),
            rx.form(
                rx.vstack(
                    form_error(T.form_error),
                    field(
                        "Your password, or a 6-digit code from your app",
                        "proof",
                        T.errors,
                        type="password",
                        autocomplete="current-password",
                        form_id="two-factor-proof",
                        auto_focus=True,
                    ),
                    dialog_actions(rx.cond(turning_off, "Turn off", "Make new codes"), T.busy),
                    spacing="4",
                    width="100%",
                ),
                on_submit=T.confirm_proof,
                padding_top="var(--space-4)",
            ),
            max_width="460px",
        ),
        open=T.proof_action != "",
        on_open_change=T.set_proof_open,
    )


def two_factor_card() -> rx.Component:
    """Only for clinic accounts (patients sign in with their password)."""
    return rx.cond(
        T.available,
        rx.card(
            rx.vstack(
                rx.heading("Two-factor sign-in", size="4", as_="h2"),
                rx.text(
                    "After your password, Praxis asks for a code from an app on your phone, so a stolen "
                    "password alone cannot open patients' records.",
                    size="2",
                    color_scheme="gray",
                ),
                _required_callout(),
                rx.cond(
                    T.new_codes.length() > 0,
                    _new_codes(),
                    rx.cond(T.enabled, _on(), rx.cond(T.setup_secret != "", _setup(), _off())),
                ),
                _proof_dialog(),
                spacing="4",
                width="100%",
            ),
            id=CARD_ID,
            size="3",
            width="100%",
        ),
    )
