"""The calendar's gear menu → Online Booking Options."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from app.services.actor import Actor
from app.services.forms import booking as booking_forms
from app.services.scheduling import booking_options
from app.settings import get_settings
from app.state.clinic import ClinicState
from app.state.errors import answer
from app.state.forms import FormMixin, text, ticked
from app.state.notices import notify

NO_FORM = "none"  # the select's "No form" (a Radix select item cannot have an empty value)


def _service_forms(found: booking_forms.BookingForms) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    services = [
        {"id": str(r.service_id), "name": r.service_name, "form_id": str(r.form_id) if r.form_id else NO_FORM}
        for r in found.services
    ]
    return services, [{"id": NO_FORM, "title": "No form"}] + [{"id": str(i), "title": t} for i, t in found.forms]


class BookingOptionsState(FormMixin, ClinicState):
    dialog_open: bool = False
    options: dict[str, str] = {}
    public_url: str = ""
    service_forms: list[dict[str, str]] = []  # each online service and the form filled in after booking it
    form_choices: list[dict[str, str]] = []

    @rx.event
    async def open_dialog(self):  # type: ignore[no-untyped-def]
        self.clear_errors()
        office_id = self.office_id

        def work(db: Session, actor: Actor) -> tuple[dict[str, str], booking_forms.BookingForms]:
            o = booking_options.booking_options_for_staff(db, actor, office_id)
            return {
                "enabled": str(o.enabled).lower(),
                "min_notice_hours": str(o.min_notice_hours),
                "horizon_days": str(o.horizon_days),
                "allow_cancellation": str(o.allow_cancellation).lower(),
                "cancellation_notice_hours": str(o.cancellation_notice_hours),
                "registration_policy": o.registration_policy.value,
                "refusal_phone": o.refusal_phone,
            }, booking_forms.booking_forms(db, actor, office_id)

        try:
            self.options, found = await self._as_actor(work)
        except Exception as error:
            return answer(self, error)
        self.service_forms, self.form_choices = _service_forms(found)
        self.public_url = f"{get_settings().base_url}/book/{office_id}"
        self.dialog_open = True
        return None

    @rx.event
    def set_dialog_open(self, value: bool) -> None:
        self.dialog_open = bool(value)

    @rx.event
    async def save(self, form: dict):  # type: ignore[no-untyped-def]
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
        )

        def work(db: Session, actor: Actor) -> None:
            booking_options.save_booking_options(db, actor, office_id, data)

        done, outcome = await self._submit(work)
        if not done:
            yield outcome
            return
        self.busy, self.dialog_open = False, False
        yield notify.success("Online Booking Options saved.")

    @rx.event
    async def set_service_form(self, service_id: str, form_id: str):  # type: ignore[no-untyped-def]
        """Attach a form to a service's online booking (or none); the service checks both ids."""
        office_id = self.office_id
        wanted = "" if form_id == NO_FORM else form_id

        def work(db: Session, actor: Actor) -> booking_forms.BookingForms:
            booking_forms.set_booking_form(db, actor, office_id, service_id, wanted)
            return booking_forms.booking_forms(db, actor, office_id)

        try:
            found = await self._as_actor(work)
        except Exception as error:
            return answer(self, error)
        self.service_forms, self.form_choices = _service_forms(found)
        return notify.success("Form after booking saved.")
