"""The Praxis mark, linking home."""

from __future__ import annotations

import reflex as rx


def brand() -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.icon("stethoscope", size=22, color=rx.color("accent", 10)),
            # Not a heading: each page has one h1, its own title.
            rx.text("Praxis", as_="span", size="5", weight="bold"),
            align="center",
            spacing="2",
        ),
        href="/",
        underline="none",
        color_scheme="gray",
        high_contrast=True,
    )
