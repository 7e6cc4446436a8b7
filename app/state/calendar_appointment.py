"""The calendar's appointment dialog: mark arrived or no-show, cancel, put back to booked, or move
the appointment (to another practitioner who offers its service); the grid redraws in the same
transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import reflex as rx
from sqlmodel import Session

from app.services import offices
from app.services.actor import Actor
from app.services.scheduling import calendar_layout, calendar_view
from app.services.scheduling.calendar_layout import GridLayout
from app.state.clinic import Loaded
from app.state.forms import FormMixin, text
from app.state.notices import notify

STATUS_DONE = {  # what the appointment dialog's buttons say once done
    "arrived": "Marked as arrived.",
    "no_show": "Marked as no-show.",
    "cancelled": "Appointment cancelled. The time is free again.",
    "booked": "Back to booked.",
}


class AppointmentDialogMixin(FormMixin, mixin=True):
    # The appointment opened, and who may take it over (they offer its service)
    opened: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    movable_to: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)

    if TYPE_CHECKING:  # what this mixin uses of BookingCalendarState (app/state/calendar.py) and ClinicState
        lanes: rx.Field[list[dict[str, str]]]
        lane_items: rx.Field[list[list[list[str]]]]

        def _grid_work(
            self, change: Callable[[Session, Actor], Any] | None = None
        ) -> Callable[[Session, Actor, offices.ClinicShell], tuple[str, GridLayout, int] | None]: ...

        @staticmethod
        def _with_shell(work: Callable[..., Any] | None = None) -> Callable[[Session, Actor], Loaded[Any]]: ...

        def _show_grid(self, loaded: Loaded[tuple[str, GridLayout, int] | None]) -> None: ...

    @rx.event
    async def open_appointment(self, appointment_id: str):
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

    async def _change(self, change: Callable[[Session, Actor], Any], success: str):
        """Apply a change to the opened appointment and redraw the grid, in one transaction."""
        self._start()
        done, outcome = await self._submit(self._with_shell(self._grid_work(change)))
        if not done:
            return outcome
        self.busy, self.opened, self.movable_to = False, {}, []
        self._show_grid(outcome)
        return notify.success(success)

    @rx.event
    async def set_status(self, status: str):
        appointment_id = self.opened.get("id", "")
        if not isinstance(status, str) or status not in STATUS_DONE or not appointment_id:
            return None

        def change(db: Session, actor: Actor) -> None:
            calendar_view.set_status(db, actor, appointment_id, status)

        return await self._change(change, STATUS_DONE[status])

    @rx.event
    async def reschedule(self, form: dict):
        appointment_id = self.opened.get("id", "")
        day, clock, practitioner = text(form, "date"), text(form, "time"), text(form, "practitioner")

        def change(db: Session, actor: Actor) -> None:
            calendar_view.reschedule(db, actor, appointment_id, day=day, clock=clock, practitioner_id=practitioner)

        if not appointment_id:
            return None
        return await self._change(change, "Appointment moved.")
