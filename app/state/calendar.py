"""The booking calendar: day and week grids, booking a slot, opening an appointment, live updates."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import reflex as rx
from sqlmodel import Session

from app.services import formatting, local_time, offices
from app.services.actor import Actor
from app.services.errors import DomainError
from app.services.ids import parse_id
from app.services.patients import records, search
from app.services.scheduling import calendar_layout, calendar_view
from app.services.scheduling.calendar_changes import calendar_version
from app.services.scheduling.calendar_layout import GridLayout
from app.state.clinic import ClinicState, Loaded
from app.state.forms import FormMixin, text
from app.state.notices import notify
from app.state.patients import picker_row

STATUS_DONE = {  # what the appointment dialog's buttons say once done
    "arrived": "Marked as arrived.",
    "no_show": "Marked as no-show.",
    "cancelled": "Appointment cancelled. The time is free again.",
    "booked": "Back to booked.",
}
TYPE_BOTH_NAMES = "Type the first and last name, for example Ana Silva."


class BookingCalendarState(FormMixin, ClinicState):
    view: str = "week"
    anchor: str = ""  # ISO date of the day shown (day view) or any day of the week shown; "" is today
    version: int = -1
    title: str = ""
    day_columns: list[dict[str, str]] = []  # {"iso", "label", "today"}
    people: list[dict[str, str]] = []  # every practitioner: {"id", "name"}
    # Whose columns are hidden, kept in the browser across visits: "office:user" pairs, comma-separated.
    # Only a display choice (the grid's data is authorised on the server either way); new colleagues show.
    hidden_columns: str = rx.LocalStorage("", name="praxis_calendar_hidden")
    lanes: list[dict[str, str]] = []  # one per day × practitioner
    lane_items: list[list[list[str]]] = []  # the appointment rows of each lane (services/scheduling/calendar_layout.py)
    lane_off: list[list[list[str]]] = []  # each lane's hours off work: [top, height]
    grid_columns: str = ""
    cell_height: str = "18px"
    lanes_per_day: int = 1
    times: list[dict[str, str]] = []  # quarter-hour rows: {"minute", "label", "hour"}
    grid_height: int = 0
    # The booking dialog
    new_slot: dict[str, str] = {}
    patient_query: str = ""
    patient_matches: list[dict[str, str]] = []
    chosen_patient: dict[str, str] = {}
    services: list[dict[str, str]] = []
    # The appointment dialog, and who may take the appointment over (they offer its service)
    opened: dict[str, str] = {}
    movable_to: list[dict[str, str]] = []

    def _grid_work(
        self, change: Callable[[Session, Actor], Any] | None = None
    ) -> Callable[[Session, Actor, offices.ClinicShell], tuple[str, GridLayout, int] | None]:
        """The work that (after a change, if any) reads the grid of the shell's office: the anchor
        it shows, its layout and the calendar's version. Every value it needs is read here, first."""
        view = self.view if self.view in ("day", "week") else "week"
        anchor, stored_hidden = self.anchor, self.hidden_columns

        def work(db: Session, actor: Actor, shell: offices.ClinicShell) -> tuple[str, GridLayout, int] | None:
            if change is not None:
                change(db, actor)
            if not shell.office_id:
                return None
            # The office is known only now (the shell is read first), and with it the filter.
            hidden = frozenset(parse_id(h) for h in calendar_layout.hidden_in(stored_hidden, shell.office_id))
            day = local_time.parse_day(anchor) if anchor else None
            grid = calendar_view.grid(db, actor, shell.office_id, day, view, hidden)
            shown_day = day or grid.today or grid.days[0]
            return shown_day.isoformat(), calendar_layout.layout(grid, view), grid.version

        return work

    def _fill(self, shown: GridLayout, version: int) -> None:
        self.version = version
        self.title, self.day_columns, self.lanes, self.lane_items = (
            shown.title,
            shown.day_columns,
            shown.lanes,
            shown.lane_items,
        )
        if shown.lane_off != self.lane_off:  # most weeks look alike: don't re-send the same shading
            self.lane_off = shown.lane_off
        self.grid_height, self.lanes_per_day, self.grid_columns = (
            shown.grid_height,
            shown.lanes_per_day,
            shown.grid_columns,
        )
        # Assign only what changed: Reflex re-sends (and the page re-draws) every var that is set.
        if shown.people != self.people:
            self.people = shown.people
        if shown.times != self.times:
            self.times = shown.times
        if shown.cell_height != self.cell_height:
            self.cell_height = shown.cell_height

    def _show(self, result: tuple[str, GridLayout, int] | None):  # type: ignore[no-untyped-def]
        if result is None:
            return rx.redirect("/clinic")
        self.anchor = result[0]
        self._fill(result[1], result[2])
        return None

    async def _reload(self, loading: bool = False):  # type: ignore[no-untyped-def]
        ok, result = await self._load_page(self._grid_work(), loading=loading)
        return self._show(result) if ok else result

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        self.new_slot, self.opened, self.movable_to = {}, {}, []
        return await self._reload(loading=True)

    @rx.event
    async def set_view(self, view: str | list[str]):  # type: ignore[no-untyped-def]
        self.view = "day" if view == "day" else "week"
        return await self._reload()

    @rx.event
    async def move(self, steps: int | str):  # type: ignore[no-untyped-def]
        """One day or week back (-1) or on (1); anything else stays put."""
        self.anchor = calendar_view.shifted(self.anchor, self.view, steps)
        return await self._reload()

    def _hidden_here(self) -> list[str]:
        return calendar_layout.hidden_in(self.hidden_columns, self.office_id)

    def _set_hidden_here(self, user_ids: set[str]) -> None:
        self.hidden_columns = calendar_layout.with_hidden(self.hidden_columns, self.office_id, user_ids)

    @rx.var
    def hidden(self) -> list[str]:
        """The ids of this office's practitioners whose columns are hidden."""
        return self._hidden_here()

    @rx.var
    def shown_count(self) -> int:
        hidden = self._hidden_here()
        return sum(1 for p in self.people if p["id"] not in hidden) or len(self.people)

    @rx.event
    async def show_practitioner(self, practitioner_id: str, shown: bool):  # type: ignore[no-untyped-def]
        """Show or hide a practitioner's column; the last one shown stays."""
        wanted = str(practitioner_id)
        known = {p["id"] for p in self.people}
        if wanted not in known:
            return None
        hidden = set(self._hidden_here()) & known
        if shown:
            hidden.discard(wanted)
        elif len(known - hidden - {wanted}) == 0:
            return notify.info("Keep at least one practitioner on the calendar.")
        else:
            hidden.add(wanted)
        self._set_hidden_here(hidden)
        return await self._reload()

    @rx.event
    async def show_everyone(self):  # type: ignore[no-untyped-def]
        self._set_hidden_here(set())
        return await self._reload()

    @rx.event
    async def today(self):  # type: ignore[no-untyped-def]
        self.anchor = ""  # the office's today, as the server knows it
        return await self._reload()

    @rx.event
    async def watch(self):  # type: ignore[no-untyped-def]
        """Live updates: one cheap read of the office's calendar version; reload only when it moved."""
        office_id = self.office_id

        def work(db: Session, actor: Actor) -> int:
            return calendar_version(db, office_id)

        try:
            version = await self._as_actor(work, poll=True)
        except DomainError:
            return None
        if version != self.version and self.page_status == "ready":
            return await self._reload()
        return None

    # ---- booking a free slot -------------------------------------------------------

    @rx.event
    async def open_slot(self, day: str, practitioner_id: str, minute: str):  # type: ignore[no-untyped-def]
        self.clear_errors()
        self.patient_query, self.patient_matches, self.chosen_patient, self.services = "", [], {}, []
        # Only a practitioner of the grid, a real day and a time of day (the call may be hand-made).
        name = next((p["name"] for p in self.people if p["id"] == str(practitioner_id)), "")
        try:
            when = local_time.parse_day(str(day))
        except DomainError:
            return None
        minutes = int(minute) if re.fullmatch(r"[0-9]{1,4}", str(minute)) else -1
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
    async def find_patient(self, query: str):  # type: ignore[no-untyped-def]
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
    async def create_patient(self):  # type: ignore[no-untyped-def]
        """Book someone new: "Ana Silva" typed in the search becomes a record (first and last name)."""
        first, _, last = " ".join(self.patient_query.split()).partition(" ")
        office_id = self.office_id

        def work(db: Session, actor: Actor) -> int:
            data = records.PatientInput(first_name=first, last_name=last)
            return records.create_patient(db, actor, office_id, data).id  # type: ignore[return-value]

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
    async def book(self, form: dict):  # type: ignore[no-untyped-def]
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

    def _show_grid(self, loaded: Loaded[tuple[str, GridLayout, int] | None]) -> None:
        self._show_shell(loaded)
        if loaded.data is not None:
            self._show(loaded.data)

    @rx.event
    async def refresh(self):  # type: ignore[no-untyped-def]
        return await self._reload()

    # ---- an existing appointment ------------------------------------------------------

    @rx.event
    async def open_appointment(self, appointment_id: str):  # type: ignore[no-untyped-def]
        self.clear_errors()
        found = calendar_layout.find_row(self.lanes, self.lane_items, str(appointment_id))
        if found is None:
            return None
        lane, row = found
        wanted = row[calendar_layout.ID]

        def work(db: Session, actor: Actor) -> calendar_view.AppointmentDetail:
            return calendar_view.appointment_detail(db, actor, wanted)

        done, detail = await self._submit(work)
        if not done:
            return detail
        self.opened = {
            **calendar_layout.opened(lane, row),
            "patient_id": str(detail.patient_id),
            "online": str(detail.booked_online).lower(),
        }
        self.movable_to = [{"id": str(pid), "name": name} for pid, name in detail.practitioners]
        return None

    @rx.event
    def close_appointment(self, open_: bool) -> None:
        if not open_:
            self.opened, self.movable_to = {}, []

    async def _change(self, change: Callable[[Session, Actor], Any], success: str):  # type: ignore[no-untyped-def]
        """Apply a change to the opened appointment and redraw the grid, in one transaction."""
        self._start()
        done, outcome = await self._submit(self._with_shell(self._grid_work(change)))
        if not done:
            return outcome
        self.busy, self.opened, self.movable_to = False, {}, []
        self._show_grid(outcome)
        return notify.success(success)

    @rx.event
    async def set_status(self, status: str):  # type: ignore[no-untyped-def]
        appointment_id = self.opened.get("id", "")
        if not isinstance(status, str) or status not in STATUS_DONE or not appointment_id:
            return None

        def change(db: Session, actor: Actor) -> None:
            calendar_view.set_status(db, actor, appointment_id, status)

        return await self._change(change, STATUS_DONE[status])

    @rx.event
    async def reschedule(self, form: dict):  # type: ignore[no-untyped-def]
        appointment_id = self.opened.get("id", "")
        day, clock, practitioner = text(form, "date"), text(form, "time"), text(form, "practitioner")

        def change(db: Session, actor: Actor) -> None:
            calendar_view.reschedule(db, actor, appointment_id, day=day, clock=clock, practitioner_id=practitioner)

        if not appointment_id:
            return None
        return await self._change(change, "Appointment moved.")
