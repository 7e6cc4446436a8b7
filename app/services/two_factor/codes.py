"""Two-factor codes: TOTP authenticator codes (RFC 6238) and recovery codes.

Codes of the current 30-second step and one either side work; a step once used (or an earlier
one) never works again, so a code seen over a shoulder cannot be replayed. Recovery codes work
once each and are stored as keyed hashes. Wrong codes count against the account like wrong
passwords (`count_failure`).
"""

from __future__ import annotations

import hmac
import re
import secrets
from datetime import datetime

import pyotp
from sqlmodel import Session, col, delete

from app.db import keep_on_failure
from app.models import RecoveryCode, TwoFactorCredential
from app.services import audit, secret_box, throttle
from app.services.audit import AuditAction
from app.services.errors import Conflict
from app.services.tokens import keyed_hash
from app.settings import Settings

STEP_SECONDS = 30
WINDOW_STEPS = 1  # a code of the step before or after the current one is accepted too (clock drift)
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford's base32: no i, l, o, u
RECOVERY_CODE_LENGTH = 10  # 50 random bits, shown as xxxxx-xxxxx

CODE_FAILED = "That code didn't work. Check your authenticator app and try again."
RECOVERY_FAILED = "That recovery code didn't work. Check it, or use another one."
UNREADABLE = "Two-factor sign-in can't be checked on this server right now. Please contact your administrator."

_CODE = re.compile(r"[0-9]{6}")
_SEPARATORS = re.compile(r"[\s-]+")


def secret_context(user_id: int) -> str:
    return f"totp:{user_id}"


def secret_of(settings: Settings, credential: TwoFactorCredential) -> str:
    try:
        return secret_box.unseal(settings.secret_key, credential.secret_sealed, secret_context(credential.user_id))
    except ValueError as error:  # sealed under another PRAXIS_SECRET_KEY, or changed in the database
        raise Conflict(UNREADABLE) from error


def _step(now: datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def _clean_code(code: str) -> str:
    return _SEPARATORS.sub("", code or "")


def looks_like_code(value: str) -> bool:
    """Six ASCII digits (spaces allowed), as an authenticator app shows a code."""
    return _CODE.fullmatch(_clean_code(value)) is not None


def matching_step(secret: str, code: str, now: datetime, after_step: int) -> int | None:
    """The time-step whose code this is, if it is in the window and later than `after_step`."""
    code = _clean_code(code)
    if _CODE.fullmatch(code) is None:
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    current = _step(now)
    found = None
    for step in range(current - WINDOW_STEPS, current + WINDOW_STEPS + 1):
        # Compare every candidate, so the time taken does not tell which step matched.
        if hmac.compare_digest(totp.generate_otp(step), code) and step > after_step and found is None:
            found = step
    return found


def normalize_recovery_code(code: str) -> str:
    return _SEPARATORS.sub("", (code or "").strip().lower())


def recovery_hash(settings: Settings, user_id: int, code: str) -> str:
    return keyed_hash(settings.secret_key, f"recovery:{user_id}:{normalize_recovery_code(code)}")


def new_recovery_codes(db: Session, settings: Settings, user_id: int, now: datetime) -> list[str]:
    """Replace the account's recovery codes with ten new ones; the raw codes are returned, never stored."""
    db.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user_id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        code = f"{raw[:5]}-{raw[5:]}"
        codes.append(code)
        db.add(RecoveryCode(user_id=user_id, code_hash=recovery_hash(settings, user_id, code), created_at=now))
    return codes


def count_failure(db: Session, user_id: int, client_ip: str, during: str, now: datetime) -> None:
    """A wrong code counts against the account although the action is rolled back (db.keep_on_failure)."""

    def count(again: Session) -> None:
        throttle.strike(again, throttle.TWO_FACTOR_ACCOUNT, str(user_id), now)
        audit.record(
            again,
            None,
            AuditAction.two_factor_failed,
            user_id=user_id,
            target_type="user",
            target_id=user_id,
            detail={"during": during},
            client_ip=client_ip,
        )

    keep_on_failure(db, count)
