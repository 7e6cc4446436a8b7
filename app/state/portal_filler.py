"""The portal's filler (/portal/forms/[assignment_id]): one section at a time, each answer saved as it
is given (save and come back, on any device), a review of every answer, *Submit*, and then the
read-only submission (printable).

Every answer goes through the service one question at a time (services/forms/filling.py) and comes
back with the questions now shown; a refused answer's message stands beside its question. *Next*
asks the service which required questions of the section still lack an answer; *Submit* is checked
again in full on the server.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from sqlmodel import Session

from app.services.actor import Actor
from app.services.errors import DomainError
from app.services.forms import filler, filling
from app.services.forms.render import ShownSection
from app.services.forms.review import SubmissionView
from app.state.errors import answer, leaves_the_page
from app.state.form_rows import FormRow, form_rows
from app.state.notices import notify
from app.state.portal import PortalState

STEP_HEADING_ID = "filler-step-heading"
SAVED = "All answers saved."
NOT_SAVED = "Not saved: please check the answer marked below."
MISSING = "Some questions need an answer before you go on."


def _as_input(value: object) -> str:
    """A saved answer as the inputs read it (multiple choices one per line; a signature's name)."""
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, dict):
        name = value.get("name", "")
        return name if isinstance(name, str) else ""
    return "" if value is None else str(value)


