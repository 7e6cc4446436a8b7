"""A submitted form, read-only: each shown question with its answer, as it was worded when filled in
(the rows of state/form_rows.py). Printed on its own (class print-sheet, see assets/print.css)."""

from __future__ import annotations

import reflex as rx


def _answer(row: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.text(row.number.to(str) + ". " + row.label.to(str), size="2", weight="bold"),  # type: ignore[attr-defined]
        rx.cond(
            row.image != "",  # type: ignore[attr-defined]
            rx.image(
                src=row.image,  # type: ignore[attr-defined]
                alt="Drawn signature",
                max_height="120px",
                max_width="360px",
                border=f"1px solid {rx.color('gray', 5)}",
                border_radius="var(--radius-2)",
                background_color="white",
            ),
        ),
        rx.cond(
            row.answer != "",  # type: ignore[attr-defined]
            rx.text(row.answer, size="3", white_space="pre-wrap"),  # type: ignore[attr-defined]
            rx.text("No answer", size="2", color_scheme="gray", font_style="italic"),
        ),
        spacing="1",
        width="100%",
        padding_y="var(--space-2)",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
    )


def submitted_answers(rows: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.foreach(
            rows,
            lambda row: rx.cond(
                row.kind == "section",
                rx.cond(row.label != "", rx.heading(row.label, size="4", as_="h2", margin_top="var(--space-3)")),
                _answer(row),
            ),
        ),
        spacing="2",
        width="100%",
    )
