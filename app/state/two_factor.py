"""Account → Two-factor sign-in: set up, recovery codes, turn off; and the office's requirement."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from app.services import formatting
from app.services.actor import Actor
from app.services.two_factor import enrolment
from app.services.two_factor import status as two_factor_status
from app.settings import get_settings
from app.state.forms import FormMixin, text
from app.state.notices import notify
from app.state.session import SessionState

PROOF_ACTIONS = ("regenerate", "off")


class TwoFactorState(FormMixin, SessionState):
    available: rx.Field[bool] = rx.field(False)  # clinic accounts only
    enabled: rx.Field[bool] = rx.field(False)
    enabled_on: rx.Field[str] = rx.field("")
    codes_left: rx.Field[int] = rx.field(0)
    required_by: rx.Field[str] = rx.field("")  # the offices that require it, by name
    # While setting up: what the person copies into the app (their own secret, shown to them once).
    setup_secret: rx.Field[str] = rx.field("")
    setup_qr: rx.Field[str] = rx.field("")
    # Right after enrolment or renewal: the recovery codes, shown once.
    new_codes: rx.Field[list[str]] = rx.field(default_factory=list)
    proof_action: rx.Field[str] = rx.field("")  # "regenerate" or "off": which confirmation dialog is open

    @rx.var
    def setup_key(self) -> str:
        """The secret in groups of four, easier to type into an app."""
        return " ".join(self.setup_secret[i : i + 4] for i in range(0, len(self.setup_secret), 4))

    @rx.var
    def codes_text(self) -> str:
        return "Praxis recovery codes (each works once):\n" + "\n".join(self.new_codes) if self.new_codes else ""

    def _show(self, status: two_factor_status.TwoFactorStatus) -> None:
        self.available = True
        self.enabled = status.enabled
        self.enabled_on = formatting.plain_date(status.enabled_at.date()) if status.enabled_at else ""
        self.codes_left = status.recovery_codes_left
        self.required_by = ", ".join(status.required_by)

    def _forget_setup(self) -> None:
        self.setup_secret, self.setup_qr = "", ""

    @rx.event
    async def load(self):
        self.clear_errors()
        self._forget_setup()
        self.new_codes, self.proof_action, self.available = [], "", False

        def work(db: Session, actor: Actor) -> two_factor_status.TwoFactorStatus | None:
            return two_factor_status.status(db, actor) if actor.is_clinic else None

        done, outcome = await self._submit(work)
        if not done:
            return outcome
        if outcome is not None:
            self._show(outcome)
        return None

    @rx.event
    async def start_setup(self):
        self._start()
        yield

        def work(db: Session, actor: Actor) -> enrolment.Enrolment:
            return enrolment.start_enrolment(db, get_settings(), actor)

        done, outcome = await self._submit(work)
        if not done:
            yield outcome
            return
        self.busy = False
        self.setup_secret, self.setup_qr = outcome.secret, outcome.qr

    @rx.event
    def cancel_setup(self) -> None:
        self.clear_errors()
        self._forget_setup()

    @rx.event
    async def confirm_setup(self, form: dict):
        self._start()
        yield
        code, password = text(form, "code"), text(form, "password")

        def work(db: Session, actor: Actor) -> tuple[list[str], two_factor_status.TwoFactorStatus]:
            codes = enrolment.confirm_enrolment(db, get_settings(), actor, code=code, password=password)
            return codes, two_factor_status.status(db, actor)

        done, outcome = await self._submit(work)
        if not done:
            yield outcome
            return
        codes, status = outcome
        self.busy = False
        self._forget_setup()
        self._show(status)
        self.new_codes = codes
        yield notify.success("Two-factor sign-in is on.")

    @rx.event
    def open_proof(self, action: str) -> None:
        self.clear_errors()
        self.proof_action = action if action in PROOF_ACTIONS else ""

    @rx.event
    def set_proof_open(self, value: bool) -> None:
        if not value:
            self.proof_action = ""
            self.clear_errors()

    @rx.event
    async def confirm_proof(self, form: dict):
        self._start()
        yield
        proof, action = text(form, "proof"), self.proof_action

        def work(db: Session, actor: Actor) -> tuple[list[str], two_factor_status.TwoFactorStatus]:
            settings = get_settings()
            if action == "regenerate":
                codes = enrolment.regenerate_recovery_codes(db, settings, actor, proof=proof)
            else:
                enrolment.turn_off(db, settings, actor, proof=proof)
                codes = []
            return codes, two_factor_status.status(db, actor)

        if action not in PROOF_ACTIONS:
            self.busy = False
            return
        done, outcome = await self._submit(work)
        if not done:
            yield outcome
            return
        codes, status = outcome
        self.busy, self.proof_action = False, ""
        self._show(status)
        self.new_codes = codes
        if action == "off":
            yield notify.success("Two-factor sign-in is off.")

    @rx.event
    def done_with_codes(self) -> None:
        self.new_codes = []
