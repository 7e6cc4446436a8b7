"""The booking calendar grid: a time gutter, one lane per practitioner (per day in week view), free
times to click to book, and appointments as coloured blocks with their status in words.

Plain elements with the static classes of assets/calendar.css: a week holds hundreds of
appointments, all redrawn on every week switch, and Reflex style props would give each one a
CSS-in-JS wrapper. Only values that differ per element are inline styles. Free times have no
element of their own (see `_free_time`)."""

from __future__ import annotations

from typing import cast

import reflex as rx
from reflex.vars import ArrayVar, NumberVar, ObjectVar

from app.components.calendar.grid_script import SLOT_ID
from app.services.formatting import APPOINTMENT_STATUS
from app.services.scheduling.calendar_layout import COLOR, HEIGHT, ID, PATIENT, SERVICE, STATUS, TIME, TOP
from app.services.scheduling.calendar_view import MINUTE_PX
from app.state.calendar import BookingCalendarState as S


def _inline(style: dict[str, rx.Var | str]) -> rx.Var:
    """A React inline style object. One Var (not a dict of Vars), so Reflex sees the state it reads."""
    return rx.Var.create(style)


def _first_of_day(lane: ObjectVar[dict[str, str]], name: str) -> rx.Var:
    return rx.cond(lane["first_of_day"] == "true", name + " first-of-day", name)


