"""A table of rows from a state list, with a friendly text when the list is empty."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx
from reflex.event import EventCallback
from reflex.vars import ArrayVar, NumberVar


def data_table(
    columns: list[str],
    rows: ArrayVar,
    render_row: Callable[..., rx.Component],
    empty: rx.Component | str,
    **props: Any,
) -> rx.Component:
    """Column headers (an empty name becomes an "Actions" header for screen readers only)."""
    header = rx.table.row(
        *[rx.table.column_header_cell(name or rx.text("Actions", class_name="sr-only")) for name in columns]
    )
    table = rx.table.root(rx.table.header(header), rx.table.body(rx.foreach(rows, render_row)), width="100%", **props)
    fallback = rx.text(empty, size="2", color_scheme="gray") if isinstance(empty, str) else empty
    return rx.cond(rows.length() > 0, table, fallback)


def pagination(
    page: NumberVar[int],
    pages: NumberVar[int],
    total: NumberVar[int],
    go_to: EventCallback[int | str],
    one: str,
    many: str,
    busy: rx.Var | bool = False,
) -> rx.Component:
    """'Page 2 of 7 · 320 entries', a spinner while the next page is on its way, Previous and Next."""
    return rx.flex(
        rx.text(
            "Page ",
            page,
            " of ",
            pages,
            " · ",
            total,
            rx.cond(total == 1, f" {one}", f" {many}"),
            size="2",
            color_scheme="gray",
        ),
        rx.cond(busy, rx.spinner(size="1", aria_label="Loading")),
        rx.spacer(),
        rx.button(
            rx.icon("chevron_left", size=16),
            "Previous",
            variant="soft",
            color_scheme="gray",
            disabled=page <= 1,
            on_click=go_to((page - 1).to(int)),
        ),
        rx.button(
            "Next",
            rx.icon("chevron_right", size=16),
            variant="soft",
            color_scheme="gray",
            disabled=page >= pages,
            on_click=go_to((page + 1).to(int)),
        ),
        align="center",
        spacing="2",
        width="100%",
    )
