"""Offices: creating one, its details, and which office a clinic user works in."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from app.models import AccountKind, Membership, Office, OfficeRole
from app.services import audit, sessions
from app.services.actor import Actor, require_clinic
from app.services.audit import AuditAction
from app.services.errors import PermissionDenied
from app.services.ids import parse_id
from app.services.permissions import OfficeAction, allows, require
from app.services.share_pins import unique_pin
from app.services.validation import phone_number, required_text, time_zone

NOT_YOUR_OFFICE = "You do not have access to this office."


@dataclass(frozen=True)
class OfficeSummary:
    id: int
    name: str
    role: OfficeRole


@dataclass(frozen=True)
class OfficeDetails:
    id: int
    name: str
    address: str
    phone: str
    time_zone: str
    share_pin: str
    role: OfficeRole
    member_count: int
    require_two_factor: bool = False
    can_view_audit_log: bool = False  # whether the page offers Office → Audit log


@dataclass(frozen=True)
class OfficeInput:
    name: str
    address: str
    phone: str
    time_zone: str

    def cleaned(self) -> OfficeInput:
        return OfficeInput(
            name=required_text(self.name, "name", "Office name", 120),
            address=required_text(self.address, "address", "Address", 300),
            phone=phone_number(self.phone),
            time_zone=time_zone(self.time_zone),
        )


def create_office(db: Session, actor: Actor, data: OfficeInput) -> Office:
    """A practitioner creates an office and becomes its owner."""
    require_clinic(actor)
    if actor.kind != AccountKind.practitioner:
        raise PermissionDenied("Only a practitioner account can create an office.")
    data = data.cleaned()
    office = Office(
        name=data.name,
        address=data.address,
        phone=data.phone,
        time_zone=data.time_zone,
        share_pin=unique_pin(db, Office),
    )
    db.add(office)
    db.flush()
    db.add(Membership(office_id=office.id, user_id=actor.user_id, role=OfficeRole.owner))  # type: ignore[arg-type]
    sessions.set_current_office(db, actor, office.id)
    audit.record(db, actor, AuditAction.office_created, office_id=office.id, target_type="office", target_id=office.id)
    return office


def update_office(db: Session, actor: Actor, office_id: int, data: OfficeInput) -> Office:
    require(db, actor, office_id, OfficeAction.edit_office)
    data = data.cleaned()
    office = db.get(Office, office_id)
    if office is None:
        raise PermissionDenied()
    office.name, office.address, office.phone, office.time_zone = data.name, data.address, data.phone, data.time_zone
    db.add(office)
    audit.record(db, actor, AuditAction.office_updated, office_id=office.id, target_type="office", target_id=office.id)
    return office


def my_offices(db: Session, actor: Actor) -> list[OfficeSummary]:
    require_clinic(actor)
    rows = db.exec(
        select(Office, Membership.role)
        .join(Membership, Membership.office_id == Office.id)  # type: ignore[arg-type]
        .where(Membership.user_id == actor.user_id)
        .order_by(Office.name)
    ).all()
    return [OfficeSummary(id=office.id, name=office.name, role=role) for office, role in rows]  # type: ignore[arg-type]


def current_office_id(db: Session, actor: Actor) -> int | None:
    """The office the actor works in now: the chosen one while still a member, else their first."""
    offices = my_offices(db, actor)
    if not offices:
        return None
    ids = [office.id for office in offices]
    chosen = actor.current_office_id if actor.current_office_id in ids else ids[0]
    if chosen != actor.current_office_id:
        sessions.set_current_office(db, actor, chosen)
    return chosen


def switch_office(db: Session, actor: Actor, office_id: int) -> None:
    """Work in another of the actor's offices; any other id gets the same refusal as a missing one."""
    office_id = parse_id(office_id, NOT_YOUR_OFFICE)
    require(db, actor, office_id, OfficeAction.view_office)
    sessions.set_current_office(db, actor, office_id)


def office_details(db: Session, actor: Actor, office_id: int) -> OfficeDetails:
    member = require(db, actor, office_id, OfficeAction.view_office)
    office = db.get(Office, office_id)
    if office is None:
        raise PermissionDenied()
    members = db.exec(select(Membership.id).where(Membership.office_id == office_id)).all()
    return OfficeDetails(
        id=office.id,  # type: ignore[arg-type]
        name=office.name,
        address=office.address,
        phone=office.phone,
        time_zone=office.time_zone,
        share_pin=office.share_pin,
        role=member.role,
        member_count=len(members),
        require_two_factor=office.require_two_factor,
        can_view_audit_log=allows(member.role, OfficeAction.view_audit_log),
    )
