"""The booking calendar page: the grid of the day or week, its toolbar and dialogs (app/components/calendar/)."""

from __future__ import annotations

import reflex as rx

from app.components.calendar.appointment_dialog import appointment_dialog
from app.components.calendar.book_dialog import book_dialog
from app.components.calendar.grid import calendar_grid
from app.components.calendar.options_dialog import options_dialog
from app.components.calendar.toolbar import toolbar
from app.components.layout import clinic_page
from app.state.calendar import BookingCalendarState as S


def calendar_page() -> rx.Component:
    empty = rx.card(
        rx.vstack(
            rx.heading("No practitioners yet", size="3", as_="h2"),
            rx.text("The calendar shows one column per practitioner of this office.", size="2", color_scheme="gray"),
            spacing="2",
        ),
        size="3",
    )
    return clinic_page(
        "Calendar",
        S.title,
        rx.vstack(
            rx.cond(S.people.length() > 0, calendar_grid(), empty),
            book_dialog(),
            appointment_dialog(),
            options_dialog(),
            spacing="3",
            width="100%",
        ),
        action=toolbar(),
    )
