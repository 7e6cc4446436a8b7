"""Clinic: the patient list (the client workspace of one patient is state/patient_workspace.py)."""

from __future__ import annotations

import re

import reflex as rx
from sqlmodel import Session

from app.services import offices
from app.services.actor import Actor
from app.services.patients import records, same_email, search
from app.state.clinic import ClinicState
from app.state.forms import FormMixin, text
from app.state.notices import notify

PATIENT_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "email",
    "phone",
    "address",
    "emergency_contact",
    "notes",
)


def picker_row(row: search.PatientRow) -> dict[str, str]:
    """A match in a patient picker: the name, and what tells namesakes apart."""
    detail = " · ".join(x for x in (row.date_of_birth, row.phone, row.email) if x)
    return {"id": str(row.id), "name": row.name, "detail": detail}


def page_number(value: object) -> int:
    """A page number from the browser: a small whole number, else the first page (the service clamps it)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return max(1, min(value, 1_000_000))
    text = str(value) if isinstance(value, str) else ""
    return max(1, min(int(text), 1_000_000)) if re.fullmatch(r"-?[0-9]{1,7}", text) else 1


def patient_input(form: dict) -> records.PatientInput:
    return records.PatientInput(**{name: text(form, name) for name in PATIENT_FIELDS})


class PatientListState(FormMixin, ClinicState):
    query: rx.Field[str] = rx.field("")
    page: rx.Field[int] = rx.field(1)
    rows: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    total: rx.Field[int] = rx.field(0)
    pages: rx.Field[int] = rx.field(1)
    searching: rx.Field[bool] = rx.field(False)
    new_open: rx.Field[bool] = rx.field(False)
    # another record has the typed e-mail: which, and the address asked about
    same_email: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    archived: rx.Field[bool] = rx.field(False)  # the archived records instead of the active ones

    async def _search(self):
        query, page, archived = self.query, self.page, self.archived

        def work(db: Session, actor: Actor, shell: offices.ClinicShell) -> search.PatientPage | None:
            if not shell.office_id:
                return None
            return search.search_patients(db, actor, shell.office_id, query, page, archived=archived)

        ok, result = await self._load_page(work, loading=not self.rows)
        self.searching = False
        if not ok:
            return result
        if result is None:
            return rx.redirect("/clinic")
        self.rows = [
            {"id": str(r.id), "name": r.name, "date_of_birth": r.date_of_birth, "email": r.email, "phone": r.phone}
            for r in result.rows
        ]
        self.total, self.page, self.pages = result.total, result.page, result.pages
        return None

    @rx.event
    async def load(self):
        self.query, self.page, self.new_open, self.archived = "", 1, False, False
        return await self._search()

    @rx.event
    async def show_archived(self, value: bool):
        self.archived, self.page = value is True, 1
        return await self._search()

    @rx.event
    async def set_query(self, value: str):
        self.query, self.page, self.searching = str(value)[:100], 1, True
        yield
        yield await self._search()

    @rx.event
    async def go_to_page(self, page: int | str):
        self.page = page_number(page)
        return await self._search()

    @rx.event
    def set_new_open(self, value: bool) -> None:
        self.new_open, self.same_email = bool(value), {}
        self.clear_errors()

    @rx.event
    async def create(self, form: dict):
        self._start()
        yield
        data = patient_input(form)
        office_id = self.office_id

        confirmed = self.same_email.get("typed", "")  # asked about this address already: create

        def work(db: Session, actor: Actor) -> same_email.CreateOutcome:
            return same_email.create_unless_email_taken(db, actor, office_id, data, confirmed_email=confirmed)

        done, outcome = await self._submit(work)
        if not done:
            yield outcome
            return
        if outcome.same_email is not None:
            found = outcome.same_email
            self.busy = False
            self.same_email = {"id": str(found.patient_id), "name": found.name, "typed": data.email}
            return
        patient_id, self.same_email = outcome.created_id, {}
        self.busy, self.new_open = False, False
        yield rx.redirect(f"/clinic/patients/{patient_id}")
        yield notify.success("Patient record created.")
