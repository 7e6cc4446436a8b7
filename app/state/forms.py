"""What every form state shares: field errors, a form-level message, a busy flag.

A mixin, so each form keeps its own copy of these vars.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx
from sqlmodel import Session

from app.services.actor import Actor
from app.services.errors import DomainError, NotSignedIn


class FormMixin(rx.State, mixin=True):
    errors: dict[str, str] = {}
    form_error: str = ""
    busy: bool = False

    def _start(self) -> None:
        self.errors = {}
        self.form_error = ""
        self.busy = True

    async def _submit(self, work: Callable[[Session, Actor], Any]) -> tuple[bool, Any]:
        """Do a form's work as the signed-in actor (the state's `_as_actor`).

        (True, what the work returned) on success. When refused: (False, the event to yield),
        which is the way to sign-in, or None once the message is shown beside its field or
        above the form."""
        try:
            return True, await self._as_actor(work)  # type: ignore[attr-defined]
        except NotSignedIn as error:
            return False, self._to_sign_in(error.message)  # type: ignore[attr-defined]
        except DomainError as error:
            self._show_error(error)
            return False, None

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
    """A form value as text, whatever the browser sent (a hand-made call may send no dict at all)."""
    value = form.get(name, "") if isinstance(form, dict) else ""
    return value if isinstance(value, str) else ""


def checked(form: dict, name: str) -> bool:
    """A checkbox or switch of a form: on when the browser sent "on" (or a true value)."""
    return isinstance(form, dict) and form.get(name) in ("on", True, "true")
