"""The booking calendar: day and week grids, booking a slot, opening an appointment, live updates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import reflex as rx
from sqlmodel import Session

from app.models import AppointmentStatus, Office
from app.services import appointments, calendar_view, patients, schedule_setup
from app.services.actor import Actor
from app.services.appointments import calendar_version
from app.services.errors import DomainError, Invalid, NotSignedIn
from app.services.slots import local_instant
from app.state import calendar_layout
from app.state.calendar_layout import STATUS_WORDS
from app.state.clinic import ClinicState
from app.state.forms import FormMixin, text
from app.state.patients import picker_row


def _local_day(zone: str) -> date:
    return datetime.now(UTC).astimezone(ZoneInfo(zone)).date()


class BookingCalendarState(FormMixin, ClinicState):
    view: str = "week"
    anchor: str = ""  # ISO date of the day shown (day view) or any day of the week shown
    zone: str = "UTC"
    version: int = -1
    title: str = ""
    day_columns: list[dict[str, str]] = []  # {"iso", "label", "today"}
    people: list[dict[str, str]] = []  # every practitioner: {"id", "name"}
    # Whose columns are hidden, kept in the browser across visits: "office:user" pairs, comma-separated.
    # Only a display choice (the grid's data is authorised on the server either way); new colleagues show.
    hidden_columns: str = rx.LocalStorage("", name="praxis_calendar_hidden")
    lanes: list[dict[str, str]] = []  # one per day × practitioner
    lane_items: list[list[list[str]]] = []  # the appointment rows of each lane (calendar_layout)
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
    # The appointment dialog
    opened: dict[str, str] = {}

    def _fill(self, result: calendar_view.CalendarGrid) -> None:
        self.zone, self.version = result.time_zone, result.version
        shown = calendar_layout.layout(result, self.view, _local_day(result.time_zone))
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

    async def _reload(self, loading: bool = False):  # type: ignore[no-untyped-def]
        view = self.view if self.view in ("day", "week") else "week"
        anchor = self.anchor

        def work(db: Session, actor: Actor) -> tuple[date, calendar_view.CalendarGrid] | None:
            if not self.office_id:
                return None
            office = db.get(Office, self.office_id)
            day = date.fromisoformat(anchor) if anchor else _local_day(office.time_zone if office else "UTC")
            # The office is known only now (the shell was loaded first), and with it the filter.
            hidden = frozenset(int(h) for h in self._hidden_here())
            return day, calendar_view.grid(db, actor, self.office_id, day, view, hidden)

        ok, result = await self._open(work, loading=loading)
        if not ok:
            return result
        if result is None:
            return rx.redirect("/clinic")
        day, shown = result
        self.anchor = day.isoformat()
        self._fill(shown)
        return None

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        self.new_slot, self.opened = {}, {}
        return await self._reload(loading=True)

    @rx.event
    async def set_view(self, view: str | list[str]):  # type: ignore[no-untyped-def]
        self.view = "day" if view == "day" else "week"
        return await self._reload()

    @rx.event
    async def move(self, steps: int):  # type: ignore[no-untyped-def]
        step = 1 if self.view == "day" else 7
        current = date.fromisoformat(self.anchor) if self.anchor else _local_day(self.zone)
        self.anchor = (current + timedelta(days=step * max(-1, min(1, int(steps))))).isoformat()
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
            return rx.toast.info("Keep at least one practitioner on the calendar.")
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
        self.anchor = _local_day(self.zone).isoformat()
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
        self.patient_query, self.patient_matches, self.chosen_patient = "", [], {}
        # Only a practitioner of the grid, a real day and a time of day (the call may be hand-made).
        name = next((p["name"] for p in self.people if p["id"] == str(practitioner_id)), "")
        try:
            when = date.fromisoformat(str(day))
            minutes = int(minute)
        except (TypeError, ValueError):
            return
        if not name or not 0 <= minutes < 24 * 60:
            return
        self.new_slot = {
            "day": day,
            "practitioner_id": practitioner_id,
            "practitioner": name,
            "minute": minute,
            "time": f"{minutes // 60:02d}:{minutes % 60:02d}",
            "label": f"{when:%A} {when.day} {when:%B}",
        }
        office_id = self.office_id

        def work(db: Session, actor: Actor) -> list[schedule_setup.ServiceView]:
            return schedule_setup.list_services(db, actor, office_id)

        try:
            services = await self._as_actor(work)
        except DomainError as error:
            return self._refuse(error, during_load=False)
        self.services = [
            {"id": str(s.id), "label": f"{s.name} · {s.duration_minutes} min"}
            for s in services
            if not s.practitioner_ids or int(practitioner_id) in s.practitioner_ids
        ]

    @rx.event
    def close_slot(self, open_: bool) -> None:
        if not open_:
            self.new_slot = {}

    @rx.event
    async def find_patient(self, query: str):  # type: ignore[no-untyped-def]
        self.patient_query = str(query)[:100]
        office_id, words = self.office_id, self.patient_query

        def work(db: Session, actor: Actor) -> list[patients.PatientRow]:
            return patients.quick_find(db, actor, office_id, words)

        try:
            found = await self._as_actor(work)
        except DomainError as error:
            return self._refuse(error, during_load=False)
        self.patient_matches = [picker_row(r) for r in found]
        return None

    @rx.event
    async def create_patient(self):  # type: ignore[no-untyped-def]
        """Book someone new: "Ana Silva" typed in the search becomes a record (first and last name)."""
        first, _, last = " ".join(self.patient_query.split()).partition(" ")
        office_id = self.office_id

        def work(db: Session, actor: Actor) -> int:
            data = patients.PatientInput(first_name=first, last_name=last)
            return patients.create_patient(db, actor, office_id, data).id  # type: ignore[return-value]

        try:
            patient_id = await self._as_actor(work)
        except NotSignedIn as error:
            return self._to_sign_in(error.message)
        except DomainError as error:
            self.errors = {
                "patient": "Type the first and last name, for example Ana Silva."
                if error.field in ("first_name", "last_name")
                else error.message
            }
            return None
        self.chosen_patient = {"id": str(patient_id), "name": f"{last}, {first}"}
        self.errors = {}
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
        service_id, office_id, zone = text(form, "service"), self.office_id, self.zone
        clock = text(form, "time") or slot.get("time", "")

        def work(db: Session, actor: Actor) -> None:
            if not chosen.get("id"):
                raise Invalid("Find the patient first, or create them from Patients.", "patient")
            # The cell gives the time; it can be changed to any minute (week cells are half-hours).
            minute = schedule_setup.parse_clock(clock, "time")
            if minute >= 24 * 60:
                raise Invalid("Use a time like 09:30.", "time")
            if not service_id.isdigit():
                raise Invalid("Choose a service.", "service")
            appointments.book(
                db,
                actor,
                office_id,
                practitioner_id=int(slot["practitioner_id"]),
                patient_id=int(chosen["id"]),
                service_id=int(service_id),
                starts_at=local_instant(date.fromisoformat(slot["day"]), minute, ZoneInfo(zone)),
            )

        done, outcome = await self._submit(work)
        if not done:
            yield outcome
            return
        self.busy, self.new_slot = False, {}
        yield rx.toast.success(f"Booked {chosen['name']} for {slot['label']}, {clock}.")
        yield BookingCalendarState.refresh

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
        wanted = int(row[calendar_layout.ID])

        def work(db: Session, actor: Actor) -> tuple[int, bool]:
            appointment = appointments.for_staff(db, actor, wanted)
            return appointment.patient_id, appointment.booked_online

        try:
            patient_id, online = await self._as_actor(work)
        except DomainError as error:
            return self._refuse(error, during_load=False)
        self.opened = {
            **calendar_layout.opened(lane, row),
            "patient_id": str(patient_id),
            "online": str(online).lower(),
        }
        return None

    @rx.event
    def close_appointment(self, open_: bool) -> None:
        if not open_:
            self.opened = {}

    async def _change(self, change, success: str):  # type: ignore[no-untyped-def]
        self._start()
        try:
            await self._as_actor(change)
        except NotSignedIn as error:
            return self._to_sign_in(error.message)
        except DomainError as error:
            self._show_error(error)
            return None
        self.busy, self.opened = False, {}
        await self._reload()
        return rx.toast.success(success)

    @rx.event
    async def set_status(self, status: str):  # type: ignore[no-untyped-def]
        appointment_id = self.opened.get("id", "")
        if not isinstance(status, str) or status not in STATUS_WORDS or not appointment_id.isdigit():
            return None

        def change(db: Session, actor: Actor) -> None:
            appointments.set_status(db, actor, int(appointment_id), AppointmentStatus(status))

        words = {
            "arrived": "Marked as arrived.",
            "no_show": "Marked as no-show.",
            "cancelled": "Appointment cancelled. The time is free again.",
            "booked": "Back to booked.",
        }
        return await self._change(change, words[status])

    @rx.event
    async def reschedule(self, form: dict):  # type: ignore[no-untyped-def]
        appointment_id, zone = self.opened.get("id", ""), self.zone
        day, clock, practitioner = text(form, "date"), text(form, "time"), text(form, "practitioner")

        def change(db: Session, actor: Actor) -> None:
            try:
                when = datetime.combine(
                    date.fromisoformat(day), datetime.strptime(clock, "%H:%M").time(), tzinfo=ZoneInfo(zone)
                )
            except ValueError:
                raise Invalid("Choose a date and a time.", "time") from None
            appointments.reschedule(
                db,
                actor,
                int(appointment_id),
                starts_at=when.astimezone(UTC),
                practitioner_id=int(practitioner) if practitioner.isdigit() else None,
            )

        if not appointment_id.isdigit():
            return None
        return await self._change(change, "Appointment moved.")
