"""The current time, in one place so tests can pass their own."""

from __future__ import annotations

from datetime import datetime

from app.models.types import utcnow


def now_or(now: datetime | None) -> datetime:
    return now if now is not None else utcnow()
