"""Signing up: a confirmation link by e-mail, and the account made (and signed in) from it.

None of these tell a stranger whether an address has an account: every failure has one
message, and an unknown address still costs one bcrypt check. Callers run these functions off
the event loop (bcrypt takes ~250 ms).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select, update

from app.db import keep_on_failure
from app.models import AccountKind, SignupRequest, User
from app.services import audit, mail, sessions, throttle
from app.services.accounts.sign_in import SignedIn
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.errors import AuthenticationFailed, Invalid
from app.services.ids import saved_id
from app.services.passwords import hash_password, validate_new_password
from app.services.share_pins import unique_pin
from app.services.tokens import hash_token, new_token
from app.services.validation import email_address, normalize_email, required_text
from app.settings import Settings

LINK_FAILED = "This link has expired or was already used. Please ask for a new one."
SIGNUP_LINK_LIFETIME = timedelta(hours=24)
SIGNUP_KINDS = (AccountKind.practitioner, AccountKind.patient)


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
            lambda again: again.exec(
                update(SignupRequest).where(col(SignupRequest.id) == request_id).values(used_at=now)
            ),
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
    ticket = sessions.issue_ticket(db, saved_id(user), request.next_path, now)
    return SignedIn(ticket=ticket, kind=user.kind, next_path=request.next_path)
