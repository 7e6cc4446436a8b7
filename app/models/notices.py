"""Notices to the clinic: what happened online (bookings, cancellations, profile proposals), either
mailed at once or kept here for the next morning's digest, and the digests themselves."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, enum_type, utcnow


class ClinicNoticeMode(StrEnum):
    """The owner's choice (Office Details → Clinic notices)."""

    each = "each"  # a mail for every event
    digest = "digest"  # one mail each morning with the previous day's events
    off = "off"


class ClinicEvent(StrEnum):
    online_booking = "online_booking"
    online_cancellation = "online_cancellation"
    profile_proposal = "profile_proposal"


class ClinicDigest(SQLModel, table=True):
    """One office's digest of one day (the office's date it went out): the unique pair is the lease
    that lets only one worker send it."""

    __tablename__: ClassVar[Any] = "clinic_digests"
    __table_args__ = (UniqueConstraint("office_id", "day", name="uq_clinic_digests_day"),)

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="offices.id", ondelete="CASCADE")
    day: date
    to_address: str = Field(default="", max_length=254)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ClinicNotice(SQLModel, table=True):
    """An event waiting for the office's digest (or listed in the one that carried it). A line of
    text written when it happened: no reference to the patient, whose record may change later."""

    __tablename__: ClassVar[Any] = "clinic_notices"
    __table_args__ = (Index("ix_clinic_notices_office_digest", "office_id", "digest_id"),)

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="offices.id", ondelete="CASCADE")
    event: ClinicEvent = Field(sa_type=enum_type(ClinicEvent))
    occurred_at: datetime = Field(sa_type=UTCDateTime)
    line: str = Field(max_length=500)
    digest_id: int | None = Field(default=None, foreign_key="clinic_digests.id", ondelete="SET NULL")
