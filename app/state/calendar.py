"""The booking calendar: day and week grids, which practitioners are shown, live updates.

Its dialogs are mixins: booking a free slot (state/calendar_booking.py) and an existing
appointment (state/calendar_appointment.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx
from sqlmodel import Session

from app.services import live_versions, local_time, offices
from app.services.actor import Actor
from app.services.errors import DomainError
from app.services.ids import parse_id
from app.services.scheduling import calendar_layout, calendar_view, shared_grids
from app.services.scheduling.calendar_changes import calendar_version
from app.services.scheduling.calendar_layout import GridLayout
from app.state.booking_options import BookingOptionsState
from app.state.calendar_appointment import AppointmentDialogMixin
from app.state.calendar_booking import SlotBookingMixin
from app.state.clinic import ClinicState, Loaded
from app.state.notices import notify


class BookingCalendarState(SlotBookingMixin, AppointmentDialogMixin, ClinicState):
    view: rx.Field[str] = rx.field("week")
    # ISO date of the day shown (day view) or any day of the week shown; "" is today
    anchor: rx.Field[str] = rx.field("")
    version: rx.Field[int] = rx.field(-1)
    title: rx.Field[str] = rx.field("")
    day_columns: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)  # {"iso", "label", "today"}
    people: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)  # every practitioner: {"id", "name"}
    # Whose columns are hidden, kept in the browser across visits: "office:user" pairs, comma-separated.
    # Only a display choice (the grid's data is authorised on the server either way); new colleagues show.
    hidden_columns: str = rx.LocalStorage("", name="praxis_calendar_hidden")
    lanes: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)  # one per day × practitioner
    # the appointment rows of each lane (services/scheduling/calendar_layout.py)
    lane_items: rx.Field[list[list[list[str]]]] = rx.field(default_factory=list)
    # each lane's hours off work: [top, height]
    lane_off: rx.Field[list[list[list[str]]]] = rx.field(default_factory=list)
    grid_columns: rx.Field[str] = rx.field("")
    cell_height: rx.Field[str] = rx.field("24px")
    hour_line_at: rx.Field[str] = rx.field("0px")
    lanes_per_day: rx.Field[int] = rx.field(1)
    # quarter-hour rows: {"minute", "label", "hour"}
    times: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    grid_height: rx.Field[int] = rx.field(0)

    def _grid_work(
        self, change: Callable[[Session, Actor], Any] | None = None
    ) -> Callable[[Session, Actor, offices.ClinicShell], tuple[str, GridLayout, int] | None]:
        """The work that (after a change, if any) reads the grid of the shell's office: the anchor
        it shows, its layout and the calendar's version. Every value it needs is read here, first.
        Calendars showing the same week share its read (services/scheduling/shared_grids.py)."""
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
            shown = shared_grids.shown_grid(db, actor, shell.office_id, day, view, hidden)
            return shown.day.isoformat(), shown.layout, shown.version

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
        if shown.hour_line_at != self.hour_line_at:
            self.hour_line_at = shown.hour_line_at

    def _show(self, result: tuple[str, GridLayout, int] | None):
        if result is None:
            return rx.redirect("/clinic")
        self.anchor = result[0]
        self._fill(result[1], result[2])
        return None

    async def _reload(self, loading: bool = False):
        ok, result = await self._load_page(self._grid_work(), loading=loading)
        return self._show(result) if ok else result

    @rx.event
    async def load(self):
        """The calendar; `?day=2026-05-06&view=day` opens on that day (Home links there), and
        `?options=open` opens Online Booking Options for those who may change them."""
        self.new_slot, self.opened, self.movable_to = {}, {}, []
        params = self.router.url.query_parameters
        asked = params.get("day", "")
        if isinstance(asked, str) and asked:
            try:
                self.anchor = local_time.parse_day(asked).isoformat()
            except DomainError:
                pass  # an address typed wrong shows the office's today
            else:
                self.view = "day" if params.get("view") == "day" else self.view
        shown = await self._reload(loading=True)
        if shown is None:  # follow the calendar from now on; and redraw if it moved meanwhile
            version = await self._follow_calendar()
            if version is not None and version != self.version:
                shown = await self._reload()
        opening = params.get("options") == "open" and self.page_status == "ready"
        if shown is None and opening and self.can.manage_schedule:
            return BookingOptionsState.open_dialog
        return shown

    @rx.event
    async def set_view(self, view: str | list[str]):
        self.view = "day" if view == "day" else "week"
        return await self._reload()

    @rx.event
    async def move(self, steps: int | str):
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
    async def show_practitioner(self, practitioner_id: str, shown: bool):
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
    async def show_everyone(self):
        self._set_hidden_here(set())
        return await self._reload()

    @rx.event
    async def today(self):
        self.anchor = ""  # the office's today, as the server knows it
        return await self._reload()

    async def _follow_calendar(self) -> int | None:
        """Follow the shown office's calendar (services/live_versions.py refuses one the actor may
        not see); its version now, or None when the tab follows no calendar."""
        office_id = self.office_id
        if not office_id or self.page_status != "ready" or self.router.url.path.rstrip("/") != CALENDAR_PATH:
            await self._unfollow(WATCH)
            return None

        def work(db: Session, actor: Actor) -> tuple[int, dict[str, int]]:
            return calendar_version(db, office_id), live_versions.calendar_topics(db, actor, office_id)

        try:
            version, topics = await self._as_actor(work, poll=True)
        except DomainError:
            await self._unfollow(WATCH)
            return None
        await self._follow(WATCH, topics)
        return version

    @rx.event
    async def watch(self):
        """Live updates: the server sends this when the office's calendar changed (app/live/);
        redraw when the version moved past the one shown. Not on the calendar page any more: stop."""
        version = await self._follow_calendar()
        if version is not None and version != self.version:
            return await self._reload()
        return None

    def _show_grid(self, loaded: Loaded[tuple[str, GridLayout, int] | None]) -> None:
        self._show_shell(loaded)
        if loaded.data is not None:
            self._show(loaded.data)

    @rx.event
    async def refresh(self):
        return await self._reload()


CALENDAR_PATH = "/clinic/calendar"
# The event name the server sends an open calendar when its office's calendar changed (app/live/).
WATCH = f"{BookingCalendarState.get_full_name()}.watch"
