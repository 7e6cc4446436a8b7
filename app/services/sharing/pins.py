"""Share PINs and the sharing list: whom a clinic person may share with beyond their own offices.

Entering someone's Practitioner Share PIN (or an office's Office Share PIN)
adds them to the sharing list. A PIN is looked up first and shown ("Dr Ada
Lovelace" / "Birch Road Clinic") so the person knows whom they are adding.
Wrong PINs count like wrong access codes: per account and, failures only,
per client address. A PIN can be renewed (an office's by its owner, one's own
by oneself): that stops new additions, and keeps the list entries made before.
Chart sharing (services/charts) and document sharing use this one list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NoReturn

from sqlmodel import Session, col, select

from app.db import keep_on_failure
from app.models import AccountKind, Membership, Office, SharingListEntry, User
from app.services import audit, throttle
from app.services.actor import Actor, require_clinic
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.errors import Invalid, NotFound
from app.services.ids import parse_id
from app.services.permissions import OfficeAction, require
from app.services.share_pins import ALPHABET, unique_pin

UNKNOWN_PIN = "No practitioner or office has this PIN."
ENTRY_NOT_FOUND = "This entry is not on your sharing list."
PIN_ACCOUNT = throttle.ThrottlePolicy(
    "share-pin:account", 10, timedelta(hours=1), timedelta(hours=1), timedelta(hours=1)
)
PIN_CLIENT = throttle.ThrottlePolicy("share-pin:client", 50, timedelta(hours=1), timedelta(hours=1), timedelta(hours=1))
# Read aloud or copied by hand: the letters people confuse with digits mean the digits.
_LOOKALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})


@dataclass(frozen=True)
class PinTarget:
    kind: str  # "practitioner" or "office"
    id: int
    name: str
    detail: str  # a practitioner's offices, or an office's address


@dataclass(frozen=True)
class ListEntry:
    id: int
    kind: str
    target_id: int
    name: str
    detail: str
    added_at: datetime


def normalize_pin(value: object) -> str:
    """'abcd-1234', 'ABCD 1234', 'abcd1234' → 'ABCD-1234'; '' when it cannot be a PIN."""
    text = value if isinstance(value, str) else ""
    raw = "".join(text.upper().split()).replace("-", "").translate(_LOOKALIKES)
    if len(raw) != 8 or any(ch not in ALPHABET for ch in raw):
        return ""
    return f"{raw[:4]}-{raw[4:]}"


def _offices_of(db: Session, user_id: int) -> list[str]:
    return list(
        db.exec(
            select(Office.name)
            .join(Membership, col(Membership.office_id) == Office.id)
            .where(Membership.user_id == user_id)
            .order_by(Office.name)
        ).all()
    )


def _refuse_pin(db: Session, actor: Actor, now: datetime) -> NoReturn:
    def count(again: Session) -> None:
        throttle.strike_pair(again, PIN_ACCOUNT, str(actor.user_id), PIN_CLIENT, actor.client_ip, now)
        audit.record(again, actor, AuditAction.sharing_pin_failed)

    keep_on_failure(db, count)
    raise Invalid(UNKNOWN_PIN, "pin")


def lookup(db: Session, actor: Actor, pin: object, now: datetime | None = None) -> PinTarget:
    """Whom a PIN names, before adding them; throttled, and refusing one's own PIN and office."""
    require_clinic(actor)
    now = now_or(now)
    throttle.check_pair(db, PIN_ACCOUNT, str(actor.user_id), PIN_CLIENT, actor.client_ip, now)
    normalized = normalize_pin(pin)
    if not normalized:
        _refuse_pin(db, actor, now)
    user = db.exec(select(User).where(User.share_pin == normalized)).first()
    if user is not None and user.kind != AccountKind.patient:
        assert user.id is not None
        if user.id == actor.user_id:
            raise Invalid("That is your own Share PIN.", "pin")
        return PinTarget("practitioner", user.id, user.full_name, ", ".join(_offices_of(db, user.id)))
    office = db.exec(select(Office).where(Office.share_pin == normalized)).first()
    if office is not None:
        assert office.id is not None
        mine = db.exec(
            select(Membership.id).where(Membership.office_id == office.id, Membership.user_id == actor.user_id)
        ).first()
        if mine is not None:
            raise Invalid("That is your own office's Share PIN: you already share with its team.", "pin")
        return PinTarget("office", office.id, office.name, office.address)
    _refuse_pin(db, actor, now)


