"""The patient portal: the family record switcher, the profile, redeeming access codes.

A page's handler loads the held records and its own data in one transaction: the work returns
both (a `PortalLoaded`), and the handler assigns them after the await.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import reflex as rx
from sqlmodel import Session

from app.services import access_codes, formatting, portal
from app.services.actor import Actor
from app.services.ids import parse_id
from app.services.patients.proposals import PROPOSABLE_FIELDS
from app.services.patients.records import SEXES
from app.services.scheduling import portal_appointments
from app.settings import get_settings
from app.state.errors import answer
from app.state.forms import FormMixin, text
from app.state.notices import notify
from app.state.session import SessionState

T = TypeVar("T")


@dataclass(frozen=True)
class PortalLoaded(Generic[T]):
    """What a portal page's work returns: who asked, the records they hold, and the page's own data."""

    actor: Actor
    shell: portal.PortalShell
    data: T


class PortalState(SessionState):
    """The frame of every portal page: the records this account holds and the one shown."""

    records: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    current_id: rx.Field[str] = rx.field("")
    several_clinics: rx.Field[bool] = rx.field(False)
    # What the clinic took out of this account: the record it was looking at, just now (said on any
    # page), and every record removed lately (the overview), as {"name", "message"}.
    just_removed: rx.Field[str] = rx.field("")
    removed: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)

    @rx.var
    def current_name(self) -> str:
        return next((r["name"] for r in self.records if r["id"] == self.current_id), "")

    @rx.var
    def current_first_name(self) -> str:
        return self.current_name.split(" ")[0] if self.current_name else ""

    @staticmethod
    def _with_records(
        work: Callable[[Session, Actor, int | None], T] | None = None,
    ) -> Callable[[Session, Actor], PortalLoaded[T | None]]:
        """The held records (clinic accounts are refused), then the work for the record shown."""

        def everything(db: Session, actor: Actor) -> PortalLoaded[T | None]:
            shell = portal.portal_shell(db, actor)
            return PortalLoaded(actor, shell, work(db, actor, shell.current) if work else None)

        return everything

    def _show_records(self, loaded: PortalLoaded[Any]) -> None:
        self._remember_user(loaded.actor)
        shell = loaded.shell
        self.records = [
            {
                "id": str(r.patient_id),
                "name": r.name,
                "office_name": r.office_name,
                "initials": formatting.initials(r.name),
            }
            for r in shell.records
        ]
        self.several_clinics = shell.several_clinics
        self.just_removed = shell.just_removed.message if shell.just_removed else ""
        self.removed = [{"name": r.name, "message": r.message} for r in shell.removed]
        self.current_id = str(shell.current) if shell.current else ""

    async def _open_portal(
        self, work: Callable[[Session, Actor, int | None], Any] | None = None, *, loading: bool = False
    ) -> tuple[bool, Any]:
        """Load the held records and the page's data in one transaction; refuse clinic accounts."""
        if loading:
            self.page_status = "loading"
        try:
            loaded = await self._as_actor(self._with_records(work))
        except Exception as error:
            return False, answer(self, error, loading=loading)
        self._show_records(loaded)
        self.page_status = "ready"
        return True, loaded.data

    @rx.event
    async def load_home(self):
        ok, answer = await self._open_portal(loading=True)
        return None if ok else answer

    @rx.event
    async def choose_record(self, patient_id: str):
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
    official: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    pending: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    office_name: rx.Field[str] = rx.field("")

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
    async def load(self):
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
    async def save(self, form: dict):
        self._start()
        yield
        values = {name: text(form, name) for name in PROPOSABLE_FIELDS}
        shown = self.current_id  # the record the form was filled from

        def work(db: Session, actor: Actor, _current: int | None) -> portal.PortalProfile:
            chosen = parse_id(shown, portal.NOT_HELD)
            portal.propose_changes(db, actor, chosen, values)
            return portal.profile(db, actor, chosen)

        done, outcome = await self._submit(self._with_records(work))
        if not done:
            yield outcome
            return
        self._show_records(outcome)
        self._fill(outcome.data)
        self.busy = False
        yield notify.success("Thank you! Your clinic will review your changes.")


class RedeemState(FormMixin, PortalState):
    @rx.var
    def code_from_link(self) -> str:
        return access_codes.normalize_code(self.router.url.query_parameters.get("code", "")).replace("-", " ")

    @rx.event
    async def load(self):
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
    async def redeem(self, form: dict):
        self._start()
        yield
        code = text(form, "code")

        def work(db: Session, actor: Actor) -> PortalLoaded[str]:
            patient = access_codes.redeem(db, get_settings(), actor, code)
            # The records after the redemption: the new one is among them.
            return PortalLoaded(
                actor, portal.portal_shell(db, actor), formatting.full_name(patient.first_name, patient.last_name)
            )

        done, outcome = await self._submit(work)
        if not done:
            yield outcome
            return
        self._show_records(outcome)
        name = outcome.data
        self.busy = False
        yield rx.redirect("/portal")
        yield notify.success(f"{name}'s records are now in your portal.")


class PortalAppointmentsState(PortalState):
    upcoming: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    past: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    cancelled: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    # {"href", "label"}: Book an appointment, per held record's office
    book_links: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)

    def _fill(self, loaded: tuple) -> None:
        items, links = loaded

        def row(a) -> dict[str, str]:
            return {
                "id": str(a.id),
                "when": formatting.when(a.starts_at, a.time_zone, year=True),
                "service": a.service_name,
                "practitioner": a.practitioner_name,
                "office": a.office_name,
                "status": a.status.value,
                "status_label": formatting.status_label(a.status.value),
                "can_cancel": str(a.can_cancel).lower(),
                "call_to_cancel": a.call_to_cancel,
                "book_again": (
                    f"/book/{a.office_id}?service={a.service_id or ''}&practitioner={a.practitioner_id}"
                    if a.book_again
                    else ""
                ),
            }

        self.upcoming = [row(a) for a in items if a.group == "upcoming"]
        self.past = [row(a) for a in reversed(items) if a.group == "past"]
        self.cancelled = [row(a) for a in reversed(items) if a.group == "cancelled"]
        several = len(links) > 1
        self.book_links = [
            {
                "href": f"/book/{link.office_id}",
                "label": f"Book at {link.office_name}" if several else "Book an appointment",
            }
            for link in links
        ]

    @rx.event
    async def load(self):
        def work(db: Session, actor: Actor, current: int | None) -> tuple:
            return portal_appointments.portal_appointments(db, actor, current), portal_appointments.booking_links(
                db, actor
            )

        ok, loaded = await self._open_portal(work, loading=True)
        if not ok:
            return loaded
        self._fill(loaded)
        return None

    @rx.event
    async def cancel(self, appointment_id: str):
        """The server checks the office's rules again, whatever the page showed."""

        def work(db: Session, actor: Actor, current: int | None) -> tuple:
            portal_appointments.cancel_online(db, actor, parse_id(appointment_id, portal_appointments.NO_APPOINTMENT))
            return portal_appointments.portal_appointments(db, actor, current), portal_appointments.booking_links(
                db, actor
            )

        ok, loaded = await self._open_portal(work)
        if not ok:
            return loaded
        self._fill(loaded)
        return notify.success("Appointment cancelled.")
