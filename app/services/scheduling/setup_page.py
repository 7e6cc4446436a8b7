"""The Services and working hours page: everything it shows, in one read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.services.actor import Actor
from app.services.clock import now_or
from app.services.ids import is_id, parse_id
from app.services.scheduling.practitioners import PractitionerView, practitioners
from app.services.scheduling.service_catalog import ServiceView, list_services
from app.services.scheduling.slots import WeeklyInterval
from app.services.scheduling.time_off import TimeOffView, list_time_off
from app.services.scheduling.working_hours import office_time_zone, weekly_hours


@dataclass(frozen=True)
class SetupPage:
    time_zone: str
    people: list[PractitionerView]
    hours_for: int | None  # whose weekly hours are shown: the one asked for, else the actor's own, else the first
    weekly: list[WeeklyInterval]  # their hours
    services: list[ServiceView]
    time_off: list[TimeOffView]  # everyone's, not yet over


def setup_page(
    db: Session, actor: Actor, office_id: int, hours_for: object = None, now: datetime | None = None
) -> SetupPage:
    """Everything the page shows, in one read."""
    services = list_services(db, actor, office_id)  # checks the actor may see the schedule
    people = practitioners(db, office_id)
    ids = [p.user_id for p in people]
    wanted = parse_id(hours_for) if is_id(hours_for) else None
    if wanted not in ids:
        wanted = actor.user_id if actor.user_id in ids else (ids[0] if ids else None)
    return SetupPage(
        office_time_zone(db, office_id),
        people,
        wanted,
        weekly_hours(db, office_id, wanted) if wanted else [],
        services,
        list_time_off(db, actor, office_id, now_or(now)),
    )
