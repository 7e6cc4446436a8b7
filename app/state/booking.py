"""The public online booking page, /book/<office>."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import reflex as rx
from sqlmodel import Session

from app.services import formatting, local_time, sessions
from app.services.accounts import sign_in as account_sign_in
from app.services.actor import Actor
from app.services.errors import DomainError
from app.services.ids import is_id, optional_id, parse_id
from app.services.scheduling import availability, booking_for, booking_page, online_booking
from app.settings import get_settings
from app.state.booking_for import WhomForMixin
from app.state.errors import answer
from app.state.forms import text
from app.state.notices import notify
from app.state.second_factor import SecondFactorMixin
from app.state.session import SessionState


def _day_chip(day: booking_page.BookingDay) -> dict[str, str]:
    return {"iso": day.iso, "weekday": day.weekday, "number": day.number, "label": day.label, "open": str(day.open)}


class PublicBookingState(WhomForMixin, SecondFactorMixin, SessionState):
    office: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    services: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    offered_by: rx.Field[dict[str, list[str]]] = rx.field(default_factory=dict)  # service id → practitioner ids
    practitioner_names: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    service_id: rx.Field[str] = rx.field("")
    practitioner_id: rx.Field[str] = rx.field("")  # "" means any practitioner
    day: rx.Field[str] = rx.field("")
    # The bookable days, a week at a time: the page shows one window (not 60 chips for 60 days ahead).
    _windows: list[list[dict[str, str]]] = []
    _window_titles: list[str] = []
    window: rx.Field[int] = rx.field(0)
    # the window shown: {"iso", "weekday", "number", "label"}
    days: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    window_title: rx.Field[str] = rx.field("")
    window_count: rx.Field[int] = rx.field(0)
    slots: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    slot: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    loading_slots: rx.Field[bool] = rx.field(False)
    booked: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    ics_text: rx.Field[str] = rx.field("")

    @rx.var
    def practitioner_choices(self) -> list[dict[str, str]]:
        ids = self.offered_by.get(self.service_id, [])
        return [{"id": "any", "name": "Any practitioner"}] + [
            {"id": pid, "name": self.practitioner_names.get(pid, "")} for pid in ids
        ]

    def _office_id(self) -> int:
        """The office named in the address (/book/<id>); 0, never an id, when it names none."""
        value = getattr(self, "office_key", "")
        return parse_id(value) if is_id(value) else 0

    def _here(self) -> str:
        """This page with the current choices, to come back to after signing up."""
        query = {"service": self.service_id, "practitioner": self.practitioner_id or "any", "day": self.day}
        if self.slot:
            query["slot"] = self.slot.get("iso", "")
        return f"/book/{self._office_id()}?{urlencode(query)}"

    @rx.var
    def sign_up_href(self) -> str:
        return "/sign-up?kind=patient&next=" + quote(self._here())

    @rx.var
    def service_name(self) -> str:
        return next((s["name"] for s in self.services if s["id"] == self.service_id), "")

    def _bookable(self, iso: str) -> bool:
        return any(d["iso"] == iso and d["open"] == "True" for window in self._windows for d in window)

    def _show_window(self, index: int) -> None:
        self.window_count = len(self._windows)
        self.window = max(0, min(index, self.window_count - 1))
        self.days = self._windows[self.window] if self._windows else []
        self.window_title = self._window_titles[self.window] if self._window_titles else ""

    @rx.event
    async def load(self):
        self._back_to_password()  # clears the messages too
        self.booked, self.slot, self.slots, self.ics_text = {}, {}, [], ""
        office_id = self._office_id()
        token_hash = self._session_hash()

        def work(db: Session):
            actor = sessions.resolve_hashed(db, token_hash, touch=False)
            return (
                booking_page.booking_page(db, office_id),
                booking_page.booking_days(db, office_id),
                actor,
                booking_for.whom_for_choices(db, actor, office_id),
            )

        try:
            page, days, actor, whom = await self._run(work)
        except Exception as error:  # no such page, or a bug (logged in full): the page stops waiting
            self.office = {}
            if isinstance(error, DomainError):
                self.page_status = "denied"
                return None
            return answer(self, error, loading=True)
        if actor is not None:
            self._remember_user(actor)
        self._set_whom_choices(whom)
        self.office = {
            "id": str(page.office_id),
            "name": page.office_name,
            "phone": page.phone,
            "zone": page.time_zone,
            "enabled": str(page.enabled).lower(),
        }
        self.services = [{"id": str(s.id), "name": s.name, "minutes": str(s.duration_minutes)} for s in page.services]
        self.offered_by = {str(s.id): [str(p) for p in s.practitioner_ids] for s in page.services}
        self.practitioner_names = {str(k): v for k, v in page.practitioners.items()}
        self._windows = [[_day_chip(d) for d in window] for window in days.windows]
        self._window_titles = list(days.titles)
        params = self.router.url.query_parameters
        wanted_service = params.get("service", "")
        self.service_id = (
            wanted_service if wanted_service in self.offered_by else (self.services[0]["id"] if self.services else "")
        )
        wanted_practitioner = params.get("practitioner", "")
        self.practitioner_id = (
            wanted_practitioner if wanted_practitioner in self.offered_by.get(self.service_id, []) else ""
        )
        wanted_day = params.get("day", "")
        self.day = wanted_day if days.has(wanted_day) else days.default
        self._show_window(days.window_of(self.day))
        self.page_status = "ready"
        answered = await self._load_slots()
        wanted_slot = params.get("slot", "")
        self.slot = next((s for s in self.slots if s["iso"] == wanted_slot), {})
        return answered

    async def _load_slots(self):
        """The free times for the choices on the page (none until a service and a day are chosen)."""
        office_id, service_id, practitioner_id = self._office_id(), self.service_id, self.practitioner_id
        day = self.day if self._bookable(self.day) else ""  # only a day the page offers
        zone = self.office.get("zone", "UTC")

        def work(db: Session) -> list[availability.Slot]:
            if not service_id or not day:
                return []
            return availability.available_slots(
                db, office_id, service_id, optional_id(practitioner_id), local_time.parse_day(day)
            )

        self.loading_slots = True
        answered = None
        try:
            found = await self._run(work)
        except DomainError:
            found = []
        except Exception as error:  # a bug: logged in full; the page stops waiting
            found, answered = [], answer(self, error)
        self.loading_slots = False
        self.slots = [
            {
                "iso": s.starts_at.isoformat(),
                "label": formatting.clock(s.starts_at, zone),
                "when": formatting.when(s.starts_at, zone),
                "day": formatting.long_day_of(s.starts_at, zone),  # 'Wednesday 25 November 2026'
                "time": formatting.clock(s.starts_at, zone),
                "practitioner_id": str(s.practitioner_id),
                "practitioner": self.practitioner_names.get(str(s.practitioner_id), ""),
            }
            for s in found
        ]
        return answered

    @rx.event
    async def choose_service(self, service_id: str):
        self.service_id, self.practitioner_id, self.slot = str(service_id), "", {}
        return await self._load_slots()

    @rx.event
    async def choose_practitioner(self, practitioner_id: str):
        self.practitioner_id = "" if practitioner_id == "any" else str(practitioner_id)
        self.slot = {}
        return await self._load_slots()

    @rx.event
    async def choose_day(self, day: str):
        self.day, self.slot = str(day), {}
        return await self._load_slots()

    @rx.event
    async def show_window(self, step: int | str):
        """Earlier (-1) or later (1) days: the next window opens on its first day."""
        direction = {-1: -1, 1: 1, "-1": -1, "1": 1}.get(step, 0) if isinstance(step, int | str) else 0
        wanted = self.window + direction
        if not direction or not 0 <= wanted < len(self._windows):
            return None
        self._show_window(wanted)
        self.day, self.slot = self.days[0]["iso"], {}
        return await self._load_slots()

    @rx.event
    def choose_slot(self, slot: dict) -> None:
        self.clear_errors()
        wanted = slot.get("iso") if isinstance(slot, dict) else None
        self.slot = next((s for s in self.slots if s["iso"] == wanted), {})

    @rx.event
    def change_slot(self) -> None:
        self.slot = {}
        self.clear_errors()

    @rx.event
    async def sign_in(self, form: dict):
        self._start()
        yield
        email, password, client_ip = text(form, "email"), text(form, "password"), self._client_ip()
        # Back to this page with the same choices once the cookie is set (a full page load).
        here = self._here()

        def work(db: Session) -> account_sign_in.SignedIn | account_sign_in.SecondFactorNeeded:
            return account_sign_in.sign_in(
                db, get_settings(), email=email, password=password, client_ip=client_ip, next_path=here
            )

        done, outcome = await self._submit_signed_out(work)
        if not done:
            yield outcome
            return
        # A clinic account with two-factor sign-in is asked for its code here too (state/second_factor.py).
        await self._signed_in(outcome)

    @rx.event
    async def confirm(self, form: dict | None = None):
        """Book the chosen time for whom the page says (the server checks the account holds it)."""
        self._start()
        yield
        office_id, service_id, practitioner_id = self._office_id(), self.service_id, self.practitioner_id
        for_whom, new_name = self.for_whom, (text(form or {}, "new_first_name"), text(form or {}, "new_last_name"))
        starts = self.slot.get("iso", "")  # a time the page offered (choose_slot), or none
        if not starts:
            self._show_error(DomainError("Choose a time again."))
            return

        def work(db: Session, actor: Actor) -> online_booking.BookingConfirmation:
            return online_booking.confirm_booking(
                db,
                get_settings(),
                actor,
                office_id,
                service_id=service_id,
                practitioner_id=practitioner_id,
                starts_at=starts,
                for_whom=for_whom,
                new_name=new_name,
            )

        done, outcome = await self._submit(work, signed_out="Please sign in to confirm.")
        if not done:
            if outcome is not None:  # a bug: logged in full, and the form is usable again
                yield outcome
                return
            shown = {"new_first_name", "new_last_name"}  # the fields on the confirm card
            if not self.form_error and set(self.errors) - shown:  # any other refusal: beside the button
                self.form_error = next(m for f, m in self.errors.items() if f not in shown)
            yield await self._load_slots()  # refused (taken, closed, …): the times as they are now
            return
        self.booked = {
            "when": outcome.when,
            "service": outcome.service,
            "practitioner": outcome.practitioner,
            "patient": outcome.patient,
            "office": outcome.office,
            "address": outcome.address,
        }
        self.ics_text = outcome.ics
        self.busy, self.slot = False, {}
        if outcome.form_assignment_id:  # the service asks for a form: on to it, for the booked person
            yield rx.redirect(f"/portal/forms/{outcome.form_assignment_id}")
            booked = f"You're booked: {outcome.service} with {outcome.practitioner}, {outcome.when}."
            yield notify.success(f"{booked} Please fill in this form for the clinic.")
            return
        yield await self._load_slots()

    @rx.event
    def download_ics(self):
        if not self.ics_text:
            return None
        return rx.download(data=self.ics_text, filename="appointment.ics", mime_type="text/calendar")
