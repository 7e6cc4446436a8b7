"""Two-factor sign-in for clinic accounts: TOTP authenticator codes (RFC 6238) and recovery codes.

- Enrolment: `start_enrolment` makes a secret (kept sealed, services/secret_box.py) and shows it as
  an otpauth URI, a QR code and text; `confirm_enrolment` turns it on with one code from the app
  (and the account's password, as for a password change) and returns 10 recovery codes, once.
- Sign-in: `accounts.sign_in` stops after a right password at a challenge (`open_challenge`:
  5 minutes, 5 tries); `pass_challenge` takes a code or a recovery code, and only then does
  `accounts.complete_sign_in` issue the ticket that opens the session.
- Codes: the current 30-second step and one either side; a step once used (or an earlier one)
  never works again, so a code seen over a shoulder cannot be replayed. Recovery codes work once
  each and are stored as keyed hashes. Wrong codes count against the account like wrong passwords.
- Clinic accounts only: patients are refused.
- An office owner may require it for the team (`set_office_requirement`); the requirement is
  enforced in `permissions.require`, where every office action is checked.
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from sqlmodel import Session, delete, select, update

from app.db import keep_on_failure
from app.models import Membership, Office, RecoveryCode, SignInChallenge, TwoFactorCredential, User
from app.qr import qr_data_uri
from app.services import audit, permissions, secret_box, throttle
from app.services.actor import Actor, require_clinic
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.errors import AuthenticationFailed, Conflict, Invalid, NotSignedIn, PermissionDenied, SignInExpired
from app.services.passwords import check_password
from app.services.permissions import OfficeAction
from app.services.tokens import keyed_hash
from app.settings import Settings

ISSUER = "Praxis"
STEP_SECONDS = 30
WINDOW_STEPS = 1  # a code of the step before or after the current one is accepted too (clock drift)
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford's base32: no i, l, o, u
RECOVERY_CODE_LENGTH = 10  # 50 random bits, shown as xxxxx-xxxxx
CHALLENGE_LIFETIME = timedelta(minutes=5)
CHALLENGE_TRIES = 5

CODE_FAILED = "That code didn't work. Check your authenticator app and try again."
RECOVERY_FAILED = "That recovery code didn't work. Check it, or use another one."
PROOF_FAILED = "That password or code is not right."
PATIENTS_REFUSED = "Two-factor sign-in is for clinic accounts."
UNREADABLE = "Two-factor sign-in can't be checked on this server right now. Please contact your administrator."

_CODE = re.compile(r"[0-9]{6}")
_SEPARATORS = re.compile(r"[\s-]+")


@dataclass(frozen=True)
class TwoFactorStatus:
    enabled: bool
    enabled_at: datetime | None
    recovery_codes_left: int
    required_by: tuple[str, ...]  # the account's offices that require it, by name


@dataclass(frozen=True)
class Enrolment:
    """What the person copies into their authenticator app; shown once, while setting up."""

    secret: str
    uri: str
    qr: str  # a data: URI of an SVG image


# ---- codes -----------------------------------------------------------------------


def _context(user_id: int) -> str:
    return f"totp:{user_id}"


def _secret(settings: Settings, credential: TwoFactorCredential) -> str:
    try:
        return secret_box.unseal(settings.secret_key, credential.secret_sealed, _context(credential.user_id))
    except ValueError as error:  # sealed under another PRAXIS_SECRET_KEY, or changed in the database
        raise Conflict(UNREADABLE) from error


def _step(now: datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def _clean_code(code: str) -> str:
    return _SEPARATORS.sub("", code or "")


def looks_like_code(value: str) -> bool:
    """Six ASCII digits (spaces allowed), as an authenticator app shows a code."""
    return _CODE.fullmatch(_clean_code(value)) is not None


def _matching_step(secret: str, code: str, now: datetime, after_step: int) -> int | None:
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


def _normalize_recovery_code(code: str) -> str:
    return _SEPARATORS.sub("", (code or "").strip().lower())


def _recovery_hash(settings: Settings, user_id: int, code: str) -> str:
    return keyed_hash(settings.secret_key, f"recovery:{user_id}:{_normalize_recovery_code(code)}")


def _new_recovery_codes(db: Session, settings: Settings, user_id: int, now: datetime) -> list[str]:
    """Replace the account's recovery codes with ten new ones; the raw codes are returned, never stored."""
    db.exec(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))  # type: ignore[arg-type]
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        code = f"{raw[:5]}-{raw[5:]}"
        codes.append(code)
        db.add(RecoveryCode(user_id=user_id, code_hash=_recovery_hash(settings, user_id, code), created_at=now))
    return codes


