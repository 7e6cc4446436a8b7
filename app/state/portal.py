"""The patient portal: the family record switcher, the profile, redeeming access codes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import reflex as rx
from sqlmodel import Session

from app.services import access_codes, online_booking, portal
from app.services.actor import Actor, require_patient
from app.services.errors import DomainError, NotSignedIn
from app.services.ids import parse_id
from app.services.patients import PROPOSABLE_FIELDS, SEXES
from app.settings import get_settings
from app.state.failures import SOMETHING_WENT_WRONG, unexpected
from app.state.forms import FormMixin, text
from app.state.notices import notify
from app.state.session import SessionState


class PortalState(SessionState):
    """The frame of every portal page: the records this account holds and the one shown."""

    records: list[dict[str, str]] = []
    current_id: str = ""
    several_clinics: bool = False

    @rx.var
    def current_name(self) -> str:
        return next((r["name"] for r in self.records if r["id"] == self.current_id), "")

    @rx.var
    def current_first_name(self) -> str:
        return self.current_name.split(" ")[0] if self.current_name else ""

    def _load_records(self, db: Session, actor: Actor) -> int | None:
        self._remember_user(actor)
        require_patient(actor)
        records = portal.held_records(db, actor)
        current = portal.current_record(db, actor)
        self.records = [
            {
                "id": str(r.patient_id),
                "name": r.name,
                "office_name": r.office_name,
                "initials": "".join(part[0] for part in r.name.split()[:2]).upper(),
            }
            for r in records
        ]
        self.several_clinics = len({r.office_name for r in records}) > 1
        self.current_id = str(current) if current else ""
        return current

    async def _open_portal(
        self, work: Callable[[Session, Actor, int | None], Any] | None = None, *, loading: bool = False
    ) -> tuple[bool, Any]:
        """Load the held records and the page's data in one transaction; refuse clinic accounts."""
        if loading:
            self.page_status = "loading"

        def everything(db: Session, actor: Actor) -> Any:
            current = self._load_records(db, actor)
            return work(db, actor, current) if work else None

        try:
            data = await self._as_actor(everything)
        except NotSignedIn as error:
            return False, self._to_sign_in(error.message)
        except DomainError as error:
            if loading:  # the page cannot be shown: say why, instead of waiting for ever
                self.page_status, self.page_message = "denied", error.message
                return False, None
            return False, notify.error(error.message)
        except Exception as error:  # a bug: logged in full; the page stops waiting
            if loading:
                self.page_status, self.page_message = "denied", SOMETHING_WENT_WRONG
            return False, unexpected(error)
        self.page_status = "ready"
        return True, data

    @rx.event
    async def load_home(self):  # type: ignore[no-untyped-def]
        ok, answer = await self._open_portal(loading=True)
        return None if ok else answer

    @rx.event
    async def choose_record(self, patient_id: str):  # type: ignore[no-untyped-def]
        """The family record switcher. Any id may arrive here; the service checks it is held."""

        def work(db: Session, actor: Actor, _current: int | None) -> int:
            chosen = parse_id(patient_id, portal.NOT_HELD)
            portal.choose_record(db, actor, chosen)
            return chosen

        ok, answer = await self._open_portal(work)
        if not ok:
            return answer
        self.current_id = str(answer)
        # Reload the page so every panel shows the chosen person.
        return rx.redirect(self.router.url.path or "/portal")


