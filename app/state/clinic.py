"""The clinic workspace: the shell (offices, current office) and its pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

import reflex as rx
from sqlmodel import Session

from app.services import offices, two_factor
from app.services.actor import Actor, require_clinic
from app.services.errors import DomainError, NotSignedIn, TwoFactorRequired
from app.services.ids import parse_id
from app.services.validation import time_zone_names
from app.state.failures import SOMETHING_WENT_WRONG, unexpected
from app.state.forms import FormMixin, text
from app.state.notices import notify
from app.state.session import SessionState

TWO_FACTOR_SETUP_PATH = "/account"


def to_two_factor_setup(message: str = TwoFactorRequired.default_message) -> list:
    """Off to Account → Two-factor sign-in, saying why."""
    return [rx.redirect(TWO_FACTOR_SETUP_PATH), notify.warning(message, id="two-factor-required")]


class ClinicState(SessionState):
    """The frame of every clinic page: who is signed in and in which office."""

    office_id: int = 0
    office_name: str = ""
    office_role: str = ""
    offices: list[dict[str, str]] = []

    def _load_shell(self, db: Session, actor: Actor) -> None:
        """Refuse portal accounts, then load the office list; runs inside the page's transaction."""
        require_clinic(actor)
        summaries = offices.my_offices(db, actor)
        current = offices.current_office_id(db, actor)
        self._remember_user(actor)
        self.offices = [{"id": str(s.id), "name": s.name, "role": s.role.value} for s in summaries]
        chosen = next((s for s in summaries if s.id == current), None)
        self.office_id = chosen.id if chosen else 0
        self.office_name = chosen.name if chosen else ""
        self.office_role = chosen.role.value if chosen else ""
        if chosen is not None and two_factor.missing_for_office(db, actor, chosen.id):
            # Every page of an office that requires two-factor sign-in sends a member without it to set it up
            # (the services refuse them the office's data in any case: permissions.require).
            raise TwoFactorRequired(f"{chosen.name} requires two-factor sign-in. Set it up to continue.")

    def _refuse(self, error: DomainError, during_load: bool = True):  # type: ignore[no-untyped-def]
        """A refused page shows why; a refused action on a loaded page shows a toast."""
        if isinstance(error, NotSignedIn):
            return self._to_sign_in(error.message)
        if isinstance(error, TwoFactorRequired):
            return to_two_factor_setup(error.message)
        if during_load:  # the page cannot be shown: say why, instead of waiting for ever
            self.page_status, self.page_message = "denied", error.message
            return None
        return notify.error(error.message)

    async def _open(
        self, work: Callable[[Session, Actor], Any] | None = None, *, loading: bool = False
    ) -> tuple[bool, Any]:
        """Load the shell and the page's data (or apply a change) in one transaction.

        Returns (True, data) or (False, the event that answers the refusal).
        """
        if loading:
            self.page_status = "loading"

        def everything(db: Session, actor: Actor) -> Any:
            self._load_shell(db, actor)
            return work(db, actor) if work else None

        try:
            data = await self._as_actor(everything)
        except DomainError as error:
            return False, self._refuse(error, during_load=loading)
        except Exception as error:  # a bug: logged in full; the page stops waiting
            if loading:
                self.page_status, self.page_message = "denied", SOMETHING_WENT_WRONG
            return False, unexpected(error)
        self.page_status = "ready"
        return True, data

    @rx.event
    async def load_home(self):  # type: ignore[no-untyped-def]
        ok, answer = await self._open(loading=True)
        return None if ok else answer

    @rx.event
    async def switch_office(self, office_id: str):  # type: ignore[no-untyped-def]
        def work(db: Session, actor: Actor) -> None:
            offices.switch_office(db, actor, parse_id(office_id, offices.NOT_YOUR_OFFICE))

        try:
            await self._as_actor(work)
        except DomainError as error:
            return self._refuse(error, during_load=False)
        return rx.redirect(self.router.url.path or "/clinic")


class OfficeDetailsState(FormMixin, ClinicState):
    details: dict[str, str] = {}
    editing: bool = False
    team_two_factor: bool = False  # "Require two-factor sign-in for the team"
    saving_two_factor: bool = False

    @rx.var
    def can_edit(self) -> bool:
        return self.details.get("role") == "owner"

    @rx.var
    def time_zones(self) -> list[str]:
        return list(time_zone_names())

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        self.editing = False
        self.clear_errors()

        def work(db: Session, actor: Actor) -> offices.OfficeDetails | None:
            return offices.office_details(db, actor, self.office_id) if self.office_id else None

        ok, details = await self._open(work, loading=True)
        if not ok:
            return details
        if details is None:
            # Only a practitioner can create an office; anyone else is shown Home's explanation.
            return rx.redirect("/clinic/office/new" if self.user_kind == "practitioner" else "/clinic")
        self._show_details(details)

    def _show_details(self, details: offices.OfficeDetails) -> None:
        self.details = {key: str(value) for key, value in asdict(details).items()}
        self.team_two_factor = details.require_two_factor

    @rx.event
    async def set_team_two_factor(self, value: bool):  # type: ignore[no-untyped-def]
        """The owner's switch; the service checks the role (and that the owner has it on)."""
        required = value is True
        self.errors, self.form_error, self.saving_two_factor = {}, "", True
        yield
        office_id = self.office_id

        def work(db: Session, actor: Actor) -> offices.OfficeDetails:
            two_factor.set_office_requirement(db, actor, office_id, required)
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
    def start_editing(self) -> None:
        self.clear_errors()
        self.editing = True

    @rx.event
    def cancel_editing(self) -> None:
        self.clear_errors()
        self.editing = False

    @rx.event
    async def save(self, form: dict):  # type: ignore[no-untyped-def]
        self._start()
        yield
        data = offices.OfficeInput(
            name=text(form, "name"),
            address=text(form, "address"),
            phone=text(form, "phone"),
            time_zone=text(form, "time_zone"),
        )
        office_id = self.office_id

        def work(db: Session, actor: Actor) -> offices.OfficeDetails:
            offices.update_office(db, actor, office_id, data)
            self._load_shell(db, actor)
            return offices.office_details(db, actor, office_id)

        done, outcome = await self._submit(work)
        if not done:
            yield outcome
            return
        details = outcome
        self._show_details(details)
        self.busy = False
        self.editing = False
        yield notify.success("Office details saved.")


class CreateOfficeState(FormMixin, ClinicState):
    @rx.var
    def time_zones(self) -> list[str]:
        return list(time_zone_names())

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        self.clear_errors()
        ok, answer = await self._open(loading=True)
        if ok and self.user_kind != "practitioner":
            self.page_status = "denied"
            self.page_message = "Only a practitioner account can create an office."
        return None if ok else answer

    @rx.event
    async def create(self, form: dict):  # type: ignore[no-untyped-def]
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
