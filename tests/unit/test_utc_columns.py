"""UTC columns on SQLite: the stored text comes back as an aware UTC datetime, whatever its precision."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, select, text

from app.models.types import UTCDateTime, utc_from_row

ROWS = Table("moments", MetaData(), Column("id", Integer, primary_key=True), Column("at", UTCDateTime()))


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("2026-12-07 14:00:00.000000", datetime(2026, 12, 7, 14, 0, tzinfo=UTC)),
        ("2026-12-07 14:00:00.000250", datetime(2026, 12, 7, 14, 0, 0, 250, tzinfo=UTC)),
        ("2026-12-07 14:00:00", datetime(2026, 12, 7, 14, 0, tzinfo=UTC)),  # CURRENT_TIMESTAMP's text
        # An aware datetime written by hand (sqlite3 keeps its offset in the text)
        ("2026-12-07 14:00:00.000250+00:00", datetime(2026, 12, 7, 14, 0, 0, 250, tzinfo=UTC)),
        ("2026-12-07 09:00:00-05:00", datetime(2026, 12, 7, 14, 0, tzinfo=UTC)),
    ],
)
def test_sqlite_text_reads_as_an_aware_utc_instant(tmp_path: Path, stored: str, expected: datetime) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'moments.db'}")
    ROWS.create(engine)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO moments (id, at) VALUES (1, :at)"), {"at": stored})
        read = connection.execute(select(ROWS.c.at)).scalar_one()
    assert read == expected and read.tzinfo is UTC


def test_a_written_instant_reads_back_equal_from_any_zone(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'moments.db'}")
    ROWS.create(engine)
    toronto_evening = datetime(2026, 12, 7, 19, 30, 5, 17, tzinfo=timezone(timedelta(hours=-5)))
    with engine.begin() as connection:
        connection.execute(insert(ROWS).values(id=1, at=toronto_evening))
        stored = connection.execute(text("SELECT at FROM moments")).scalar_one()
        read = connection.execute(select(ROWS.c.at)).scalar_one()
    assert stored == "2026-12-08 00:30:05.000017"  # naive UTC text
    assert read == toronto_evening and read.tzinfo is UTC


def test_a_plain_column_value_becomes_aware_utc() -> None:
    assert utc_from_row("2026-12-07 14:00:00.000000") == datetime(2026, 12, 7, 14, 0, tzinfo=UTC)
    naive = datetime(2026, 12, 7, 14, 0)
    assert utc_from_row(naive).tzinfo is UTC and utc_from_row(naive) == naive.replace(tzinfo=UTC)
    toronto = datetime(2026, 12, 7, 9, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert utc_from_row(toronto) == toronto and utc_from_row(toronto).tzinfo is UTC
