"""The booking calendar grid: a time gutter, one lane per practitioner (per day in week view),
clickable quarter-hours to book, and appointments as coloured blocks with their status in words."""

from __future__ import annotations

import reflex as rx

from app.state.calendar import BookingCalendarState as S


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
            "height": S.cell_height,
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


def _status_words(status: rx.Var) -> rx.Var:
    """Status in words on the page itself, so each appointment sends only its code."""
    return rx.match(status, ("arrived", "Arrived"), ("no_show", "No-show"), ("cancelled", "Cancelled"), "Booked")


def _appointment(item: rx.Var) -> rx.Component:
    cancelled = item["status"] == "cancelled"
    return rx.el.button(
        # Plain elements: a week can hold hundreds of these, and each is drawn on every switch.
        rx.el.div(item["time"], " ", rx.el.strong(item["patient"]), class_name="appt-line"),
        rx.el.div(item["service"], class_name="appt-line appt-muted"),
        rx.cond(
            item["status"] != "booked", rx.el.div(_status_words(item["status"]), class_name="appt-line appt-status")
        ),
        aria_label=item["time"].to(str)
        + " "
        + item["patient"].to(str)
        + ", "
        + item["service"].to(str)
        + ", "
        + _status_words(item["status"]).to(str),
        on_click=S.open_appointment(item),
        # Position and colour differ for every appointment: plain inline style, so the page does not
        # generate one CSS class per appointment on every week switch.
        custom_attrs={
            "style": {
                "top": item["top"],
                "height": item["height"],
                "borderLeft": "4px solid var(--" + item["color"].to(str) + "-9)",
                "background": "var(--" + item["color"].to(str) + "-3)",
                "opacity": rx.cond(cancelled, "0.55", "1"),
                "textDecoration": rx.cond(cancelled, "line-through", "none"),
            }
        },
        style={
            "position": "absolute",
            "left": "2px",
            "right": "2px",
            "overflow": "hidden",
            "text_align": "left",
            "padding": "2px 6px",
            "border_radius": "var(--radius-2)",
            "border": "none",
            "color": "var(--gray-12)",
            "cursor": "pointer",
            "z_index": "1",
            "font_size": "var(--font-size-1)",
            "line_height": "var(--line-height-1)",
            "_focus_visible": {"outline": "2px solid var(--accent-8)"},
            "& .appt-line": {"white_space": "nowrap", "overflow": "hidden", "text_overflow": "ellipsis"},
            "& .appt-muted": {"color": "var(--gray-11)"},
            "& .appt-status": {"font_weight": "bold"},
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
                height=S.cell_height,
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
