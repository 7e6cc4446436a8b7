"""The booking page's "Who is this appointment for?": a mixin of PublicBookingState.

The choices come from the server (services/scheduling/booking_for.py); the answer is a request
the server checks again when booking, never a fact.
"""

from __future__ import annotations

import reflex as rx

from app.services.scheduling import booking_for


class WhomForMixin(rx.State, mixin=True):
    # {"value": a record's id or "new", "label"}
    whom_choices: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    for_whom: rx.Field[str] = rx.field("")

    def _set_whom_choices(self, choices: list[booking_for.WhomFor]) -> None:
        self.whom_choices = [{"value": c.value, "label": c.label} for c in choices]
        values = [c.value for c in choices]
        # One held record: it is the likely answer; several: the person chooses.
        self.for_whom = self.for_whom if self.for_whom in values else (values[0] if len(values) == 1 else "")
        if len(values) == 2 and values[1] == booking_for.SOMEONE_NEW:
            self.for_whom = self.for_whom or values[0]

    @rx.event
    def choose_for_whom(self, value: str) -> None:
        """Only a value the page offered; anything else leaves the question unanswered."""
        self.for_whom = value if any(c["value"] == value for c in self.whom_choices) else ""
        self.errors, self.form_error = {}, ""

    @rx.var
    def someone_new(self) -> bool:
        return self.for_whom == booking_for.SOMEONE_NEW
