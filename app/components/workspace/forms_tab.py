"""Forms: the record's forms — to fill in, in progress, submitted — and *Assign form* (loaded when the
tab opens; the office's owner, practitioners and front desk)."""

from __future__ import annotations

from typing import cast

import reflex as rx
from reflex.vars import ObjectVar

from app.components.empty_state import empty_state
from app.components.forms import dialog_actions, field_error, form_error
from app.components.layout import loading_panel
from app.components.tables import data_table
from app.state.patient_workspace import PatientWorkspaceState as W
from app.state.workspace_forms import ASSIGN_BUTTON_ID
from app.state.workspace_forms import WorkspaceFormsState as F

STATUS_COLORS = {"assigned": "amber", "in_progress": "blue", "submitted": "green"}


def _status(row: ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.vstack(
        rx.badge(
            row["status_words"],
            variant="soft",
            # rx.match is typed Component | Var: these cases give a Var
            color_scheme=cast(rx.Var, rx.match(row["status"], *STATUS_COLORS.items(), "gray")),
        ),
        rx.cond(row["reviewed"] != "", rx.text(row["reviewed"], size="1", color_scheme="gray")),
        spacing="1",
    )


def _row(row: ObjectVar[dict[str, str]]) -> rx.Component:
    title = rx.cond(
        row["href"] != "",
        rx.link(row["title"], href=row["href"], weight="medium"),
        rx.text(row["title"], weight="medium"),
    )
    return rx.table.row(
        rx.table.row_header_cell(title),
        rx.table.cell(_status(row)),
        rx.table.cell(
            rx.vstack(
                rx.text(row["assigned_on"], size="2"),
                rx.text("by " + row["assigned_by"].to(str), size="1", color_scheme="gray"),
                spacing="0",
            )
        ),
        rx.table.cell(rx.cond(row["due"] != "", row["due"], "—")),
        rx.table.cell(rx.cond(row["submitted_on"] != "", row["submitted_on"], "—")),
    )


def _labelled(label: str, name: str, control: rx.Component, hint: str = "") -> rx.Component:
    return rx.flex(
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for=f"assign-{name}"),
        rx.cond(hint != "", rx.text(hint, size="1", color_scheme="gray")),
        control,
        field_error(F.errors.get(name, ""), f"assign-{name}"),
        direction="column",
        spacing="1",
        width="100%",
    )


def _assign_dialog() -> rx.Component:
    chooser = rx.select.root(
        rx.select.trigger(id="assign-form_id", aria_label="Form", placeholder="Choose a form…", width="100%"),
        rx.select.content(
            rx.foreach(F.choices, lambda c: rx.select.item(c["title"] + " — " + c["whose"].to(str), value=c["id"]))
        ),
        name="form_id",
    )
    return rx.dialog.root(
        rx.dialog.trigger(
            rx.button(
                rx.icon("clipboard_plus", size=16), "Assign form", id=ASSIGN_BUTTON_ID, disabled=W.archived_on != ""
            )
        ),
        rx.dialog.content(
            rx.dialog.title("Assign a form"),
            rx.dialog.description(
                "The patient fills it in from the portal. Everyone holding this record in the portal gets an "
                "e-mail with a link.",
                size="2",
                color_scheme="gray",
            ),
            rx.cond(
                F.choices.length() > 0,
                rx.form(
                    rx.vstack(
                        form_error(F.form_error),
                        _labelled("Form", "form_id", chooser),
                        _labelled(
                            "Due date",
                            "due_date",
                            rx.input(id="assign-due_date", name="due_date", type="date"),
                            "Optional",
                        ),
                        _labelled(
                            "Message to the patient",
                            "message",
                            rx.text_area(id="assign-message", name="message", rows="3"),
                            "Optional: shown with the form and in the e-mail.",
                        ),
                        dialog_actions("Assign form", F.busy),
                        spacing="4",
                        margin_top="var(--space-3)",
                    ),
                    on_submit=F.assign,
                    key=F.form_key,
                ),
                rx.vstack(
                    rx.text(
                        "No forms to give yet: build one under Forms, or ask a practitioner to share theirs with "
                        "you or your office.",
                        size="2",
                    ),
                    rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
                    spacing="3",
                    margin_top="var(--space-3)",
                ),
            ),
            max_width="520px",
        ),
        open=F.assign_open,
        on_open_change=F.set_assign_open,
    )


def forms_tab() -> rx.Component:
    table = data_table(
        ["Form", "Status", "Assigned", "Due", "Submitted"],
        F.forms,
        _row,
        empty_state(
            "clipboard_check",
            "No forms yet",
            "Give this patient an intake form or a questionnaire with Assign form; they fill it in from the portal.",
        ),
        variant="surface",
    )
    return rx.vstack(
        rx.flex(
            rx.text("Open a submitted form to read it, print it and mark it reviewed.", size="2", color_scheme="gray"),
            rx.spacer(),
            _assign_dialog(),
            align="center",
            spacing="3",
            wrap="wrap",
            width="100%",
        ),
        rx.cond(F.loading_tab & (F.forms.length() == 0), loading_panel(), table),
        spacing="4",
        width="100%",
    )