class PortalProfileState(FormMixin, PortalState):
    official: dict[str, str] = {}
    pending: dict[str, str] = {}
    office_name: str = ""

    @rx.var
    def sexes(self) -> list[str]:
        return list(SEXES)

    @rx.var
    def form_values(self) -> dict[str, str]:
        """What the patient sees in the form: their pending changes over the official record."""
        return {**self.official, **self.pending}

    @rx.var
    def pending_labels(self) -> list[str]:
        return [PROPOSABLE_FIELDS[f] for f in PROPOSABLE_FIELDS if f in self.pending]

    def _fill(self, view: portal.PortalProfile) -> None:
        self.official, self.pending, self.office_name = view.official, view.pending, view.office_name

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        self.clear_errors()

        def work(db: Session, actor: Actor, current: int | None) -> portal.PortalProfile | None:
            return portal.profile(db, actor, current) if current else None

        ok, view = await self._open_portal(work, loading=True)
        if not ok:
            return view
        if view is None:
            self.official, self.pending = {}, {}
            return None
        self._fill(view)
        return None

    @rx.event
    async def save(self, form: dict):  # type: ignore[no-untyped-def]
        self._start()
        yield
        values = {name: text(form, name) for name in PROPOSABLE_FIELDS}
        shown = self.current_id  # the record the form was filled from

        def everything(db: Session, actor: Actor) -> portal.PortalProfile:
            self._load_records(db, actor)
            chosen = parse_id(shown, portal.NOT_HELD)
            portal.propose_changes(db, actor, chosen, values)
            return portal.profile(db, actor, chosen)

        done, outcome = await self._submit(everything)
        if not done:
            yield outcome
            return
        self._fill(outcome)
        self.busy = False
        yield notify.success("Thank you! Your clinic will review your changes.")


class RedeemState(FormMixin, PortalState):
    @rx.var
    def code_from_link(self) -> str:
        return access_codes.normalize_code(self.router.url.query_parameters.get("code", "")).replace("-", " ")

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        self.clear_errors()
        if not self._session_hash():
            query = self.router.url.query_parameters.get("code", "")
            target = "/portal/redeem" + (f"?code={quote(query)}" if query else "")
            return [
                rx.redirect(f"/sign-in?next={quote(target)}"),
                notify.info("Sign in or create your portal account to unlock the record."),
            ]
        ok, answer = await self._open_portal(loading=True)
        return None if ok else answer

    @rx.event
    async def redeem(self, form: dict):  # type: ignore[no-untyped-def]
        self._start()
        yield
        code = text(form, "code")

        def work(db: Session, actor: Actor, _current: int | None) -> str:
            patient = access_codes.redeem(db, get_settings(), actor, code)
            return f"{patient.first_name} {patient.last_name}"

        def everything(db: Session, actor: Actor) -> str:
            self._load_records(db, actor)
            name = work(db, actor, None)
            self._load_records(db, actor)
            return name

        done, outcome = await self._submit(everything)
        if not done:
            yield outcome
            return
        name = outcome
        self.busy = False
        yield rx.redirect("/portal")
        yield notify.success(f"{name}'s records are now in your portal.")


class PortalAppointmentsState(PortalState):
    upcoming: list[dict[str, str]] = []
    past: list[dict[str, str]] = []

    def _fill(self, items: list) -> None:  # type: ignore[type-arg]
        def row(a) -> dict[str, str]:  # type: ignore[no-untyped-def]
            return {
                "id": str(a.id),
                "when": online_booking.readable_time(a.starts_at, a.time_zone),
                "service": a.service_name,
                "practitioner": a.practitioner_name,
                "office": a.office_name,
                "status": a.status.value,
                "can_cancel": str(a.can_cancel).lower(),
                "book_again": f"/book/{a.office_id}?service={a.service_id or ''}&practitioner={a.practitioner_id}",
            }

        self.upcoming = [row(a) for a in items if a.upcoming and a.status.value != "cancelled"]
        self.past = [row(a) for a in reversed(items) if not a.upcoming or a.status.value == "cancelled"]

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        def work(db: Session, actor: Actor, current: int | None) -> list:  # type: ignore[type-arg]
            return online_booking.portal_appointments(db, actor, current)

        ok, items = await self._open_portal(work, loading=True)
        if not ok:
            return items
        self._fill(items)
        return None

    @rx.event
    async def cancel(self, appointment_id: str):  # type: ignore[no-untyped-def]
        """The server checks the office's rules again, whatever the page showed."""

        def work(db: Session, actor: Actor, current: int | None) -> list:  # type: ignore[type-arg]
            online_booking.cancel_online(db, actor, parse_id(appointment_id, online_booking.NO_APPOINTMENT))
            return online_booking.portal_appointments(db, actor, current)

        ok, items = await self._open_portal(work)
        if not ok:
            return items
        self._fill(items)
        return notify.success("Appointment cancelled.")
