"""Sign-in, sign-up, e-mail confirmation and password reset."""

from __future__ import annotations

from urllib.parse import quote

import reflex as rx
from sqlmodel import Session

from app.services.accounts import kind as account_kind
from app.services.accounts import passwords
from app.services.accounts import sign_in as account_sign_in
from app.services.accounts import sign_up as account_sign_up
from app.services.actor import Actor
from app.services.errors import DomainError
from app.settings import get_settings
from app.state.forms import FormMixin, text
from app.state.second_factor import SecondFactorMixin
from app.state.session import SessionState, safe_next_path
from app.web.session_routes import landing_path


class SignInState(SecondFactorMixin, SessionState):
    @rx.event
    async def open_page(self):
        """A fresh sign-in page: the password step, no message. Someone already signed in (the Back
        button after signing in, an old link) goes on to where they were going, or home: the address
        bar never shows the sign-in page to a signed-in person."""
        self._back_to_password()
        if not self._session_hash():
            return None

        def who(db: Session, actor: Actor) -> Actor:
            return actor

        try:
            actor = await self._as_actor(who, touch=False)
        except DomainError:
            return None
        target = safe_next_path(self.router.url.query_parameters.get("next", ""))
        return rx.redirect(landing_path(actor.kind.value, target), replace=True)

    @rx.var
    def sign_up_href(self) -> str:
        """Carry the page to return to through sign-up (for example an access-code link), and the
        kind of account it asks for (Patient from the portal, a booking page or a code's link)."""
        params = self.router.url.query_parameters
        target = safe_next_path(params.get("next", ""))
        kind = account_kind.sign_up_kind(params.get("kind", ""), target)
        return f"/sign-up?kind={kind}&next={quote(target)}" if target else f"/sign-up?kind={kind}"

    @rx.event
    async def sign_in(self, form: dict):
        self._start()
        yield
        email, password, client_ip = text(form, "email"), text(form, "password"), self._client_ip()
        target = safe_next_path(self.router.url.query_parameters.get("next", ""))

        def work(db: Session) -> account_sign_in.SignedIn | account_sign_in.SecondFactorNeeded:
            return account_sign_in.sign_in(
                db, get_settings(), email=email, password=password, client_ip=client_ip, next_path=target
            )

        done, outcome = await self._submit_signed_out(work)
        if not done:
            yield outcome
            return
        await self._signed_in(outcome)


class SignUpState(FormMixin, SessionState):
    sent_to: rx.Field[str] = rx.field("")
    mail_in_terminal: rx.Field[bool] = rx.field(False)  # no SMTP server: the page says where the mail was printed
    kind: rx.Field[str] = rx.field("practitioner")  # preselected from where the person came from (?kind=, or ?next=)
    _kind_chosen_on: str = ""  # the address on which the person last chose a kind themselves

    @rx.event
    def reset_page(self) -> None:
        self.sent_to = ""
        self.clear_errors()
        params = self.router.url.query_parameters
        # This load event can arrive after a quick first click on the cards: a choice made on this very
        # address stands; any other visit starts from where the person came from.
        if self._kind_chosen_on != str(self.router.url):
            self.kind = account_kind.sign_up_kind(params.get("kind", ""), safe_next_path(params.get("next", "")))

    @rx.event
    def choose_kind(self, value: str) -> None:
        self.kind = account_kind.sign_up_kind(value if isinstance(value, str) else "", "")
        self._kind_chosen_on = str(self.router.url)

    @rx.event
    async def sign_up(self, form: dict):
        self._start()
        yield
        email, full_name, kind, password = (text(form, name) for name in ("email", "full_name", "kind", "password"))
        client_ip = self._client_ip()
        next_path = safe_next_path(self.router.url.query_parameters.get("next", ""))

        def work(db: Session) -> None:
            account_sign_up.request_sign_up(
                db,
                get_settings(),
                email=email,
                full_name=full_name,
                kind=kind,
                password=password,
                client_ip=client_ip,
                next_path=next_path,
            )

        done, outcome = await self._submit_signed_out(work)
        if not done:
            yield outcome
            return
        self.busy = False
        self.sent_to = email.strip()
        self.mail_in_terminal = get_settings().mail_goes_to_terminal


class ConfirmEmailState(FormMixin, SessionState):
    @rx.event
    async def confirm(self):
        self._start()
        token, client_ip = self.router.url.query_parameters.get("token", ""), self._client_ip()

        def work(db: Session) -> account_sign_in.SignedIn:
            return account_sign_up.confirm_sign_up(db, token, client_ip)

        done, outcome = await self._submit_signed_out(work)
        if not done:
            return outcome
        await self._wipe_tab()
        self._hand_off(outcome.ticket)
        return None


class ForgotPasswordState(FormMixin, SessionState):
    sent_to: rx.Field[str] = rx.field("")
    mail_in_terminal: rx.Field[bool] = rx.field(False)  # no SMTP server: the page says where the mail was printed

    @rx.event
    def reset_page(self) -> None:
        self.sent_to = ""
        self.clear_errors()

    @rx.event
    async def request_link(self, form: dict):
        self._start()
        yield
        email, client_ip = text(form, "email"), self._client_ip()

        def work(db: Session) -> None:
            passwords.request_password_reset(db, get_settings(), email=email, client_ip=client_ip)

        done, outcome = await self._submit_signed_out(work)
        if not done:
            yield outcome
            return
        self.busy = False
        self.sent_to = email.strip()
        self.mail_in_terminal = get_settings().mail_goes_to_terminal


class ResetPasswordState(FormMixin, SessionState):
    done: rx.Field[bool] = rx.field(False)

    @rx.event
    def reset_page(self) -> None:
        self.done = False
        self.clear_errors()

    @rx.event
    async def reset_password(self, form: dict):
        self._start()
        yield
        password = text(form, "password")
        if password != text(form, "password_again"):
            self._show_error(DomainError("The two passwords are not the same.", "password_again"))
            return
        token, client_ip = self.router.url.query_parameters.get("token", ""), self._client_ip()

        def work(db: Session) -> None:
            passwords.reset_password(db, get_settings(), token=token, new_password=password, client_ip=client_ip)

        done, outcome = await self._submit_signed_out(work)
        if not done:
            yield outcome
            return
        # Every session of the account has ended, this tab's included: nothing of it stays here.
        await self._wipe_tab()
        self.done = True
