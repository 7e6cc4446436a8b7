"""Share PINs for offices and practitioners.

Eight characters from Crockford's alphabet (no I, L, O, U: nothing to misread
aloud), 40 random bits, shown as two groups of four.
"""

from __future__ import annotations

import secrets

from sqlmodel import Session, select

from app.models import Office, User

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_pin() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def unique_pin(db: Session, table: type[User] | type[Office]) -> str:
    """A PIN not yet used in the table (the unique index is the final guard)."""
    while True:
        pin = new_pin()
        if db.exec(select(table).where(table.share_pin == pin)).first() is None:
            return pin