def _day_header(day: ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.el.div(
        day["label"],
        class_name=rx.cond(day["today"] == "true", "cal-day is-today", "cal-day"),
        custom_attrs={"style": _inline({"gridColumn": "span " + S.lanes_per_day.to(str)})},
    )


def _lane_header(lane: ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.el.div(lane["practitioner"], class_name=_first_of_day(lane, "cal-person"), title=lane["practitioner"])


HOUR_PX = f"{60 * MINUTE_PX:.0f}px"

# A free time's accessible name ("Book Ana, Tue 8 Dec 09:00") is made of words kept once in the
# grid's hidden names (below): "Book", the lane's, the row's and "(not working)".
_BOOK_WORD, _OFF_WORD = "cal-name-book", "cal-name-off"


def _lane_name_id(index: NumberVar[int] | rx.Var) -> rx.Var:
    return "cal-name-lane-" + index.to(str)


def _time_name_id(row: NumberVar[int] | rx.Var) -> rx.Var:
    return "cal-name-time-" + row.to(str)


def _free_time() -> rx.Component:
    """The one button for a free time, for the whole grid. Free times are not elements (a week has
    ~1,700 of them, and drawing them was most of a week switch): a lane's background draws their
    lines, its `data-busy`/`data-off` say which rows are taken or outside work, and this button is
    placed on a row by components/calendar/grid_script.py, under the pointer or where the arrow keys
    move, with its name ("Book Ana, Tue 8 Dec 09:00") made of the hidden words below. Its click
    sends the lane and the row it stands on; the server turns them into the day, the practitioner
    and the time this tab was last sent (`open_cell`)."""
    return rx.el.button(
        id=SLOT_ID,
        on_click=S.open_cell(
            rx.Var(f"document.getElementById('{SLOT_ID}')?.dataset.lane ?? ''", _var_type=str),
            rx.Var(f"document.getElementById('{SLOT_ID}')?.dataset.row ?? ''", _var_type=str),
        ),
        class_name="cal-slot",
        tab_index=-1,  # the grid is one Tab stop; the arrow keys move inside it
        type="button",
    )


def _names() -> rx.Component:
    """The words of the free time's and the lanes' names, never shown (`hidden`): a name made with
    aria-labelledby reads hidden elements too."""
    return rx.el.div(
        rx.el.span("Book", id=_BOOK_WORD),
        rx.el.span("(not working)", id=_OFF_WORD),
        rx.foreach(
            S.lanes,
            lambda lane, index: rx.el.span(
                lane["practitioner"].to(str) + ", " + lane["day_label"].to(str), id=_lane_name_id(index)
            ),
        ),
        rx.foreach(S.times, lambda time, row: rx.el.span(time["label"], id=_time_name_id(row))),
        hidden=True,
    )


def _status_words(status: rx.Var) -> rx.Var:
    """Status in words on the page itself, so each appointment sends only its code."""
    words = [(code, label) for code, label in APPOINTMENT_STATUS.items() if code != "booked"]
    # rx.match is typed Component | Var: text cases give a Var.
    return cast(rx.Var, rx.match(status, *words, APPOINTMENT_STATUS["booked"]))


def _appointment(row: ArrayVar[list[str]]) -> rx.Component:
    """One appointment row of calendar_layout: [id, top, height, colour, patient, service, time, status]."""
    time, patient, service, status = row[TIME].to(str), row[PATIENT].to(str), row[SERVICE].to(str), row[STATUS]
    color = row[COLOR].to(str)
    # One text node per block (a busy week draws 500 of them): its lines are broken by "\n" (white-space:
    # pre in assets/calendar.css), the first line bold by ::first-line. Separate elements per line made
    # five nodes more per block, most of what a switch to a busy week cost React and the style pass.
    status_line = rx.cond(status != "booked", "\n" + _status_words(status).to(str), "").to(str)
    return rx.el.button(
        time + " " + patient + "\n" + service + status_line,
        aria_label=time + " " + patient + ", " + service + ", " + _status_words(status).to(str),
        on_click=S.open_appointment(row[ID].to(str)),
        # The service's colour is a class of assets/calendar.css (one per colour a service may have).
        class_name=rx.cond(status == "cancelled", "cal-appt is-cancelled c-", "cal-appt c-").to(str) + color,
        tab_index=-1,
        type="button",
        custom_attrs={
            "style": _inline(
                {
                    "top": row[TOP].to(str) + "px",
                    "height": row[HEIGHT].to(str) + "px",
                    "--appt-height": row[HEIGHT].to(str) + "px",
                }
            )
        },
    )


def _off_work(block: ArrayVar[list[str]]) -> rx.Component:
    """Shading over hours the practitioner does not work: still bookable, but visibly off."""
    return rx.el.div(
        class_name="cal-off",
        aria_hidden="true",
        custom_attrs={"style": _inline({"top": block[0].to(str) + "px", "height": block[1].to(str) + "px"})},
    )


def _lane(lane: ObjectVar[dict[str, str]], index: NumberVar[int]) -> rx.Component:
    return rx.el.div(
        rx.foreach(S.lane_off[index], _off_work),
        rx.foreach(S.lane_items[index], _appointment),
        class_name=_first_of_day(lane, "cal-lane"),
        role="group",
        aria_labelledby=_lane_name_id(index),
        # per row, "1" = under a live appointment / outside work (services/scheduling/calendar_layout.py)
        custom_attrs={"data-busy": lane["busy"], "data-off": lane["off"]},
    )


def _gutter() -> rx.Component:
    return rx.el.div(
        rx.foreach(
            S.times,
            lambda time: rx.el.div(rx.cond(time["hour"] == "true", time["label"], ""), class_name="cal-hour-label"),
        ),
        class_name="cal-gutter",
    )


def calendar_grid() -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.el.div(class_name="cal-corner"),
            rx.foreach(S.day_columns, _day_header),
            rx.el.div(class_name="cal-corner"),
            rx.foreach(S.lanes, _lane_header),
            _gutter(),
            rx.foreach(S.lanes, _lane),
            _free_time(),
            _names(),
            class_name="cal-grid",
            custom_attrs={
                "style": _inline(
                    {
                        "gridTemplateColumns": S.grid_columns,
                        "--cal-cell": S.cell_height,
                        "--cal-hour": HOUR_PX,
                        "--cal-hour-at": S.hour_line_at,
                        "--cal-lane": S.grid_height.to(str) + "px",
                    }
                )
            },
        ),
        class_name="cal-scroll",
        # One Tab stop for the whole grid: arrow keys move between times and appointments, Enter
        # opens (components/keyboard.py). Its name says so.
        tab_index=0,
        role="group",
        aria_label=S.title.to(str) + ": calendar. Arrow keys move between times and appointments, Enter opens.",
        custom_attrs={"data-roving-grid": "true"},
    )
