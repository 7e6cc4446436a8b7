"""Appointments as lists: the calendar's week (plain columns, read on every week switch) and a
patient's appointments (the client workspace's Appointments tab)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import select as sa_select
from sqlalchemy import type_coerce
from sqlalchemy.types import NullType
from sqlmodel import Session, col, select

from app.models import Appointment, AppointmentStatus, Patient, Service, User
from app.models.types import utc_from_row
from app.services.actor import Actor
from app.services.ids import saved_id
from app.services.patients.access import access_patient
from app.services.permissions import OfficeAction, require


class CalendarItem(NamedTuple):
    """One appointment of the calendar's week (a tuple: a busy week makes hundreds of them)."""

    id: int
    practitioner_id: int
    patient_id: int
    patient_name: str
    service_name: str
    color: str
    starts_at: datetime
    ends_at: datetime
    status: AppointmentStatus
    booked_online: bool


_STATUS_BY_VALUE = {status.value: status for status in AppointmentStatus}


def _untyped(column: Any) -> Any:
    """A column read as the driver gives it: no per-value type processing (converted below)."""
    return type_coerce(column, NullType())


def week(
    db: Session,
    actor: Actor,
    office_id: int,
    first: datetime,
    last: datetime,
    practitioner_ids: list[int] | None = None,
) -> list[CalendarItem]:
    """Live and cancelled appointments that start in [first, last), for the calendar grid
    (only those of `practitioner_ids` when given)."""
    require(db, actor, office_id, OfficeAction.view_schedule)
    only = [col(Appointment.practitioner_id).in_(practitioner_ids)] if practitioner_ids is not None else []
    # Plain columns on the session's connection, not ORM objects nor typed values: a busy week is
    # hundreds of rows, read on every week switch, and the ORM's and the types' per-value work
    # was two thirds of the read (10.5 -> 4 ms for 500 rows, benchmarks/RESULTS.md).
    rows = (
        db.connection()
        .execute(
            sa_select(
                col(Appointment.id),
                col(Appointment.practitioner_id),
                col(Appointment.patient_id),
                col(Patient.first_name),
                col(Patient.last_name),
                col(Service.name),
                col(Service.color),
                _untyped(Appointment.starts_at),
                _untyped(Appointment.ends_at),
                _untyped(Appointment.status),
                _untyped(Appointment.booked_online),
            )
            .join(Patient, col(Patient.id) == Appointment.patient_id)
            .outerjoin(Service, col(Service.id) == Appointment.service_id)
            .where(
                col(Appointment.office_id) == office_id,
                col(Appointment.starts_at) >= first,
                col(Appointment.starts_at) < last,
                *only,
            )
            .order_by(col(Appointment.starts_at))
        )
        .all()
    )
    return [
        CalendarItem(
            cast(int, id_),  # a primary key: never None here
            practitioner_id,
            patient_id,
            f"{fn} {ln}",
            service or "Appointment",
            color or "gray",
            utc_from_row(starts_at),
            utc_from_row(ends_at),
            _STATUS_BY_VALUE[status],
            bool(booked_online),
        )
        for id_, practitioner_id, patient_id, fn, ln, service, color, starts_at, ends_at, status, booked_online in rows
    ]


@dataclass(frozen=True)
class PatientAppointment:
    id: int
    starts_at: datetime
    service_name: str
    practitioner_name: str
    status: AppointmentStatus
    booked_online: bool


def for_patient(db: Session, actor: Actor, patient_id: int) -> list[PatientAppointment]:
    """The client workspace's Appointments tab, newest first."""
    patient = access_patient(db, actor, patient_id, OfficeAction.view_schedule)
    rows = db.exec(
        select(Appointment, Service.name, User.full_name)
        .outerjoin(Service, col(Service.id) == Appointment.service_id)
        .join(User, col(User.id) == Appointment.practitioner_id)
        .where(Appointment.patient_id == patient.id)
        .order_by(col(Appointment.starts_at).desc())
    ).all()
    return [
        PatientAppointment(saved_id(a), a.starts_at, service or "Appointment", who, a.status, a.booked_online)
        for a, service, who in rows
    ]
