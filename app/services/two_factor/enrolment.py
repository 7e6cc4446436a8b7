"""Setting two-factor sign-in up, renewing recovery codes, and turning it off (clinic accounts only).

`start_enrolment` makes a secret (kept sealed, services/secret_box.py) and shows it as an
otpauth URI, a QR code and text; `confirm_enrolment` turns it on with one code from the app (and
the account's password, as for a password change) and returns 10 recovery codes, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pyotp
from sqlmodel import Session, col, delete

from app.db import keep_on_failure
from app.models import RecoveryCode, TwoFactorCredential, User
from app.qr import qr_data_uri
from app.services import audit, secret_box, throttle
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.errors import AuthenticationFailed, Conflict, Invalid, NotSignedIn, PermissionDenied
from app.services.ids import saved_id
from app.services.passwords import check_password
from app.services.two_factor.codes import (
    CODE_FAILED,
    STEP_SECONDS,
    count_failure,
    looks_like_code,
    matching_step,
    new_recovery_codes,
    secret_context,
    secret_of,
)
from app.services.two_factor.status import enabled_credential, find_credential
from app.settings import Settings

ISSUER = "Praxis"
PROOF_FAILED = "That password or code is not right."
PATIENTS_REFUSED = "Two-factor sign-in is for clinic accounts."


@dataclass(frozen=True)
class Enrolment:
    """What the person copies into their authenticator app; shown once, while setting up."""

    secret: str
    uri: str
    qr: str  # a data: URI of an SVG image


def _clinic_user(db: Session, actor: Actor) -> User:
    if not actor.is_clinic:
        raise PermissionDenied(PATIENTS_REFUSED)
    user = db.get(User, actor.user_id)
    if user is None:
        raise NotSignedIn()
    return user


def start_enrolment(db: Session, settings: Settings, actor: Actor, now: datetime | None = None) -> Enrolment:
    """A new secret for the account's authenticator app; nothing changes at sign-in until it is confirmed."""
    now = now_or(now)
    user = _clinic_user(db, actor)
    credential = find_credential(db, saved_id(user), lock=True)
    if credential is not None and credential.enabled_at is not None:
        raise Conflict("Two-factor sign-in is already on. Turn it off first to set up another app.")
    secret = pyotp.random_base32()
    sealed = secret_box.seal(settings.secret_key, secret, secret_context(saved_id(user)))
    if credential is None:
        credential = TwoFactorCredential(user_id=saved_id(user), secret_sealed=sealed, created_at=now)
    else:
        credential.secret_sealed, credential.created_at, credential.last_used_step = sealed, now, 0
    db.add(credential)
    uri = pyotp.TOTP(secret, interval=STEP_SECONDS).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return Enrolment(secret=secret, uri=uri, qr=qr_data_uri(uri))


def confirm_enrolment(
    db: Session,
    settings: Settings,
    actor: Actor,
    *,
    code: str,
    password: str,
    now: datetime | None = None,
) -> list[str]:
    """Turn two-factor sign-in on with a first code from the app; returns the recovery codes (shown once).

    The password is asked as for a password change: a session left open on a shared computer
    must not be enough to tie the account to someone else's phone.
    """
    now = now_or(now)
    user = _clinic_user(db, actor)
    credential = find_credential(db, saved_id(user), lock=True)
    if credential is None:
        raise Invalid("Start the set-up again: choose Set up two-factor sign-in.")
    if credential.enabled_at is not None:
        raise Conflict("Two-factor sign-in is already on.")
    _check_password(db, user, password, now, field="password")
    key = str(user.id)
    throttle.check(db, throttle.TWO_FACTOR_ACCOUNT, key, now)
    step = matching_step(secret_of(settings, credential), code, now, credential.last_used_step)
    if step is None:
        count_failure(db, saved_id(user), actor.client_ip, "enrolment", now)
        raise AuthenticationFailed(CODE_FAILED, "code")
    throttle.clear(db, throttle.TWO_FACTOR_ACCOUNT, key)
    credential.enabled_at, credential.last_used_step = now, step
    db.add(credential)
    codes = new_recovery_codes(db, settings, saved_id(user), now)
    audit.record(db, actor, AuditAction.two_factor_enabled, target_type="user", target_id=user.id)
    return codes


def regenerate_recovery_codes(
    db: Session, settings: Settings, actor: Actor, *, proof: str, now: datetime | None = None
) -> list[str]:
    """Ten new recovery codes (the old ones stop working), after the password or a current code."""
    now = now_or(now)
    user = _clinic_user(db, actor)
    credential = enabled_credential(db, saved_id(user), lock=True)
    if credential is None:
        raise Invalid("Two-factor sign-in is off.")
    _check_proof(db, settings, user, credential, proof, actor.client_ip, now)
    codes = new_recovery_codes(db, settings, saved_id(user), now)
    audit.record(db, actor, AuditAction.two_factor_recovery_codes_renewed, target_type="user", target_id=user.id)
    return codes


def turn_off(db: Session, settings: Settings, actor: Actor, *, proof: str, now: datetime | None = None) -> None:
    """Back to password-only sign-in, after the password or a current code.

    Allowed even where an office requires it: that office then refuses the account until it
    sets two-factor sign-in up again (for example with a new phone)."""
    now = now_or(now)
    user = _clinic_user(db, actor)
    credential = enabled_credential(db, saved_id(user), lock=True)
    if credential is None:
        raise Invalid("Two-factor sign-in is already off.")
    _check_proof(db, settings, user, credential, proof, actor.client_ip, now)
    db.delete(credential)
    db.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user.id))
    audit.record(db, actor, AuditAction.two_factor_disabled, target_type="user", target_id=user.id)


def _check_password(db: Session, user: User, password: str, now: datetime, *, field: str) -> None:
    """The account's password, throttled and worded like a password change's."""
    throttle.check(db, throttle.SIGN_IN_ACCOUNT, user.email_normalized, now)
    if not check_password(password, user.password_hash):
        key = user.email_normalized
        keep_on_failure(db, lambda again: throttle.strike(again, throttle.SIGN_IN_ACCOUNT, key, now))
        raise AuthenticationFailed("Your password is not right.", field)


def _check_proof(
    db: Session,
    settings: Settings,
    user: User,
    credential: TwoFactorCredential,
    proof: str,
    client_ip: str,
    now: datetime,
) -> None:
    """A current code from the app (six digits) or the password (never six digits: passwords have 12+)."""
    if not looks_like_code(proof):
        try:
            _check_password(db, user, proof, now, field="proof")
        except AuthenticationFailed as error:
            raise AuthenticationFailed(PROOF_FAILED, "proof") from error
        return
    key = str(user.id)
    throttle.check(db, throttle.TWO_FACTOR_ACCOUNT, key, now)
    step = matching_step(secret_of(settings, credential), proof, now, credential.last_used_step)
    if step is None:
        count_failure(db, saved_id(user), client_ip, "confirming a change", now)
        raise AuthenticationFailed(PROOF_FAILED, "proof")
    throttle.clear(db, throttle.TWO_FACTOR_ACCOUNT, key)
    credential.last_used_step = step
    db.add(credential)
