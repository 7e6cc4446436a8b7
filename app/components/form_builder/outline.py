"""The builder's outline: each section (its title, move, delete, *Add question*) and each question
(what it asks, its type and condition, and Edit, Duplicate, Move up, Move down, Delete buttons).
*Add question* and *Edit* open the question editor in place (question_editor.py), not in a dialog.

Every control is a real button with a name that says which question it acts on, so the whole
builder works with the keyboard; after a move, focus stays on the moved question's button.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar
from reflex_components_radix.themes.base import LiteralAccentColor

from app.components.focus_effect import focus_effect
from app.components.form_builder.numbering import numbered
from app.components.form_builder.question_editor import question_editor
from app.state.form_builder import FormBuilderState as B
from app.state.form_question import QuestionEditorState as Q
from app.state.form_rows import FormRow


def _icon_button(
    icon: str, label: rx.Var, on_click, color_scheme: LiteralAccentColor = "gray", **props
) -> rx.Component:
    return rx.icon_button(
        rx.icon(icon, size=16),
        variant="ghost",
        color_scheme=color_scheme,
        size="2",
        aria_label=label,
        title=label,
        on_click=on_click,
        **props,
    )


@rx.memo
def _question_actions(
    row_id: rx.Var[str], label: rx.Var[str], first: rx.Var[bool], last: rx.Var[bool], busy: rx.Var[bool]
) -> rx.Component:
    """A question's five buttons (most of a card's drawing): without its number, so renumbering the
    questions below an added one does not draw their buttons again."""
    row = rx.Var.create({"id": row_id, "label": label, "first": first, "last": last}).to(FormRow)
    name = "“" + row.label.to(str) + "”"
    return rx.hstack(
        rx.button(
            rx.icon("pencil", size=14),
            "Edit",
            variant="soft",
            size="1",
            id="edit-" + row.id.to(str),
            aria_label="Edit " + name,
            on_click=Q.open_edit(row.id),
        ),
        _icon_button("copy", "Duplicate " + name, B.duplicate(row.id), disabled=busy),
        _icon_button(
            "arrow_up",
            "Move " + name + " up",
            B.move(row.id, -1),
            id="move-up-" + row.id.to(str),
            disabled=row.first | busy,
        ),
        _icon_button(
            "arrow_down",
            "Move " + name + " down",
            B.move(row.id, 1),
            id="move-down-" + row.id.to(str),
            disabled=row.last | busy,
        ),
        _icon_button("trash_2", "Delete " + name, B.ask_delete(row.id, row.label), color_scheme="red"),
        spacing="1",
        align="center",
    )


def _question(row: ObjectVar[FormRow], busy: rx.Var[bool]) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.text(row.label, weight="medium", size="2", class_name="q-label"),  # its number: numbering.py
                rx.hstack(
                    rx.badge(row.type_label, variant="soft", color_scheme="gray"),
                    rx.cond(row.required, rx.badge("Required", variant="outline")),
                    spacing="1",
                    wrap="wrap",
                ),
                rx.cond(
                    row.condition != "",
                    rx.hstack(
                        rx.icon("git_branch", size=14),
                        rx.text(row.condition, size="1", color_scheme="gray"),
                        spacing="1",
                        align="center",
                    ),
                ),
                spacing="1",
                min_width="0",
                flex="1",
            ),
            rx.el.div(
                _question_actions(row_id=row.id, label=row.label, first=row.first, last=row.last, busy=busy),
                class_name="q-actions-offscreen",
            ),
            spacing="3",
            align="start",
            wrap="wrap",
        ),
        size="1",
        width="100%",
    )


def _section(row: ObjectVar[FormRow]) -> rx.Component:
    field_id = "section-title-" + row.id.to(str)
    name = "section " + row.title.to(str)
    return rx.flex(
        rx.vstack(
            rx.el.label(rx.text("Section title", size="1", color_scheme="gray"), html_for=field_id),
            rx.input(
                id=field_id,
                default_value=row.label,
                placeholder=row.title,
                on_blur=lambda value: B.rename_section(row.id, value),
                size="2",
                width="100%",
            ),
            spacing="1",
            flex="1",
            min_width="200px",
        ),
        rx.hstack(
            _icon_button("chevrons_up", "Move " + name + " up", B.move_section(row.id, -1), disabled=row.first),
            _icon_button("chevrons_down", "Move " + name + " down", B.move_section(row.id, 1), disabled=row.last),
            _icon_button("trash_2", "Delete " + name, B.ask_delete(row.id, row.title), color_scheme="red"),
            spacing="1",
        ),
        align="end",
        spacing="3",
        width="100%",
        padding_top="var(--space-4)",
        border_top=f"2px solid {rx.color('accent', 6)}",
    )


def _add_question(section: rx.Var) -> rx.Component:
    return rx.button(
        rx.icon("plus", size=16),
        "Add question",
        variant="soft",
        id="add-question-" + section.to(str),
        aria_label="Add question to this section",
        on_click=Q.open_add(section),
    )


@rx.memo
def _outline_row(
    kind: rx.Var[str],
    row_id: rx.Var[str],
    section_id: rx.Var[str],
    title: rx.Var[str],
    label: rx.Var[str],
    type_label: rx.Var[str],
    required: rx.Var[bool],
    condition: rx.Var[str],
    first: rx.Var[bool],
    last: rx.Var[bool],
    ends_section: rx.Var[bool],
    adding: rx.Var[bool],
    busy: rx.Var[bool],
    rest: rx.RestProp,  # only to take React's `key` (React keeps it: nothing is spread)
) -> rx.Component:
    """A question's card; a section's header. A section's *Add question* closes it (before the next one);
    while the editor adds a question there (`adding`), the editor stands in its place.

    A React memo of plain props: after a change only the rows whose own text or place changed draw
    again; a whole 100-question outline re-rendering took most of a click's time. The number is not
    among them: it stands beside the card in its own memo (numbering.py)."""
    fields = {"kind": kind, "id": row_id, "section_id": section_id, "title": title}
    fields |= {"label": label, "type_label": type_label, "required": required, "condition": condition}
    fields |= {"first": first, "last": last, "ends_section": ends_section}
    row = rx.Var.create(fields).to(FormRow)
    return rx.fragment(
        rest,
        rx.cond(kind == "section", _section(row), _question(row, busy)),
        rx.cond(ends_section & ~adding, _add_question(section_id)),
    )


def _row(row: ObjectVar[FormRow]) -> rx.Component:
    """The row, then the question editor if it is open here: below the question it edits, or at the
    end of the section it adds to (outside the row's memo; where it stands is the page's state)."""
    adding_here = row.ends_section & (B.editor_section == row.section_id)
    return rx.fragment(
        rx.cond(
            row.kind == "section",
            _memo_row(row, adding_here),
            numbered(row.number, "outline", _memo_row(row, adding_here)),
        ),
        rx.cond(adding_here | (B.editor_question == row.id), _editor()),
        key=row.id,
    )


@rx.memo
def _editor() -> rx.Component:
    """The editor as its own component: its state's changes (busy, the type, errors) redraw it alone."""
    return question_editor()


