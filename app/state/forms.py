"""What every form state shares: field errors, a form-level message, a busy flag.

A mixin, so each form keeps its own copy of these vars.
"""

from __future__ import annotations

import reflex as rx

from app.services.errors import DomainError


class FormMixin(rx.State, mixin=True):
    errors: dict[str, str] = {}
    form_error: str = ""
    busy: bool = False

    def _start(self) -> None:
        self.errors = {}
        self.form_error = ""
        self.busy = True

    def _show_error(self, error: DomainError) -> None:
        """A field's message beside the field, any other above the form."""
        self.busy = False
        if error.field:
            self.errors = {error.field: error.message}
        else:
            self.form_error = error.message

    @rx.event
    def clear_errors(self) -> None:
        self.errors = {}
        self.form_error = ""
        self.busy = False


def text(form: dict, name: str) -> str:
    """A form value as text, whatever the browser sent."""
    value = form.get(name, "")
    return value if isinstance(value, str) else ""
