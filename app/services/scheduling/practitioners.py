"""The office's practitioners (the owner included): the calendar's columns, and whom services,
working hours and time off are for."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.models import Membership, OfficeRole, User
from app.services.ids import saved_id

NOT_A_PRACTITIONER = "Choose a practitioner of this office."


@dataclass(frozen=True)
class PractitionerView:
    user_id: int
    name: str


def practitioners(db: Session, office_id: int) -> list[PractitionerView]:
    """The office's practitioners (the owner included), by name: the calendar's columns."""
    rows = db.exec(
        select(User)
        .join(Membership, col(Membership.user_id) == User.id)
        .where(Membership.office_id == office_id, Membership.role != OfficeRole.staff)
        .order_by(User.full_name)
    ).all()
    return [PractitionerView(saved_id(u), u.full_name) for u in rows]
