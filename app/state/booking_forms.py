"""Online Booking Options → *Forms during online booking*: one form per service, filled in by the
patient right after booking it online (services/forms/booking.py)."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from app.services.actor import Actor
from app.services.forms import booking
from app.state.clinic import ClinicState
from app.state.errors import answer
from app.state.notices import notify

NO_FORM = "none"  # the select's "No form" (a Radix select item cannot have an empty value)


class BookingFormsState(ClinicState):
    # service_id, name, form_id (NO_FORM for none)
    services: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    forms: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)  # the forms the person may attach: id, title
    saving: rx.Field[str] = rx.field("")  # the service whose form is being saved

    def _show(self, found: booking.BookingForms) -> None:
        self.services = [
            {
                "service_id": str(s.service_id),
                "name": s.service_name,
                "form_id": str(s.form_id) if s.form_id else NO_FORM,
            }
            for s in found.services
        ]
        self.forms = [{"id": str(form_id), "title": title} for form_id, title in found.forms]

    @rx.event
    async def load(self):
        office_id = self.office_id
        try:
            found = await self._as_actor(lambda db, actor: booking.booking_forms(db, actor, office_id))
        except Exception as error:
            return answer(self, error)
        self._show(found)
        return None

    @rx.event
    async def choose(self, service_id: str, value: str):
        office_id, chosen = self.office_id, "" if value == NO_FORM else value
        self.saving = str(service_id)[:20]
        yield

        def work(db: Session, actor: Actor) -> booking.BookingForms:
            booking.set_booking_form(db, actor, office_id, service_id, chosen)
            return booking.booking_forms(db, actor, office_id)

        try:
            found = await self._as_actor(work)
        except Exception as error:
            self.saving = ""
            yield answer(self, error)
            return
        self.saving = ""
        self._show(found)
        yield notify.success(
            "Saved: patients booking it online fill in that form next." if chosen else "Saved: no form."
        )
