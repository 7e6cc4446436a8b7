"""Page frames: public card pages, the clinic workspace and the portal."""

from __future__ import annotations

from typing import Any

import reflex as rx

from app.components.brand import brand
from app.components.invitation_dialog import invitation_dialog
from app.components.navigation import nav_drawer, portal_nav, sidebar
from app.components.record_switcher import record_switcher, removed_notice
from app.components.user_menu import user_menu
from app.state.session import SessionState

MAIN_ID = "main"


def skip_link() -> rx.Component:
    """ "Skip to main content": the first stop of Tab on every page (shown when it has focus)."""
    # The router would only push "#main" (and reload the page's data); the link moves focus itself
    # (a client-side event: nothing is eval'd), so keyboard users go on from the page's content.
    return rx.el.a(
        "Skip to main content",
        href="#" + MAIN_ID,
        class_name="skip-link",
        on_click=rx.set_focus(MAIN_ID).prevent_default,
    )


def main_landmark(*children: rx.Component, **props: Any) -> rx.Component:
    """The page's main content, where the skip link lands (focusable from the link only)."""
    return rx.el.main(*children, id=MAIN_ID, tab_index=-1, **props)


def card_page(*children: rx.Component, max_width: str = "440px") -> rx.Component:
    """The frame of public pages: the skip link, then a centred column in the main landmark."""
    return rx.fragment(
        skip_link(),
        main_landmark(
            rx.center(
                rx.vstack(*children, align="center", spacing="5", width="100%", max_width=max_width),
                min_height="100vh",
                padding="var(--space-4)",
                background_color=rx.color("gray", 2),
            )
        ),
    )


def public_page(title: str | rx.Var[str], subtitle: str | rx.Var[str], *children: rx.Component) -> rx.Component:
    """A centred card for sign-in, sign-up and other pages anyone can open."""
    return card_page(
        brand(),
        rx.card(
            rx.vstack(
                rx.heading(title, size="6", as_="h1"),
                rx.cond(subtitle != "", rx.text(subtitle, color_scheme="gray", size="2")),
                *children,
                spacing="4",
                width="100%",
            ),
            size="4",
            width="100%",
        ),
    )


def loading_panel() -> rx.Component:
    return rx.center(
        rx.hstack(rx.spinner(size="3"), rx.text("Loading…", color_scheme="gray"), align="center", spacing="3"),
        padding="var(--space-9)",
        width="100%",
        aria_busy="true",
    )


def denied_panel() -> rx.Component:
    """Why the server refused this page, and the way back to where this account belongs."""
    is_patient = SessionState.patient_account
    return rx.center(
        rx.card(
            rx.vstack(
                rx.icon("shield_alert", size=28, color=rx.color("amber", 10)),
                rx.heading("You can't open this page", size="4", as_="h1"),
                rx.text(SessionState.page_message, color_scheme="gray"),
                rx.link(
                    rx.cond(is_patient, "Go to your portal", "Go to your workspace"),
                    href=rx.cond(is_patient, "/portal", "/clinic"),
                ),
                align="center",
                spacing="3",
                text_align="center",
            ),
            size="3",
            max_width="420px",
        ),
        padding="var(--space-9)",
        width="100%",
    )


def page_header(
    title: str | rx.Var[str], subtitle: str | rx.Var[str] = "", action: rx.Component | None = None
) -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.heading(title, size="7", as_="h1"),
            rx.cond(subtitle != "", rx.text(subtitle, color_scheme="gray")),
            spacing="1",
        ),
        rx.spacer(),
        action if action is not None else rx.fragment(),
        align="end",
        spacing="4",
        wrap="wrap",
        width="100%",
    )


def status_switch(ready: rx.Component, steady: rx.Var | None = None) -> rx.Component:
    """The page once its data has arrived. Reflex marks the state unhydrated on every
    navigation until the page's on_load handlers finish, so no stale page shows.

    `steady`: while it holds, the page stays as it is, also through a reconnect's hydrate and
    reload (a chart being typed into must not be taken down and rebuilt from older values)."""
    switch = rx.cond(
        SessionState.is_hydrated,
        rx.match(
            SessionState.page_status,
            ("ready", ready),
            ("denied", denied_panel()),
            loading_panel(),
        ),
        loading_panel(),
    )
    return switch if steady is None else rx.cond(steady, ready, switch)


def clinic_page(
    title: str | rx.Var[str],
    subtitle: str | rx.Var[str],
    body: rx.Component,
    action: rx.Component | None = None,
    steady: rx.Var | None = None,
) -> rx.Component:
    return rx.flex(
        skip_link(),
        sidebar(),
        rx.flex(
            rx.flex(
                # Below 768 px the sidebar is hidden: its links and the office switcher open from "Menu".
                rx.hstack(nav_drawer(), brand(), align="center", spacing="3", display=["flex", "flex", "none"]),
                rx.spacer(),
                user_menu(),
                padding_x="var(--space-6)",
                padding_y="var(--space-3)",
                align="center",
                border_bottom=f"1px solid {rx.color('gray', 4)}",
            ),
            main_landmark(
                status_switch(rx.vstack(page_header(title, subtitle, action), body, spacing="6", width="100%"), steady),
                padding=["var(--space-4)", "var(--space-6)", "var(--space-8)"],
                width="100%",
                max_width="1100px",
            ),
            direction="column",
            flex="1",
            min_width="0",
        ),
        invitation_dialog(),
        min_height="100vh",
    )


def portal_page(title: str | rx.Var[str], subtitle: str | rx.Var[str], body: rx.Component) -> rx.Component:
    return rx.box(
        skip_link(),
        rx.flex(
            brand(),
            rx.box(portal_nav(), display=["none", "block"]),
            rx.spacer(),
            user_menu(),
            padding_x=["var(--space-4)", "var(--space-6)"],
            padding_y="var(--space-3)",
            align="center",
            spacing="5",
            border_bottom=f"1px solid {rx.color('gray', 4)}",
            background_color=rx.color("gray", 1),
        ),
        rx.box(
            portal_nav(),
            display=["block", "none"],
            padding_x="var(--space-4)",
            padding_top="var(--space-3)",
            overflow_x="auto",
        ),
        main_landmark(
            status_switch(
                rx.vstack(
                    removed_notice(), record_switcher(), page_header(title, subtitle), body, spacing="5", width="100%"
                )
            ),
            padding=["var(--space-4)", "var(--space-6)"],
            margin_x="auto",
            width="100%",
            max_width="760px",
        ),
        invitation_dialog(),
        min_height="100vh",
        background_color=rx.color("gray", 2),
    )
