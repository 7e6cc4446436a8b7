"""Whom an author may share charts with: colleagues and offices of their own offices, and their sharing list."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.models import (
    AccountKind,
    Membership,
    Office,
    SharingListEntry,
    User,
)
from app.services.actor import Actor
from app.services.charts.access import CLINICAL_ROLES


@dataclass(frozen=True)
class Recipient:
    key: str  # "practitioner:12" or "office:3": what the dialog sends back
    kind: str
    id: int
    name: str
    detail: str  # why they are offered: "Maple Street Clinic" / "On your sharing list"


def offered_recipients(db: Session, actor: Actor) -> list[Recipient]:
    """Whom the author may share with: colleagues and offices of their own offices, and their sharing list."""
    mine = db.exec(
        select(Office)
        .join(Membership, col(Membership.office_id) == Office.id)
        .where(Membership.user_id == actor.user_id, col(Membership.role).in_(CLINICAL_ROLES))
        .order_by(Office.name)
    ).all()
    found: dict[str, Recipient] = {}
    for office in mine:
        assert office.id is not None
        colleagues = db.exec(
            select(User)
            .join(Membership, col(Membership.user_id) == User.id)
            .where(
                Membership.office_id == office.id,
                col(Membership.role).in_(CLINICAL_ROLES),
                User.id != actor.user_id,
                User.kind == AccountKind.practitioner,
            )
            .order_by(User.full_name)
        ).all()
        for person in colleagues:
            found.setdefault(
                f"practitioner:{person.id}",
                Recipient(f"practitioner:{person.id}", "practitioner", person.id or 0, person.full_name, office.name),
            )
        found[f"office:{office.id}"] = Recipient(
            f"office:{office.id}", "office", office.id, office.name, "Every practitioner of your office"
        )
    for entry in db.exec(select(SharingListEntry).where(SharingListEntry.owner_id == actor.user_id)).all():
        if entry.practitioner_id:
            person = db.get(User, entry.practitioner_id)
            if person is not None and person.kind == AccountKind.practitioner:
                found.setdefault(
                    f"practitioner:{person.id}",
                    Recipient(
                        f"practitioner:{person.id}",
                        "practitioner",
                        person.id or 0,
                        person.full_name,
                        "On your sharing list",
                    ),
                )
        elif entry.office_id:
            office = db.get(Office, entry.office_id)
            if office is not None:
                found.setdefault(
                    f"office:{office.id}",
                    Recipient(
                        f"office:{office.id}", "office", office.id or 0, office.name, "Office on your sharing list"
                    ),
                )
    return sorted(found.values(), key=lambda r: (r.kind != "practitioner", r.name.lower()))
