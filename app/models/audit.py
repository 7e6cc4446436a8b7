"""The audit log: who did what to which record, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, utcnow


class AuditEntry(SQLModel, table=True):
    __tablename__: ClassVar[Any] = "audit_log"
    __table_args__ = (
        # The owner's Audit log: an office's entries newest first, a page at a time (and their count).
        Index("ix_audit_log_office_at", "office_id", "at", "id"),
        # A patient's entries newest first: the log filtered to one patient, "Who opened my record".
        Index("ix_audit_log_patient_at", "patient_id", "at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    # No foreign keys: the log outlives what it speaks of.
    actor_user_id: int | None = Field(default=None, index=True)
    office_id: int | None = None
    patient_id: int | None = None
    action: str = Field(max_length=80)
    target_type: str = Field(default="", max_length=40)
    target_id: int | None = None
    detail: str = Field(default="", max_length=1000)
    client_ip: str = Field(default="", max_length=64)
