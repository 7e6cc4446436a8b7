"""Version counters that open pages follow (app/live/): one row per topic, bumped in the
transaction that changes what the topic covers."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlmodel import Field, SQLModel


class LiveVersion(SQLModel, table=True):
    """A topic ("calendar:7", "office:7", "user:12") and how many times it changed."""

    __tablename__: ClassVar[Any] = "live_versions"

    topic: str = Field(primary_key=True, max_length=80)
    version: int = 0
