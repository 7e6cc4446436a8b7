"""Patient records, their portal access, access codes and portal profile proposals."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, enum_type, utcnow


class Patient(SQLModel, table=True):
    """The office's official record of a patient."""

    __tablename__: ClassVar[Any] = "patients"
    __table_args__ = (Index("ix_patients_office_name", "office_id", "last_name", "first_name"),)

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="offices.id", index=True, ondelete="CASCADE")
    first_name: str = Field(max_length=80)
    last_name: str = Field(max_length=80)
    date_of_birth: date | None = None
    sex: str = Field(default="", max_length=20)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=40)
    address: str = Field(default="", max_length=300)
    emergency_contact: str = Field(default="", max_length=200)
    notes: str = Field(default="", max_length=4000)
    # Created by an online booking from an account that held no record here; staff may merge it.
    new_online_client: bool = False
    # Lower-case name, e-mail, phone digits and ISO birth date, for one indexed-ish LIKE search.
    search_text: str = Field(default="", max_length=800)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Records are archived, never deleted with their history: hidden from lists and booking, restorable.
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    archived_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")


class PortalAccess(SQLModel, table=True):
    """A portal account holds a patient record (unlocked with an access code)."""

    __tablename__: ClassVar[Any] = "portal_access"
    __table_args__ = (
        Index(
            "uq_portal_access_live",
            "patient_id",
            "user_id",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="offices.id", index=True, ondelete="CASCADE")
    patient_id: int = Field(foreign_key="patients.id", index=True, ondelete="RESTRICT")
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    access_code_id: int | None = Field(default=None, foreign_key="access_codes.id", ondelete="SET NULL")
    granted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")


class AccessCode(SQLModel, table=True):
    """A Medical Records Access Code. Only its HMAC is stored; the words are shown once."""

    __tablename__: ClassVar[Any] = "access_codes"

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="offices.id", index=True, ondelete="CASCADE")
    patient_id: int = Field(foreign_key="patients.id", index=True, ondelete="RESTRICT")
    code_hash: str = Field(max_length=64, unique=True)
    created_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    used_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ProposalStatus(StrEnum):
    pending = "pending"
    accepted = "accepted"
    dismissed = "dismissed"


class ProfileProposal(SQLModel, table=True):
    """A change a patient asked for in the portal; the official record changes only when staff accept."""

    __tablename__: ClassVar[Any] = "profile_proposals"
    __table_args__ = (
        Index(
            "uq_profile_proposals_pending_field",
            "patient_id",
            "field",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="offices.id", index=True, ondelete="CASCADE")
    patient_id: int = Field(foreign_key="patients.id", index=True, ondelete="RESTRICT")
    field: str = Field(max_length=40)
    value: str = Field(max_length=4000)
    proposed_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    status: ProposalStatus = Field(default=ProposalStatus.pending, sa_type=enum_type(ProposalStatus))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decided_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
