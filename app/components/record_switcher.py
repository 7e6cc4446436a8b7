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


def removed_notice() -> rx.Component:
    """The record this account was looking at was taken out of it by the clinic: say so, kindly."""
    return rx.cond(
        PortalState.just_removed != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("info")),
            rx.callout.text(
                rx.text("A record was removed from your portal", weight="bold", as_="span"),
                rx.el.br(),
                PortalState.just_removed,
            ),
            color_scheme="amber",
            role="status",
            width="100%",
        ),
    )


def removed_records() -> rx.Component:
    """The overview's note of every record removed lately (unless the notice above says it already)."""
    return rx.cond(
        (PortalState.removed.length() > 0) & (PortalState.just_removed == ""),
        rx.card(
            rx.vstack(
                rx.heading("Removed from your portal", size="3", as_="h2"),
                rx.foreach(PortalState.removed, lambda r: rx.text(r["message"], size="2", color_scheme="gray")),
                spacing="2",
            ),
            size="2",
            width="100%",
        ),
    )
