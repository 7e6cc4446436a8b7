"""The calendar's version: every write to an office's schedule moves it, and every open calendar
of the office polls it (one cheap read) to know when to redraw."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, update

from app.models import CalendarVersion


def bump_calendar(db: Session, office_id: int) -> None:
    """Tell every open calendar of the office that something changed."""
    insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.execute(insert(CalendarVersion).values(office_id=office_id, version=0).on_conflict_do_nothing())
    db.exec(
        update(CalendarVersion)
        .where(col(CalendarVersion.office_id) == office_id)
        .values(version=CalendarVersion.version + 1)
    )


def calendar_version(db: Session, office_id: int) -> int:
    row = db.get(CalendarVersion, office_id)
    return row.version if row else 0
