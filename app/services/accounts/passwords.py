"""Passwords of accounts: a reset link by e-mail (one hour, once), and a change while signed in.
Either way, the account's other sessions end.

None of these tell a stranger whether an address has an account: every failure has one
message, and an unknown address still costs one bcrypt check. Callers run these functions off
the event loop (bcrypt takes ~250 ms).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select, update

from app.db import keep_on_failure
from app.models import PasswordResetToken, User
from app.services import audit, mail, sessions, throttle
from app.services.accounts.sign_in import SIGN_IN_FAILED
from app.services.accounts.sign_up import LINK_FAILED
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.errors import AuthenticationFailed, Invalid
from app.services.ids import saved_id
from app.services.passwords import check_password, hash_password, validate_new_password
from app.services.tokens import hash_token, new_token
from app.services.validation import email_address, normalize_email
from app.settings import Settings

RESET_LINK_LIFETIME = timedelta(hours=1)


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
            user_id=saved_id(user),
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
        .where(col(PasswordResetToken.user_id) == user.id, col(PasswordResetToken.used_at).is_(None))
        .values(used_at=now)
    )
    sessions.end_all_for_user(db, saved_id(user), now=now)
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
    sessions.end_all_for_user(db, saved_id(user), keep_session_id=actor.session_id, now=now)
    audit.record(db, actor, AuditAction.password_changed, target_type="user", target_id=user.id)
