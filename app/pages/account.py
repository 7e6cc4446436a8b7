"""The account page: who you are, changing your password, and two-factor sign-in (clinic accounts)."""

from __future__ import annotations

import reflex as rx

from app.components.brand import brand
from app.components.forms import field, form_error, submit_button
from app.components.layout import loading_panel, main_landmark, skip_link
from app.components.two_factor_card import two_factor_card
from app.components.user_menu import user_menu
from app.pages.auth import PASSWORD_HINT
from app.state.account import AccountState
from app.state.session import SessionState


def _kind_card() -> rx.Component:
    """Changing the account type, offered only while the account belongs to no office and holds nothing."""
    other = rx.cond(SessionState.patient_account, "practitioner", "patient")
    return rx.card(
        rx.vstack(
            rx.heading("Account type", size="4", as_="h2"),
            rx.text(
                "Chose the wrong type at sign-up? While this account belongs to no office and holds no records, "
                "you can change it.",
                size="2",
                color_scheme="gray",
            ),
            rx.button(
                rx.cond(
                    SessionState.patient_account, "Make this a practitioner account", "Make this a patient account"
                ),
                variant="soft",
                loading=AccountState.busy,
                on_click=AccountState.switch_kind(other),
            ),
            form_error(AccountState.form_error),
            spacing="3",
            align="start",
        ),
        size="3",
        width="100%",
    )


def account_page() -> rx.Component:
    home = rx.cond(SessionState.patient_account, "/portal", "/clinic")
    body = rx.vstack(
        rx.link(rx.hstack(rx.icon("arrow_left", size=16), rx.text("Back")), href=home, size="2"),
        rx.heading("Account", size="7", as_="h1"),
        rx.card(
            rx.data_list.root(
                rx.data_list.item(rx.data_list.label("Name"), rx.data_list.value(AccountState.user_name)),
                rx.data_list.item(rx.data_list.label("E-mail"), rx.data_list.value(AccountState.user_email)),
                rx.data_list.item(rx.data_list.label("Account type"), rx.data_list.value(AccountState.user_kind)),
            ),
            size="3",
            width="100%",
        ),
        rx.card(
            rx.form(
                rx.vstack(
                    rx.heading("Change password", size="4", as_="h2"),
                    rx.text("Your other devices are signed out when you change it.", size="2", color_scheme="gray"),
                    form_error(AccountState.form_error),
                    field(
                        "Current password",
                        "current_password",
                        AccountState.errors,
                        type="password",
                        autocomplete="current-password",
                        form_id="account",
                    ),
                    field(
                        "New password",
                        "new_password",
                        AccountState.errors,
                        type="password",
                        autocomplete="new-password",
                        hint=PASSWORD_HINT,
                        form_id="account",
                    ),
                    field(
                        "New password again",
                        "new_password_again",
                        AccountState.errors,
                        type="password",
                        autocomplete="new-password",
                        form_id="account",
                    ),
                    rx.hstack(submit_button("Change password", AccountState.busy), justify="end", width="100%"),
                    spacing="4",
                ),
                on_submit=AccountState.change_password,
            ),
            size="3",
            width="100%",
        ),
        rx.cond(AccountState.may_switch_kind, _kind_card()),
        two_factor_card(),
        spacing="5",
        width="100%",
    )
    return rx.box(
        skip_link(),
        rx.flex(
            brand(),
            rx.spacer(),
            user_menu(),
            padding_x=["var(--space-4)", "var(--space-6)"],
            padding_y="var(--space-3)",
            align="center",
            border_bottom=f"1px solid {rx.color('gray', 4)}",
        ),
        main_landmark(
            rx.cond(AccountState.is_hydrated & (AccountState.page_status == "ready"), body, loading_panel()),
            padding=["var(--space-4)", "var(--space-6)"],
            margin_x="auto",
            max_width="640px",
        ),
        min_height="100vh",
        background_color=rx.color("gray", 2),
    )
