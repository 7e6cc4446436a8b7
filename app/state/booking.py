"""The public online booking page, /book/<office>."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

import reflex as rx
from sqlmodel import Session

from app.mail_worker import wake_mail_worker
from app.models import Office, Service, User
from app.services import accounts, online_booking, sessions
from app.services.actor import Actor
from app.services.errors import DomainError, NotSignedIn
from app.settings import get_settings
from app.state.forms import text
from app.state.second_factor import SecondFactorMixin
from app.state.session import SessionState


class PublicBookingState(SecondFactorMixin, SessionState):
    office: dict[str, str] = {}
    services: list[dict[str, str]] = []
    offered_by: dict[str, list[str]] = {}  # service id → practitioner ids
    practitioner_names: dict[str, str] = {}
    service_id: str = ""
    practitioner_id: str = ""  # "" means any practitioner
    day: str = ""
    days: list[dict[str, str]] = []
    slots: list[dict[str, str]] = []
    slot: dict[str, str] = {}
    loading_slots: bool = False
    booked: dict[str, str] = {}
    ics_text: str = ""

    @rx.var
    def practitioner_choices(self) -> list[dict[str, str]]:
        ids = self.offered_by.get(self.service_id, [])
        return [{"id": "any", "name": "Any practitioner"}] + [
            {"id": pid, "name": self.practitioner_names.get(pid, "")} for pid in ids
        ]

    def _office_id(self) -> int:
        value = str(getattr(self, "office_key", "") or "")
        return int(value) if value.isdigit() else 0

    def _here(self) -> str:
        """This page with the current choices, to come back to after signing up."""
        query = {"service": self.service_id, "practitioner": self.practitioner_id or "any", "day": self.day}
        if self.slot:
            query["slot"] = self.slot.get("iso", "")
        return f"/book/{self._office_id()}?{urlencode(query)}"

    @rx.var
    def sign_up_href(self) -> str:
        return "/sign-up?next=" + quote(self._here())

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        self._back_to_password()  # clears the messages too
        self.booked, self.slot, self.slots, self.ics_text = {}, {}, [], ""
        office_id = self._office_id()
        token_hash = self._session_hash()

        def work(db: Session) -> tuple[online_booking.BookingPage, Actor | None]:
            return online_booking.booking_page(db, office_id), sessions.resolve_hashed(db, token_hash, touch=False)

        try:
            page, actor = await self._run(work)
        except DomainError:
            self.office = {}
            self.page_status = "denied"
            return None
        if actor is not None:
            self._remember_user(actor)
        zone = ZoneInfo(page.time_zone)
        today = datetime.now(UTC).astimezone(zone).date()
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
        self.days = [
            {
                "iso": (today + timedelta(days=i)).isoformat(),
                "label": f"{today + timedelta(days=i):%a} {(today + timedelta(days=i)).day}",
            }
            for i in range(0, 14)
        ]
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
        self.day = wanted_day if any(d["iso"] == wanted_day for d in self.days) else self.days[1]["iso"]
        self.page_status = "ready"
        await self._load_slots()
        wanted_slot = params.get("slot", "")
        self.slot = next((s for s in self.slots if s["iso"] == wanted_slot), {})
        return None

    async def _load_slots(self) -> None:
        office_id, service_id = self._office_id(), self.service_id
        practitioner = int(self.practitioner_id) if self.practitioner_id.isdigit() else None
        day, zone = self.day, self.office.get("zone", "UTC")

        def work(db: Session) -> list[online_booking.Slot]:
            if not service_id.isdigit():
                return []
            return online_booking.available_slots(db, office_id, int(service_id), practitioner, date.fromisoformat(day))

        self.loading_slots = True
        try:
            found = await self._run(work)
        except (DomainError, ValueError):
            found = []
        self.loading_slots = False
        local = ZoneInfo(zone)
        self.slots = [
            {
                "iso": s.starts_at.isoformat(),
                "label": f"{s.starts_at.astimezone(local):%H:%M}",
                "practitioner_id": str(s.practitioner_id),
                "practitioner": self.practitioner_names.get(str(s.practitioner_id), ""),
            }
            for s in found
        ]

    @rx.event
    async def choose_service(self, service_id: str | list[str]):  # type: ignore[no-untyped-def]
        self.service_id, self.practitioner_id, self.slot = str(service_id), "", {}
        await self._load_slots()

    @rx.event
    async def choose_practitioner(self, practitioner_id: str | list[str]):  # type: ignore[no-untyped-def]
        self.practitioner_id = "" if practitioner_id == "any" else str(practitioner_id)
        self.slot = {}
        await self._load_slots()

    @rx.event
    async def choose_day(self, day: str):  # type: ignore[no-untyped-def]
        self.day, self.slot = str(day), {}
        await self._load_slots()

    @rx.event
    def choose_slot(self, slot: dict) -> None:
        self.clear_errors()
        self.slot = next((s for s in self.slots if s["iso"] == slot.get("iso")), {})

    @rx.event
    def change_slot(self) -> None:
        self.slot = {}
        self.clear_errors()

    @rx.event
    async def sign_in(self, form: dict):  # type: ignore[no-untyped-def]
        self._start()
        yield
        email, password, client_ip = text(form, "email"), text(form, "password"), self._client_ip()
        # Back to this page with the same choices once the cookie is set (a full page load).
        here = self._here()

        def work(db: Session) -> accounts.SignedIn | accounts.SecondFactorNeeded:
            return accounts.sign_in(
                db, get_settings(), email=email, password=password, client_ip=client_ip, next_path=here
            )

        try:
            signed_in = await self._run(work)
        except DomainError as error:
            self._show_error(error)
            return
        # A clinic account with two-factor sign-in is asked for its code here too (state/second_factor.py).
        await self._signed_in(signed_in)

    @rx.event
    async def confirm(self):  # type: ignore[no-untyped-def]
        self._start()
        yield
        office_id, service_id, slot = self._office_id(), self.service_id, dict(self.slot)
        practitioner = int(self.practitioner_id) if self.practitioner_id.isdigit() else None

        def work(db: Session, actor: Actor) -> dict[str, str]:
            appointment = online_booking.book_online(
                db,
                get_settings(),
                actor,
                office_id,
                service_id=int(service_id),
                practitioner_id=practitioner,
                starts_at=datetime.fromisoformat(slot["iso"]),
            )
            office = db.get(Office, office_id)
            service = db.get(Service, int(service_id))
            who = db.get(User, appointment.practitioner_id)
            assert office is not None
            self.ics_text = online_booking.ics(
                appointment, office, service.name if service else "Appointment", who.full_name if who else ""
            )
            return {
                "when": online_booking.readable_time(appointment.starts_at, office.time_zone),
                "service": service.name if service else "Appointment",
                "practitioner": who.full_name if who else "",
                "office": office.name,
                "address": office.address,
            }

        try:
            self.booked = await self._as_actor(work)
        except NotSignedIn:
            self.busy = False
            self.form_error = "Please sign in to confirm."
            return
        except (DomainError, ValueError, KeyError) as error:
            self._show_error(error if isinstance(error, DomainError) else DomainError("Choose a time again."))
            await self._load_slots()
            return
        wake_mail_worker()
        self.busy, self.slot = False, {}
        await self._load_slots()

    @rx.event
    def download_ics(self):  # type: ignore[no-untyped-def]
        if not self.ics_text:
            return None
        return rx.download(data=self.ics_text, filename="appointment.ics", mime_type="text/calendar")
