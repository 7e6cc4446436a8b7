"""The account page (change password) and the Practitioner Share PIN dialog."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from app.services.accounts import kind as account_kind
from app.services.accounts import passwords
from app.services.accounts import share_pin as account_share_pin
from app.services.actor import Actor
from app.services.errors import DomainError
from app.services.sharing import pins
from app.settings import get_settings
from app.state.errors import answer
from app.state.forms import FormMixin, text
from app.state.notices import notify
from app.state.session import SessionState


class AccountState(FormMixin, SessionState):
    may_switch_kind: rx.Field[bool] = rx.field(False)  # an empty account (no office, nothing held) may change its type

    @rx.event
    async def load(self):
        self.page_status = "loading"
        self.clear_errors()

        def work(db: Session, actor: Actor) -> tuple[Actor, bool]:
            return actor, account_kind.may_switch_kind(db, actor)

        try:
            actor, may_switch = await self._as_actor(work)
        except Exception as error:
            return answer(self, error, loading=True)
        self._remember_user(actor)
        self.may_switch_kind = may_switch
        self.page_status = "ready"
        return None

    @rx.event
    async def switch_kind(self, kind: str):
        """Practitioner ↔ patient, for an empty account (the service checks it, whatever the page sends)."""
        self._start()
        yield

        def work(db: Session, actor: Actor) -> str:
            return account_kind.switch_kind(db, actor, kind).value

        done, outcome = await self._submit(work)
        if not done:
            yield outcome
            return
        self.busy = False
        self.user_kind = outcome
        self.patient_account, self.clinic_account = outcome == "patient", outcome != "patient"
        yield notify.success("This is now a " + ("patient" if outcome == "patient" else "practitioner") + " account.")

    @rx.event
    async def change_password(self, form: dict):
        self._start()
        yield
        current, new = text(form, "current_password"), text(form, "new_password")
        if new != text(form, "new_password_again"):
            self._show_error(DomainError("The two new passwords are not the same.", "new_password_again"))
            return

        def work(db: Session, actor: Actor) -> None:
            passwords.change_password(db, get_settings(), actor, current_password=current, new_password=new)

        done, outcome = await self._submit(work)
        if not done:
            yield outcome
            return
        self.busy = False
        yield rx.set_value("current_password", "")
        yield rx.set_value("new_password", "")
        yield rx.set_value("new_password_again", "")
        yield notify.success("Password changed. Your other devices have been signed out.")


class SharePinState(SessionState):
    share_pin: rx.Field[str] = rx.field("")
    dialog_open: rx.Field[bool] = rx.field(False)
    confirming_renewal: rx.Field[bool] = rx.field(False)  # "Make a new PIN" asks first, saying what it changes
    renewing: rx.Field[bool] = rx.field(False)

    @rx.event
    async def open_dialog(self):
        def work(db: Session, actor: Actor) -> str:
            return account_share_pin.share_pin(db, actor)

        try:
            pin = await self._as_actor(work)
        except Exception as error:
            return answer(self, error)
        self.share_pin, self.confirming_renewal, self.dialog_open = pin, False, True

    @rx.event
    def set_dialog_open(self, value: bool) -> None:
        self.dialog_open = bool(value)
        self.confirming_renewal = False

    @rx.event
    def set_confirming_renewal(self, value: bool) -> None:
        self.confirming_renewal = value is True

    @rx.event
    async def renew(self):
        """A new Practitioner Share PIN: the old one stops working; lists that have you keep you."""
        self.renewing = True
        yield

        def work(db: Session, actor: Actor) -> str:
            return pins.renew_own_pin(db, actor)

        try:
            pin = await self._as_actor(work)
        except Exception as error:
            self.renewing = False
            yield answer(self, error)
            return
        self.share_pin, self.renewing, self.confirming_renewal = pin, False, False
        yield notify.success("Your new Share PIN is ready. The old one no longer works.")
