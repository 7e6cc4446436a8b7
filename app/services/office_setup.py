"""A new office's setup checklist on Home: services, working hours, online booking, the team.

The steps are the owner's to see (the team is theirs alone to invite): anyone else, and an
office whose four steps are all done, gets no checklist at all. Each step says where it is done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from app.models import Membership, OnlineBookingOptions, Service, WorkingHours
from app.services.actor import Actor
from app.services.clock import now_or
from app.services.permissions import OfficeAction, can
from app.services.team.invitations import open_invitations

SETUP_PATH = "/clinic/calendar/setup"
BOOKING_OPTIONS_PATH = "/clinic/calendar?options=open"
TEAM_PATH = "/clinic/office?tab=team"


@dataclass(frozen=True)
class SetupStep:
    key: str
    title: str
    hint: str
    action: str  # the link's words: where the step is done
    href: str
    done: bool


def _has_services(db: Session, office_id: int) -> bool:
    return (
        db.exec(select(Service.id).where(Service.office_id == office_id, col(Service.active)).limit(1)).first()
        is not None
    )


def _has_hours(db: Session, office_id: int) -> bool:
    return db.exec(select(WorkingHours.id).where(WorkingHours.office_id == office_id).limit(1)).first() is not None


def _books_online(db: Session, office_id: int) -> bool:
    options = db.get(OnlineBookingOptions, office_id)
    return options is not None and options.enabled


def _team_invited(db: Session, actor: Actor, office_id: int, now: datetime) -> bool:
    """Someone else is in the team, or an invitation is open."""
    colleague = db.exec(
        select(Membership.id).where(Membership.office_id == office_id, Membership.user_id != actor.user_id).limit(1)
    ).first()
    return colleague is not None or db.exec(open_invitations(office_id, now).limit(1)).first() is not None


def setup_steps(db: Session, actor: Actor, office_id: int, now: datetime | None = None) -> list[SetupStep]:
    """The checklist for the office's owner while any step is still to do; otherwise none."""
    if not can(db, actor, office_id, OfficeAction.manage_team):
        return []
    steps = [
        SetupStep(
            "services",
            "Add your services",
            "The kinds of appointment you offer, with their length and colour.",
            "Add services",
            SETUP_PATH,
            _has_services(db, office_id),
        ),
        SetupStep(
            "hours",
            "Set working hours",
            "When each practitioner sees patients, so free times can be offered.",
            "Set working hours",
            SETUP_PATH,
            _has_hours(db, office_id),
        ),
        SetupStep(
            "online_booking",
            "Turn on online booking",
            "Patients book free times from the office's booking page.",
            "Open Online Booking Options",
            BOOKING_OPTIONS_PATH,
            _books_online(db, office_id),
        ),
        SetupStep(
            "team",
            "Invite your team",
            "Practitioners and front desk staff join by e-mail invitation.",
            "Invite the team",
            TEAM_PATH,
            _team_invited(db, actor, office_id, now_or(now)),
        ),
    ]
    return [] if all(step.done for step in steps) else steps
