"""The calendar's version: every write to an office's schedule moves it. Open calendars compare
it with the version they show to know when to redraw; the write also bumps the office's live
topic, which is how open calendars hear of it (services/live_versions.py, app/live/)."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, update

from app.models import CalendarVersion
from app.services import live_versions


def bump_calendar(db: Session, office_id: int) -> None:
    """Tell every open calendar of the office that something changed."""
    insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.execute(insert(CalendarVersion).values(office_id=office_id, version=0).on_conflict_do_nothing())
    db.exec(
        update(CalendarVersion)
        .where(col(CalendarVersion.office_id) == office_id)
        .values(version=CalendarVersion.version + 1)
    )
    live_versions.bump(db, live_versions.calendar_topic(office_id))


def calendar_version(db: Session, office_id: int) -> int:
    row = db.get(CalendarVersion, office_id)
    return row.version if row else 0
