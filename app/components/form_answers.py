"""A submitted form, read-only: each shown question with its answer, as it was worded when filled in
(the rows of state/form_rows.py). Printed on its own (class print-sheet, see assets/print.css)."""

from __future__ import annotations

from collections.abc import Sequence

import reflex as rx
from reflex.vars import ArrayVar, ObjectVar

from app.state.form_rows import FormRow


def _answer(row: ObjectVar[FormRow]) -> rx.Component:
    return rx.vstack(
        rx.text(row.number.to(str) + ". " + row.label.to(str), size="2", weight="bold"),
        rx.cond(
            row.image != "",
            rx.image(
                src=row.image,
                alt="Drawn signature",
                max_height="120px",
                max_width="360px",
                border=f"1px solid {rx.color('gray', 5)}",
                border_radius="var(--radius-2)",
                background_color="white",
            ),
        ),
        rx.cond(
            row.answer != "",
            rx.text(row.answer, size="3", white_space="pre-wrap"),
            rx.text("No answer", size="2", color_scheme="gray", font_style="italic"),
        ),
        spacing="1",
        width="100%",
        padding_y="var(--space-2)",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
    )


def submitted_answers(rows: ArrayVar[Sequence[FormRow]]) -> rx.Component:
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
