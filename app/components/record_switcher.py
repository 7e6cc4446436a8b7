"""The family record switcher: whose records the portal is showing.

One button per person the account holds (a radio group for assistive tech),
the chosen one highlighted, and a way to add another person's record. It
scrolls sideways on a phone.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from app.state.portal import PortalState


def _person(record: ObjectVar[dict[str, str]]) -> rx.Component:
    chosen = record["id"] == PortalState.current_id
    return rx.el.button(
        rx.hstack(
            rx.avatar(
                fallback=record["initials"],
                size="2",
                radius="full",
                variant=rx.cond(chosen, "solid", "soft"),
            ),
            rx.vstack(
                rx.text(record["name"], size="2", weight=rx.cond(chosen, "bold", "medium"), white_space="nowrap"),
                rx.cond(
                    PortalState.several_clinics,
                    rx.text(record["office_name"], size="1", color_scheme="gray", white_space="nowrap"),
                ),
                spacing="0",
                align="start",
            ),
            align="center",
            spacing="2",
        ),
        role="radio",
        aria_checked=rx.cond(chosen, "true", "false"),
        # One Tab stop: the chosen person; the arrow keys move between them (components/keyboard.py).
        tab_index=rx.cond(chosen, 0, -1),
        aria_label=record["name"].to(str)
        + rx.cond(PortalState.several_clinics, ", " + record["office_name"].to(str), "").to(str),
        on_click=PortalState.choose_record(record["id"]),
        style={
            "cursor": "pointer",
            "padding": "var(--space-2) var(--space-3)",
            "border_radius": "9999px",
            "border": rx.cond(chosen, f"2px solid {rx.color('accent', 9)}", f"1px solid {rx.color('gray', 6)}"),
            "background": rx.cond(chosen, rx.color("accent", 3), rx.color("gray", 1)),
            "flex_shrink": "0",
            "_focus_visible": {"outline": f"2px solid {rx.color('accent', 8)}", "outline_offset": "2px"},
        },
    )


def record_switcher() -> rx.Component:
    return rx.cond(
        PortalState.records.length() > 0,
        rx.flex(
            rx.flex(
                rx.foreach(PortalState.records, _person),
                role="radiogroup",
                aria_label="Whose records",
                custom_attrs={"data-roving-radios": "true"},
                spacing="2",
                align="center",
            ),
            rx.link(
                rx.button(rx.icon("plus", size=16), "Add a record", variant="ghost", size="2"),
                href="/portal/redeem",
                flex_shrink="0",
            ),
            spacing="3",
            align="center",
            overflow_x="auto",
            padding_y="var(--space-1)",
            width="100%",
        ),
    )
