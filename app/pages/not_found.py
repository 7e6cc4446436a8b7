"""The page for an address Praxis does not have (Reflex's 404 route)."""

from __future__ import annotations

import reflex as rx

from app.components.layout import public_page
from app.components.links import link_button


def not_found_page() -> rx.Component:
    return public_page(
        "Page not found",
        "",
        rx.text(
            "There is no page at this address. It may be mistyped, or the link may be an old one.",
            size="2",
        ),
        rx.flex(
            link_button("Go to Praxis", "/", size="3"),
            link_button("Sign in", "/sign-in", size="3", variant="soft"),
            spacing="3",
            wrap="wrap",
        ),
    )
