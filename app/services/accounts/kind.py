"""The kind of an account (SPEC §1): chosen at sign-up, and changeable later only while the account
is still an empty box — it belongs to no office and holds nothing (no record unlocked, no
appointment booked online, no file uploaded). Also where sign-up guesses the kind from where the
person came from.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.models import AccountKind, Appointment, Document, Membership, PortalAccess, User
from app.services import audit
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.errors import Invalid, NotFound, PermissionDenied
from app.services.share_pins import unique_pin

SWITCHABLE = (AccountKind.practitioner, AccountKind.patient)
NOT_NOW = (
    "The account type can't be changed any more: this account belongs to an office or holds records. "
    "Create another account with another e-mail address instead."
)
# Where a patient comes from: the booking page, the portal, a code's redemption page (and its QR link).
PATIENT_PATHS = ("/book/", "/portal")


def sign_up_kind(kind: str, next_path: str) -> str:
    """The kind sign-up preselects: the one the link names, else Patient when the person comes from
    a patient's page, else Practitioner."""
    if kind in (AccountKind.practitioner.value, AccountKind.patient.value):
        return kind
    patient = any(next_path == p.rstrip("/") or next_path.startswith(p) for p in PATIENT_PATHS)
    return AccountKind.patient.value if patient else AccountKind.practitioner.value


def may_switch_kind(db: Session, actor: Actor) -> bool:
    """Whether the account is still empty: no office, no record held, nothing done with it."""
    user_id = actor.user_id
    held = select(PortalAccess.id).where(PortalAccess.user_id == user_id, col(PortalAccess.revoked_at).is_(None))
    for query in (
        select(Membership.id).where(Membership.user_id == user_id),
        held,
        select(Appointment.id).where(Appointment.booked_by_user_id == user_id),
        select(Document.id).where(Document.uploaded_by_user_id == user_id),
    ):
        if db.exec(query).first() is not None:
            return False
    return True


def switch_kind(db: Session, actor: Actor, kind: object) -> AccountKind:
    """Make an empty account a practitioner's or a patient's."""
    if kind not in [k.value for k in SWITCHABLE]:
        raise Invalid("Choose Practitioner or Patient.", "kind")
    if not may_switch_kind(db, actor):
        raise PermissionDenied(NOT_NOW)
    user = db.get(User, actor.user_id)
    if user is None:
        raise NotFound()
    wanted = AccountKind(kind)
    if user.kind == wanted:
        return wanted
    before = user.kind
    user.kind = wanted
    if wanted == AccountKind.practitioner and not user.share_pin:
        user.share_pin = unique_pin(db, User)
    db.add(user)
    audit.record(
        db,
        actor,
        AuditAction.account_kind_changed,
        target_type="user",
        target_id=user.id,
        detail={"from": before.value, "to": wanted.value},
    )
    return wanted
