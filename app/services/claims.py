"""Work done once across several workers: a row whose unique key names the work is the claim."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel


def insert_once(db: Session, claim: SQLModel) -> bool:
    """Insert `claim` in a savepoint; False when its unique key is already taken (another worker's,
    which waits on the database until that worker commits or rolls back)."""
    try:
        with db.begin_nested():
            db.add(claim)
            db.flush()
    except IntegrityError:
        return False
    return True