def _memo_row(row: ObjectVar[FormRow], adding: rx.Var[bool]) -> rx.Component:
    return _outline_row(
        kind=row.kind,
        row_id=row.id,
        section_id=row.section_id,
        title=row.title,
        label=row.label,
        type_label=row.type_label,
        required=row.required,
        condition=row.condition,
        first=row.first,
        last=row.last,
        ends_section=row.ends_section,
        adding=adding,
        busy=B.working == row.id,
    )


def _delete_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(
                rx.cond(B.deleting.get("kind", "") == "section", "Delete this section?", "Delete this question?")
            ),
            rx.alert_dialog.description(
                "“",
                B.deleting.get("label", ""),
                rx.cond(
                    B.deleting.get("kind", "") == "section",
                    "” and its questions will be removed from the form.",
                    "” will be removed from the form.",
                ),
                " Forms already filled in keep it.",
                size="2",
            ),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Keep it", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(rx.button("Delete", color_scheme="red", on_click=B.confirm_delete)),
                justify="end",
                spacing="3",
                margin_top="var(--space-4)",
            ),
        ),
        open=B.deleting.get("id", "") != "",
        on_open_change=B.set_delete_open,
    )


def outline() -> rx.Component:
    return rx.vstack(
        rx.foreach(B.rows, _row),
        rx.button(
            rx.icon("list_plus", size=16),
            "Add section",
            variant="outline",
            on_click=B.add_section,
            loading=B.working == "new-section",
        ),
        rx.text(Q.announcement, role="status", aria_live="polite", class_name="sr-only"),
        _delete_dialog(),
        focus_effect(B.focus_to, B.focus_key),
        spacing="3",
        width="100%",
    )
