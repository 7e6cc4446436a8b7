"""The office's services (appointment types): their length, colour, whether they are booked
online, and who offers them. Retired, never deleted: past appointments keep their name."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, delete, select

from app.models import Service, ServicePractitioner
from app.services import audit
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.errors import Invalid, NotFound
from app.services.ids import parse_id, saved_id
from app.services.permissions import OfficeAction, require
from app.services.scheduling.calendar_changes import bump_calendar
from app.services.scheduling.practitioners import practitioners
from app.services.validation import required_text

COLORS = ("teal", "blue", "violet", "pink", "orange", "amber", "grass", "cyan", "red", "gray")
NO_SERVICE = "This service was not found."


@dataclass(frozen=True)
class ServiceInput:
    name: str
    duration_minutes: int | str
    color: str = "teal"
    bookable_online: bool = True
    practitioner_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class ServiceView:
    id: int
    name: str
    duration_minutes: int
    color: str
    bookable_online: bool
    practitioner_ids: tuple[int, ...]


def _clean_service(db: Session, office_id: int, data: ServiceInput) -> tuple[str, int, str, list[int]]:
    name = required_text(data.name, "name", "Name", 80)
    try:
        minutes = int(str(data.duration_minutes).strip())
    except ValueError:
        raise Invalid("Enter the length in minutes, for example 30.", "duration_minutes") from None
    if not 5 <= minutes <= 480 or minutes % 5:
        raise Invalid("Use a length between 5 and 480 minutes, in steps of 5.", "duration_minutes")
    if data.color not in COLORS:
        raise Invalid("Choose one of the colours.", "color")
    allowed = {p.user_id for p in practitioners(db, office_id)}
    chosen = sorted(set(data.practitioner_ids))
    if any(p not in allowed for p in chosen):
        raise Invalid("Choose practitioners of this office.", "practitioner_ids")
    return name, minutes, data.color, chosen


def _view(db: Session, service: Service) -> ServiceView:
    offered = db.exec(select(ServicePractitioner.user_id).where(ServicePractitioner.service_id == service.id)).all()
    return ServiceView(
        saved_id(service),
        service.name,
        service.duration_minutes,
        service.color,
        service.bookable_online,
        tuple(sorted(offered)),
    )


def list_services(db: Session, actor: Actor, office_id: int) -> list[ServiceView]:
    require(db, actor, office_id, OfficeAction.view_schedule)
    rows = db.exec(select(Service).where(Service.office_id == office_id, Service.active).order_by(Service.name)).all()
    return [_view(db, s) for s in rows]


def save_service(
    db: Session, actor: Actor, office_id: int, data: ServiceInput, service_id: int | None = None
) -> Service:
    require(db, actor, office_id, OfficeAction.manage_schedule)
    name, minutes, color, chosen = _clean_service(db, office_id, data)
    if service_id is None:
        service = Service(
            office_id=office_id,
            name=name,
            duration_minutes=minutes,
            color=color,
            bookable_online=bool(data.bookable_online),
        )
    else:
        found = db.get(Service, parse_id(service_id, NO_SERVICE))
        if found is None or found.office_id != office_id or not found.active:
            raise NotFound(NO_SERVICE)
        service = found
        service.name, service.duration_minutes, service.color = name, minutes, color
        service.bookable_online = bool(data.bookable_online)
        bump_calendar(db, office_id)  # its blocks on the calendar show the new name and colour
    db.add(service)
    db.flush()
    db.exec(delete(ServicePractitioner).where(col(ServicePractitioner.service_id) == service.id))
    db.add_all(ServicePractitioner(service_id=saved_id(service), user_id=user_id) for user_id in chosen)
    audit.record(db, actor, AuditAction.service_saved, office_id=office_id, target_type="service", target_id=service.id)
    return service


def retire_service(db: Session, actor: Actor, office_id: int, service_id: int) -> None:
    """Services are retired, not deleted: past appointments keep their name and colour."""
    require(db, actor, office_id, OfficeAction.manage_schedule)
    service = db.get(Service, parse_id(service_id, NO_SERVICE))
    if service is None or service.office_id != office_id:
        raise NotFound(NO_SERVICE)
    service.active = False
    db.add(service)
    audit.record(
        db, actor, AuditAction.service_retired, office_id=office_id, target_type="service", target_id=service.id
    )