# ---- reading -------------------------------------------------------------------------


def _credential(db: Session, user_id: int, *, lock: bool = False) -> TwoFactorCredential | None:
    query = select(TwoFactorCredential).where(TwoFactorCredential.user_id == user_id)
    if lock:
        query = query.with_for_update()
    return db.exec(query).first()


def _enabled_credential(db: Session, user_id: int, *, lock: bool = False) -> TwoFactorCredential | None:
    credential = _credential(db, user_id, lock=lock)
    return credential if credential is not None and credential.enabled_at is not None else None


def is_enabled(db: Session, user_id: int) -> bool:
    return _enabled_credential(db, user_id) is not None


def _recovery_codes_left(db: Session, user_id: int) -> int:
    return len(
        db.exec(
            select(RecoveryCode.id).where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))  # type: ignore[union-attr]
        ).all()
    )


def offices_requiring(db: Session, user_id: int) -> tuple[str, ...]:
    """The names of the account's offices that require two-factor sign-in."""
    names = db.exec(
        select(Office.name)
        .join(Membership, Membership.office_id == Office.id)  # type: ignore[arg-type]
        .where(Membership.user_id == user_id, Office.require_two_factor)
        .order_by(Office.name)
    ).all()
    return tuple(names)


def status(db: Session, actor: Actor) -> TwoFactorStatus:
    require_clinic(actor)
    credential = _enabled_credential(db, actor.user_id)
    return TwoFactorStatus(
        enabled=credential is not None,
        enabled_at=credential.enabled_at if credential else None,
        recovery_codes_left=_recovery_codes_left(db, actor.user_id) if credential else 0,
        required_by=offices_requiring(db, actor.user_id),
    )


def missing_for_office(db: Session, actor: Actor, office_id: int) -> bool:
    """Whether this member must set up two-factor sign-in before using the office (for a page to say so)."""
    return actor.is_clinic and permissions.two_factor_missing(db, actor.user_id, office_id)


# ---- enrolment -----------------------------------------------------------------------


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
    credential = _credential(db, user.id, lock=True)  # type: ignore[arg-type]
    if credential is not None and credential.enabled_at is not None:
        raise Conflict("Two-factor sign-in is already on. Turn it off first to set up another app.")
    secret = pyotp.random_base32()
    sealed = secret_box.seal(settings.secret_key, secret, _context(user.id))  # type: ignore[arg-type]
    if credential is None:
        credential = TwoFactorCredential(user_id=user.id, secret_sealed=sealed, created_at=now)  # type: ignore[arg-type]
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
    credential = _credential(db, user.id, lock=True)  # type: ignore[arg-type]
    if credential is None:
        raise Invalid("Start the set-up again: choose Set up two-factor sign-in.")
    if credential.enabled_at is not None:
        raise Conflict("Two-factor sign-in is already on.")
    _check_password(db, user, password, now, field="password")
    key = str(user.id)
    throttle.check(db, throttle.TWO_FACTOR_ACCOUNT, key, now)
    step = _matching_step(_secret(settings, credential), code, now, credential.last_used_step)
    if step is None:
        _failed(db, user.id, actor.client_ip, "enrolment", now)  # type: ignore[arg-type]
        raise AuthenticationFailed(CODE_FAILED, "code")
    throttle.clear(db, throttle.TWO_FACTOR_ACCOUNT, key)
    credential.enabled_at, credential.last_used_step = now, step
    db.add(credential)
    codes = _new_recovery_codes(db, settings, user.id, now)  # type: ignore[arg-type]
    audit.record(db, actor, AuditAction.two_factor_enabled, target_type="user", target_id=user.id)
    return codes