class PortalFillerState(PortalState):
    shown_id: rx.Field[int] = rx.field(0)
    mode: rx.Field[str] = rx.field("")  # "fill", "review" or "submitted"
    form: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    rows: rx.Field[list[FormRow]] = rx.field(default_factory=list)
    section_ids: rx.Field[list[str]] = rx.field(default_factory=list)
    section_index: rx.Field[int] = rx.field(0)
    answers: rx.Field[dict[str, str]] = rx.field(default_factory=dict)  # question id → the answer as the inputs read it
    images: rx.Field[dict[str, str]] = rx.field(default_factory=dict)  # question id → a drawn signature
    visible: rx.Field[list[str]] = rx.field(default_factory=list)
    errors: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    save_status: rx.Field[str] = rx.field("")
    review_rows: rx.Field[list[FormRow]] = rx.field(default_factory=list)
    busy: rx.Field[bool] = rx.field(False)
    _drawn: dict[str, str] = {}  # the drawing of each signature, sent again with its typed name

    @rx.var
    def section_count(self) -> int:
        return len(self.section_ids)

    @rx.var
    def current_section(self) -> str:
        return self.section_ids[self.section_index] if 0 <= self.section_index < len(self.section_ids) else ""

    @rx.var
    def progress(self) -> str:
        return f"Section {self.section_index + 1} of {len(self.section_ids)}" if self.section_ids else ""

    @rx.var
    def progress_percent(self) -> int:
        return round(100 * (self.section_index + 1) / len(self.section_ids)) if self.section_ids else 100

    @rx.var
    def section_title(self) -> str:
        return next((r.title for r in self.rows if r.kind == "section" and r.id == self.current_section), "")

    def _show_submitted(self, view: SubmissionView) -> None:
        self.mode, self.errors, self.save_status = "submitted", {}, ""
        self.form = {
            "title": view.title,
            "description": view.description,
            "patient_name": view.patient_name,
            "office_name": view.office_name,
            "submitted_on": view.submitted_on,
            "submitted_by": view.submitted_by,
            "due": "",
            "message": "",
        }
        self.rows, self.review_rows, self.answers, self.images, self._drawn = form_rows(view.sections), [], {}, {}, {}

    def _show_fill(self, view: filling.FillView) -> None:
        self.mode, self.errors, self.save_status, self.section_index = "fill", {}, "", 0
        self.form = {
            "title": view.title,
            "description": view.description,
            "patient_name": view.patient_name,
            "office_name": view.office_name,
            "due": view.due,
            "message": view.message,
        }
        self.rows = form_rows(view.sections)
        self.section_ids = [s.id for s in view.sections]
        self.answers = {qid: _as_input(value) for qid, value in view.answers.items()}
        self.images = {
            qid: value["image"]
            for qid, value in view.answers.items()
            if isinstance(value, dict) and isinstance(value.get("image"), str) and value["image"]
        }
        self._drawn, self.visible, self.review_rows = {}, list(view.visible), []
        self.section_index = view.resume_at
        if not self.section_ids:
            self.mode = "review"

    @rx.event
    async def load(self):
        wanted = getattr(self, "assignment_id", "")
        self.busy = False

        def work(db: Session, actor: Actor, _current: int | None) -> filler.PortalForm:
            return filler.open_portal_form(db, actor, wanted)

        ok, found = await self._open_portal(work, loading=True)
        if not ok:
            self.shown_id, self.mode, self.rows, self.answers, self.images = 0, "", [], {}, {}
            return found
        if found.submitted is not None:
            self.shown_id = found.submitted.assignment_id
            self._show_submitted(found.submitted)
        else:
            self.shown_id = found.fill.assignment_id
            self._show_fill(found.fill)
        return None

    def _refused(self, error: Exception) -> Any:
        """A refused answer beside its question; anything else answered the usual way."""
        if isinstance(error, DomainError) and error.field and not leaves_the_page(error):
            self.errors = {**self.errors, error.field: error.message}
            self.save_status = NOT_SAVED
            return None
        self.save_status = ""
        return answer(self, error)

    async def _save(self, question_id: str, value: object, shown: str):
        if self.mode != "fill" or not isinstance(question_id, str):
            return
        assignment = self.shown_id
        self.save_status = "Saving…"
        yield

        def work(db: Session, actor: Actor) -> filling.SavedAnswer:
            return filling.save_answer(db, actor, assignment, question_id, value)

        try:
            saved = await self._as_actor(work)
        except Exception as error:
            yield self._refused(error)
            return
        self.answers = {**self.answers, saved.question_id: shown}
        self.errors = {k: v for k, v in self.errors.items() if k != saved.question_id}
        self.visible, self.save_status = saved.visible, SAVED

    @rx.event
    async def save_answer(self, question_id: str, value: Any):
        """A text, number, date, scale, single choice or yes/no answer (autosave); "" clears it."""
        shown = value if isinstance(value, str) else str(value) if isinstance(value, int) else ""
        async for update in self._save(question_id, value if value != "" else None, shown):
            yield update

    @rx.event
    async def toggle_choice(self, question_id: str, option: str):
        """A multiple choice option ticked or unticked: the whole choice is saved."""
        if not isinstance(question_id, str) or not isinstance(option, str):
            return
        chosen = [o for o in self.answers.get(question_id, "").split("\n") if o]
        chosen = [o for o in chosen if o != option] if option in chosen else [*chosen, option]
        async for update in self._save(question_id, chosen or None, "\n".join(chosen)):
            yield update

    @rx.event
    async def sign_name(self, question_id: str, name: str):
        """The signature's typed name (which signs on its own), with the drawing made so far."""
        image = self._drawn.get(question_id, self.images.get(question_id, "")) if isinstance(question_id, str) else ""
        typed = name if isinstance(name, str) else ""
        async for update in self._save(question_id, {"name": typed, "image": image}, typed):
            yield update

    @rx.event
    async def draw_signature(self, question_id: str, image: str):
        """The drawing pad's stroke ended (or it was cleared): saved with the typed name."""
        if not isinstance(question_id, str) or not isinstance(image, str):
            return
        self._drawn = {**self._drawn, question_id: image}
        name = self.answers.get(question_id, "")
        async for update in self._save(question_id, {"name": name, "image": image}, name):
            yield update
        if question_id not in self.errors:
            self.images = {**self.images, question_id: image}

    @rx.event
    async def next_section(self):
        """On to the next section (or the review) once the shown required questions have answers."""
        if self.mode != "fill":
            return None
        assignment, section = self.shown_id, self.current_section
        is_last = self.section_index >= len(self.section_ids) - 1

        def work(db: Session, actor: Actor) -> dict[str, str] | list[ShownSection]:
            missing = filler.section_problems(db, actor, assignment, section)
            if missing or not is_last:
                return missing
            return filler.review_answers(db, actor, assignment)

        try:
            found = await self._as_actor(work)
        except Exception as error:
            return self._refused(error)
        if isinstance(found, dict) and found:
            self.errors, self.save_status = {**self.errors, **found}, MISSING
            return rx.set_focus(STEP_HEADING_ID)
        self.errors = {}
        if isinstance(found, list):  # the last section: its answers, to review
            self.mode, self.review_rows = "review", form_rows(found)
        else:
            self.section_index += 1
        return rx.set_focus(STEP_HEADING_ID)

    @rx.event
    def previous_section(self):
        if self.mode == "review" and self.section_ids:
            self.mode, self.section_index = "fill", len(self.section_ids) - 1
        elif self.mode == "fill" and self.section_index > 0:
            self.section_index -= 1
        else:
            return None
        return rx.set_focus(STEP_HEADING_ID)

    @rx.event
    async def submit(self):
        """Submit for good: the server checks everything again; a refused answer opens its section."""
        if self.mode != "review" or self.busy:
            return
        self.busy = True
        yield
        assignment = self.shown_id

        def work(db: Session, actor: Actor) -> SubmissionView:
            filling.submit_form(db, actor, assignment)
            return filling.own_submission(db, actor, assignment)

        try:
            view = await self._as_actor(work)
        except Exception as error:
            self.busy = False
            field = error.field if isinstance(error, DomainError) else ""
            section = next((r.section_id for r in self.rows if r.kind == "question" and r.id == field), None)
            if section is not None and section in self.section_ids:
                self.mode, self.section_index = "fill", self.section_ids.index(section)
            yield self._refused(error)
            return
        self.busy = False
        self._show_submitted(view)
        yield notify.success("Thank you! Your form was sent to the clinic.")
        yield rx.set_focus(STEP_HEADING_ID)
