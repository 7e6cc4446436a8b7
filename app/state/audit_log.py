"""The office owner's Audit log (Office → Audit log) and the portal's "Who opened my record".

Every filter a handler receives is a request: ids go through parse_id, choices
are checked against what the page was given, and the service checks the
owner's right and validates the filter again on every call. The CSV export is
an HTTP download (app/web/export_routes.py); the page only builds its address.
"""

from __future__ import annotations

from urllib.parse import urlencode

import reflex as rx
from sqlmodel import Session

from app.services import audit_log, offices, record_access
from app.services.actor import Actor
from app.services.errors import DomainError, Invalid
from app.services.ids import is_id, optional_id
from app.state.clinic import ClinicState
from app.state.errors import answer
from app.state.failures import unexpected
from app.state.patients import page_number
from app.state.portal import PortalState
from app.web.export_routes import AUDIT_LOG_PATH

ANYONE = "all"  # the selects' "no filter" item (a Radix select item cannot have an empty value)
FILTERS = ("patient_id", "patient_name", "person_id", "action", "start", "end")


def _log_row(row: audit_log.LogRow) -> dict[str, str]:
    return {
        "id": str(row.id),
        "when": row.when,
        "person": row.person,
        "what": row.action_words,
        "patient": row.patient,
        "detail": row.detail,
    }


