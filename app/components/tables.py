"""A table of rows from a state list, with a friendly text when the list is empty."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx


def data_table(
    columns: list[str],
    rows: rx.Var,
    render_row: Callable[[rx.Var], rx.Component],
    empty: rx.Component | str,
    **props,  # type: ignore[no-untyped-def]
) -> rx.Component:
    """Column headers (an empty name becomes an "Actions" header for screen readers only)."""
    header = rx.table.row(
        *[rx.table.column_header_cell(name or rx.text("Actions", class_name="sr-only")) for name in columns]
    )
    table = rx.table.root(rx.table.header(header), rx.table.body(rx.foreach(rows, render_row)), width="100%", **props)
    fallback = rx.text(empty, size="2", color_scheme="gray") if isinstance(empty, str) else empty
    return rx.cond(rows.length() > 0, table, fallback)
