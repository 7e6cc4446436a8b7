"""The client workspace's Forms tab (loaded when opened): the record's forms, assigned, in progress and
submitted, and *Assign form* (my forms and the ones shared with me or my office)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import reflex as rx
from sqlmodel import Session

from app.services.actor import Actor
from app.services.forms import assign
from app.settings import get_settings
from app.state.forms import FormMixin, text
from app.state.notices import notify
from app.state.workspace_tabs import WorkspaceRecord

ASSIGN_BUTTON_ID = "assign-form-button"


def _row(row: assign.PatientFormRow) -> dict[str, str]:
    shown = {key: str(value) for key, value in asdict(row).items()}
    shown["href"] = f"/clinic/form-submissions/{row.submission_id}" if row.submission_id else ""
    return shown


class WorkspaceFormsState(FormMixin, WorkspaceRecord):
    forms: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    # the forms that may be assigned: id, title, whose
    choices: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    loading_tab: rx.Field[bool] = rx.field(False)
    assign_open: rx.Field[bool] = rx.field(False)
    form_key: rx.Field[int] = rx.field(0)

    async def _refresh(self, change: Any = None) -> tuple[bool, Any]:
        record = self._record_id()

        def work(db: Session, actor: Actor, _shell: Any) -> tuple[Any, list[assign.PatientFormRow]]:
            result = change(db, actor) if change is not None else None
            return result, assign.patient_forms(db, actor, record)

        ok, answer = await self._load_page(work)
        if not ok:
            return False, answer
        result, rows = answer
        self.forms = [_row(r) for r in rows]
        return True, result

    @rx.event
    async def load_tab(self):
        self.loading_tab, self.assign_open = True, False
        yield
        ok, answer = await self._refresh()
        self.loading_tab = False
        if not ok:
            yield answer

    @rx.event
    async def set_assign_open(self, value: bool):
        self.clear_errors()
        if value is not True:
            self.assign_open = False
            return None
        record = self._record_id()
        done, found = await self._submit(lambda db, actor: assign.assignable_forms(db, actor, record))
        if not done:
            return found if found is not None else notify.error(self.form_error)
        self.choices = [
            {"id": str(f.id), "title": f.title, "whose": "Your form" if f.mine else f"Shared by {f.author}"}
            for f in found
        ]
        self.form_key, self.assign_open = self.form_key + 1, True
        return None

    @rx.event
    async def assign(self, form: dict):
        self._start()
        yield
        chosen, due, message, record = (
            text(form, "form_id"),
            text(form, "due_date"),
            text(form, "message"),
            self._record_id(),
        )
        if not chosen:
            self.busy, self.errors = False, {"form_id": "Choose a form."}
            return

        def change(db: Session, actor: Actor) -> assign.AssignResult:
            return assign.assign_form(db, get_settings(), actor, record, chosen, due_date=due, message=message)

        done, outcome = await self._submit(lambda db, actor: change(db, actor))
        if not done:
            yield outcome
            return
        ok, answer = await self._refresh()
        self.busy, self.assign_open = False, False
        if not ok:
            yield answer
            return
        told = outcome.notified
        yield notify.success(
            f"Form assigned. {'The patient was' if told == 1 else f'{told} portal accounts were'} sent an e-mail."
            if told
            else "Form assigned. Nobody holds this record in the portal yet: give the patient an access code."
        )
        yield rx.set_focus(ASSIGN_BUTTON_ID)
