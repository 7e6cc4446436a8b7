"""Reading an account's two-factor sign-in: whether it is on, its recovery codes left, and which
of its offices require it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from app.models import Membership, Office, RecoveryCode, TwoFactorCredential
from app.services.actor import Actor, require_clinic


@dataclass(frozen=True)
class TwoFactorStatus:
    enabled: bool
    enabled_at: datetime | None
    recovery_codes_left: int
    required_by: tuple[str, ...]  # the account's offices that require it, by name


def find_credential(db: Session, user_id: int, *, lock: bool = False) -> TwoFactorCredential | None:
    query = select(TwoFactorCredential).where(TwoFactorCredential.user_id == user_id)
    if lock:
        query = query.with_for_update()
    return db.exec(query).first()


def enabled_credential(db: Session, user_id: int, *, lock: bool = False) -> TwoFactorCredential | None:
    credential = find_credential(db, user_id, lock=lock)
    return credential if credential is not None and credential.enabled_at is not None else None


def is_enabled(db: Session, user_id: int) -> bool:
    return enabled_credential(db, user_id) is not None


def recovery_codes_left(db: Session, user_id: int) -> int:
    return len(
        db.exec(
            select(RecoveryCode.id).where(RecoveryCode.user_id == user_id, col(RecoveryCode.used_at).is_(None))
        ).all()
    )


def offices_requiring(db: Session, user_id: int) -> tuple[str, ...]:
    """The names of the account's offices that require two-factor sign-in."""
    names = db.exec(
        select(Office.name)
        .join(Membership, col(Membership.office_id) == Office.id)
        .where(Membership.user_id == user_id, Office.require_two_factor)
        .order_by(Office.name)
    ).all()
    return tuple(names)


def status(db: Session, actor: Actor) -> TwoFactorStatus:
    require_clinic(actor)
    credential = enabled_credential(db, actor.user_id)
    return TwoFactorStatus(
        enabled=credential is not None,
        enabled_at=credential.enabled_at if credential else None,
        recovery_codes_left=recovery_codes_left(db, actor.user_id) if credential else 0,
        required_by=offices_requiring(db, actor.user_id),
    )
