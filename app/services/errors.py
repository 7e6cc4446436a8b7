"""Typed domain errors. States turn them into messages; nothing else leaks."""

from __future__ import annotations


class DomainError(Exception):
    """Base for errors a person may see. `field` names the input at fault."""

    default_message = "Something went wrong."

    def __init__(self, message: str | None = None, field: str | None = None) -> None:
        self.message = message or self.default_message
        self.field = field
        super().__init__(self.message)


class Invalid(DomainError):
    default_message = "Please check this value."


class NotFound(DomainError):
    default_message = "Not found."


class PermissionDenied(DomainError):
    # Deliberately the same wording as NotFound: another person's record must
    # look exactly like a missing one.
    default_message = "Not found."


class TwoFactorRequired(PermissionDenied):
    """A member of an office that requires two-factor sign-in, who has not set it up yet."""

    default_message = "This office requires two-factor sign-in. Set it up on your Account page to continue."


class Conflict(DomainError):
    default_message = "That was just changed by someone else. Please try again."


class NotSignedIn(DomainError):
    default_message = "Your session has ended. Please sign in again."


class OfficeGone(PermissionDenied):
    """The actor is no longer in the office a page was about (removed from it): not a session problem.

    The page leaves for the workspace's home and says why."""

    default_message = "You no longer have access to this office."


class AuthenticationFailed(DomainError):
    """A sign-in, link or code that did not work. Always the same words for every cause.

    What must survive the failure (a throttle strike, an audit entry) is registered with
    app.db.keep_on_failure: it is written in its own transaction after the rollback."""


class SignInExpired(AuthenticationFailed):
    """The second step of a sign-in whose first step is gone (unknown, used, too old, too many tries)."""

    default_message = "Your sign-in timed out. Please enter your e-mail and password again."


class Throttled(DomainError):
    def __init__(self, retry_after_seconds: int) -> None:
        self.retry_after_seconds = retry_after_seconds
        super().__init__(f"Too many attempts. Please wait {_wait_words(retry_after_seconds)} and try again.")


def _wait_words(seconds: int) -> str:
    if seconds <= 1:
        return "1 second"
    if seconds < 60:
        return f"{seconds} seconds"
    minutes = (seconds + 59) // 60
    return "1 minute" if minutes == 1 else f"{minutes} minutes"
