"""The calendar's booking dialog: a free cell opens it; find or create the patient, choose the
service, book, and the grid redraws in the same transaction."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import reflex as rx
from sqlmodel import Session

from app.services import formatting, local_time, offices
from app.services.actor import Actor
from app.services.errors import DomainError
from app.services.ids import saved_id
from app.services.patients import records, search
from app.services.scheduling import calendar_view
from app.services.scheduling.calendar_layout import GridLayout
from app.state.clinic import Loaded
from app.state.forms import FormMixin, text
from app.state.notices import notify
from app.state.patients import picker_row

TYPE_BOTH_NAMES = "Type the first and last name, for example Ana Silva."


class SlotBookingMixin(FormMixin, mixin=True):
    new_slot: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    patient_query: rx.Field[str] = rx.field("")
    patient_matches: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    chosen_patient: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    services: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)

    if TYPE_CHECKING:  # what this mixin uses of BookingCalendarState (app/state/calendar.py) and ClinicState
        office_id: rx.Field[int]
        people: rx.Field[list[dict[str, str]]]
        lanes: rx.Field[list[dict[str, str]]]
        times: rx.Field[list[dict[str, str]]]

        def _grid_work(
            self, change: Callable[[Session, Actor], Any] | None = None
        ) -> Callable[[Session, Actor, offices.ClinicShell], tuple[str, GridLayout, int] | None]: ...

        @staticmethod
        def _with_shell(work: Callable[..., Any] | None = None) -> Callable[[Session, Actor], Loaded[Any]]: ...

        def _show_grid(self, loaded: Loaded[tuple[str, GridLayout, int] | None]) -> None: ...

    @rx.event
    async def open_cell(self, lane: int | str, row: int | str):
        """A free cell of the grid: its lane (day × practitioner) and its row (time of day) as this tab
        was last sent them. The cells carry only these two numbers, the same from week to week, so a
        week switch leaves them as they are in the browser (components/calendar/grid.py)."""
        lanes, times = self.lanes, self.times
        at = [int(n) if isinstance(n, (int, str)) and re.fullmatch(r"[0-9]{1,4}", str(n)) else -1 for n in (lane, row)]
        if not (0 <= at[0] < len(lanes) and 0 <= at[1] < len(times)):
            return None
        shown = lanes[at[0]]
        return await self._open_slot(
            shown.get("day", ""), shown.get("practitioner_id", ""), times[at[1]].get("minute", "")
        )

    @rx.event
    async def open_slot(self, day: str, practitioner_id: str, minute: str):
        return await self._open_slot(day, practitioner_id, minute)

    async def _open_slot(self, day: object, practitioner_id: object, minute: object):
        self.clear_errors()
        self.patient_query, self.patient_matches, self.chosen_patient, self.services = "", [], {}, []
        # Only a practitioner of the grid, a real day and a time of day (the call may be hand-made).
        name = next((p["name"] for p in self.people if p["id"] == str(practitioner_id)), "")
        try:
            when = local_time.parse_day(str(day))
        except DomainError:
            return None
        minutes = int(str(minute)) if re.fullmatch(r"[0-9]{1,4}", str(minute)) else -1
        if not name or not 0 <= minutes < 24 * 60:
            return None
        self.new_slot = {
            "day": when.isoformat(),
            "practitioner_id": str(practitioner_id),
            "practitioner": name,
            "minute": str(minutes),
            "time": formatting.minute_clock(minutes),
            "label": formatting.long_day(when),
        }
        office_id, chosen = self.office_id, str(practitioner_id)

        def work(db: Session, actor: Actor) -> list[calendar_view.BookableService]:
            return calendar_view.services_for(db, actor, office_id, chosen)

        done, outcome = await self._submit(work)
        if not done:
            return outcome
        self.services = [{"id": str(s.id), "label": f"{s.name} · {s.duration_minutes} min"} for s in outcome]
        return None

    @rx.event
    def close_slot(self, open_: bool) -> None:
        if not open_:
            self.new_slot = {}

    @rx.event
    async def find_patient(self, query: str):
        self.patient_query = str(query)[:100]
        office_id, words = self.office_id, self.patient_query

        def work(db: Session, actor: Actor) -> list[search.PatientRow]:
            return search.quick_find(db, actor, office_id, words)

        done, outcome = await self._submit(work)
        if not done:
            return outcome
        self.patient_matches = [picker_row(r) for r in outcome]
        return None

    @rx.event
    async def create_patient(self):
        """Book someone new: "Ana Silva" typed in the search becomes a record (first and last name)."""
        first, _, last = " ".join(self.patient_query.split()).partition(" ")
        office_id = self.office_id

        def work(db: Session, actor: Actor) -> int:
            data = records.PatientInput(first_name=first, last_name=last)
            return saved_id(records.create_patient(db, actor, office_id, data))

        self.clear_errors()
        done, outcome = await self._submit(work)
        if not done:
            if set(self.errors) & {"first_name", "last_name"}:  # the search box holds both names
                self.errors = {"patient": TYPE_BOTH_NAMES}
            elif self.form_error:
                self.errors, self.form_error = {"patient": self.form_error}, ""
            return outcome
        self.chosen_patient = {"id": str(outcome), "name": formatting.listed_name(first, last)}
        return None

    @rx.event
    def choose_patient(self, patient_id: str, name: str) -> None:
        self.chosen_patient = {"id": str(patient_id), "name": str(name)}
        self.errors = {}

    @rx.event
    async def book(self, form: dict):
        self._start()
        yield
        slot, chosen = dict(self.new_slot), dict(self.chosen_patient)
        if not slot.get("day"):  # no slot open (a stale or hand-made call)
            self.busy = False
            return
        service_id, office_id = text(form, "service"), self.office_id
        # The cell gives the time; it can be changed to any minute (week cells are half-hours).
        clock = text(form, "time") or slot.get("time", "")

        def change(db: Session, actor: Actor) -> None:
            calendar_view.book(
                db,
                actor,
                office_id,
                practitioner_id=slot["practitioner_id"],
                patient_id=chosen.get("id", ""),
                service_id=service_id,
                day=slot["day"],
                clock=clock,
            )

        done, outcome = await self._submit(self._with_shell(self._grid_work(change)))
        if not done:
            yield outcome
            return
        self.busy, self.new_slot = False, {}
        self._show_grid(outcome)
        yield notify.success(f"Booked {chosen['name']} for {slot['label']}, {clock}.")
