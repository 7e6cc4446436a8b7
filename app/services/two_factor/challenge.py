"""The second step of a sign-in: `accounts.sign_in` stops after a right password at a challenge
(`open_challenge`: 5 minutes, 5 tries); `pass_challenge` takes a code or a recovery code, and only
then does `accounts.complete_sign_in` issue the ticket that opens the session."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select, update

from app.db import keep_on_failure
from app.models import RecoveryCode, SignInChallenge
from app.services import audit, throttle
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.errors import AuthenticationFailed, SignInExpired
from app.services.ids import saved_id
from app.services.two_factor.codes import (
    CODE_FAILED,
    RECOVERY_FAILED,
    count_failure,
    matching_step,
    normalize_recovery_code,
    recovery_hash,
    secret_of,
)
from app.services.two_factor.status import enabled_credential, recovery_codes_left
from app.settings import Settings

CHALLENGE_LIFETIME = timedelta(minutes=5)
CHALLENGE_TRIES = 5


def open_challenge(
    db: Session, user_id: int, next_path: str = "", client_ip: str = "", now: datetime | None = None
) -> int:
    """After a right password: the id of a challenge that a code (or a recovery code) completes."""
    now = now_or(now)
    challenge = SignInChallenge(
        user_id=user_id,
        created_at=now,
        expires_at=now + CHALLENGE_LIFETIME,
        next_path=next_path[:500],
        client_ip=client_ip[:64],
    )
    db.add(challenge)
    db.flush()
    return saved_id(challenge)


def pass_challenge(
    db: Session,
    settings: Settings,
    challenge_id: int,
    code: str,
    *,
    recovery: bool = False,
    client_ip: str = "",
    now: datetime | None = None,
) -> SignInChallenge:
    """Complete a sign-in challenge with a code from the app, or with a recovery code (`recovery`).

    SignInExpired for an unknown, used, stale or worn-out challenge (back to the password);
    AuthenticationFailed beside the field for a wrong code, which counts against the account.
    """
    now = now_or(now)
    challenge = db.exec(select(SignInChallenge).where(SignInChallenge.id == challenge_id).with_for_update()).first()
    if (
        challenge is None
        or challenge.used_at is not None
        or now >= challenge.expires_at
        or challenge.failed_attempts >= CHALLENGE_TRIES
    ):
        raise SignInExpired()
    user_id = challenge.user_id
    credential = enabled_credential(db, user_id, lock=True)
    if credential is None:  # turned off since the password was checked: start over
        raise SignInExpired()
    key = str(user_id)
    throttle.check(db, throttle.TWO_FACTOR_ACCOUNT, key, now)
    if recovery:
        ok = _spend_recovery_code(db, settings, user_id, code, now)
    else:
        step = matching_step(secret_of(settings, credential), code, now, credential.last_used_step)
        ok = step is not None
        if step is not None:
            credential.last_used_step = step
            db.add(credential)
    if not ok:
        challenge_id = saved_id(challenge)
        keep_on_failure(
            db,
            lambda again: again.exec(
                update(SignInChallenge)
                .where(col(SignInChallenge.id) == challenge_id)
                .values(failed_attempts=SignInChallenge.failed_attempts + 1)
            ),
        )
        count_failure(db, user_id, client_ip, "sign-in, recovery code" if recovery else "sign-in", now)
        raise AuthenticationFailed(RECOVERY_FAILED if recovery else CODE_FAILED, "code")
    throttle.clear(db, throttle.TWO_FACTOR_ACCOUNT, key)
    challenge.used_at = now
    db.add(challenge)
    if recovery:
        left = recovery_codes_left(db, user_id)
        audit.record(
            db,
            None,
            AuditAction.two_factor_recovery_code_used,
            user_id=user_id,
            target_type="user",
            target_id=user_id,
            detail={"recovery_codes_left": left},
            client_ip=client_ip,
        )
    return challenge


def _spend_recovery_code(db: Session, settings: Settings, user_id: int, code: str, now: datetime) -> bool:
    if not normalize_recovery_code(code):
        return False
    row = db.exec(
        select(RecoveryCode)
        .where(
            RecoveryCode.user_id == user_id,
            RecoveryCode.code_hash == recovery_hash(settings, user_id, code),
            col(RecoveryCode.used_at).is_(None),
        )
        .with_for_update()
    ).first()
    if row is None:
        return False
    row.used_at = now
    db.add(row)
    db.flush()
    return True
