"""The clinic workspace: the shell (offices, current office, what the actor may do there) and its pages.

A page's handler loads the shell and its own data in one transaction (`_load_page`): the work,
run off the event loop, returns both (a `Loaded`), and the handler assigns them after the await,
so a failure leaves every var as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Generic, TypeVar

import reflex as rx
from sqlmodel import Session

from app.services import offices
from app.services.actor import Actor
from app.services.ids import parse_id
from app.services.permissions import Capabilities, require_office_creator
from app.services.sharing import pins
from app.services.two_factor import requirement
from app.services.validation import time_zone_names
from app.state.errors import answer
from app.state.forms import FormMixin, text
from app.state.notices import notify
from app.state.session import SessionState

T = TypeVar("T")


@dataclass(frozen=True)
class Loaded(Generic[T]):
    """What a clinic page's work returns: who asked, the shell, and the page's own data."""

    actor: Actor
    shell: offices.ClinicShell
    data: T


class ClinicState(SessionState):
    """The frame of every clinic page: who is signed in, in which office, and what they may do there."""

    office_id: rx.Field[int] = rx.field(0)
    office_name: rx.Field[str] = rx.field("")
    office_role: rx.Field[str] = rx.field("")  # shown as a label only: what the page offers comes from `can`
    offices: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    can: rx.Field[Capabilities] = rx.field(default_factory=Capabilities)

    @staticmethod
    def _with_shell(
        work: Callable[[Session, Actor, offices.ClinicShell], T] | None = None,
    ) -> Callable[[Session, Actor], Loaded[T | None]]:
        """The work, preceded by the shell in the same transaction; the page's data is for the shell's office."""

        def everything(db: Session, actor: Actor) -> Loaded[T | None]:
            shell = offices.clinic_shell(db, actor)
            return Loaded(actor, shell, work(db, actor, shell) if work else None)

        return everything

    def _show_shell(self, loaded: Loaded[Any]) -> None:
        self._remember_user(loaded.actor)
        shell = loaded.shell
        self.offices = [{"id": str(s.id), "name": s.name, "role": s.role.value} for s in shell.offices]
        self.office_id = shell.office_id
        self.office_name = shell.current.name if shell.current else ""
        self.office_role = shell.current.role.value if shell.current else ""
        self.can = shell.can

    async def _load_page(
        self, work: Callable[[Session, Actor, offices.ClinicShell], Any] | None = None, *, loading: bool = False
    ) -> tuple[bool, Any]:
        """Load the shell and the page's data (or apply a change and reload) in one transaction.

        Returns (True, the page's data) or (False, the event that answers the failure)."""
        if loading:
            self.page_status = "loading"
        try:
            loaded = await self._as_actor(self._with_shell(work))
        except Exception as error:
            return False, answer(self, error, loading=loading)
        self._show_shell(loaded)
        self.page_status = "ready"
        return True, loaded.data

    @rx.event
    async def switch_office(self, office_id: str):
        def work(db: Session, actor: Actor) -> None:
            offices.switch_office(db, actor, parse_id(office_id, offices.NOT_YOUR_OFFICE))

        try:
            await self._as_actor(work)
        except Exception as error:
            return answer(self, error)
        return rx.redirect(self.router.url.path or "/clinic")


class OfficeDetailsState(FormMixin, ClinicState):
    details: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    editing: rx.Field[bool] = rx.field(False)
    team_two_factor: rx.Field[bool] = rx.field(False)  # "Require two-factor sign-in for the team"
    saving_two_factor: rx.Field[bool] = rx.field(False)
    confirming_pin_renewal: rx.Field[bool] = rx.field(False)  # the owner's "Make a new PIN" asks first
    renewing_pin: rx.Field[bool] = rx.field(False)

    @rx.var
    def time_zones(self) -> list[str]:
        return list(time_zone_names())

    @rx.var
    def opening_tab(self) -> str:
        """The tab the page opens on: `?tab=team` (Home's checklist links there), else the details."""
        return "team" if self.router.url.query_parameters.get("tab") == "team" else "details"

    @rx.event
    async def load(self):
        self.editing, self.confirming_pin_renewal = False, False
        self.clear_errors()

        def work(db: Session, actor: Actor, shell: offices.ClinicShell) -> offices.OfficeDetails | None:
            return offices.office_details(db, actor, shell.office_id) if shell.office_id else None

        ok, details = await self._load_page(work, loading=True)
        if not ok:
            return details
        if details is None:
            # No office yet: to create one, for those who may; anyone else is shown Home's explanation.
            return rx.redirect("/clinic/office/new" if self.can.create_office else "/clinic")
        self._show_details(details)

    def _show_details(self, details: offices.OfficeDetails) -> None:
        self.details = {key: str(value) for key, value in asdict(details).items()}
        self.team_two_factor = details.require_two_factor

    @rx.event
    async def set_team_two_factor(self, value: bool):
        """The owner's switch; the service checks the role (and that the owner has it on)."""
        required = value is True
        self.errors, self.form_error, self.saving_two_factor = {}, "", True
        yield
        office_id = self.office_id

        def work(db: Session, actor: Actor) -> offices.OfficeDetails:
            requirement.set_office_requirement(db, actor, office_id, required)
            return offices.office_details(db, actor, office_id)

        done, outcome = await self._submit(work)
        self.saving_two_factor = False
        if not done:
            yield outcome
            return
        self._show_details(outcome)
        yield notify.success(
            "Two-factor sign-in is now required for the team."
            if required
            else "Two-factor sign-in is no longer required for the team."
        )

    @rx.event
    def set_confirming_pin_renewal(self, value: bool) -> None:
        self.confirming_pin_renewal = value is True

    @rx.event
    async def renew_share_pin(self):
        """A new Office Share PIN (the owner's; the service checks): the old one stops working,
        and the sharing lists the office is on keep it."""
        self.renewing_pin = True
        yield
        office_id = self.office_id

        def work(db: Session, actor: Actor) -> offices.OfficeDetails:
            pins.renew_office_pin(db, actor, office_id)
            return offices.office_details(db, actor, office_id)

        done, outcome = await self._submit(work)
        self.renewing_pin = False
        if not done:
            yield outcome if outcome is not None else notify.error(self.form_error)
            return
        self._show_details(outcome)
        self.confirming_pin_renewal = False
        yield notify.success("The office has a new Share PIN. The old one no longer works.")

    @rx.event
    def start_editing(self) -> None:
        self.clear_errors()
        self.editing = True

    @rx.event
    def cancel_editing(self) -> None:
        self.clear_errors()
        self.editing = False

    @rx.event
    async def save(self, form: dict):
        self._start()
        yield
        data = offices.OfficeInput(
            name=text(form, "name"),
            address=text(form, "address"),
            phone=text(form, "phone"),
            time_zone=text(form, "time_zone"),
        )
        office_id = self.office_id

        def work(db: Session, actor: Actor) -> Loaded[offices.OfficeDetails]:
            offices.update_office(db, actor, office_id, data)
            # The shell after the change: the office switcher shows the new name.
            return Loaded(actor, offices.clinic_shell(db, actor), offices.office_details(db, actor, office_id))

        done, outcome = await self._submit(work)
        if not done:
            yield outcome
            return
        self._show_shell(outcome)
        self._show_details(outcome.data)
        self.busy = False
        self.editing = False
        yield notify.success("Office details saved.")


class CreateOfficeState(FormMixin, ClinicState):
    @rx.var
    def time_zones(self) -> list[str]:
        return list(time_zone_names())

    @rx.event
    async def load(self):
        self.clear_errors()

        def work(db: Session, actor: Actor, _shell: offices.ClinicShell) -> None:
            require_office_creator(actor)  # only a practitioner account creates an office

        ok, answered = await self._load_page(work, loading=True)
        return None if ok else answered

    @rx.event
    async def create(self, form: dict):
        self._start()
        yield
        data = offices.OfficeInput(
            name=text(form, "name"),
            address=text(form, "address"),
            phone=text(form, "phone"),
            time_zone=text(form, "time_zone"),
        )

        def work(db: Session, actor: Actor) -> None:
            offices.create_office(db, actor, data)

        done, outcome = await self._submit(work)
        if not done:
            yield outcome
            return
        self.busy = False
        yield rx.redirect("/clinic/office")
        yield notify.success("Your office is ready.")
