"""SOAP charts, their addenda and recipients' notes, chart shares, and the sharing list.

Clinical rows refer to their patient with ON DELETE RESTRICT: a patient with
charts is archived, never deleted, and a merge moves them (services/patient_merge.py).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, enum_type, utcnow

# Each free-text part of a chart: about 20 pages of typing, far below what would strain a page.
CHART_TEXT_LIMIT = 20_000


class ChartStatus(StrEnum):
    draft = "draft"
    locked = "locked"


class Chart(SQLModel, table=True):
    """A SOAP note of one visit. The Plan is written as treatment-plan sections."""

    __tablename__: ClassVar[Any] = "charts"
    __table_args__ = (
        Index("ix_charts_author_created", "author_id", "created_at"),
        Index("ix_charts_patient_visit", "patient_id", "visit_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="offices.id", index=True, ondelete="RESTRICT")
    patient_id: int = Field(foreign_key="patients.id", ondelete="RESTRICT")
    author_id: int = Field(foreign_key="users.id", ondelete="RESTRICT")
    visit_date: date
    appointment_id: int | None = Field(default=None, foreign_key="appointments.id", ondelete="SET NULL")
    subjective: str = Field(default="", max_length=CHART_TEXT_LIMIT)
    objective: str = Field(default="", max_length=CHART_TEXT_LIMIT)
    assessment: str = Field(default="", max_length=CHART_TEXT_LIMIT)
    # Plan: the treatment-plan sections (what the portal's Treatment plans show).
    goals: str = Field(default="", max_length=CHART_TEXT_LIMIT)
    recommendations: str = Field(default="", max_length=CHART_TEXT_LIMIT)
    prescriptions: str = Field(default="", max_length=CHART_TEXT_LIMIT)  # prescriptions and supplements
    exercises: str = Field(default="", max_length=CHART_TEXT_LIMIT)
    follow_up: str = Field(default="", max_length=CHART_TEXT_LIMIT)
    status: ChartStatus = Field(default=ChartStatus.draft, sa_type=enum_type(ChartStatus))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    locked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    locked_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="RESTRICT")


class ChartAddendum(SQLModel, table=True):
    """A dated, authored amendment to a locked chart; locked itself from the start."""

    __tablename__: ClassVar[Any] = "chart_addenda"

    id: int | None = Field(default=None, primary_key=True)
    chart_id: int = Field(foreign_key="charts.id", index=True, ondelete="RESTRICT")
    author_id: int = Field(foreign_key="users.id", ondelete="RESTRICT")
    text: str = Field(max_length=CHART_TEXT_LIMIT)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ChartNote(SQLModel, table=True):
    """A recipient's note on a chart shared with them: seen by the author and the other recipients."""

    __tablename__: ClassVar[Any] = "chart_notes"

    id: int | None = Field(default=None, primary_key=True)
    chart_id: int = Field(foreign_key="charts.id", index=True, ondelete="RESTRICT")
    author_id: int = Field(foreign_key="users.id", ondelete="RESTRICT")
    text: str = Field(max_length=CHART_TEXT_LIMIT)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ShareRule(StrEnum):
    chart = "chart"  # this specific chart
    patient = "patient"  # all of this patient's charts (also later ones)
    all = "all"  # all of my charts (also later ones)


class RecipientKind(StrEnum):
    practitioner = "practitioner"
    office = "office"  # every practitioner of the office, also those who join later


class ChartShare(SQLModel, table=True):
    """The author's charts shared with a practitioner or an office, with the patient's consent confirmed."""

    __tablename__: ClassVar[Any] = "chart_shares"
    __table_args__ = (
        CheckConstraint(
            "(recipient_user_id IS NULL) != (recipient_office_id IS NULL)", name="ck_chart_shares_one_recipient"
        ),
        Index("ix_chart_shares_recipient_user", "recipient_user_id"),
        Index("ix_chart_shares_recipient_office", "recipient_office_id"),
        Index("ix_chart_shares_author", "author_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    author_id: int = Field(foreign_key="users.id", ondelete="RESTRICT")
    rule: ShareRule = Field(sa_type=enum_type(ShareRule))
    chart_id: int | None = Field(default=None, foreign_key="charts.id", index=True, ondelete="RESTRICT")
    patient_id: int | None = Field(default=None, foreign_key="patients.id", index=True, ondelete="RESTRICT")
    recipient_kind: RecipientKind = Field(sa_type=enum_type(RecipientKind))
    recipient_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="RESTRICT")
    recipient_office_id: int | None = Field(default=None, foreign_key="offices.id", ondelete="RESTRICT")
    # The author confirmed the patient's consent (YES) when sharing: who and when.
    consent_confirmed_by_user_id: int = Field(foreign_key="users.id", ondelete="RESTRICT")
    consent_confirmed_at: datetime = Field(sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    withdrawn_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="RESTRICT")


class SharingListEntry(SQLModel, table=True):
    """A practitioner or an office someone added to their sharing list with its Share PIN."""

    __tablename__: ClassVar[Any] = "sharing_list"
    __table_args__ = (
        UniqueConstraint("owner_id", "practitioner_id", name="uq_sharing_list_practitioner"),
        UniqueConstraint("owner_id", "office_id", name="uq_sharing_list_office"),
        CheckConstraint("(practitioner_id IS NULL) != (office_id IS NULL)", name="ck_sharing_list_one_target"),
    )

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    practitioner_id: int | None = Field(default=None, foreign_key="users.id", ondelete="CASCADE")
    office_id: int | None = Field(default=None, foreign_key="offices.id", ondelete="CASCADE")
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
