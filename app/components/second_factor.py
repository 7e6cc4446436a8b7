"""The second step of a sign-in: a code from the authenticator app, or a recovery code."""

from __future__ import annotations

import reflex as rx

from app.components.forms import field, form_error, submit_button


def second_factor_form(state: type, form_id: str, *, show_form_error: bool = True) -> rx.Component:
    """For a state with SecondFactorMixin (state/second_factor.py)."""
    app_code = field(
        "6-digit code",
        "code",
        state.errors,
        autocomplete="one-time-code",
        input_mode="numeric",
        hint="From your authenticator app. A new code appears every 30 seconds.",
        form_id=f"{form_id}-code",
        auto_focus=True,
    )
    recovery_code = field(
        "Recovery code",
        "code",
        state.errors,
        hint="One of the ten codes you saved when you set up two-factor sign-in. Each works once.",
        form_id=f"{form_id}-recovery",
        auto_focus=True,
    )
    return rx.form(
        rx.vstack(
            rx.heading("Two-factor sign-in", size="4", as_="h2"),
            rx.text(
                rx.cond(
                    state.use_recovery_code,
                    "Enter one of your recovery codes.",
                    "Enter the 6-digit code from your authenticator app.",
                ),
                size="2",
            ),
            form_error(state.form_error) if show_form_error else rx.fragment(),
            rx.cond(state.use_recovery_code, recovery_code, app_code),
            submit_button("Verify", state.busy, width="100%"),
            rx.flex(
                rx.button(
                    rx.cond(state.use_recovery_code, "Use a code from your app instead", "Use a recovery code instead"),
                    type="button",
                    variant="ghost",
                    size="2",
                    on_click=state.toggle_recovery_code,
                ),
                rx.button(
                    "Start over",
                    type="button",
                    variant="ghost",
                    color_scheme="gray",
                    size="2",
                    on_click=state.start_over,
                ),
                justify="between",
                wrap="wrap",
                spacing="2",
                width="100%",
            ),
            spacing="4",
            width="100%",
        ),
        on_submit=state.verify_code,
        width="100%",
    )
