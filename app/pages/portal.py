"""Patient portal pages."""

from __future__ import annotations

import reflex as rx

from app.components.layout import portal_page
from app.state.portal import PortalState


def portal_home_page() -> rx.Component:
    welcome = rx.card(
        rx.vstack(
            rx.center(
                rx.icon("key_round", size=26, color=rx.color("accent", 10)),
                width="48px",
                height="48px",
                border_radius="full",
                background_color=rx.color("accent", 3),
            ),
            rx.heading("Your portal is ready, and empty for now", size="4", as_="h2"),
            rx.text(
                "Your records stay private until your clinic connects them. When you visit, ask the front desk "
                "for a Medical Records Access Code: four easy words that link your appointments, treatment plans "
                "and documents to this account.",
                color_scheme="gray",
            ),
            rx.text(
                "One account can hold the records of your whole family: each access code adds one person.",
                color_scheme="gray",
                size="2",
            ),
            align="center",
            text_align="center",
            spacing="3",
            padding_y="var(--space-5)",
        ),
        size="3",
        width="100%",
    )
    return portal_page(
        "Welcome",
        rx.cond(PortalState.user_name != "", "Signed in as " + PortalState.user_name, ""),  # type: ignore[arg-type]
        welcome,
    )
