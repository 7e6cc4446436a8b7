"""The calendar's toolbar: which practitioners have a column, today, back and on, day or week,
and the settings menu."""

from __future__ import annotations

import reflex as rx

from app.state.booking_options import BookingOptionsState as O
from app.state.calendar import BookingCalendarState as S


def _practitioner_filter() -> rx.Component:
    """Which practitioners have a column: a clinic with many keeps the week readable."""
    everyone = S.shown_count == S.people.length()
    shown = rx.cond(everyone, "Everyone", S.shown_count.to(str) + " of " + S.people.length().to(str))
    return rx.popover.root(
        rx.popover.trigger(
            rx.button(
                rx.icon("users", size=16),
                shown,
                variant="soft",
                color_scheme="gray",
                aria_label=shown.to(str) + " (practitioners shown)",  # starts with what it shows
            )
        ),
        rx.popover.content(
            rx.vstack(
                rx.hstack(
                    rx.text("Practitioners shown", size="2", weight="medium", id="shown-practitioners"),
                    rx.spacer(),
                    rx.cond(
                        everyone,
                        rx.fragment(),
                        rx.button("Show everyone", variant="ghost", size="1", on_click=S.show_everyone),
                    ),
                    align="center",
                    width="100%",
                ),
                rx.vstack(
                    rx.foreach(
                        S.people,
                        lambda p: rx.checkbox(
                            p["name"],
                            checked=~S.hidden.contains(p["id"]),
                            on_change=lambda shown: S.show_practitioner(p["id"], shown),
                        ),
                    ),
                    role="group",
                    aria_labelledby="shown-practitioners",
                    spacing="2",
                ),
                spacing="3",
                min_width="220px",
            ),
            align="end",
        ),
    )


def toolbar() -> rx.Component:
    return rx.hstack(
        rx.cond(S.people.length() > 1, _practitioner_filter()),
        rx.button("Today", variant="soft", color_scheme="gray", on_click=S.today),
        rx.icon_button(
            rx.icon("chevron_left", size=18),
            variant="soft",
            color_scheme="gray",
            aria_label=rx.cond(S.view == "day", "Previous day", "Previous week"),
            on_click=S.move(-1),
        ),
        rx.icon_button(
            rx.icon("chevron_right", size=18),
            variant="soft",
            color_scheme="gray",
            aria_label=rx.cond(S.view == "day", "Next day", "Next week"),
            on_click=S.move(1),
        ),
        rx.segmented_control.root(
            rx.segmented_control.item("Day", value="day"),
            rx.segmented_control.item("Week", value="week"),
            value=S.view,
            on_change=S.set_view,
            aria_label="Calendar view",
        ),
        rx.dropdown_menu.root(
            rx.dropdown_menu.trigger(
                rx.icon_button(
                    rx.icon("settings", size=18), variant="soft", color_scheme="gray", aria_label="Calendar settings"
                )
            ),
            rx.dropdown_menu.content(
                rx.dropdown_menu.item("Online Booking Options", on_select=O.open_dialog),
                rx.dropdown_menu.item("Services and working hours", on_select=rx.redirect("/clinic/calendar/setup")),
                align="end",
            ),
            modal=False,  # a menu is not a dialog: the page is not hidden from screen readers while it is open
        ),
        spacing="2",
        align="center",
        wrap="wrap",  # on a phone (320 px) onto a second row, rather than the page scrolling sideways
    )
