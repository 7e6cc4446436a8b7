"""Sign-in, sign-up, e-mail confirmation and password reset pages."""

from __future__ import annotations

import reflex as rx

from app.components.forms import field, form_error, submit_button
from app.components.layout import loading_panel, public_page
from app.components.links import link_button
from app.components.second_factor import second_factor_form
from app.components.setup_notes import mail_in_terminal_note
from app.state.auth import (
    ConfirmEmailState,
    ForgotPasswordState,
    ResetPasswordState,
    SignInState,
    SignUpState,
)

PASSWORD_HINT = "At least 12 characters. Spaces and any characters are welcome; a phrase is easy to remember."


def sign_in_page() -> rx.Component:
    return public_page(
        "Sign in to Praxis",
        "For clinic staff and patients alike.",
        rx.cond(SignInState.sign_in_step == "code", second_factor_form(SignInState, "sign-in"), _password_step()),
    )


def _password_step() -> rx.Component:
    return rx.vstack(
        rx.form(
            rx.vstack(
                form_error(SignInState.form_error),
                field("E-mail", "email", SignInState.errors, type="email", autocomplete="username", form_id="sign-in"),
                field(
                    "Password",
                    "password",
                    SignInState.errors,
                    type="password",
                    autocomplete="current-password",
                    form_id="sign-in",
                ),
                submit_button("Sign in", SignInState.busy, width="100%"),
                spacing="4",
            ),
            on_submit=SignInState.sign_in,
        ),
        rx.flex(
            rx.link("Forgot your password?", href="/forgot-password", size="2"),
            rx.link("Create an account", href=SignInState.sign_up_href, size="2"),
            justify="between",
            wrap="wrap",
            spacing="2",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def _kind_choice() -> rx.Component:
    def option(value: str, title: str, description: str, icon: str) -> rx.Component:
        return rx.radio_cards.item(
            rx.hstack(
                rx.icon(icon, size=20),
                rx.vstack(
                    rx.text(title, weight="bold", size="2"),
                    rx.text(description, size="1", color_scheme="gray"),
                    spacing="0",
                ),
                align="center",
                spacing="3",
            ),
            value=value,
        )

    return rx.flex(
        rx.text("I am a…", size="2", weight="medium", id="sign-up-kind-label"),
        rx.radio_cards.root(
            option("practitioner", "Practitioner", "Clinicians and clinic staff", "stethoscope"),
            option("patient", "Patient", "Book visits, see my records", "heart_pulse"),
            name="kind",
            value=SignUpState.kind,
            on_value_change=SignUpState.choose_kind,
            columns="2",
            spacing="3",
            aria_labelledby="sign-up-kind-label",
        ),
        rx.text(
            "Front-desk staff choose Practitioner too: your clinic's invitation makes you staff.",
            size="1",
            color_scheme="gray",
        ),
        direction="column",
        spacing="2",
    )


def sign_up_page() -> rx.Component:
    check_inbox = rx.vstack(
        rx.callout(
            rx.text(
                "We sent a confirmation link to ",
                rx.text.strong(SignUpState.sent_to),
                ". Open it to finish creating your account; it works for 24 hours.",
            ),
            icon="mail_check",
            color_scheme="green",
        ),
        mail_in_terminal_note(SignUpState.mail_in_terminal),
        rx.text(
            "Nothing arrived after a few minutes? Check your spam folder, or ",
            rx.link("sign in", href="/sign-in"),
            " if you already have an account.",
            size="2",
            color_scheme="gray",
        ),
        spacing="3",
    )
    form = rx.form(
        rx.vstack(
            form_error(SignUpState.form_error),
            _kind_choice(),
            field("Full name", "full_name", SignUpState.errors, autocomplete="name", form_id="sign-up"),
            field("E-mail", "email", SignUpState.errors, type="email", autocomplete="email", form_id="sign-up"),
            field(
                "Password",
                "password",
                SignUpState.errors,
                type="password",
                autocomplete="new-password",
                hint=PASSWORD_HINT,
                form_id="sign-up",
            ),
            submit_button("Create account", SignUpState.busy, width="100%"),
            rx.text("Already have an account? ", rx.link("Sign in", href="/sign-in"), size="2"),
            spacing="4",
        ),
        on_submit=SignUpState.sign_up,
    )
    return public_page(
        rx.cond(SignUpState.sent_to != "", "Check your inbox", "Create your Praxis account"),
        "",
        rx.cond(SignUpState.sent_to != "", check_inbox, form),
    )


def confirm_email_page() -> rx.Component:
    return public_page(
        "Confirming your e-mail",
        "",
        rx.cond(
            ConfirmEmailState.form_error != "",
            rx.vstack(
                form_error(ConfirmEmailState.form_error),
                rx.hstack(
                    rx.link("Sign up again", href="/sign-up"), rx.text("or"), rx.link("sign in", href="/sign-in")
                ),
                spacing="3",
            ),
            loading_panel(),
        ),
    )


def forgot_password_page() -> rx.Component:
    sent = rx.vstack(
        rx.callout(
            rx.text(
                "If an account exists for ",
                rx.text.strong(ForgotPasswordState.sent_to),
                ", we sent it a link to choose a new password. The link works once, for one hour.",
            ),
            icon="mail_check",
            color_scheme="green",
        ),
        mail_in_terminal_note(ForgotPasswordState.mail_in_terminal),
        rx.link("Back to sign in", href="/sign-in", size="2"),
        spacing="3",
    )
    form = rx.form(
        rx.vstack(
            form_error(ForgotPasswordState.form_error),
            field("E-mail", "email", ForgotPasswordState.errors, type="email", autocomplete="email", form_id="forgot"),
            submit_button("Send reset link", ForgotPasswordState.busy, width="100%"),
            rx.link("Back to sign in", href="/sign-in", size="2"),
            spacing="4",
        ),
        on_submit=ForgotPasswordState.request_link,
    )
    return public_page(
        "Reset your password",
        "We'll e-mail you a link to choose a new one.",
        rx.cond(ForgotPasswordState.sent_to != "", sent, form),
    )


def reset_password_page() -> rx.Component:
    done = rx.vstack(
        rx.callout(
            "Your password is changed. You were signed out everywhere.", icon="circle_check", color_scheme="green"
        ),
        link_button("Sign in", "/sign-in", size="3", width="100%"),
        spacing="3",
    )
    form = rx.form(
        rx.vstack(
            form_error(ResetPasswordState.form_error),
            field(
                "New password",
                "password",
                ResetPasswordState.errors,
                type="password",
                autocomplete="new-password",
                hint=PASSWORD_HINT,
                form_id="reset",
            ),
            field(
                "New password again",
                "password_again",
                ResetPasswordState.errors,
                type="password",
                autocomplete="new-password",
                form_id="reset",
            ),
            submit_button("Set new password", ResetPasswordState.busy, width="100%"),
            spacing="4",
        ),
        on_submit=ResetPasswordState.reset_password,
    )
    return public_page("Choose a new password", "", rx.cond(ResetPasswordState.done, done, form))
