"""The friendly empty state every list and page section uses: what is missing, and what to do next."""

from __future__ import annotations

import reflex as rx


def empty_state(icon: str, title: str, text: str | rx.Var[str], action: rx.Component | None = None) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.center(
                rx.icon(icon, size=24, color=rx.color("accent", 10)),
                width="44px",
                height="44px",
                border_radius="9999px",
                background_color=rx.color("accent", 3),
            ),
            rx.heading(title, size="3", as_="h3"),
            rx.text(text, color_scheme="gray", size="2", max_width="460px"),
            action if action is not None else rx.fragment(),
            align="center",
            text_align="center",
            spacing="3",
            padding_y="var(--space-5)",
        ),
        size="2",
        width="100%",
    )
