"""Office Details → Clinic notices: how the clinic hears of online bookings, cancellations and
profile proposals (the owner's choice; the service checks it), and where the mail goes."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from app.services import offices
from app.services.actor import Actor
from app.services.clinic_notices import choice
from app.state.clinic import ClinicState
from app.state.forms import FormMixin, text
from app.state.notices import notify


class ClinicNoticesState(FormMixin, ClinicState):
    notice_mode: rx.Field[str] = rx.field("")
    notice_email: rx.Field[str] = rx.field("")
    owner_email: rx.Field[str] = rx.field("")  # where notices go while the office names no address
    may_change: rx.Field[bool] = rx.field(False)

    def _show(self, shown: choice.NoticeChoice) -> None:
        self.notice_mode, self.notice_email = shown.mode, shown.email
        self.owner_email, self.may_change = shown.owner_email, shown.may_change

    @rx.event
    async def load(self):
        self.clear_errors()

        def work(db: Session, actor: Actor, shell: offices.ClinicShell) -> choice.NoticeChoice | None:
            return choice.notice_choice(db, actor, shell.office_id) if shell.office_id else None

        ok, shown = await self._load_page(work)
        if not ok:
            return shown
        if shown is not None:
            self._show(shown)
        return None

    @rx.event
    async def save(self, form: dict):
        self._start()
        yield
        office_id, mode, email = self.office_id, text(form, "notice_mode"), text(form, "notice_email")

        def work(db: Session, actor: Actor) -> choice.NoticeChoice:
            return choice.save_notice_choice(db, actor, office_id, mode, email)

        done, outcome = await self._submit(work)
        if not done:
            yield outcome
            return
        self._show(outcome)
        self.busy = False
        yield notify.success("Clinic notices saved.")