def regenerate_recovery_codes(
    db: Session, settings: Settings, actor: Actor, *, proof: str, now: datetime | None = None
) -> list[str]:
    """Ten new recovery codes (the old ones stop working), after the password or a current code."""
    now = now_or(now)
    user = _clinic_user(db, actor)
    credential = _enabled_credential(db, user.id, lock=True)  # type: ignore[arg-type]
    if credential is None:
        raise Invalid("Two-factor sign-in is off.")
    _check_proof(db, settings, user, credential, proof, actor.client_ip, now)
    codes = _new_recovery_codes(db, settings, user.id, now)  # type: ignore[arg-type]
    audit.record(db, actor, AuditAction.two_factor_recovery_codes_renewed, target_type="user", target_id=user.id)
    return codes


def turn_off(db: Session, settings: Settings, actor: Actor, *, proof: str, now: datetime | None = None) -> None:
    """Back to password-only sign-in, after the password or a current code.

    Allowed even where an office requires it: that office then refuses the account until it
    sets two-factor sign-in up again (for example with a new phone)."""
    now = now_or(now)
    user = _clinic_user(db, actor)
    credential = _enabled_credential(db, user.id, lock=True)  # type: ignore[arg-type]
    if credential is None:
        raise Invalid("Two-factor sign-in is already off.")
    _check_proof(db, settings, user, credential, proof, actor.client_ip, now)
    db.delete(credential)
    db.exec(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))  # type: ignore[arg-type]
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
    step = _matching_step(_secret(settings, credential), proof, now, credential.last_used_step)
    if step is None:
        _failed(db, user.id, client_ip, "confirming a change", now)  # type: ignore[arg-type]
        raise AuthenticationFailed(PROOF_FAILED, "proof")
    throttle.clear(db, throttle.TWO_FACTOR_ACCOUNT, key)
    credential.last_used_step = step
    db.add(credential)


def _failed(db: Session, user_id: int, client_ip: str, during: str, now: datetime) -> None:
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


# ---- sign-in -------------------------------------------------------------------------


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
    return challenge.id  # type: ignore[return-value]


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
    credential = _enabled_credential(db, user_id, lock=True)
    if credential is None:  # turned off since the password was checked: start over
        raise SignInExpired()
    key = str(user_id)
    throttle.check(db, throttle.TWO_FACTOR_ACCOUNT, key, now)
    if recovery:
        ok = _spend_recovery_code(db, settings, user_id, code, now)
    else:
        step = _matching_step(_secret(settings, credential), code, now, credential.last_used_step)
        ok = step is not None
        if step is not None:
            credential.last_used_step = step
            db.add(credential)
    if not ok:
        challenge_id = challenge.id
        keep_on_failure(
            db,
            lambda again: again.exec(
                update(SignInChallenge)
                .where(SignInChallenge.id == challenge_id)
                .values(failed_attempts=SignInChallenge.failed_attempts + 1)
            ),
        )
        _failed(db, user_id, client_ip, "sign-in, recovery code" if recovery else "sign-in", now)
        raise AuthenticationFailed(RECOVERY_FAILED if recovery else CODE_FAILED, "code")
    throttle.clear(db, throttle.TWO_FACTOR_ACCOUNT, key)
    challenge.used_at = now
    db.add(challenge)
    if recovery:
        left = _recovery_codes_left(db, user_id)
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
    if not _normalize_recovery_code(code):
        return False
    row = db.exec(
        select(RecoveryCode)
        .where(
            RecoveryCode.user_id == user_id,
            RecoveryCode.code_hash == _recovery_hash(settings, user_id, code),
            RecoveryCode.used_at.is_(None),  # type: ignore[union-attr]
        )
        .with_for_update()
    ).first()
    if row is None:
        return False
    row.used_at = now
    db.add(row)
    db.flush()
    return True


# ---- the office requirement ------------------------------------------------------------


def set_office_requirement(db: Session, actor: Actor, office_id: int, required: bool) -> None:
    """Owner only (the role table's edit_office). The owner turns it on for themselves first."""
    permissions.require(db, actor, office_id, OfficeAction.edit_office)
    office = db.get(Office, office_id)
    if office is None:
        raise PermissionDenied()
    if required and not is_enabled(db, actor.user_id):
        raise Invalid(
            "Turn on two-factor sign-in for your own account first (Account → Two-factor sign-in).",
            "require_two_factor",
        )
    if office.require_two_factor == required:
        return
    office.require_two_factor = required
    db.add(office)
    audit.record(
        db,
        actor,
        AuditAction.two_factor_required_for_team,
        office_id=office_id,
        target_type="office",
        target_id=office_id,
        detail={"required": required},
    )
