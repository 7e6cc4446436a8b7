"""The booking calendar grid: a time gutter, one lane per practitioner (per day in week view),
clickable quarter-hours to book, and appointments as coloured blocks with their status in words."""

from __future__ import annotations

import reflex as rx

from app.services.calendar_view import MINUTE_PX
from app.state.calendar import BookingCalendarState as S

QUARTER_PX = f"{15 * MINUTE_PX:.0f}px"


def _day_header(day: rx.Var) -> rx.Component:
    return rx.box(
        rx.text(
            day["label"],
            size="2",
            weight=rx.cond(day["today"] == "true", "bold", "medium"),
            color=rx.cond(day["today"] == "true", rx.color("accent", 11), rx.color("gray", 12)),
        ),
        grid_column="span " + S.lanes_per_day.to(str),
        padding="var(--space-2)",
        border_left=f"1px solid {rx.color('gray', 6)}",
        background_color=rx.color("gray", 2),
        text_align="center",
    )


def _lane_header(lane: rx.Var) -> rx.Component:
    return rx.box(
        rx.text(lane["practitioner"], size="1", color_scheme="gray", truncate=True),
        padding_x="var(--space-2)",
        padding_y="var(--space-1)",
        border_left=rx.cond(
            lane["first_of_day"] == "true", f"1px solid {rx.color('gray', 6)}", f"1px solid {rx.color('gray', 3)}"
        ),
        background_color=rx.color("gray", 2),
        min_width="0",
    )


def _cell(lane: rx.Var, time: rx.Var) -> rx.Component:
    return rx.el.button(
        aria_label="Book "
        + lane["practitioner"].to(str)
        + ", "
        + lane["day_label"].to(str)
        + " "
        + time["label"].to(str),
        on_click=S.open_slot(lane["day"], lane["practitioner_id"], time["minute"]),
        style={
            "display": "block",
            "width": "100%",
            "height": QUARTER_PX,
            "border": "none",
            "border_top": rx.cond(
                time["hour"] == "true", f"1px solid {rx.color('gray', 5)}", f"1px dotted {rx.color('gray', 3)}"
            ),
            "background": "transparent",
            "cursor": "pointer",
            "padding": "0",
            "_hover": {"background": rx.color("accent", 3)},
            "_focus_visible": {"outline": f"2px solid {rx.color('accent', 8)}", "outline_offset": "-2px"},
        },
    )


def _appointment(item: rx.Var) -> rx.Component:
    cancelled = item["status"] == "cancelled"
    return rx.el.button(
        rx.text(item["time"], " ", rx.text.strong(item["patient"]), size="1", truncate=True, as_="div"),
        rx.text(item["service"], size="1", truncate=True, as_="div", color_scheme="gray"),
        rx.cond(
            item["status"] != "booked",
            rx.text(item["status_words"], size="1", weight="bold", as_="div"),
        ),
        aria_label=item["time"].to(str)
        + " "
        + item["patient"].to(str)
        + ", "
        + item["service"].to(str)
        + ", "
        + item["status_words"].to(str),
        on_click=S.open_appointment(item),
        style={
            "position": "absolute",
            "top": item["top"],
            "height": item["height"],
            "left": "2px",
            "right": "2px",
            "overflow": "hidden",
            "text_align": "left",
            "padding": "2px 6px",
            "border_radius": "var(--radius-2)",
            "border": "none",
            "border_left": "4px solid var(--" + item["color"].to(str) + "-9)",
            "background": "var(--" + item["color"].to(str) + "-3)",
            "color": "var(--gray-12)",
            "opacity": rx.cond(cancelled, "0.55", "1"),
            "text_decoration": rx.cond(cancelled, "line-through", "none"),
            "cursor": "pointer",
            "z_index": "1",
            "_focus_visible": {"outline": "2px solid var(--accent-8)"},
        },
    )


def _lane(lane: rx.Var, index: rx.Var) -> rx.Component:
    return rx.box(
        rx.foreach(S.times, lambda time: _cell(lane, time)),
        rx.foreach(S.lane_items[index], _appointment),
        position="relative",
        height=S.grid_height.to(str) + "px",
        border_left=rx.cond(
            lane["first_of_day"] == "true", f"1px solid {rx.color('gray', 6)}", f"1px solid {rx.color('gray', 3)}"
        ),
        min_width="0",
        role="group",
        aria_label=lane["practitioner"].to(str) + ", " + lane["day_label"].to(str),
    )


def _gutter() -> rx.Component:
    return rx.box(
        rx.foreach(
            S.times,
            lambda time: rx.box(
                rx.cond(time["hour"] == "true", rx.text(time["label"], size="1", color_scheme="gray")),
                height=QUARTER_PX,
                padding_right="var(--space-2)",
                text_align="right",
                line_height="1",
            ),
        ),
        height=S.grid_height.to(str) + "px",
    )


def calendar_grid() -> rx.Component:
    return rx.box(
        rx.box(
            rx.box(background_color=rx.color("gray", 2)),
            rx.foreach(S.day_columns, _day_header),
            rx.box(background_color=rx.color("gray", 2)),
            rx.foreach(S.lanes, _lane_header),
            _gutter(),
            rx.foreach(S.lanes, _lane),
            display="grid",
            grid_template_columns=S.grid_columns,
            min_width="fit-content",
        ),
        overflow_x="auto",
        border=f"1px solid {rx.color('gray', 6)}",
        border_radius="var(--radius-3)",
        background_color=rx.color("gray", 1),
        width="100%",
    )
