"""The builder's question editor, inline in the outline (no dialog over the page): add a question at
the end of a section, or edit one below its card (its type, label, help, required flag, the type's
own settings, and "show this question only when …").

Once saved, the editor closes, focus goes to the question's Edit button and a polite live region
(role=status) says what happened: on a long form, a dialog closing and a toast appearing each
forced a style pass over the whole page (most of an add's time)."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from app.services.actor import Actor
from app.services.forms import builder
from app.state.clinic import ClinicState
from app.state.form_builder import FormBuilderState
from app.state.form_rows import FormRow, condition_choices, condition_sources
from app.state.forms import FormMixin, text, ticked
from app.state.notices import notify

FIELDS = ("type", "label", "help", "options", "min", "max", "min_label", "max_label")
CONDITION = ("show_if_question", "show_if_op", "show_if_value")
ALWAYS = "always"  # the condition's source select: "Always show this question"


def _draft(row: FormRow) -> dict[str, str]:
    return {
        "type": row.type,
        "label": row.label,
        "help": row.help,
        "required": "on" if row.required else "",
        "options": "\n".join(row.options) if row.type in ("single_choice", "multiple_choice") else "",
        "min": row.min,
        "max": row.max,
        "min_label": row.min_label,
        "max_label": row.max_label,
    }


class QuestionEditorState(FormMixin, ClinicState):
    editor_open: rx.Field[bool] = rx.field(False)
    editing: rx.Field[str] = rx.field("")  # the question being edited ("" while adding one)
    section: rx.Field[str] = rx.field("")  # the section a new question goes to
    draft: rx.Field[dict[str, str]] = rx.field(default_factory=dict)  # the editor's starting values
    draft_type: rx.Field[str] = rx.field("short_text")
    sources: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)  # earlier choice and yes/no questions
    source: rx.Field[str] = rx.field(ALWAYS)
    op: rx.Field[str] = rx.field("")
    value: rx.Field[str] = rx.field("")
    ops: rx.Field[list[list[str]]] = rx.field(default_factory=list)
    values: rx.Field[list[list[str]]] = rx.field(default_factory=list)
    form_key: rx.Field[int] = rx.field(0)
    announcement: rx.Field[str] = rx.field("")  # the live region's text: "Question added: “…”."

    async def _rows(self) -> list[FormRow]:
        page = await self.get_state(FormBuilderState)
        return list(page.rows) if page.is_author else []

    async def _choose_source(self, source: str, op: str = "", value: str = "") -> None:
        known = {s["id"] for s in self.sources}
        self.source = source if source in known else ALWAYS
        self.ops, self.values = condition_choices(await self._rows(), self.source)
        self.op = op if any(o[0] == op for o in self.ops) else (self.ops[0][0] if self.ops else "")
        self.value = value if any(v[0] == value for v in self.values) else (self.values[0][0] if self.values else "")

    @rx.event
    async def open_add(self, section_id: str):
        rows = await self._rows()
        if not any(r.kind == "section" and r.id == section_id for r in rows):
            return notify.error("This section is no longer on the form. Please reload the page.")
        self.clear_errors()
        self.editing, self.section, self.draft, self.draft_type = "", section_id, {}, "short_text"
        self.sources = condition_sources(rows, section_id)
        await self._choose_source(ALWAYS)
        await self._open(section_id, "")
        return None

    @rx.event
    async def open_edit(self, question_id: str):
        rows = await self._rows()
        row = next((r for r in rows if r.kind == "question" and r.id == question_id), None)
        if row is None:
            return notify.error("This question is no longer on the form. Please reload the page.")
        self.clear_errors()
        self.editing, self.section, self.draft, self.draft_type = row.id, row.section_id, _draft(row), row.type
        self.sources = condition_sources(rows, row.id)
        await self._choose_source(row.condition_question or ALWAYS, row.condition_op, row.condition_value)
        await self._open("", row.id)
        return None

    async def _open(self, section_id: str, question_id: str) -> None:
        self.form_key, self.editor_open, self.announcement = self.form_key + 1, True, ""
        page = await self.get_state(FormBuilderState)
        page.editor_section, page.editor_question = section_id, question_id

    @rx.event
    async def cancel(self):
        """Close the editor, nothing saved; focus goes back to the button that opened it."""
        if not self.editor_open:
            return
        self.editor_open = False
        self.clear_errors()
        page = await self.get_state(FormBuilderState)
        page.editor_section, page.editor_question = "", ""
        page._focus(f"edit-{self.editing}" if self.editing else f"add-question-{self.section}")

    @rx.event
    def set_draft_type(self, value: str) -> None:
        self.draft_type = value if isinstance(value, str) else "short_text"

    @rx.event
    async def set_source(self, value: str):
        await self._choose_source(value if isinstance(value, str) else ALWAYS)

    @rx.event
    def set_op(self, value: str) -> None:
        self.op = value if any(o[0] == value for o in self.ops) else self.op

    @rx.event
    def set_value(self, value: str) -> None:
        self.value = value if any(v[0] == value for v in self.values) else self.value

    @rx.event
    async def save(self, form: dict):
        """One answer, no "busy" update first (it cost an add a second round trip, ~20 ms): Reflex
        runs a client's events one after another, so a double click's second submit arrives after
        the first closed the editor, and is ignored here."""
        if not self.editor_open:
            return
        self._start()
        fields: dict[str, object] = {name: text(form, name) for name in FIELDS}
        fields["type"] = self.draft_type
        fields["required"] = ticked(form, "required")
        if self.source != ALWAYS:
            fields.update(show_if_question=self.source, show_if_op=self.op, show_if_value=self.value)
        editing, section = self.editing, self.section
        page = await self.get_state(FormBuilderState)
        form_id = page.shown_id

        def work(db: Session, actor: Actor) -> builder.BuilderView:
            if editing:
                return builder.update_question(db, actor, form_id, editing, fields)
            return builder.add_question(db, actor, form_id, section, fields)

        done, view = await self._submit(work)
        if not done:
            yield view
            return
        page = await self.get_state(FormBuilderState)
        page._show(view)
        page._focus(f"edit-{view.changed}")
        page.editor_section, page.editor_question = "", ""
        label = next((r.label for r in page.rows if r.id == view.changed), "")
        self.busy, self.editor_open = False, False
        self.announcement = f"Question {'saved' if editing else 'added'}: “{label}”."
