"""Offices: creating one, its details, and which office a clinic user works in."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.models import Membership, Office, OfficeRole
from app.services import audit, sessions
from app.services.actor import Actor, require_clinic
from app.services.audit import AuditAction
from app.services.errors import PermissionDenied, TwoFactorRequired
from app.services.ids import parse_id, saved_id
from app.services.permissions import (
    Capabilities,
    OfficeAction,
    capabilities,
    require,
    require_office_creator,
    two_factor_missing,
)
from app.services.scheduling.calendar_changes import bump_calendar
from app.services.share_pins import unique_pin
from app.services.validation import phone_number, required_text, time_zone

NOT_YOUR_OFFICE = "You do not have access to this office."


@dataclass(frozen=True)
class OfficeSummary:
    id: int
    name: str
    role: OfficeRole
    time_zone: str = "UTC"


@dataclass(frozen=True)
class ClinicShell:
    """The frame of every clinic page: the actor's offices, the one they work in now, and what
    they may do there."""

    offices: list[OfficeSummary]
    current: OfficeSummary | None
    can: Capabilities

    @property
    def office_id(self) -> int:
        """The current office's id; 0 when the actor is in no office yet."""
        return self.current.id if self.current else 0


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
    require_office_creator(actor)
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
    db.add(Membership(office_id=saved_id(office), user_id=actor.user_id, role=OfficeRole.owner))
    sessions.set_current_office(db, actor, office.id)
    audit.record(db, actor, AuditAction.office_created, office_id=office.id, target_type="office", target_id=office.id)
    return office


def update_office(db: Session, actor: Actor, office_id: int, data: OfficeInput) -> Office:
    require(db, actor, office_id, OfficeAction.edit_office)
    data = data.cleaned()
    office = db.get(Office, office_id)
    if office is None:
        raise PermissionDenied()
    if office.time_zone != data.time_zone:  # the calendar's days and hours are the office's
        bump_calendar(db, office_id)
    office.name, office.address, office.phone, office.time_zone = data.name, data.address, data.phone, data.time_zone
    db.add(office)
    audit.record(db, actor, AuditAction.office_updated, office_id=office.id, target_type="office", target_id=office.id)
    return office


def my_offices(db: Session, actor: Actor) -> list[OfficeSummary]:
    require_clinic(actor)
    # Plain columns, not Office objects: every clinic page's shell reads this on every click.
    rows = db.exec(
        select(col(Office.id), col(Office.name), col(Office.time_zone), col(Membership.role))
        .join(Membership, col(Membership.office_id) == Office.id)
        .where(Membership.user_id == actor.user_id)
        .order_by(Office.name)
    ).all()
    return [
        OfficeSummary(id=office_id or 0, name=name, role=role, time_zone=time_zone)
        for office_id, name, time_zone, role in rows
    ]


def current_office_id(db: Session, actor: Actor, offices: list[OfficeSummary] | None = None) -> int | None:
    """The office the actor works in now: the chosen one while still a member, else their first."""
    offices = my_offices(db, actor) if offices is None else offices
    if not offices:
        return None
    ids = [office.id for office in offices]
    chosen = actor.current_office_id if actor.current_office_id in ids else ids[0]
    if chosen != actor.current_office_id:
        sessions.set_current_office(db, actor, chosen)
    return chosen


def clinic_shell(db: Session, actor: Actor) -> ClinicShell:
    """What every clinic page shows around its content. Portal accounts are refused; a member of
    an office that requires two-factor sign-in, who has not set it up, is sent to do so
    (TwoFactorRequired: the services refuse them the office's data in any case)."""
    require_clinic(actor)
    summaries = my_offices(db, actor)
    current = current_office_id(db, actor, summaries)
    chosen = next((s for s in summaries if s.id == current), None)
    if chosen is not None and two_factor_missing(db, actor.user_id, chosen.id):
        raise TwoFactorRequired(f"{chosen.name} requires two-factor sign-in. Set it up to continue.")
    return ClinicShell(summaries, chosen, capabilities(db, actor, chosen.id if chosen else None))


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
        id=saved_id(office),
        name=office.name,
        address=office.address,
        phone=office.phone,
        time_zone=office.time_zone,
        share_pin=office.share_pin,
        role=member.role,
        member_count=len(members),
        require_two_factor=office.require_two_factor,
    )
