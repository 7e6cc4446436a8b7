"""The calendar's gear menu → Online Booking Options."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from app.services.actor import Actor
from app.services.scheduling import booking_options
from app.settings import get_settings
from app.state.booking_forms import BookingFormsState
from app.state.clinic import ClinicState
from app.state.errors import answer
from app.state.forms import FormMixin, text, ticked
from app.state.notices import notify


class BookingOptionsState(FormMixin, ClinicState):
    dialog_open: rx.Field[bool] = rx.field(False)
    options: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    public_url: rx.Field[str] = rx.field("")
    links_local: rx.Field[bool] = rx.field(False)  # the address reaches only this computer (PRAXIS_BASE_URL)

    @rx.event
    async def open_dialog(self):
        self.clear_errors()
        office_id = self.office_id

        def work(db: Session, actor: Actor) -> dict[str, str]:
            o = booking_options.booking_options_for_staff(db, actor, office_id)
            return {
                "enabled": str(o.enabled).lower(),
                "min_notice_hours": str(o.min_notice_hours),
                "horizon_days": str(o.horizon_days),
                "allow_cancellation": str(o.allow_cancellation).lower(),
                "cancellation_notice_hours": str(o.cancellation_notice_hours),
                "registration_policy": o.registration_policy.value,
                "refusal_phone": o.refusal_phone,
                "reminders_enabled": str(o.reminders_enabled).lower(),
                "reminder_hour": str(o.reminder_hour),
            }

        try:
            self.options = await self._as_actor(work)
        except Exception as error:
            return answer(self, error)
        settings = get_settings()
        self.public_url, self.links_local = f"{settings.base_url}/book/{office_id}", settings.links_are_local
        self.dialog_open = True
        return BookingFormsState.load  # and the forms of online booking

    @rx.event
    def set_dialog_open(self, value: bool) -> None:
        self.dialog_open = bool(value)

    @rx.event
    async def save(self, form: dict):
        self._start()
        yield
        office_id = self.office_id
        data = booking_options.BookingOptionsInput(
            enabled=ticked(form, "enabled"),
            min_notice_hours=text(form, "min_notice_hours"),
            horizon_days=text(form, "horizon_days"),
            allow_cancellation=ticked(form, "allow_cancellation"),
            cancellation_notice_hours=text(form, "cancellation_notice_hours"),
            registration_policy=text(form, "registration_policy"),
            refusal_phone=text(form, "refusal_phone"),
            reminders_enabled=ticked(form, "reminders_enabled"),
            reminder_hour=text(form, "reminder_hour"),
        )

        def work(db: Session, actor: Actor) -> None:
            booking_options.save_booking_options(db, actor, office_id, data)

        done, outcome = await self._submit(work)
        if not done:
            yield outcome
            return
        self.busy, self.dialog_open = False, False
        yield notify.success("Online Booking Options saved.")
