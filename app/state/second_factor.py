"""The second step of a sign-in, shared by the sign-in page and the booking page's inline sign-in.

After a right password for an account with two-factor sign-in, the service answers
with a challenge instead of a ticket; the state keeps the challenge's id in a
backend-only var (no secret: the code is the secret) and asks for a code from
the authenticator app, or a recovery code. A right code gets the ticket.
"""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from app.services.accounts import sign_in
from app.services.errors import SignInExpired
from app.settings import get_settings
from app.state.forms import FormMixin, text


class SecondFactorMixin(FormMixin, mixin=True):
    # "password" (e-mail and password), then "code" when the account has two-factor sign-in.
    sign_in_step: rx.Field[str] = rx.field("password")
    use_recovery_code: rx.Field[bool] = rx.field(False)
    _challenge_id: int = 0

    def _ask_for_code(self, needed: sign_in.SecondFactorNeeded) -> None:
        self._challenge_id = needed.challenge_id
        self.sign_in_step, self.use_recovery_code = "code", False
        self.errors, self.form_error, self.busy = {}, "", False

    def _back_to_password(self, message: str = "") -> None:
        self._challenge_id = 0
        self.sign_in_step, self.use_recovery_code = "password", False
        self.errors, self.form_error, self.busy = {}, message, False

    async def _signed_in(self, result: sign_in.SignedIn | sign_in.SecondFactorNeeded) -> None:
        """After a right password: ask for the code, or hand the ticket to the page."""
        if isinstance(result, sign_in.SecondFactorNeeded):
            self._ask_for_code(result)
            return
        # Whoever used this tab before: gone before the next page loads. The busy flag stays on
        # while the browser posts the ticket and follows the redirect.
        await self._wipe_tab()
        self._hand_off(result.ticket)

    @rx.event
    async def verify_code(self, form: dict):
        self._start()
        yield
        code, recovery, challenge_id = text(form, "code"), self.use_recovery_code, self._challenge_id
        client_ip = self._client_ip()
        if not challenge_id:
            self._back_to_password(SignInExpired.default_message)
            return

        def work(db: Session) -> sign_in.SignedIn | SignInExpired:
            try:
                return sign_in.complete_sign_in(
                    db, get_settings(), challenge_id=challenge_id, code=code, recovery=recovery, client_ip=client_ip
                )
            except SignInExpired as expired:  # back to the password step, not a message beside the code
                return expired

        done, outcome = await self._submit_signed_out(work)
        if not done:
            yield outcome
            return
        if isinstance(outcome, SignInExpired):
            self._back_to_password(outcome.message)
            return
        await self._signed_in(outcome)

    @rx.event
    def toggle_recovery_code(self) -> None:
        self.use_recovery_code = not self.use_recovery_code
        self.errors, self.form_error = {}, ""

    @rx.event
    def start_over(self) -> None:
        self._back_to_password()
