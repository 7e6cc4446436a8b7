"""Medical Records Access Codes: staff generate one for a patient record, a portal account redeems it.

A code is four words from a fixed list of 2,048 (44 bits), easy to read aloud,
valid 5 days and once. Only its HMAC (keyed with the server's secret) is
stored. Every failure to redeem looks the same and counts against the account
(10 an hour) and the client address (50 an hour, blocking only accounts that
have failed themselves).
"""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import Session, col, select, update

from app.db import keep_on_failure
from app.models import AccessCode, Office, Patient, PortalAccess, User
from app.services import audit, live_versions, sessions, throttle
from app.services.actor import Actor, require_patient
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.errors import AuthenticationFailed, NotFound
from app.services.ids import parse_id, saved_id
from app.services.patients.access import access_patient
from app.services.patients.records import full_name
from app.services.permissions import OfficeAction
from app.services.tokens import keyed_hash
from app.settings import Settings

WORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "access_code_words.txt"
WORDS_PER_CODE = 4
CODE_LIFETIME = timedelta(days=5)
REDEEM_FAILED = "That code didn't work. Check the four words, or ask your clinic for a new code."
CODE_NOT_FOUND = "This code was not found."
ACCESS_NOT_FOUND = "This access was not found, or was already revoked."
# 10 wrong codes an hour per portal account. Per client address 50 an hour, failures only, and
# the address block stops only accounts that have failed themselves (throttle.check_pair): ten
# typos on a clinic's Wi-Fi must never keep the next patient's right code out.
REDEEM_ACCOUNT = throttle.ThrottlePolicy(
    "access-code:account", 10, timedelta(hours=1), timedelta(hours=1), timedelta(hours=1)
)
REDEEM_CLIENT = throttle.ThrottlePolicy(
    "access-code:client", 50, timedelta(hours=1), timedelta(hours=1), timedelta(hours=1)
)


@functools.cache
def word_list() -> tuple[str, ...]:
    words = [w.strip() for w in WORDS_FILE.read_text(encoding="utf-8").splitlines() if w and not w.startswith("#")]
    assert len(words) == 2048 and len(set(words)) == 2048
    return tuple(words)


def normalize_code(code: str) -> str:
    """Words in lower case joined by hyphens, however they were typed (spaces, hyphens, capitals)."""
    return "-".join(code.lower().replace("-", " ").replace(",", " ").split())


def new_code() -> str:
    words = word_list()
    return "-".join(secrets.choice(words) for _ in range(WORDS_PER_CODE))


@dataclass(frozen=True)
class GeneratedCode:
    code: str  # shown once, never stored
    access_code_id: int
    expires_at: datetime
    patient_name: str
    office_name: str
    redeem_url: str


@dataclass(frozen=True)
class CodeView:
    id: int
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class HolderView:
    access_id: int
    name: str
    email: str
    granted_at: datetime


def generate(
    db: Session, settings: Settings, actor: Actor, patient_id: int, now: datetime | None = None, emailed_to: str = ""
) -> GeneratedCode:
    """A new code for the record; `emailed_to` when it leaves as an invitation (services/portal_invitations.py)."""
    patient = access_patient(db, actor, patient_id, OfficeAction.manage_access_codes)
    now = now_or(now)
    while True:
        code = new_code()
        code_hash = keyed_hash(settings.secret_key, code)
        if db.exec(select(AccessCode.id).where(AccessCode.code_hash == code_hash)).first() is None:
            break
    row = AccessCode(
        office_id=patient.office_id,
        patient_id=saved_id(patient),
        code_hash=code_hash,
        created_by_user_id=actor.user_id,
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )
    db.add(row)
    db.flush()
    office = db.get(Office, patient.office_id)
    audit.record(
        db,
        actor,
        AuditAction.access_code_emailed if emailed_to else AuditAction.access_code_generated,
        office_id=patient.office_id,
        patient_id=patient.id,
        target_type="access_code",
        target_id=row.id,
        detail={"to": emailed_to} if emailed_to else None,
    )
    return GeneratedCode(
        code=code,
        access_code_id=saved_id(row),
        expires_at=row.expires_at,
        patient_name=full_name(patient),
        office_name=office.name if office else "",
        redeem_url=f"{settings.base_url}/portal/redeem?code={code}",
    )


def unused_codes(db: Session, actor: Actor, patient_id: int, now: datetime | None = None) -> list[CodeView]:
    access_patient(db, actor, patient_id, OfficeAction.manage_access_codes)
    now = now_or(now)
    rows = db.exec(
        select(AccessCode)
        .where(
            AccessCode.patient_id == patient_id,
            col(AccessCode.used_at).is_(None),
            col(AccessCode.revoked_at).is_(None),
            AccessCode.expires_at > now,
        )
        .order_by(col(AccessCode.created_at))
    ).all()
    return [CodeView(saved_id(r), r.created_at, r.expires_at) for r in rows]


