"""The booking calendar grid: a time gutter, one lane per practitioner (per day in week view),
clickable time cells to book, and appointments as coloured blocks with their status in words.

Plain elements with the static classes of assets/calendar.css: a week holds about 1,700 cells
and hundreds of appointments, all redrawn on every week switch, and Reflex style props would
give each one a CSS-in-JS wrapper. Only values that differ per element are inline styles."""

from __future__ import annotations

from typing import cast

import reflex as rx
from reflex.vars import ArrayVar, NumberVar, ObjectVar

from app.services.formatting import APPOINTMENT_STATUS
from app.services.scheduling.calendar_layout import COLOR, HEIGHT, ID, PATIENT, SERVICE, STATUS, TIME, TOP
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


# A cell's accessible name ("Book Ana, Tue 8 Dec 09:00") is made of words kept once in the grid's
# hidden names (below): its attribute names the lane and the row, which stay the same from week to
# week, so a week switch does not rewrite 1,700 cells' names (most of what it cost the browser).
_BOOK_WORD, _OFF_WORD = "cal-name-book", "cal-name-off"


def _lane_name_id(index: NumberVar[int] | rx.Var) -> rx.Var:
    return "cal-name-lane-" + index.to(str)


def _time_name_id(row: NumberVar[int] | rx.Var) -> rx.Var:
    return "cal-name-time-" + row.to(str)


@rx.memo
def _slot(
    lane: rx.Var[int], row: rx.Var[int], hour: rx.Var[bool], off: rx.Var[bool], busy: rx.Var[bool]
) -> rx.Component:
    """A free time to book. A React memo of the lane's and the row's numbers and three flags, which
    stay the same from week to week for most of the ~1,700 cells: a week switch redraws only the
    cells whose flags changed (the server knows which day and time a lane and a row stand for)."""
    return rx.el.button(
        aria_labelledby=_BOOK_WORD
        + " "
        + _lane_name_id(lane).to(str)
        + " "
        + _time_name_id(row).to(str)
        + rx.cond(off, " " + _OFF_WORD, "").to(str),
        on_click=S.open_cell(lane, row),
        class_name=rx.cond(hour, "cal-cell on-the-hour", "cal-cell"),
        # Under a live appointment the block is the target; the cell beneath would be a sliver of one.
        disabled=busy,
        tab_index=-1,  # the grid is one Tab stop; the arrow keys move inside it (components/keyboard.py)
        type="button",
    )


def _cell(
    lane: ObjectVar[dict[str, str]], index: NumberVar[int], time: ObjectVar[dict[str, str]], row: NumberVar[int]
) -> rx.Component:
    return _slot(
        lane=index,
        row=row,
        hour=time["hour"] == "true",
        off=lane["off"].to(str)[row.to(int)] == "1",
        busy=lane["busy"].to(str)[row.to(int)] == "1",
    )


def _names() -> rx.Component:
    """The words of the cells' and lanes' names, never shown (`hidden`): a name made with
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
        rx.foreach(S.times, lambda time, row: _cell(lane, index, time, row)),
        rx.foreach(S.lane_off[index], _off_work),
        rx.foreach(S.lane_items[index], _appointment),
        class_name=_first_of_day(lane, "cal-lane"),
        role="group",
        aria_labelledby=_lane_name_id(index),
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
            _names(),
            class_name="cal-grid",
            custom_attrs={
                "style": _inline(
                    {
                        "gridTemplateColumns": S.grid_columns,
                        "--cal-cell": S.cell_height,
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