def add_by_pin(db: Session, actor: Actor, pin: object, now: datetime | None = None) -> PinTarget:
    """Add the practitioner or office a PIN names to the actor's sharing list (once)."""
    now = now_or(now)
    target = lookup(db, actor, pin, now)
    column = SharingListEntry.practitioner_id if target.kind == "practitioner" else SharingListEntry.office_id
    already = db.exec(
        select(SharingListEntry.id).where(SharingListEntry.owner_id == actor.user_id, column == target.id)
    ).first()
    if already is not None:
        raise Invalid(f"{target.name} is already on your sharing list.", "pin")
    entry = SharingListEntry(
        owner_id=actor.user_id,
        practitioner_id=target.id if target.kind == "practitioner" else None,
        office_id=target.id if target.kind == "office" else None,
        added_at=now,
    )
    db.add(entry)
    db.flush()
    audit.record(
        db,
        actor,
        AuditAction.sharing_list_added,
        target_type=target.kind,
        target_id=target.id,
        detail={"name": target.name},
    )
    return target


def sharing_list(db: Session, actor: Actor) -> list[ListEntry]:
    """The actor's sharing list, practitioners first, by name."""
    require_clinic(actor)
    entries = db.exec(select(SharingListEntry).where(SharingListEntry.owner_id == actor.user_id)).all()
    people_ids = [e.practitioner_id for e in entries if e.practitioner_id]
    office_ids = [e.office_id for e in entries if e.office_id]
    people = {u.id: u for u in db.exec(select(User).where(col(User.id).in_(people_ids))).all()} if people_ids else {}
    offices = (
        {o.id: o for o in db.exec(select(Office).where(col(Office.id).in_(office_ids))).all()} if office_ids else {}
    )
    rows: list[ListEntry] = []
    for e in entries:
        assert e.id is not None
        if e.practitioner_id and e.practitioner_id in people:
            user = people[e.practitioner_id]
            offices_of = ", ".join(_offices_of(db, e.practitioner_id))
            rows.append(ListEntry(e.id, "practitioner", e.practitioner_id, user.full_name, offices_of, e.added_at))
        elif e.office_id and e.office_id in offices:
            office = offices[e.office_id]
            rows.append(ListEntry(e.id, "office", e.office_id, office.name, office.address, e.added_at))
    return sorted(rows, key=lambda r: (r.kind != "practitioner", r.name.lower()))


def remove_entry(db: Session, actor: Actor, entry_id: object) -> None:
    """Take someone off the list (nothing already shared is withdrawn by this)."""
    require_clinic(actor)
    entry = db.get(SharingListEntry, parse_id(entry_id, ENTRY_NOT_FOUND))
    if entry is None or entry.owner_id != actor.user_id:
        raise NotFound(ENTRY_NOT_FOUND)
    kind = "practitioner" if entry.practitioner_id else "office"
    target = entry.practitioner_id or entry.office_id
    db.delete(entry)
    audit.record(db, actor, AuditAction.sharing_list_removed, target_type=kind, target_id=target)


def renew_own_pin(db: Session, actor: Actor) -> str:
    """A new Practitioner Share PIN: the old one stops working; the lists it was added to keep the entry."""
    require_clinic(actor)
    user = db.get(User, actor.user_id)
    if user is None:
        raise NotFound()
    user.share_pin = unique_pin(db, User)
    db.add(user)
    audit.record(db, actor, AuditAction.share_pin_renewed, target_type="user", target_id=actor.user_id)
    return user.share_pin


def renew_office_pin(db: Session, actor: Actor, office_id: object) -> str:
    """A new Office Share PIN (the office's owner only)."""
    office_id = parse_id(office_id, "This office was not found.")
    require(db, actor, office_id, OfficeAction.edit_office)
    office = db.get(Office, office_id)
    assert office is not None  # a membership means the office exists
    office.share_pin = unique_pin(db, Office)
    db.add(office)
    audit.record(
        db, actor, AuditAction.share_pin_renewed, office_id=office_id, target_type="office", target_id=office_id
    )
    return office.share_pin
