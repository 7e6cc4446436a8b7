"""Whom a clinic person may share documents with as a Practitioner Share Label.

The practitioners (owners and practitioners with a practitioner account) of the person's own
offices, and those on their sharing list (services/sharing/pins.py, the one list, also used for
charts): practitioners added by their Share PIN, and the practitioners of offices added by an
Office Share PIN. access.py's `related` is the same relation, checked again on every read.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.models import AccountKind, Membership, User
from app.services.actor import Actor
from app.services.documents.access import CLINICAL_ROLES
from app.services.ids import pk
from app.services.sharing.pins import sharing_list


def recipients(db: Session, actor: Actor) -> dict[int, tuple[str, str]]:
    """Practitioners the actor may share with: user id → (name, why offered)."""
    mine = select(Membership.office_id).where(Membership.user_id == actor.user_id)
    found: dict[int, tuple[str, str]] = {}
    colleagues = db.exec(
        select(pk(User.id), User.full_name)
        .join(Membership, col(Membership.user_id) == User.id)
        .where(
            col(Membership.office_id).in_(mine),
            col(Membership.role).in_(CLINICAL_ROLES),
            User.kind == AccountKind.practitioner,
            User.id != actor.user_id,
        )
    ).all()
    for user_id, name in colleagues:
        found[user_id] = (name, "Your office")
    for entry in sharing_list(db, actor):
        if entry.kind == "practitioner":
            found.setdefault(entry.target_id, (entry.name, "On your sharing list"))
            continue
        members = db.exec(
            select(pk(User.id), User.full_name)
            .join(Membership, col(Membership.user_id) == User.id)
            .where(
                Membership.office_id == entry.target_id,
                col(Membership.role).in_(CLINICAL_ROLES),
                User.kind == AccountKind.practitioner,
                User.id != actor.user_id,
            )
        ).all()
        for user_id, name in members:
            found.setdefault(user_id, (name, f"{entry.name} (on your sharing list)"))
    return found
