"""What every form state shares: field errors, a form-level message, a busy flag.

A mixin, so each form keeps its own copy of these vars.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import reflex as rx
from sqlmodel import Session

from app.services.actor import Actor
from app.services.errors import DomainError, NotSignedIn
from app.state.failures import unexpected


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

        (True, what the work returned) on success. Otherwise the busy flag is off again and
        (False, the event to yield): the way to sign-in, a toast for an unexpected error (logged
        in full), or None once the message is shown beside its field or above the form."""
        return await self._attempt(self._as_actor(work))  # type: ignore[attr-defined]

    async def _submit_signed_out(self, work: Callable[[Session], Any]) -> tuple[bool, Any]:
        """`_submit` for the forms that come before an actor exists (sign-in, sign-up, reset)."""
        return await self._attempt(self._run(work))  # type: ignore[attr-defined]

    async def _attempt(self, pending: Awaitable[Any]) -> tuple[bool, Any]:
        try:
            return True, await pending
        except NotSignedIn as error:
            self.busy = False
            return False, self._to_sign_in(error.message)  # type: ignore[attr-defined]
        except DomainError as error:
            self._show_error(error)
            return False, None
        except Exception as error:  # a bug: logged in full, and the form is usable again
            self.busy = False
            return False, unexpected(error)

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


def ticked(form: dict, name: str) -> bool:
    """Whether a checkbox or switch of the form is on."""
    return isinstance(form, dict) and form.get(name) in ("on", True, "true")
