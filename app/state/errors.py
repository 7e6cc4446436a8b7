"""The one mapping from an error to what the page shows.

Every state answers a failed action through `answer` (forms first put a domain error with a
field beside that field, see FormMixin._attempt):

- NotSignedIn: off to sign-in, then back to this page;
- TwoFactorRequired: off to Account → Two-factor sign-in, saying which office requires it;
- OfficeGone: back to the workspace's home, saying the office is no longer reachable;
- any other DomainError: its message, as the page's refusal while the page loads, else as a toast;
- anything else is a bug: logged in full (failures.unexpected), the page says only that something
  went wrong, and a page that was loading stops waiting.

Only DomainError carries a message meant for people: a ValueError or KeyError is a bug, never
"Not found.".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import reflex as rx

from app.services.errors import DomainError, NotSignedIn, OfficeGone, TwoFactorRequired
from app.state.failures import SOMETHING_WENT_WRONG, unexpected
from app.state.notices import notify

if TYPE_CHECKING:
    from app.state.session import SessionState

TWO_FACTOR_SETUP_PATH = "/account"
CLINIC_HOME = "/clinic"


def to_two_factor_setup(message: str = TwoFactorRequired.default_message) -> list:
    """Off to Account → Two-factor sign-in, saying why."""
    return [rx.redirect(TWO_FACTOR_SETUP_PATH), notify.warning(message, id="two-factor-required")]


def leaves_the_page(error: BaseException) -> bool:
    """Errors that take the person elsewhere, whatever the form or page was doing."""
    return isinstance(error, NotSignedIn | TwoFactorRequired | OfficeGone)


def answer(state: SessionState, error: BaseException, *, loading: bool = False) -> Any:
    """The event(s) that answer `error`; while `loading` a page, a refusal becomes the page's message."""
    if isinstance(error, NotSignedIn):
        return state._to_sign_in(error.message)
    if isinstance(error, TwoFactorRequired):
        return to_two_factor_setup(error.message)
    if isinstance(error, OfficeGone):
        return [rx.redirect(CLINIC_HOME), notify.warning(error.message, id="office-gone")]
    if isinstance(error, DomainError):
        if loading:  # the page cannot be shown: say why, instead of waiting for ever
            state.page_status, state.page_message = "denied", error.message
            return None
        return notify.error(error.message)
    if loading:
        state.page_status, state.page_message = "denied", SOMETHING_WENT_WRONG
    return unexpected(error)
