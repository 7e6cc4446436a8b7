"""Documents: uploaded files, the office's labels, shares with patients and practitioners, stored bytes.

A document is filed either in the office's All Documents (`patient_id` None) or
in one patient's workspace. Its bytes are stored once per content hash
(services/documents/storage.py): on disk under data/files/, or in the
`stored_files` / `stored_file_chunks` tables when several app machines share
the database. Documents are clinical rows: they refer to their patient with
ON DELETE RESTRICT and are deleted softly (`deleted_at`), never removed.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import BigInteger, CheckConstraint, Column, ForeignKey, Index, LargeBinary, String, text
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, enum_type, utcnow

DOCUMENT_NAME_LIMIT = 200
LABEL_NAME_LIMIT = 40


class DocumentOrigin(StrEnum):
    clinic = "clinic"  # uploaded by the office's people
    patient = "patient"  # uploaded from the patient portal ("From the patient")


class Document(SQLModel, table=True):
    __tablename__: ClassVar[Any] = "documents"
    __table_args__ = (
        Index("ix_documents_office_filed", "office_id", "patient_id", "uploaded_at"),
        Index("ix_documents_patient_uploaded", "patient_id", "uploaded_at", "id"),
        Index("ix_documents_uploader", "uploaded_by_user_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="offices.id", ondelete="RESTRICT")
    # None: filed in the office's All Documents; else in this patient's workspace.
    patient_id: int | None = Field(default=None, foreign_key="patients.id", ondelete="RESTRICT")
    name: str = Field(max_length=DOCUMENT_NAME_LIMIT)
    search_name: str = Field(default="", max_length=DOCUMENT_NAME_LIMIT)  # lower case, for the search
    content_type: str = Field(max_length=100)  # judged from the content, never from the name
    size: int = Field(sa_type=BigInteger)
    sha256: str = Field(max_length=64)
    thumbnail_sha256: str | None = Field(default=None, max_length=64)
    preview_sha256: str | None = Field(default=None, max_length=64)  # a large image: a PDF's first page, a HEIC photo
    page_count: int | None = None
    origin: DocumentOrigin = Field(default=DocumentOrigin.clinic, sa_type=enum_type(DocumentOrigin))
    uploaded_by_user_id: int = Field(foreign_key="users.id", ondelete="RESTRICT")
    uploaded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    deleted_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="RESTRICT")


class DocumentLabel(SQLModel, table=True):
    """An ordinary label (for filing), shared by the whole office."""

    __tablename__: ClassVar[Any] = "document_labels"
    __table_args__ = (Index("uq_document_labels_office_key", "office_id", "name_key", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="offices.id", ondelete="CASCADE")
    name: str = Field(max_length=LABEL_NAME_LIMIT)
    name_key: str = Field(max_length=LABEL_NAME_LIMIT)  # lower case: one "Lab results" per office
    color: str = Field(max_length=20)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class DocumentLabelLink(SQLModel, table=True):
    __tablename__: ClassVar[Any] = "document_label_links"
    __table_args__ = (Index("ix_document_label_links_label", "label_id", "document_id"),)

    document_id: int = Field(foreign_key="documents.id", primary_key=True, ondelete="CASCADE")
    label_id: int = Field(foreign_key="document_labels.id", primary_key=True, ondelete="CASCADE")


class DocumentShare(SQLModel, table=True):
    """A document shared with a patient (Patient Share Label) or a practitioner (Practitioner Share Label).

    Unsharing keeps the row (`removed_at`): who shared what with whom stays known."""

    __tablename__: ClassVar[Any] = "document_shares"
    __table_args__ = (
        CheckConstraint("(patient_id IS NULL) != (recipient_user_id IS NULL)", name="ck_document_shares_one_recipient"),
        Index(
            "uq_document_shares_live_patient",
            "document_id",
            "patient_id",
            unique=True,
            sqlite_where=text("removed_at IS NULL AND patient_id IS NOT NULL"),
            postgresql_where=text("removed_at IS NULL AND patient_id IS NOT NULL"),
        ),
        Index(
            "uq_document_shares_live_user",
            "document_id",
            "recipient_user_id",
            unique=True,
            sqlite_where=text("removed_at IS NULL AND recipient_user_id IS NOT NULL"),
            postgresql_where=text("removed_at IS NULL AND recipient_user_id IS NOT NULL"),
        ),
        Index("ix_document_shares_patient", "patient_id"),
        Index("ix_document_shares_recipient", "recipient_user_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="documents.id", index=True, ondelete="RESTRICT")
    patient_id: int | None = Field(default=None, foreign_key="patients.id", ondelete="RESTRICT")
    recipient_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="RESTRICT")
    shared_by_user_id: int = Field(foreign_key="users.id", ondelete="RESTRICT")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    removed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    removed_by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="RESTRICT")


class StoredFile(SQLModel, table=True):
    """The database file store: one row per content hash (its bytes are in stored_file_chunks)."""

    __tablename__: ClassVar[Any] = "stored_files"

    sha256: str = Field(sa_column=Column(String(64), primary_key=True))
    size: int = Field(sa_type=BigInteger)
    chunks: int
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class StoredFileChunk(SQLModel, table=True):
    __tablename__: ClassVar[Any] = "stored_file_chunks"

    sha256: str = Field(
        sa_column=Column(String(64), ForeignKey("stored_files.sha256", ondelete="CASCADE"), primary_key=True)
    )
    seq: int = Field(primary_key=True)
    data: bytes = Field(sa_type=LargeBinary)
