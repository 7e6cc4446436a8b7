"""Column types shared by every table."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum

from sqlalchemy import DateTime
from sqlalchemy import Enum as SAEnum
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database.

    SQLite has no time zones: values are stored as naive UTC and come back
    aware, so Python code only ever sees aware UTC datetimes.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def result_processor(self, dialect, coltype):
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)

        # SQLite returns the text it stored: parse it straight to an aware datetime (every row of
        # every list reads these; the default path parses, then replaces the zone, both in Python).
        def process(value: str | None) -> datetime | None:
            return None if value is None else _from_sqlite_text(value)

        return process

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utc_from_row(value: datetime | str) -> datetime:
    """A UTC column read without its type (a hot query's plain columns): SQLite gives its text,
    PostgreSQL an aware datetime. Aware UTC either way, as UTCDateTime would return it."""
    if isinstance(value, str):
        return _from_sqlite_text(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _from_sqlite_text(value: str) -> datetime:
    """SQLite's stored text ('2026-12-07 14:00:00.000000', naive UTC) as an aware datetime.
    Parsed with its offset: `.replace(tzinfo=...)` costs five times the parse itself."""
    try:
        return datetime.fromisoformat(value + "+00:00")
    except ValueError:  # text written by hand with its own offset ('…+00:00', as sqlite3 writes an aware datetime)
        parsed = datetime.fromisoformat(value)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def enum_type(enum_class: type[Enum]) -> SAEnum:
    """Store an enum as its value in a short VARCHAR (no native database enum to migrate)."""
    return SAEnum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=20,
        values_callable=lambda members: [member.value for member in members],
    )
