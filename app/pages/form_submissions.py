"""A form's submissions (/clinic/forms/[form_id]/submissions) and one submission, read-only and
printable, rendered with the version it was filled against (/clinic/form-submissions/[submission_id])."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from app.components.empty_state import empty_state
from app.components.form_answers import submitted_answers
from app.components.layout import clinic_page
from app.components.tables import data_table
from app.state.form_submissions import REVIEWED_LINE_ID
from app.state.form_submissions import FormSubmissionsState as L
from app.state.form_submissions import FormSubmissionState as S


def _row(row: ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(row["patient_name"], href=row["href"], weight="medium")),
        rx.table.cell(row["office_name"]),
        rx.table.cell(row["submitted_on"]),
        rx.table.cell("v" + row["version"].to(str)),
        rx.table.cell(
            rx.cond(
                row["reviewed"] == "true",
                rx.badge(rx.icon("check", size=12), "Reviewed", variant="soft", color_scheme="green"),
                rx.badge("Not reviewed yet", variant="outline", color_scheme="gray"),
            )
        ),
    )


def form_submissions_page() -> rx.Component:
    back = rx.link(
        rx.hstack(rx.icon("arrow_left", size=14), rx.text("The form"), align="center", spacing="1"),
        href=L.form_href,
        size="2",
    )
    table = data_table(
        ["Patient", "Office", "Submitted", "Version", "Review"],
        L.submissions,
        _row,
        empty_state(
            "inbox",
            "No submissions you may read",
            "Forms your office's patients submit appear here, and those of other practitioners' patients when "
            "the form's sharing options let you see all submissions.",
        ),
        variant="surface",
    )
    return clinic_page(L.form_title, "Submissions, newest first", rx.vstack(back, table, spacing="4", width="100%"))


def _meta() -> rx.Component:
    sub = S.submission
    return rx.vstack(
        rx.text(
            "Submitted by ",
            rx.text.strong(sub.get("submitted_by", "")),
            " on ",
            sub.get("submitted_on", ""),
            " · version ",
            sub.get("version", ""),
            " · ",
            sub.get("office_name", ""),
            size="2",
        ),
        rx.cond(
            sub.get("reviewed", "") != "",
            rx.hstack(
                rx.icon("circle_check", size=16, color=rx.color("green", 10)),
                rx.text(sub.get("reviewed", ""), size="2"),
                id=REVIEWED_LINE_ID,
                tab_index=-1,
                align="center",
                spacing="2",
            ),
        ),
        spacing="1",
    )


def _actions() -> rx.Component:
    return rx.hstack(
        rx.button(
            rx.icon("printer", size=16),
            "Print",
            variant="soft",
            # A compiled function `() => window.print()`: call_script would eval a string (CSP).
            on_click=rx.run_script("window.print()"),
        ),
        rx.cond(
            S.may_review,
            rx.button(rx.icon("check", size=16), "Mark as reviewed", on_click=S.mark_reviewed, loading=S.reviewing),
        ),
        spacing="3",
    )


def form_submission_page() -> rx.Component:
    sub = S.submission
    back = rx.link(
        rx.hstack(
            rx.icon("arrow_left", size=14), rx.text(sub.get("patient_name", "").to(str) + "'s forms"), spacing="1"
        ),
        href=sub.get("patient_href", "/clinic/patients"),
        size="2",
    )
    sheet = rx.card(
        rx.vstack(
            rx.heading(sub.get("title", ""), size="5", as_="h2"),
            rx.text(sub.get("patient_name", ""), " · ", sub.get("office_name", ""), size="2", color_scheme="gray"),
            rx.cond(sub.get("description", "") != "", rx.text(sub.get("description", ""), size="2")),
            _meta(),
            submitted_answers(S.rows),
            spacing="3",
            width="100%",
        ),
        class_name="print-sheet",
        size="3",
        width="100%",
    )
    return clinic_page(
        sub.get("title", "Form"),
        "Submitted by " + sub.get("patient_name", "").to(str),
        rx.vstack(back, sheet, spacing="4", width="100%"),
        action=_actions(),
    )
