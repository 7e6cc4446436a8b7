"""Calendar → Services and working hours."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import reflex as rx
from sqlmodel import Session

from app.models import Office
from app.services import schedule_setup as setup
from app.services.actor import Actor
from app.services.errors import DomainError, Invalid, NotSignedIn
from app.state.clinic import ClinicState
from app.state.forms import FormMixin, checked, text
from app.state.patients import readable


class ScheduleSetupState(FormMixin, ClinicState):
    services: list[dict[str, str]] = []
    people: list[dict[str, str]] = []
    hours_for: str = ""
    hours: list[dict[str, str]] = []  # {"weekday", "name", "text"}
    time_off: list[dict[str, str]] = []
    service_dialog: dict[str, str] = {}  # the service being added or edited; {"id": ""} for a new one
    zone: str = "UTC"
    offered: list[str] = []  # practitioner ids ticked in the service dialog

    @rx.var
    def colors(self) -> list[str]:
        return list(setup.COLORS)

    def _fill(self, db: Session, actor: Actor) -> None:
        office = db.get(Office, self.office_id)
        self.zone = office.time_zone if office else "UTC"
        people = setup.practitioners(db, self.office_id)
        names = {p.user_id: p.name for p in people}
        self.people = [{"id": str(p.user_id), "name": p.name} for p in people]
        if self.hours_for not in {p["id"] for p in self.people}:
            mine = str(actor.user_id) if actor.user_id in names else (self.people[0]["id"] if self.people else "")
            self.hours_for = mine
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
            for s in setup.list_services(db, actor, self.office_id)
        ]
        weekly = setup.weekly_hours(db, self.office_id, int(self.hours_for)) if self.hours_for else []
        self.hours = [
            {"weekday": str(day), "name": name, "text": setup.format_day_hours(weekly, day)}
            for day, name in enumerate(setup.WEEKDAYS)
        ]
        self.time_off = [
            {
                "id": str(t.id),
                "who": names.get(t.user_id, ""),
                "from": readable(t.starts_at, self.zone),
                "to": readable(t.ends_at, self.zone),
                "reason": t.reason,
            }
            for t in setup.list_time_off(db, actor, self.office_id, datetime.now(UTC))
        ]

    async def _act(self, change=None, success: str = "", loading: bool = False):  # type: ignore[no-untyped-def]
        def work(db: Session, actor: Actor) -> None:
            if change is not None:
                change(db, actor)
            self._fill(db, actor)

        ok, answer = await self._open(work, loading=loading)
        if not ok:
            return answer
        return rx.toast.success(success) if success else None

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        self.clear_errors()
        self.service_dialog = {}
        return await self._act(loading=True)

    @rx.event
    async def show_hours_of(self, user_id: str | list[str]):  # type: ignore[no-untyped-def]
        self.hours_for = str(user_id)
        self.clear_errors()
        return await self._act()

    async def _form_action(self, change, success: str):  # type: ignore[no-untyped-def]
        self._start()

        def work(db: Session, actor: Actor) -> None:
            change(db, actor)
            self._fill(db, actor)

        try:
            await self._as_actor(work)
        except NotSignedIn as error:
            return self._to_sign_in(error.message)
        except DomainError as error:
            self._show_error(error)
            return None
        self.busy = False
        return rx.toast.success(success)

    @rx.event
    async def save_hours(self, form: dict):  # type: ignore[no-untyped-def]
        office_id, user_id = self.office_id, self.hours_for

        def change(db: Session, actor: Actor) -> None:
            if not user_id.isdigit():
                raise Invalid("Choose a practitioner.", "practitioner")
            intervals = [i for day in range(7) for i in setup.parse_day_hours(text(form, f"day-{day}"), day)]
            setup.set_weekly_hours(db, actor, office_id, int(user_id), intervals)

        return await self._form_action(change, "Working hours saved.")

    @rx.event
    def open_service(self, service: dict) -> None:
        self.clear_errors()
        chosen = service if isinstance(service, dict) else {}  # a hand-made call may send anything
        self.service_dialog = {k: str(v) for k, v in chosen.items()} if chosen else {"id": ""}
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
    async def save_service(self, form: dict):  # type: ignore[no-untyped-def]
        office_id, service_id = self.office_id, self.service_dialog.get("id", "")
        chosen = tuple(int(p["id"]) for p in self.people if checked(form, f"offered-{p['id']}"))
        data = setup.ServiceInput(
            name=text(form, "name"),
            duration_minutes=text(form, "duration_minutes"),
            color=text(form, "color"),
            bookable_online=checked(form, "bookable_online"),
            practitioner_ids=chosen,
        )

        def change(db: Session, actor: Actor) -> None:
            setup.save_service(db, actor, office_id, data, int(service_id) if service_id.isdigit() else None)

        answer = await self._form_action(change, "Service saved.")
        if not self.errors and not self.form_error:
            self.service_dialog = {}
        return answer

    @rx.event
    async def retire_service(self, service_id: str):  # type: ignore[no-untyped-def]
        office_id = self.office_id

        def change(db: Session, actor: Actor) -> None:
            setup.retire_service(db, actor, office_id, int(service_id))

        return await self._act(change, "Service removed. Past appointments keep it.")

    @rx.event
    async def add_time_off(self, form: dict):  # type: ignore[no-untyped-def]
        office_id, user_id, zone = self.office_id, self.hours_for, self.zone

        def when(day: str, clock: str, field: str) -> datetime:
            try:
                moment = datetime.combine(date.fromisoformat(day), datetime.strptime(clock or "00:00", "%H:%M").time())
            except ValueError:
                raise Invalid("Choose a date and a time.", field) from None
            return moment.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)

        def change(db: Session, actor: Actor) -> None:
            if not user_id.isdigit():
                raise Invalid("Choose a practitioner.", "practitioner")
            starts = when(text(form, "from_date"), text(form, "from_time"), "from_date")
            ends = when(text(form, "to_date"), text(form, "to_time"), "to_date")
            setup.add_time_off(db, actor, office_id, int(user_id), starts, ends, text(form, "reason"))

        return await self._form_action(change, "Time off added.")

    @rx.event
    async def remove_time_off(self, time_off_id: str):  # type: ignore[no-untyped-def]
        office_id = self.office_id

        def change(db: Session, actor: Actor) -> None:
            setup.remove_time_off(db, actor, office_id, int(time_off_id))

        return await self._act(change, "Time off removed.")
