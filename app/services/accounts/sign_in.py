"""Signing in: the password, then (with two-factor sign-in on) a code; a right answer gets a
ticket, which the page posts to /_session/open to set the cookie.

None of these tell a stranger whether an address has an account: every failure has one
message, and an unknown address still costs one bcrypt check. Callers run these functions off
the event loop (bcrypt takes ~250 ms).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from app.db import keep_on_failure
from app.models import AccountKind, User
from app.services import audit, sessions, throttle
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.errors import AuthenticationFailed, Invalid, SignInExpired
from app.services.ids import saved_id
from app.services.passwords import check_password, dummy_hash
from app.services.two_factor.challenge import open_challenge, pass_challenge
from app.services.two_factor.status import is_enabled
from app.services.validation import normalize_email
from app.settings import Settings

SIGN_IN_FAILED = "That e-mail and password don't match an account. Check them and try again."


@dataclass(frozen=True)
class SignedIn:
    """A verified sign-in: the page posts `ticket` to /_session/open, which sets the cookie."""

    ticket: str
    kind: AccountKind
    next_path: str = ""


@dataclass(frozen=True)
class SecondFactorNeeded:
    """A right password for an account with two-factor sign-in: the page asks for a code next.

    `challenge_id` names the pending sign-in; it is no secret (the code is), and the state keeps
    it in a backend-only var."""

    challenge_id: int
    kind: AccountKind


def sign_in(
    db: Session,
    settings: Settings,
    *,
    email: str,
    password: str,
    client_ip: str = "",
    next_path: str = "",
    now: datetime | None = None,
) -> SignedIn | SecondFactorNeeded:
    """Check the password; the caller hands the ticket to the page, which opens the session over HTTP.

    With two-factor sign-in on, a right password gives no ticket but a challenge (SecondFactorNeeded)."""
    now = now_or(now)
    normalized = normalize_email(email)
    if not normalized or not password:
        raise Invalid("Enter your e-mail address and password.")
    throttle.check_pair(db, throttle.SIGN_IN_ACCOUNT, normalized, throttle.SIGN_IN_CLIENT, client_ip, now)
    user = db.exec(select(User).where(User.email_normalized == normalized)).first()
    if not check_password(password, user.password_hash if user else dummy_hash(settings.bcrypt_rounds)) or user is None:
        user_id = user.id if user else None

        def count_the_failure(again: Session) -> None:
            throttle.strike_pair(again, throttle.SIGN_IN_ACCOUNT, normalized, throttle.SIGN_IN_CLIENT, client_ip, now)
            audit.record(
                again,
                None,
                AuditAction.sign_in_failed,
                user_id=user_id,
                client_ip=client_ip,
                detail=None if user_id else {"unknown_address": True},
            )

        keep_on_failure(db, count_the_failure)
        raise AuthenticationFailed(SIGN_IN_FAILED)
    throttle.clear(db, throttle.SIGN_IN_ACCOUNT, normalized)
    if is_enabled(db, saved_id(user)):
        # No ticket yet: the code from the authenticator app comes first (complete_sign_in).
        challenge_id = open_challenge(db, saved_id(user), next_path, client_ip, now)
        return SecondFactorNeeded(challenge_id=challenge_id, kind=user.kind)
    audit.record(
        db, None, AuditAction.sign_in, user_id=user.id, target_type="user", target_id=user.id, client_ip=client_ip
    )
    ticket = sessions.issue_ticket(db, saved_id(user), next_path, now)
    return SignedIn(ticket=ticket, kind=user.kind, next_path=next_path)


def complete_sign_in(
    db: Session,
    settings: Settings,
    *,
    challenge_id: int,
    code: str,
    recovery: bool = False,
    client_ip: str = "",
    now: datetime | None = None,
) -> SignedIn:
    """The second step of a two-factor sign-in: a right code (or recovery code) gets the ticket."""
    now = now_or(now)
    challenge = pass_challenge(db, settings, challenge_id, code, recovery=recovery, client_ip=client_ip, now=now)
    user = db.get(User, challenge.user_id)
    if user is None:
        raise SignInExpired()
    audit.record(
        db,
        None,
        AuditAction.sign_in,
        user_id=user.id,
        target_type="user",
        target_id=user.id,
        client_ip=client_ip,
        detail={"second_factor": "recovery code" if recovery else "authenticator code"},
    )
    ticket = sessions.issue_ticket(db, saved_id(user), challenge.next_path, now)
    return SignedIn(ticket=ticket, kind=user.kind, next_path=challenge.next_path)
