"""The one way a value from the browser becomes a row id.

Any event handler can be called by a hand-made message with any arguments, so
an id arrives as anything: "12", 12, "²" (passes str.isdigit(), fails int()),
"٣" (int() reads it as 3), " 1", "1e3", True, None, a list, 10**30 (too big
for the database). Only a plain ASCII decimal without leading zeros, or a real
int (not a bool), from 1 to 2**63-1 is an id; everything else gets the same
answer as an id that does not exist: NotFound.

The other way round, for the type checker: `saved_id(row)` is the id of a row that has been saved
(an int, never the None of a row not flushed yet) and `pk(Model.id)` a primary-key column in a query,
whose values are ints.
"""

from __future__ import annotations

import re
from typing import Protocol, cast

from sqlalchemy.orm import Mapped
from sqlmodel import col

from app.services.errors import NotFound

MAX_ID = 2**63 - 1  # BIGINT on PostgreSQL, INTEGER on SQLite
_DECIMAL = re.compile(r"[1-9][0-9]{0,18}")  # [0-9], not \d: \d matches every script's digits


def parse_id(value: object, message: str | None = None) -> int:
    """The id `value` names, or NotFound (with `message`, the caller's "missing" wording)."""
    if isinstance(value, bool):
        raise NotFound(message)
    if isinstance(value, int):
        number = int(value)  # an int subclass (IntEnum) becomes a plain int
    elif isinstance(value, str) and _DECIMAL.fullmatch(value):
        number = int(value)
    else:
        raise NotFound(message)
    if not 1 <= number <= MAX_ID:
        raise NotFound(message)
    return number


def optional_id(value: object, message: str | None = None) -> int | None:
    """None for "no choice" ("" or None, as a select's "any" sends it), otherwise `parse_id`."""
    if value is None or value == "":
        return None
    return parse_id(value, message)


def is_id(value: object) -> bool:
    try:
        parse_id(value)
    except NotFound:
        return False
    return True


class HasId(Protocol):
    id: int | None


def saved_id(row: HasId) -> int:
    """The id of a row that has been saved (added and flushed, or loaded): an int, never None."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id yet: flush it first")
    return row.id


def pk(column: int | None) -> Mapped[int]:
    """A primary-key column in a query, typed as int: a stored row's id is never NULL (`col` keeps None)."""
    return cast("Mapped[int]", col(column))