class AuditLogState(ClinicState):
    rows: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    total: rx.Field[int] = rx.field(0)
    page: rx.Field[int] = rx.field(1)
    pages: rx.Field[int] = rx.field(1)
    loading: rx.Field[bool] = rx.field(False)  # a filter or page change is on its way
    time_zone: rx.Field[str] = rx.field("")
    people: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)  # {"id", "name"}
    actions: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)  # {"value", "words"}
    # The filter the rows were read with.
    patient_id: rx.Field[str] = rx.field("")
    patient_name: rx.Field[str] = rx.field("")
    person_id: rx.Field[str] = rx.field("")
    action: rx.Field[str] = rx.field("")
    start: rx.Field[str] = rx.field("")
    end: rx.Field[str] = rx.field("")
    errors: rx.Field[dict[str, str]] = rx.field(default_factory=dict)  # a date the service refused, beside its field
    dates_key: rx.Field[int] = rx.field(0)  # new date inputs (empty) when the filters are cleared
    # The patient picker.
    patient_query: rx.Field[str] = rx.field("")
    patient_matches: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)

    @rx.var
    def filtered(self) -> bool:
        return bool(self.patient_id or self.person_id or self.action or self.start or self.end)

    @rx.var
    def person_choice(self) -> str:
        return self.person_id or ANYONE

    @rx.var
    def action_choice(self) -> str:
        return self.action or ANYONE

    @rx.var
    def export_href(self) -> str:
        """The CSV of what the filter matches; the route checks the session and the filter again."""
        wanted = {
            "office": str(self.office_id),
            "patient": self.patient_id,
            "person": self.person_id,
            "action": self.action,
            "start": self.start,
            "end": self.end,
        }
        return AUDIT_LOG_PATH + "?" + urlencode({key: value for key, value in wanted.items() if value})

    def _wanted(self) -> audit_log.LogFilter:
        return audit_log.LogFilter(
            patient_id=optional_id(self.patient_id),
            person_id=optional_id(self.person_id),
            action=self.action,
            start=self.start,
            end=self.end,
        )

    @rx.event
    async def load(self):
        for name in FILTERS:
            setattr(self, name, "")
        self.errors, self.patient_query, self.patient_matches, self.loading = {}, "", [], False
        self.dates_key += 1

        def work(
            db: Session, actor: Actor, shell: offices.ClinicShell
        ) -> tuple[audit_log.LogChoices, audit_log.LogPage] | None:
            if not shell.office_id:
                return None
            choices = audit_log.log_choices(db, actor, shell.office_id)
            return choices, audit_log.office_log(db, actor, shell.office_id, audit_log.LogFilter())

        ok, loaded = await self._load_page(work, loading=True)
        if not ok:
            return loaded
        if loaded is None:
            return rx.redirect("/clinic")
        choices, found = loaded
        self.time_zone = choices.time_zone
        self.people = [{"id": str(pid), "name": name} for pid, name in choices.people]
        self.actions = [{"value": value, "words": words} for value, words in choices.actions]
        self._show(found)
        return None

    def _show(self, found: audit_log.LogPage) -> None:
        self.rows = [_log_row(row) for row in found.rows]
        self.total, self.page, self.pages = found.total, found.page, found.pages

    async def _read(self, page: int = 1):
        """Read a page with the current filter; a refused date is shown beside its field."""
        office_id = self.office_id

        try:
            wanted = self._wanted()

            def work(db: Session, actor: Actor) -> audit_log.LogPage:
                return audit_log.office_log(db, actor, office_id, wanted, page)

            found = await self._as_actor(work)
        except Invalid as error:
            self.loading, self.errors = False, {error.field or "start": error.message}
            self.rows, self.total, self.page, self.pages = [], 0, 1, 1
            return None
        except DomainError as error:
            self.loading = False
            return answer(self, error, loading=False)
        except Exception as error:  # a bug: logged in full, and the page is usable again
            self.loading = False
            return unexpected(error)
        self.loading, self.errors = False, {}
        self._show(found)
        return None

    @rx.event
    async def go_to_page(self, page: int | str):
        self.loading = True
        yield
        yield await self._read(page_number(page))

    @rx.event
    async def set_person(self, value: str):
        """Only a person the page offered (or everyone)."""
        chosen = str(value)
        if chosen != ANYONE and chosen not in {p["id"] for p in self.people}:
            return
        self.person_id, self.loading = ("" if chosen == ANYONE else chosen), True
        yield
        yield await self._read()

    @rx.event
    async def set_action(self, value: str):
        chosen = str(value)
        if chosen != ANYONE and chosen not in {a["value"] for a in self.actions}:
            return
        self.action, self.loading = ("" if chosen == ANYONE else chosen), True
        yield
        yield await self._read()

    @rx.event
    async def set_start(self, value: str):
        self.start, self.loading = str(value)[:10], True
        yield
        yield await self._read()

    @rx.event
    async def set_end(self, value: str):
        self.end, self.loading = str(value)[:10], True
        yield
        yield await self._read()

    @rx.event
    async def find_patient(self, query: str):
        self.patient_query = str(query)[:100]
        words, office_id = self.patient_query, self.office_id

        def work(db: Session, actor: Actor) -> list[audit_log.PatientChoice]:
            return audit_log.find_patients(db, actor, office_id, words)

        try:
            found = await self._as_actor(work)
        except DomainError as error:
            return answer(self, error, loading=False)
        self.patient_matches = [{"id": str(c.id), "name": c.name, "detail": c.detail} for c in found]
        return None

    @rx.event
    async def choose_patient(self, patient_id: str):
        """Only a match the picker showed; its name comes from the server's own list."""
        chosen = next((m for m in self.patient_matches if is_id(patient_id) and m["id"] == str(patient_id)), None)
        if chosen is None:
            return
        self.patient_id, self.patient_name = chosen["id"], chosen["name"]
        self.patient_query, self.patient_matches, self.loading = "", [], True
        yield
        yield await self._read()

    @rx.event
    async def clear_patient(self):
        self.patient_id, self.patient_name, self.loading = "", "", True
        yield
        yield await self._read()

    @rx.event
    async def clear_filters(self):
        for name in FILTERS:
            setattr(self, name, "")
        self.patient_query, self.patient_matches, self.errors, self.loading = "", [], {}, True
        self.dates_key += 1
        yield
        yield await self._read()


# ---- the portal: who opened my record ------------------------------------------------


class RecordAccessState(PortalState):
    """The record chosen in the family switcher: which clinic people read, changed or shared it."""

    entries: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)

    @rx.event
    async def load(self):
        def work(db: Session, actor: Actor, current: int | None) -> list[record_access.RecordAccess]:
            return record_access.who_opened_my_record(db, actor, current) if current else []

        ok, found = await self._open_portal(work, loading=True)
        if not ok:
            return found
        self.entries = [
            {
                "when": a.when,
                "who": a.who,
                "role": a.role,
                "kind": a.kind.value,
                "kind_words": a.kind.value.capitalize(),
                "what": a.what,
            }
            for a in found
        ]
        return None
