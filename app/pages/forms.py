"""/clinic/forms: SmartForms — My forms, Shared with me, and *New form*."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from app.components.empty_state import empty_state
from app.components.forms import dialog_actions, field, form_error
from app.components.layout import clinic_page
from app.components.tables import data_table
from app.state.forms_library import FormsLibraryState as S


def _submissions(row: ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.cond(
        row["submissions"] != "0",
        rx.link(
            row["submissions"],
            href=row["submissions_href"],
            aria_label=row["submissions"].to(str) + " submissions of " + row["title"].to(str),
        ),
        rx.text("0", color_scheme="gray"),
    )


def _mine_row(row: ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(row["title"], href=row["href"], weight="medium")),
        rx.table.cell(row["questions"]),
        rx.table.cell(
            rx.hstack(
                rx.text("v" + row["version"].to(str)),
                rx.cond(row["shared"] == "true", rx.badge(rx.icon("share_2", size=12), "Shared", variant="outline")),
                spacing="2",
                align="center",
            )
        ),
        rx.table.cell(row["updated"]),
        rx.table.cell(_submissions(row)),
    )


def _shared_row(row: ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(row["title"], href=row["href"], weight="medium")),
        rx.table.cell(row["author"]),
        rx.table.cell(row["questions"]),
        rx.table.cell(_submissions(row)),
    )


def _new_form_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("file_plus", size=16), "New form")),
        rx.dialog.content(
            rx.dialog.title("New form"),
            rx.dialog.description(
                "An intake form, a diet journal, an outcome questionnaire… Name it; you add its questions next.",
                size="2",
                color_scheme="gray",
            ),
            rx.form(
                rx.vstack(
                    form_error(S.form_error),
                    field("Title", "title", S.errors, form_id="new-form", auto_focus=True),
                    dialog_actions("Create form", S.busy),
                    spacing="4",
                    margin_top="var(--space-3)",
                ),
                on_submit=S.create,
            ),
            max_width="460px",
        ),
        open=S.new_open,
        on_open_change=S.set_new_open,
    )


def _mine() -> rx.Component:
    return data_table(
        ["Form", "Questions", "Version", "Last changed", "Submissions"],
        S.mine,
        _mine_row,
        empty_state(
            "clipboard_check",
            "No forms yet",
            "Build an intake form, a diet journal or an outcome questionnaire with New form, then give it to "
            "patients from their workspace's Forms tab.",
        ),
        variant="surface",
    )


def _shared() -> rx.Component:
    return data_table(
        ["Form", "Author", "Questions", "Submissions"],
        S.shared,
        _shared_row,
        empty_state(
            "inbox",
            "No forms shared with you",
            "When a practitioner shares a form with you or your office, it appears here, and you can give it to "
            "your patients. Give them your Share PIN (your initials, top right → View Share PIN).",
        ),
        variant="surface",
    )


def forms_page() -> rx.Component:
    tabs = rx.tabs.root(
        rx.tabs.list(
            rx.cond(S.may_build, rx.tabs.trigger("My forms", value="mine")),
            rx.tabs.trigger("Shared with me", value="shared"),
        ),
        rx.tabs.content(rx.box(_mine(), padding_top="var(--space-4)"), value="mine"),
        rx.tabs.content(rx.box(_shared(), padding_top="var(--space-4)"), value="shared"),
        value=S.tab,
        on_change=S.choose_tab,
        width="100%",
    )
    return clinic_page(
        "Forms",
        "Questionnaires your patients fill in from the portal",
        tabs,
        action=rx.cond(S.may_build, _new_form_dialog()),
    )
