"""Calendar → Services and working hours."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx
from sqlmodel import Session

from app.services import formatting, offices
from app.services.actor import Actor
from app.services.errors import Invalid
from app.services.ids import optional_id, parse_id
from app.services.scheduling import practitioners, service_catalog, setup_page, working_hours
from app.services.scheduling import time_off as time_off_module
from app.state.clinic import ClinicState, Loaded
from app.state.forms import FormMixin, text, ticked
from app.state.notices import notify

Change = Callable[[Session, Actor], Any]


class ScheduleSetupState(FormMixin, ClinicState):
    services: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    people: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    hours_for: rx.Field[str] = rx.field("")
    hours: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)  # {"weekday", "name", "text"}
    time_off: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    # the service being added or edited; {"id": ""} for a new one
    service_dialog: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    offered: rx.Field[list[str]] = rx.field(default_factory=list)  # practitioner ids ticked in the service dialog

    @rx.var
    def colors(self) -> list[dict[str, str]]:
        """The service colours, each with its name as people read it ({"value", "label"})."""
        return [{"value": c, "label": c.capitalize()} for c in service_catalog.COLORS]

    def _page_work(self, change: Change | None = None) -> Callable[[Session, Actor, offices.ClinicShell], Any]:
        """The work that (after a change, if any) reads the page of the shell's office."""
        hours_for = self.hours_for

        def work(db: Session, actor: Actor, shell: offices.ClinicShell) -> setup_page.SetupPage:
            if change is not None:
                change(db, actor)
            return setup_page.setup_page(db, actor, shell.office_id, hours_for)

        return work

    def _fill(self, page: setup_page.SetupPage) -> None:
        names = {p.user_id: p.name for p in page.people}
        self.people = [{"id": str(p.user_id), "name": p.name} for p in page.people]
        self.hours_for = str(page.hours_for) if page.hours_for else ""
        self.services = [
            {
                "id": str(s.id),
                "name": s.name,
                "minutes": str(s.duration_minutes),
                "color": s.color,
                "online": str(s.bookable_online).lower(),
                "who": ", ".join(names.get(p, "") for p in s.practitioner_ids) or "Nobody yet",
                "practitioner_ids": ",".join(str(p) for p in s.practitioner_ids),
            }
            for s in page.services
        ]
        self.hours = [
            {"weekday": str(day), "name": name, "text": working_hours.format_day_hours(page.weekly, day)}
            for day, name in enumerate(working_hours.WEEKDAYS)
        ]
        self.time_off = [
            {
                "id": str(t.id),
                "who": names.get(t.user_id, ""),
                "from": formatting.when(t.starts_at, page.time_zone),
                "to": formatting.when(t.ends_at, page.time_zone),
                "reason": t.reason,
            }
            for t in page.time_off
        ]

    async def _act(self, change: Change | None = None, success: str = "", loading: bool = False):
        """A button's change (if any) and the page, in one transaction; a refusal is a toast."""
        ok, answer = await self._load_page(self._page_work(change), loading=loading)
        if not ok:
            return answer
        self._fill(answer)
        return notify.success(success) if success else None

    @rx.event
    async def load(self):
        self.clear_errors()
        self.service_dialog = {}
        return await self._act(loading=True)

    @rx.event
    async def show_hours_of(self, user_id: str):
        self.hours_for = str(user_id)
        self.clear_errors()
        return await self._act()

    async def _form_action(self, change: Change, success: str) -> tuple[bool, Any]:
        """A form's change and the page, in one transaction; (done, the event to send)."""
        self._start()
        done, outcome = await self._submit(self._with_shell(self._page_work(change)))
        if not done:
            return False, outcome
        loaded: Loaded[setup_page.SetupPage] = outcome
        self._show_shell(loaded)
        self._fill(loaded.data)
        self.busy = False
        return True, notify.success(success)

    @rx.event
    async def save_hours(self, form: dict):
        office_id, user_id = self.office_id, self.hours_for

        def change(db: Session, actor: Actor) -> None:
            if not user_id:
                raise Invalid("Choose a practitioner.", "practitioner")
            intervals = [i for day in range(7) for i in working_hours.parse_day_hours(text(form, f"day-{day}"), day)]
            working_hours.set_weekly_hours(
                db, actor, office_id, parse_id(user_id, practitioners.NOT_A_PRACTITIONER), intervals
            )

        _done, answer = await self._form_action(change, "Working hours saved.")
        return answer

    @rx.event
    def open_service(self, service: dict) -> None:
        self.clear_errors()
        given = service if isinstance(service, dict) else {}
        self.service_dialog = {str(k): str(v) for k, v in given.items()} if given else {"id": ""}
        self.offered = [p for p in self.service_dialog.get("practitioner_ids", "").split(",") if p]

    @rx.event
    def new_service(self) -> None:
        self.clear_errors()
        self.service_dialog = {
            "id": "",
            "name": "",
            "minutes": "30",
            "color": "teal",
            "online": "true",
        }
        self.offered = [p["id"] for p in self.people]

    @rx.event
    def set_service_dialog(self, open_: bool) -> None:
        if not open_:
            self.service_dialog = {}

    @rx.event
    async def save_service(self, form: dict):
        office_id, service_id = self.office_id, self.service_dialog.get("id", "")
        chosen = tuple(int(p["id"]) for p in self.people if ticked(form, f"offered-{p['id']}"))
        data = service_catalog.ServiceInput(
            name=text(form, "name"),
            duration_minutes=text(form, "duration_minutes"),
            color=text(form, "color"),
            bookable_online=ticked(form, "bookable_online"),
            practitioner_ids=chosen,
        )

        def change(db: Session, actor: Actor) -> None:
            service_catalog.save_service(
                db, actor, office_id, data, optional_id(service_id, service_catalog.NO_SERVICE)
            )

        done, answer = await self._form_action(change, "Service saved.")
        if done:
            self.service_dialog = {}
        return answer

    @rx.event
    async def retire_service(self, service_id: str):
        office_id = self.office_id

        def change(db: Session, actor: Actor) -> None:
            service_catalog.retire_service(db, actor, office_id, parse_id(service_id, service_catalog.NO_SERVICE))

        return await self._act(change, "Service removed. Past appointments keep it.")

    @rx.event
    async def add_time_off(self, form: dict):
        office_id, user_id = self.office_id, self.hours_for

        def change(db: Session, actor: Actor) -> None:
            time_off_module.add_time_off_at(
                db,
                actor,
                office_id,
                user_id,
                from_day=text(form, "from_date"),
                from_clock=text(form, "from_time"),
                to_day=text(form, "to_date"),
                to_clock=text(form, "to_time"),
                reason=text(form, "reason"),
            )

        _done, answer = await self._form_action(change, "Time off added.")
        return answer

    @rx.event
    async def remove_time_off(self, time_off_id: str):
        office_id = self.office_id

        def change(db: Session, actor: Actor) -> None:
            time_off_module.remove_time_off(db, actor, office_id, parse_id(time_off_id, time_off_module.NO_TIME_OFF))

        return await self._act(change, "Time off removed.")
