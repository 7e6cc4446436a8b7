"""Whom an online booking is for: the records the signed-in account holds at the office, and
"someone new" where the office's registration policy takes new patients (SPEC §5).

The page asks whenever the account holds a record there; the server checks the answer again on
booking (online_booking.py): a record the account does not hold is refused exactly like a
missing one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.models import Office, Patient, PortalAccess, RegistrationPolicy
from app.services.actor import Actor
from app.services.errors import NotFound
from app.services.ids import parse_id, saved_id
from app.services.patients.records import full_name
from app.services.scheduling.booking_options import booking_options
from app.services.scheduling.booking_page import booking_office

SOMEONE_NEW = "new"
NOT_AVAILABLE = "This record is not available."


@dataclass(frozen=True)
class WhomFor:
    value: str  # a record's id, or SOMEONE_NEW
    label: str


def held_records(db: Session, actor: Actor, office: Office) -> list[Patient]:
    """The office's records the account holds now (archived ones are not booked online: the
    clinic decides), in name order."""
    return list(
        db.exec(
            select(Patient)
            .join(PortalAccess, col(PortalAccess.patient_id) == Patient.id)
            .where(
                PortalAccess.user_id == actor.user_id,
                col(PortalAccess.revoked_at).is_(None),
                Patient.office_id == office.id,
                col(Patient.archived_at).is_(None),
            )
            .order_by(col(Patient.first_name), col(Patient.last_name), col(Patient.id))
        ).all()
    )


def takes_new_patients(db: Session, office: Office) -> bool:
    return booking_options(db, saved_id(office)).registration_policy == RegistrationPolicy.new_too


def whom_for_choices(db: Session, actor: Actor | None, office_id: object) -> list[WhomFor]:
    """What "Who is this appointment for?" offers; empty when the page should not ask (signed
    out, a clinic account, or an account holding no record at this office)."""
    office = booking_office(db, office_id)
    if actor is None or not actor.is_patient:
        return []
    held = held_records(db, actor, office)
    if not held:
        return []
    choices = [WhomFor(str(p.id), full_name(p)) for p in held]
    if takes_new_patients(db, office):
        choices.append(WhomFor(SOMEONE_NEW, "Someone new"))
    return choices


def parse_whom_for(value: object) -> int | str | None:
    """A page's answer: a record's id, SOMEONE_NEW, or None (not asked). Anything else reads like
    a record that is not available."""
    if value is None or value == "":
        return None
    if value == SOMEONE_NEW:
        return SOMEONE_NEW
    return parse_id(value, NOT_AVAILABLE)


def chosen_record(held: list[Patient], patient_id: int) -> Patient:
    chosen = next((p for p in held if p.id == patient_id), None)
    if chosen is None:
        raise NotFound(NOT_AVAILABLE)
    return chosen
