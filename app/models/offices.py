"""Offices (clinics) and who works in them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import Index, UniqueConstraint, false, text
from sqlmodel import Field, SQLModel

from app.models.notices import ClinicNoticeMode
from app.models.types import UTCDateTime, enum_type, utcnow


class OfficeRole(StrEnum):
    owner = "owner"
    practitioner = "practitioner"
    staff = "staff"


class Office(SQLModel, table=True):
    __tablename__: ClassVar[Any] = "offices"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    address: str = Field(max_length=300)
    phone: str = Field(max_length=40)
    time_zone: str = Field(max_length=64)
    share_pin: str = Field(max_length=16, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Members without two-factor sign-in are refused this office's data until they enrol.
    require_two_factor: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # Clinic notices (online bookings, cancellations, profile proposals): how, and to which address
    # (empty: the owner's).
    notice_mode: ClinicNoticeMode = Field(
        default=ClinicNoticeMode.digest,
        sa_type=enum_type(ClinicNoticeMode),
        sa_column_kwargs={"server_default": ClinicNoticeMode.digest.value},
    )
    notice_email: str = Field(default="", max_length=254, sa_column_kwargs={"server_default": ""})


class Membership(SQLModel, table=True):
    __tablename__: ClassVar[Any] = "memberships"
    __table_args__ = (UniqueConstraint("office_id", "user_id", name="uq_memberships_office_user"),)

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="offices.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    role: OfficeRole = Field(sa_type=enum_type(OfficeRole))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class InvitationStatus(StrEnum):
    pending = "pending"
    accepted = "accepted"
    declined = "declined"
    revoked = "revoked"
    replaced = "replaced"


class Invitation(SQLModel, table=True):
    """An invitation to join an office, addressed to one exact e-mail address."""

    __tablename__: ClassVar[Any] = "invitations"
    __table_args__ = (
        # At most one open invitation per address and office: inviting again replaces it.
        Index(
            "uq_invitations_open_per_address",
            "office_id",
            "email_normalized",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="offices.id", index=True, ondelete="CASCADE")
    email: str = Field(max_length=254)
    email_normalized: str = Field(max_length=254, index=True)
    role: OfficeRole = Field(sa_type=enum_type(OfficeRole))
    invited_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    status: InvitationStatus = Field(default=InvitationStatus.pending, sa_type=enum_type(InvitationStatus))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    responded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
