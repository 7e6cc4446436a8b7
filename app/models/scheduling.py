"""Scheduling: services (appointment types), working hours, time off, appointments, booking options."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import Index, UniqueConstraint, false, text
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, enum_type, utcnow


class Service(SQLModel, table=True):
    """An appointment type: name, length, calendar colour, and whether patients may book it online."""

    __tablename__: ClassVar[Any] = "services"

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="offices.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=80)
    duration_minutes: int
    color: str = Field(default="teal", max_length=20)  # a Radix colour name
    bookable_online: bool = True
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ServicePractitioner(SQLModel, table=True):
    """Which practitioners offer a service."""

    __tablename__: ClassVar[Any] = "service_practitioners"
    __table_args__ = (UniqueConstraint("service_id", "user_id", name="uq_service_practitioners"),)

    id: int | None = Field(default=None, primary_key=True)
    service_id: int = Field(foreign_key="services.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")


class WorkingHours(SQLModel, table=True):
    """A weekly working interval in the office's local time (minutes after midnight)."""

    __tablename__: ClassVar[Any] = "working_hours"

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="offices.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    weekday: int  # Monday = 0
    start_minute: int
    end_minute: int


class TimeOff(SQLModel, table=True):
    __tablename__: ClassVar[Any] = "time_off"

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="offices.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    reason: str = Field(default="", max_length=200)


class AppointmentStatus(StrEnum):
    booked = "booked"
    arrived = "arrived"
    no_show = "no_show"
    cancelled = "cancelled"


class Appointment(SQLModel, table=True):
    """A booked time with a practitioner. Never two live ones overlapping for one practitioner:
    PostgreSQL enforces it with an exclusion constraint (migration 0004), SQLite with
    BEGIN IMMEDIATE around the overlap check plus this partial unique index."""

    __tablename__: ClassVar[Any] = "appointments"
    __table_args__ = (
        Index("ix_appointments_office_start", "office_id", "starts_at"),
        Index("ix_appointments_practitioner_start", "practitioner_id", "starts_at"),
        Index(
            "uq_appointments_live_start",
            "practitioner_id",
            "starts_at",
            unique=True,
            sqlite_where=text("status != 'cancelled'"),
            postgresql_where=text("status != 'cancelled'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="offices.id", ondelete="CASCADE")
    practitioner_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    patient_id: int = Field(foreign_key="patients.id", index=True, ondelete="RESTRICT")
    service_id: int | None = Field(default=None, foreign_key="services.id", ondelete="SET NULL")
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    status: AppointmentStatus = Field(default=AppointmentStatus.booked, sa_type=enum_type(AppointmentStatus))
    booked_online: bool = False
    booked_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL", index=True)
    notes: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    cancelled_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    # The iCalendar SEQUENCE of the patient's calendar entry: one more with each move and the cancellation.
    sequence: int = Field(default=0, sa_column_kwargs={"server_default": text("0")})


class AppointmentReminder(SQLModel, table=True):
    """The day-before reminder of one appointment for one day, claimed by inserting this row: the
    unique pair means one reminder per visit and day, however many workers try at once. A visit
    moved to another day may be reminded again for its new day."""

    __tablename__: ClassVar[Any] = "appointment_reminders"
    __table_args__ = (UniqueConstraint("appointment_id", "day", name="uq_appointment_reminders_day"),)

    id: int | None = Field(default=None, primary_key=True)
    appointment_id: int = Field(foreign_key="appointments.id", ondelete="CASCADE")
    day: date  # the visit's day in the office's zone
    to_address: str = Field(default="", max_length=254)  # empty: nobody to tell (no address)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RegistrationPolicy(StrEnum):
    existing_only = "existing_only"
    new_too = "new_too"


class OnlineBookingOptions(SQLModel, table=True):
    __tablename__: ClassVar[Any] = "online_booking_options"

    office_id: int = Field(foreign_key="offices.id", primary_key=True, ondelete="CASCADE")
    enabled: bool = False
    min_notice_hours: int = 12
    horizon_days: int = 60
    allow_cancellation: bool = True
    cancellation_notice_hours: int = 24
    registration_policy: RegistrationPolicy = Field(
        default=RegistrationPolicy.new_too, sa_type=enum_type(RegistrationPolicy)
    )
    refusal_phone: str = Field(default="", max_length=40)
    # "Send a reminder the day before", at this hour of the office's clock (0-23).
    reminders_enabled: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    reminder_hour: int = Field(default=17, sa_column_kwargs={"server_default": text("17")})


class CalendarVersion(SQLModel, table=True):
    """A counter per office, bumped with every appointment change, so open calendars
    (on any worker) can notice a change with one cheap read."""

    __tablename__: ClassVar[Any] = "calendar_versions"

    office_id: int = Field(foreign_key="offices.id", primary_key=True, ondelete="CASCADE")
    version: int = 0
