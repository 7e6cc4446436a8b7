"""/clinic/forms/[form_id]: the form builder (its author), or the form as the patient will see it
(a practitioner or office it is shared with). Questions: form_question.py; sharing: form_sharing.py.

Every change is one service call that checks and saves it (services/forms/builder.py) and returns
the form as it now is; the page shows that, so what is on screen is what is saved. The live
preview is the same rows, with the preview's answers showing and hiding conditional questions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx
from sqlmodel import Session

from app.services import offices
from app.services.actor import Actor
from app.services.forms import builder, library, sections
from app.services.forms.render import sections as shown_sections
from app.services.forms.schema import FormSchema, from_json, visible_ids
from app.state.clinic import ClinicState
from app.state.form_rows import FormRow, form_rows
from app.state.forms import FormMixin, text
from app.state.notices import notify

DETAILS_FORM_ID = "form-details"


def move_button_id(question_id: str, step: int) -> str:
    return f"move-{'up' if step < 0 else 'down'}-{question_id}"


class FormBuilderState(FormMixin, ClinicState):
    shown_id: rx.Field[int] = rx.field(0)
    is_author: rx.Field[bool] = rx.field(False)
    title: rx.Field[str] = rx.field("")
    description: rx.Field[str] = rx.field("")
    author: rx.Field[str] = rx.field("")
    version: rx.Field[int] = rx.field(0)
    in_use: rx.Field[bool] = rx.field(False)
    shared: rx.Field[bool] = rx.field(False)
    rows: rx.Field[list[FormRow]] = rx.field(default_factory=list)
    # question id → the preview's answer ("\n" between choices)
    preview_answers: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    preview_visible: rx.Field[list[str]] = rx.field(default_factory=list)
    # the question or section whose deletion waits for a confirmation
    deleting: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    working: rx.Field[str] = rx.field("")  # the row an action is busy with
    details_key: rx.Field[int] = rx.field(0)
    # the element to focus once the change is on screen (components/focus_effect.py)
    focus_to: rx.Field[str] = rx.field("")
    focus_key: rx.Field[int] = rx.field(0)
    # Where the question editor (form_question.py) stands: at the end of this section, or below this
    # question. Kept here, so the outline's rows depend on this state only, not on the editor's.
    editor_section: rx.Field[str] = rx.field("")
    editor_question: rx.Field[str] = rx.field("")
    _schema: str = ""  # the form as saved (JSON): the preview's conditions are worked out from it

    def _focus(self, element_id: str) -> None:
        self.focus_to, self.focus_key = element_id, self.focus_key + 1

    def _wanted(self) -> object:
        return getattr(self, "form_id", "")  # the route's [form_id]: a request, checked by the service

    def _show_schema(self, schema: FormSchema, content: str = "") -> None:
        self.title, self.description = schema.title, schema.description
        rows = form_rows(shown_sections(schema))
        self.rows = rows
        self._schema = content or schema.to_json()
        known = {r.id for r in rows}  # the plain list: every read through the state's proxy costs
        self.preview_answers = {k: v for k, v in self.preview_answers.items() if k in known}
        self._preview(schema)

    def _show(self, view: builder.BuilderView) -> None:
        self.shown_id, self.is_author, self.version = view.form_id, True, view.version
        self.in_use, self.shared = view.in_use, view.shared
        self._show_schema(view.schema, view.content)

    def _preview(self, schema: FormSchema | None = None) -> None:
        if schema is None and not self._schema:
            self.preview_visible = []
            return
        schema = schema if schema is not None else from_json(self._schema)
        answers: dict[str, object] = {}
        preview_answers = dict(self.preview_answers)  # once, not once per question through the proxy
        for question in schema.questions():
            given = preview_answers.get(question.id, "")
            if given:
                answers[question.id] = given.split("\n") if question.type == "multiple_choice" else given
        self.preview_visible = sorted(visible_ids(schema, answers))

    @rx.event
    async def load(self):
        wanted = self._wanted()
        if str(self.shown_id) != str(wanted):
            self.shown_id, self.rows, self.preview_answers, self._schema = 0, [], {}, ""
        self.deleting, self.working, self.editor_section, self.editor_question = {}, "", "", ""
        self.clear_errors()

        def work(db: Session, actor: Actor, _shell: offices.ClinicShell) -> Any:
            found = library.preview(db, actor, wanted)
            return builder.builder_view(db, actor, wanted) if found.is_author else found

        ok, view = await self._load_page(work, loading=True)
        if not ok:
            self.shown_id = 0
            return view
        if isinstance(view, builder.BuilderView):
            self._show(view)
        else:
            self.shown_id, self.is_author, self.version = view.form_id, False, view.version
            self.author, self.in_use, self.shared = view.author, False, False
            self._show_schema(view.schema)
        self.details_key += 1
        return None

    async def _edit(self, change: Callable[[Session, Actor, int], builder.BuilderView], busy: str = "") -> Any:
        """Apply one builder change; the page shows the form as the service saved it."""
        form_id = self.shown_id
        self.working = busy
        done, view = await self._submit(lambda db, actor: change(db, actor, form_id))
        self.working = ""
        if not done:
            return False, view if view is not None else notify.error(self.form_error)
        self._show(view)
        self.busy = False
        return True, view

    @rx.event
    async def save_details(self, form: dict):
        self._start()
        yield
        title, description = text(form, "title"), text(form, "description")
        done, answer = await self._edit(lambda db, actor, f: sections.save_details(db, actor, f, title, description))
        yield notify.success("Title and description saved.") if done else answer

    @rx.event
    async def move(self, question_id: str, step: int | str):
        """One place up or down; focus stays on the same button of the moved question."""
        done, answer = await self._edit(
            lambda db, actor, f: builder.move_question(db, actor, f, question_id, step), str(question_id)[:20]
        )
        if not done:
            return answer
        moved = next((r for r in self.rows if r.id == question_id), None)
        if moved is None:
            return None
        direction = -1 if str(step) == "-1" else 1
        # At the top or bottom now, that button is off: focus its other one.
        if (direction < 0 and moved.first) or (direction > 0 and moved.last):
            direction = -direction
        self._focus(move_button_id(moved.id, direction))
        return None

    @rx.event
    async def duplicate(self, question_id: str):
        done, answer = await self._edit(
            lambda db, actor, f: builder.duplicate_question(db, actor, f, question_id), str(question_id)[:20]
        )
        if not done:
            return answer
        self._focus(f"edit-{answer.changed}")
        return notify.success("Question duplicated below.")

    @rx.event
    def ask_delete(self, row_id: str, label: str) -> None:
        found = next((r for r in self.rows if r.id == row_id), None)
        if found is not None:
            self.deleting = {"id": found.id, "kind": found.kind, "label": str(label)[:200] or found.title}

    @rx.event
    def set_delete_open(self, value: bool) -> None:
        if value is not True:
            self.deleting = {}

    @rx.event
    async def confirm_delete(self):
        gone = dict(self.deleting)
        row_id = gone.get("id", "")
        if gone.get("kind") == "section":
            done, answer = await self._edit(lambda db, actor, f: sections.delete_section(db, actor, f, row_id))
        else:
            done, answer = await self._edit(lambda db, actor, f: builder.delete_question(db, actor, f, row_id))
        self.deleting = {}
        if not done:
            return answer
        self._focus(f"add-question-{answer.changed}")
        return notify.success("Deleted.")

    @rx.event
    async def add_section(self):
        done, answer = await self._edit(lambda db, actor, f: sections.add_section(db, actor, f, ""), "new-section")
        if not done:
            return answer
        self._focus(f"section-title-{answer.changed}")
        return None

    @rx.event
    async def rename_section(self, section_id: str, value: str):
        current = next((r.label for r in self.rows if r.id == section_id and r.kind == "section"), None)
        if current is None or current == (value if isinstance(value, str) else "").strip():
            return None
        done, answer = await self._edit(lambda db, actor, f: sections.rename_section(db, actor, f, section_id, value))
        return None if done else answer

    @rx.event
    async def move_section(self, section_id: str, step: int | str):
        done, answer = await self._edit(
            lambda db, actor, f: sections.move_section(db, actor, f, section_id, step), str(section_id)[:20]
        )
        if not done:
            return answer
        self._focus(f"section-title-{section_id}")
        return None

    # ---- the live preview ----------------------------------------------------------------------

    @rx.event
    def preview_answer(self, question_id: str, value: str) -> None:
        """A choice or yes/no answer in the preview (nothing is saved): conditions show and hide."""
        if not isinstance(question_id, str) or not any(r.id == question_id for r in self.rows):
            return
        self.preview_answers = {**self.preview_answers, question_id: value if isinstance(value, str) else ""}
        self._preview()

    @rx.event
    def preview_toggle(self, question_id: str, value: str) -> None:
        """A multiple choice option ticked or unticked in the preview."""
        row = next((r for r in self.rows if r.id == question_id), None)
        if row is None or value not in row.options:
            return
        chosen = set(filter(None, self.preview_answers.get(question_id, "").split("\n")))
        chosen ^= {value}
        self.preview_answers = {**self.preview_answers, question_id: "\n".join(o for o in row.options if o in chosen)}
        self._preview()

    @rx.event
    def clear_preview(self) -> None:
        self.preview_answers = {}
        self._preview()
