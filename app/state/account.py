"""The account page (change password) and the Practitioner Share PIN dialog."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from app.services import accounts
from app.services.actor import Actor
from app.services.errors import DomainError, NotSignedIn
from app.settings import get_settings
from app.state.failures import SOMETHING_WENT_WRONG, unexpected
from app.state.forms import FormMixin, text
from app.state.notices import notify
from app.state.session import SessionState


class AccountState(FormMixin, SessionState):
    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        self.page_status = "loading"
        self.clear_errors()

        def work(db: Session, actor: Actor) -> None:
            self._remember_user(actor)

        try:
            await self._as_actor(work)
        except NotSignedIn as error:
            return self._to_sign_in(error.message)
        except DomainError as error:
            self.page_status, self.page_message = "denied", error.message
            return None
        except Exception as error:  # a bug: logged in full; the page stops waiting
            self.page_status, self.page_message = "denied", SOMETHING_WENT_WRONG
            return unexpected(error)
        self.page_status = "ready"
        return None

    @rx.event
    async def change_password(self, form: dict):  # type: ignore[no-untyped-def]
        self._start()
        yield
        current, new = text(form, "current_password"), text(form, "new_password")
        if new != text(form, "new_password_again"):
            self._show_error(DomainError("The two new passwords are not the same.", "new_password_again"))
            return

        def work(db: Session, actor: Actor) -> None:
            accounts.change_password(db, get_settings(), actor, current_password=current, new_password=new)

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
    share_pin: str = ""
    dialog_open: bool = False

    @rx.event
    async def open_dialog(self):  # type: ignore[no-untyped-def]
        def work(db: Session, actor: Actor) -> str:
            return accounts.share_pin(db, actor)

        try:
            self.share_pin = await self._as_actor(work)
        except DomainError as error:
            return self._handle(error)
        self.dialog_open = True

    @rx.event
    def set_dialog_open(self, value: bool) -> None:
        self.dialog_open = bool(value)
