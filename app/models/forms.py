"""SmartForms: forms and their immutable versions, sharing, assignments to patients, answers, submissions.

A form's questions live in its versions (a JSON document of sections and questions, see
services/forms/schema.py). The newest version is the one the author edits, in place while
nothing uses it; once an assignment is pinned to it, the next edit writes a new version, so a
submission always renders with the exact questions it was filled against. Assignments and
submissions are clinical rows: they refer to their patient with ON DELETE RESTRICT, and a
merge moves them (services/patient_merge.py).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import CheckConstraint, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.charts import RecipientKind
from app.models.types import UTCDateTime, enum_type, utcnow

FORM_TITLE_LIMIT = 200
FORM_MESSAGE_LIMIT = 1000


class Form(SQLModel, table=True):
    """A questionnaire of its author's; its title is the newest version's, for the lists."""

    __tablename__: ClassVar[Any] = "forms"
    __table_args__ = (Index("ix_forms_author_updated", "author_id", "updated_at"),)

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="offices.id", index=True, ondelete="RESTRICT")  # where it was made
    author_id: int = Field(foreign_key="users.id", ondelete="RESTRICT")
    title: str = Field(max_length=FORM_TITLE_LIMIT)
    # Sharing options: the author sees every submission of the form (also other offices' patients');
    # the practitioners it is shared with see every submission too.
    author_sees_all: bool = False
    recipients_see_all: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class FormVersion(SQLModel, table=True):
    """The questions of a form as they were: never changed once an assignment uses the version."""

    __tablename__: ClassVar[Any] = "form_versions"
    __table_args__ = (UniqueConstraint("form_id", "number", name="uq_form_versions_number"),)

    id: int | None = Field(default=None, primary_key=True)
    form_id: int = Field(foreign_key="forms.id", index=True, ondelete="RESTRICT")
    number: int
    content: str = Field(sa_type=Text)  # the JSON schema: title, description, sections, questions
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class FormShare(SQLModel, table=True):
    """A practitioner or an office that may administer the form ("Allow other practitioners to have access")."""

    __tablename__: ClassVar[Any] = "form_shares"
    __table_args__ = (
        CheckConstraint(
            "(recipient_user_id IS NULL) != (recipient_office_id IS NULL)", name="ck_form_shares_one_recipient"
        ),
        UniqueConstraint("form_id", "recipient_user_id", name="uq_form_shares_user"),
        UniqueConstraint("form_id", "recipient_office_id", name="uq_form_shares_office"),
        Index("ix_form_shares_recipient_user", "recipient_user_id"),
        Index("ix_form_shares_recipient_office", "recipient_office_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    form_id: int = Field(foreign_key="forms.id", index=True, ondelete="CASCADE")
    recipient_kind: RecipientKind = Field(sa_type=enum_type(RecipientKind))
    recipient_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="CASCADE")
    recipient_office_id: int | None = Field(default=None, foreign_key="offices.id", ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AssignmentStatus(StrEnum):
    assigned = "assigned"  # nothing answered yet
    in_progress = "in_progress"  # answers saved, not submitted
    submitted = "submitted"


class FormAssignment(SQLModel, table=True):
    """A form given to a patient to fill in: by the clinic, or by an online booking (for the booking account)."""

    __tablename__: ClassVar[Any] = "form_assignments"
    __table_args__ = (
        Index("ix_form_assignments_patient", "patient_id", "created_at"),
        Index("ix_form_assignments_form", "form_id", "created_at"),
        Index("ix_form_assignments_portal_user", "portal_user_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="offices.id", index=True, ondelete="RESTRICT")
    patient_id: int = Field(foreign_key="patients.id", ondelete="RESTRICT")
    form_id: int = Field(foreign_key="forms.id", ondelete="RESTRICT")
    version_id: int = Field(foreign_key="form_versions.id", index=True, ondelete="RESTRICT")
    assigned_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="RESTRICT")
    # Made by an online booking: the booking's portal account fills it in, with or without an access code.
    portal_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="RESTRICT")
    appointment_id: int | None = Field(default=None, foreign_key="appointments.id", ondelete="SET NULL")
    due_date: date | None = None
    message: str = Field(default="", max_length=FORM_MESSAGE_LIMIT)
    status: AssignmentStatus = Field(default=AssignmentStatus.assigned, sa_type=enum_type(AssignmentStatus))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class FormAnswer(SQLModel, table=True):
    """One saved answer of a form being filled in (save and come back): the last write per question wins."""

    __tablename__: ClassVar[Any] = "form_answers"
    __table_args__ = (UniqueConstraint("assignment_id", "question_id", name="uq_form_answers_question"),)

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="form_assignments.id", ondelete="CASCADE")
    question_id: str = Field(max_length=40)
    value: str = Field(sa_type=Text)  # JSON
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")


class FormSubmission(SQLModel, table=True):
    """What was submitted, for good: the answers of the visible questions, against one version."""

    __tablename__: ClassVar[Any] = "form_submissions"

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="form_assignments.id", unique=True, ondelete="RESTRICT")
    office_id: int = Field(foreign_key="offices.id", index=True, ondelete="RESTRICT")
    patient_id: int = Field(foreign_key="patients.id", index=True, ondelete="RESTRICT")
    form_id: int = Field(foreign_key="forms.id", index=True, ondelete="RESTRICT")
    version_id: int = Field(foreign_key="form_versions.id", ondelete="RESTRICT")
    answers: str = Field(sa_type=Text)  # JSON: question id → answer
    submitted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    submitted_by_user_id: int = Field(foreign_key="users.id", ondelete="RESTRICT")
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reviewed_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="RESTRICT")


class ServiceBookingForm(SQLModel, table=True):
    """Online Booking Options: the form a patient fills in right after booking this service online."""

    __tablename__: ClassVar[Any] = "service_booking_forms"

    service_id: int = Field(foreign_key="services.id", primary_key=True, ondelete="CASCADE")
    office_id: int = Field(foreign_key="offices.id", index=True, ondelete="CASCADE")
    form_id: int = Field(foreign_key="forms.id", index=True, ondelete="RESTRICT")
    set_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    set_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