def _code_of_my_office(db: Session, actor: Actor, access_code_id: object) -> AccessCode:
    """A code of a record the actor may manage; another office's code looks exactly like a missing one."""
    row = db.get(AccessCode, parse_id(access_code_id, CODE_NOT_FOUND))
    if row is None:
        raise NotFound(CODE_NOT_FOUND)
    try:
        access_patient(db, actor, row.patient_id, OfficeAction.manage_access_codes)
    except NotFound:
        raise NotFound(CODE_NOT_FOUND) from None
    return row


def revoke_code(db: Session, actor: Actor, access_code_id: object, now: datetime | None = None) -> None:
    row = _code_of_my_office(db, actor, access_code_id)
    if row.used_at is None and row.revoked_at is None:
        row.revoked_at = now_or(now)
        db.add(row)
        audit.record(
            db,
            actor,
            AuditAction.access_code_revoked,
            office_id=row.office_id,
            patient_id=row.patient_id,
            target_type="access_code",
            target_id=row.id,
        )


def holders(db: Session, actor: Actor, patient_id: int) -> list[HolderView]:
    """The portal accounts that hold this record now."""
    access_patient(db, actor, patient_id, OfficeAction.manage_access_codes)
    rows = db.exec(
        select(PortalAccess, User)
        .join(User, col(User.id) == PortalAccess.user_id)
        .where(PortalAccess.patient_id == patient_id, col(PortalAccess.revoked_at).is_(None))
        .order_by(col(PortalAccess.granted_at))
    ).all()
    return [HolderView(saved_id(a), u.full_name, u.email, a.granted_at) for a, u in rows]


def revoke_access(db: Session, actor: Actor, access_id: object, now: datetime | None = None) -> None:
    """Take the record away from a portal account; it leaves their switcher on their next action.

    A missing access, another office's and one already revoked all get the same answer."""
    access = db.get(PortalAccess, parse_id(access_id, ACCESS_NOT_FOUND))
    if access is None:
        raise NotFound(ACCESS_NOT_FOUND)
    try:
        access_patient(db, actor, access.patient_id, OfficeAction.manage_access_codes)
    except NotFound:
        raise NotFound(ACCESS_NOT_FOUND) from None
    if access.revoked_at is not None:
        raise NotFound(ACCESS_NOT_FOUND)
    access.revoked_at = now_or(now)
    access.revoked_by_user_id = actor.user_id
    db.add(access)
    live_versions.bump_user(db, access.user_id)  # their open portal pages leave the record at once
    audit.record(
        db,
        actor,
        AuditAction.portal_access_revoked,
        office_id=access.office_id,
        patient_id=access.patient_id,
        target_type="portal_access",
        target_id=access.id,
    )


def _count_failure(db: Session, actor: Actor, now: datetime) -> None:
    """The failure counts although the redemption is rolled back (db.keep_on_failure)."""

    def count(again: Session) -> None:
        throttle.strike_pair(again, REDEEM_ACCOUNT, str(actor.user_id), REDEEM_CLIENT, actor.client_ip, now)
        audit.record(again, actor, AuditAction.access_code_redeem_failed)

    keep_on_failure(db, count)


def redeem(db: Session, settings: Settings, actor: Actor, code: str, now: datetime | None = None) -> Patient:
    """Unlock a record for the signed-in portal account. Every failure has the same message."""
    require_patient(actor)
    now = now_or(now)
    throttle.check_pair(db, REDEEM_ACCOUNT, str(actor.user_id), REDEEM_CLIENT, actor.client_ip, now)
    row = db.exec(
        select(AccessCode).where(AccessCode.code_hash == keyed_hash(settings.secret_key, normalize_code(code)))
    ).first()
    if row is None or row.used_at is not None or row.revoked_at is not None or now >= row.expires_at:
        _count_failure(db, actor, now)
        raise AuthenticationFailed(REDEEM_FAILED, "code")
    # Claim the code with a conditional update: of two accounts racing for it, one wins.
    claimed = db.exec(
        update(AccessCode)
        .where(col(AccessCode.id) == row.id, col(AccessCode.used_at).is_(None))
        .values(used_at=now, used_by_user_id=actor.user_id)
    )
    if claimed.rowcount != 1:  # another account took it a moment ago
        _count_failure(db, actor, now)
        raise AuthenticationFailed(REDEEM_FAILED, "code")
    already = db.exec(
        select(PortalAccess).where(
            PortalAccess.patient_id == row.patient_id,
            PortalAccess.user_id == actor.user_id,
            col(PortalAccess.revoked_at).is_(None),
        )
    ).first()
    if already is None:
        db.add(
            PortalAccess(
                office_id=row.office_id,
                patient_id=row.patient_id,
                user_id=actor.user_id,
                access_code_id=row.id,
                granted_at=now,
            )
        )
    sessions.set_current_patient(db, actor, row.patient_id)
    audit.record(
        db,
        actor,
        AuditAction.access_code_redeemed,
        office_id=row.office_id,
        patient_id=row.patient_id,
        target_type="access_code",
        target_id=row.id,
    )
    patient = db.get(Patient, row.patient_id)
    assert patient is not None
    return patient
