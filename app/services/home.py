"""Home, the clinic workspace's first page: today in the current office, and what waits for the team.

Every list asks the rule its own area uses, never a looser one:
- today's appointments: the office's schedule (`view_schedule`), as the calendar shows it, in
  the office's time zone; *mine* is the actor's own column (practitioners and the owner);
- profile changes, patients' uploads nobody of the team opened yet, and forms to review: the rules
  of records, documents and forms (services/home_waiting.py);
- a new office's setup checklist, for its owner (services/office_setup.py).
A role without the permission gets an empty list; a non-member (or a member who still has to set
up the office's required two-factor sign-in) is refused the whole page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, col
from sqlmodel.sql.expression import Select

from app.models import Appointment, AppointmentStatus, Office, OfficeRole, Patient, Service, User
from app.services import formatting, local_time
from app.services.actor import Actor
from app.services.clock import now_or
from app.services.home_waiting import WaitingList, new_uploads, pending_proposals, unreviewed_submissions
from app.services.office_setup import SetupStep, setup_steps
from app.services.permissions import OfficeAction, require


@dataclass(frozen=True)
class TodayAppointment:
    id: int
    time: str  # "09:30"
    end: str  # "10:00"
    patient_id: int
    patient_name: str
    service: str
    practitioner: str
    status: str
    status_label: str
    color: str


@dataclass(frozen=True)
class Today:
    day: str  # the office's today, ISO
    label: str  # "Tuesday 24 November"
    time_zone: str
    mine: bool  # the actor's own appointments (else the whole office's)
    may_choose: bool  # the actor has a column of their own (practitioners and the owner)
    appointments: list[TodayAppointment] = field(default_factory=list)


@dataclass(frozen=True)
class HomeView:
    today: Today
    proposals: WaitingList
    uploads: WaitingList
    submissions: WaitingList
    setup: list[SetupStep]


def _zone(db: Session, office_id: int) -> str:
    office = db.get(Office, office_id)
    return office.time_zone if office else "UTC"


def today_appointments(
    db: Session, actor: Actor, office_id: int, mine: bool | None = None, now: datetime | None = None
) -> Today:
    """The office's appointments today (not the cancelled ones), in its time zone. `mine`: only the
    actor's own; by default theirs when they have a column, else the office's."""
    member = require(db, actor, office_id, OfficeAction.view_schedule)
    own_column = member.role != OfficeRole.staff
    mine = own_column if mine is None else (mine is True and own_column)
    zone_name = _zone(db, office_id)
    day = local_time.today(zone_name, now)
    zone = local_time.zone(zone_name)
    first, last = local_time.local_instant(day, 0, zone), local_time.local_instant(day + timedelta(days=1), 0, zone)
    only = [Appointment.practitioner_id == actor.user_id] if mine else []
    rows = db.exec(
        Select(
            Appointment,
            col(Patient.first_name),
            col(Patient.last_name),
            col(Service.name),
            col(Service.color),
            col(User.full_name),
        )
        .join(Patient, col(Patient.id) == Appointment.patient_id)
        .join(User, col(User.id) == Appointment.practitioner_id)
        .outerjoin(Service, col(Service.id) == Appointment.service_id)
        .where(
            Appointment.office_id == office_id,
            Appointment.starts_at >= first,
            Appointment.starts_at < last,
            Appointment.status != AppointmentStatus.cancelled,
            *only,
        )
        .order_by(col(Appointment.starts_at), col(Appointment.id))
    ).all()
    return Today(
        day.isoformat(),
        formatting.long_day(day),
        zone_name,
        mine,
        own_column,
        [
            TodayAppointment(
                id=a.id or 0,
                time=formatting.clock(a.starts_at, zone_name),
                end=formatting.clock(a.ends_at, zone_name),
                patient_id=a.patient_id,
                patient_name=formatting.full_name(first_name, last_name),
                service=service or "Appointment",
                practitioner=practitioner,
                status=a.status.value,
                status_label=formatting.status_label(a.status.value),
                color=color or "gray",
            )
            for a, first_name, last_name, service, color, practitioner in rows
        ],
    )


def home(db: Session, actor: Actor, office_id: int, mine: bool | None = None, now: datetime | None = None) -> HomeView:
    """Everything Home shows for the office, in one read."""
    require(db, actor, office_id, OfficeAction.view_office)
    now = now_or(now)
    return HomeView(
        today=today_appointments(db, actor, office_id, mine, now),
        proposals=pending_proposals(db, actor, office_id),
        uploads=new_uploads(db, actor, office_id),
        submissions=unreviewed_submissions(db, actor, office_id),
        setup=setup_steps(db, actor, office_id, now),
    )
