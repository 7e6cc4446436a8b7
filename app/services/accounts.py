"""Accounts: sign-up with e-mail confirmation, sign-in, sign-out, password reset.

None of these tell a stranger whether an address has an account: every
failure has one message, and an unknown address still costs one bcrypt check.
Callers run these functions off the event loop (bcrypt takes ~250 ms).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select, update

from app.db import keep_on_failure
from app.models import AccountKind, PasswordResetToken, SignupRequest, User
from app.services import audit, mail, sessions, throttle, two_factor
from app.services.actor import Actor, require_clinic
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.errors import AuthenticationFailed, Invalid, SignInExpired
from app.services.passwords import (
    check_password,
    dummy_hash,
    hash_password,
    validate_new_password,
)
from app.services.share_pins import unique_pin
from app.services.tokens import hash_token, new_token
from app.services.validation import email_address, normalize_email, required_text
from app.settings import Settings

SIGN_IN_FAILED = "That e-mail and password don't match an account. Check them and try again."
LINK_FAILED = "This link has expired or was already used. Please ask for a new one."
SIGNUP_LINK_LIFETIME = timedelta(hours=24)
RESET_LINK_LIFETIME = timedelta(hours=1)
SIGNUP_KINDS = (AccountKind.practitioner, AccountKind.patient)


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


def request_sign_up(
    db: Session,
    settings: Settings,
    *,
    email: str,
    full_name: str,
    kind: str,
    password: str,
    client_ip: str = "",
    next_path: str = "",
    now: datetime | None = None,
) -> None:
    """Start a sign-up: e-mail a confirmation link, or tell an existing owner of the address.

    The caller shows the same "check your inbox" message either way.
    """
    now = now_or(now)
    full_name = required_text(full_name, "full_name", "Your name", 120)
    email = email_address(email)
    if kind not in SIGNUP_KINDS:
        raise Invalid("Choose Practitioner or Patient.", "kind")
    validate_new_password(password)
    normalized = normalize_email(email)
    throttle.check(db, throttle.MAIL_REQUEST, normalized, now)
    throttle.strike(db, throttle.MAIL_REQUEST, normalized, now)
    # Hash even when the address is taken, so both paths take the same time.
    password_hash = hash_password(password, settings.bcrypt_rounds)
    existing = db.exec(select(User).where(User.email_normalized == normalized)).first()
    if existing is not None:
        mail.enqueue(
            db,
            existing.email,
            "You already have a Praxis account",
            f"Someone (perhaps you) tried to create a Praxis account with this address.\n\n"
            f"You already have one. Sign in: {settings.base_url}/sign-in\n"
            f"Forgot your password? Reset it: {settings.base_url}/forgot-password\n\n"
            "If this was not you, you can ignore this message.",
        )
        return
    token = new_token()
    db.add(
        SignupRequest(
            email=email,
            email_normalized=normalized,
            full_name=full_name,
            kind=AccountKind(kind),
            password_hash=password_hash,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + SIGNUP_LINK_LIFETIME,
            next_path=next_path[:500],
        )
    )
    mail.enqueue(
        db,
        email,
        "Confirm your e-mail address for Praxis",
        f"Hello {full_name},\n\nConfirm your address to finish creating your Praxis account:\n"
        f"{settings.base_url}/confirm-email?token={token}\n\n"
        "The link works once, for 24 hours. If you did not ask for an account, ignore this message.",
    )


def confirm_sign_up(db: Session, token: str, client_ip: str = "", now: datetime | None = None) -> SignedIn:
    """Create the account from a confirmed sign-up and sign it in."""
    now = now_or(now)
    request = db.exec(select(SignupRequest).where(SignupRequest.token_hash == hash_token(token or ""))).first()
    if request is None or request.used_at is not None or now >= request.expires_at:
        raise Invalid(LINK_FAILED)
    request.used_at = now
    db.add(request)
    if db.exec(select(User).where(User.email_normalized == request.email_normalized)).first() is not None:
        # Another sign-up for this address was confirmed first: this link is spent all the same.
        request_id = request.id
        keep_on_failure(
            db,
            lambda again: again.exec(update(SignupRequest).where(SignupRequest.id == request_id).values(used_at=now)),
        )
        raise AuthenticationFailed(LINK_FAILED)
    user = User(
        email=request.email,
        email_normalized=request.email_normalized,
        full_name=request.full_name,
        kind=request.kind,
        password_hash=request.password_hash,
        share_pin=unique_pin(db, User) if request.kind == AccountKind.practitioner else None,
        created_at=now,
        password_changed_at=now,
    )
    db.add(user)
    db.flush()
    audit.record(
        db,
        None,
        AuditAction.account_created,
        user_id=user.id,
        target_type="user",
        target_id=user.id,
        detail={"kind": user.kind},
        client_ip=client_ip,
    )
    audit.record(
        db, None, AuditAction.sign_in, user_id=user.id, target_type="user", target_id=user.id, client_ip=client_ip
    )
    ticket = sessions.issue_ticket(db, user.id, request.next_path, now)  # type: ignore[arg-type]
    return SignedIn(ticket=ticket, kind=user.kind, next_path=request.next_path)


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
    if two_factor.is_enabled(db, user.id):  # type: ignore[arg-type]
        # No ticket yet: the code from the authenticator app comes first (complete_sign_in).
        challenge_id = two_factor.open_challenge(db, user.id, next_path, client_ip, now)  # type: ignore[arg-type]
        return SecondFactorNeeded(challenge_id=challenge_id, kind=user.kind)
    audit.record(
        db, None, AuditAction.sign_in, user_id=user.id, target_type="user", target_id=user.id, client_ip=client_ip
    )
    ticket = sessions.issue_ticket(db, user.id, next_path, now)  # type: ignore[arg-type]
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
    challenge = two_factor.pass_challenge(
        db, settings, challenge_id, code, recovery=recovery, client_ip=client_ip, now=now
    )
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
    ticket = sessions.issue_ticket(db, user.id, challenge.next_path, now)  # type: ignore[arg-type]
    return SignedIn(ticket=ticket, kind=user.kind, next_path=challenge.next_path)


def request_password_reset(
    db: Session, settings: Settings, *, email: str, client_ip: str = "", now: datetime | None = None
) -> None:
    """E-mail a one-hour, single-use reset link if the address has an account.

    The caller always answers "if an account exists, we sent a link".
    """
    now = now_or(now)
    email = email_address(email)
    normalized = normalize_email(email)
    throttle.check(db, throttle.MAIL_REQUEST, normalized, now)
    throttle.strike(db, throttle.MAIL_REQUEST, normalized, now)
    user = db.exec(select(User).where(User.email_normalized == normalized)).first()
    token = new_token()  # made either way, so both paths do the same work
    if user is None:
        return
    db.add(
        PasswordResetToken(
            user_id=user.id,  # type: ignore[arg-type]
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + RESET_LINK_LIFETIME,
        )
    )
    mail.enqueue(
        db,
        user.email,
        "Reset your Praxis password",
        f"Hello {user.full_name},\n\nChoose a new password here (the link works once, for one hour):\n"
        f"{settings.base_url}/reset-password?token={token}\n\n"
        "If you did not ask for this, ignore this message: your password stays as it is.",
    )
    audit.record(db, None, AuditAction.password_reset_requested, user_id=user.id, client_ip=client_ip)


def reset_password(
    db: Session,
    settings: Settings,
    *,
    token: str,
    new_password: str,
    client_ip: str = "",
    now: datetime | None = None,
) -> None:
    """Set a new password from a reset link; every session of the account ends."""
    now = now_or(now)
    reset = db.exec(select(PasswordResetToken).where(PasswordResetToken.token_hash == hash_token(token or ""))).first()
    if reset is None or reset.used_at is not None or now >= reset.expires_at:
        raise Invalid(LINK_FAILED)  # first: no new password can mend a dead link
    validate_new_password(new_password)
    user = db.get(User, reset.user_id)
    if user is None:
        raise Invalid(LINK_FAILED)
    user.password_hash = hash_password(new_password, settings.bcrypt_rounds)
    user.password_changed_at = now
    db.add(user)
    # This link and any other outstanding one stop working.
    db.exec(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))  # type: ignore[union-attr]
        .values(used_at=now)
    )
    sessions.end_all_for_user(db, user.id, now=now)  # type: ignore[arg-type]
    throttle.clear(db, throttle.SIGN_IN_ACCOUNT, user.email_normalized)
    audit.record(db, None, AuditAction.password_reset, user_id=user.id, client_ip=client_ip)


def change_password(
    db: Session,
    settings: Settings,
    actor: Actor,
    *,
    current_password: str,
    new_password: str,
    now: datetime | None = None,
) -> None:
    """Change the password of the signed-in account; its other sessions end."""
    now = now_or(now)
    user = db.get(User, actor.user_id)
    if user is None:
        raise Invalid(SIGN_IN_FAILED)
    throttle.check(db, throttle.SIGN_IN_ACCOUNT, user.email_normalized, now)
    if not check_password(current_password, user.password_hash):
        key = user.email_normalized
        keep_on_failure(db, lambda again: throttle.strike(again, throttle.SIGN_IN_ACCOUNT, key, now))
        raise AuthenticationFailed("Your current password is not right.", "current_password")
    validate_new_password(new_password, "new_password")
    if check_password(new_password, user.password_hash):
        raise Invalid("Choose a password different from your current one.", "new_password")
    user.password_hash = hash_password(new_password, settings.bcrypt_rounds)
    user.password_changed_at = now
    db.add(user)
    sessions.end_all_for_user(db, user.id, keep_session_id=actor.session_id, now=now)  # type: ignore[arg-type]
    audit.record(db, actor, AuditAction.password_changed, target_type="user", target_id=user.id)


def share_pin(db: Session, actor: Actor) -> str:
    """The Practitioner Share PIN of a clinic account."""
    require_clinic(actor)
    user = db.get(User, actor.user_id)
    if user is None:
        raise Invalid(SIGN_IN_FAILED)
    if user.share_pin is None:
        user.share_pin = unique_pin(db, User)
        db.add(user)
    return user.share_pin
