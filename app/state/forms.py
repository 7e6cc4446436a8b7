"""What every form state shares: field errors, a form-level message, a busy flag.

A mixin, so each form keeps its own copy of these vars.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import reflex as rx
from sqlmodel import Session

from app.services.actor import Actor
from app.services.errors import DomainError, NotSignedIn
from app.state.errors import answer, leaves_the_page

if TYPE_CHECKING:  # mixed into SessionState subclasses only: their `_as_actor` and `_run`
    from app.state.session import SessionState

    _Base = SessionState
else:
    _Base = rx.State


class FormMixin(_Base, mixin=True):
    errors: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    form_error: rx.Field[str] = rx.field("")
    busy: rx.Field[bool] = rx.field(False)

    def _start(self) -> None:
        self.errors = {}
        self.form_error = ""
        self.busy = True

    async def _submit(self, work: Callable[[Session, Actor], Any], *, signed_out: str = "") -> tuple[bool, Any]:
        """Do a form's (or an action's) work as the signed-in actor (the state's `_as_actor`).

        (True, what the work returned) on success: the handler assigns it. Otherwise the busy
        flag is off again and (False, the event to yield): a domain error's message is shown
        beside its field or above the form (None); anything else is answered by the one mapping
        (state/errors.py): sign-in, two-factor set-up, a lost office, a toast for a bug.
        With `signed_out`, an ended session shows that message above the form instead of leaving."""
        return await self._attempt(self._as_actor(work), signed_out)

    async def _submit_signed_out(self, work: Callable[[Session], Any]) -> tuple[bool, Any]:
        """`_submit` for the forms that come before an actor exists (sign-in, sign-up, reset)."""
        return await self._attempt(self._run(work))

    async def _attempt(self, pending: Awaitable[Any], signed_out: str = "") -> tuple[bool, Any]:
        try:
            return True, await pending
        except Exception as error:
            self.busy = False
            if isinstance(error, NotSignedIn) and signed_out:
                self.form_error = signed_out
                return False, None
            if isinstance(error, DomainError) and not leaves_the_page(error):
                self._show_error(error)
                return False, None
            return False, answer(self, error)

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
