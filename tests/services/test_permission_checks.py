"""Permission checks asked again in one transaction are read once (services/checks.py), and never
outlive a write, a commit or a change waiting to be flushed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import delete, event, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.models import AccountKind, Membership, Office, OfficeRole
from app.services import offices, permissions
from app.services.permissions import OfficeAction
from tests.factories import make_office, make_user, sign_in_as


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", seen)


def test_a_click_asks_its_membership_and_two_factor_once_however_often_they_are_checked(
    engine: Engine, db: Session
) -> None:
    owner, _ = sign_in_as(db, make_user(db))
    office = make_office(db, owner)
    db.commit()
    assert office.id is not None
    with counted(engine) as statements:
        offices.clinic_shell(db, owner)
        permissions.require(db, owner, office.id, OfficeAction.view_schedule)
        permissions.require(db, owner, office.id, OfficeAction.manage_schedule)
        assert permissions.can(db, owner, office.id, OfficeAction.view_office)
    asked = [s for s in statements if "FROM memberships" in s and "memberships.office_id =" in s]
    assert len(asked) == 1, statements


def test_a_write_in_the_transaction_is_seen_by_the_next_check(engine: Engine, db: Session) -> None:
    owner, _ = sign_in_as(db, make_user(db))
    office = make_office(db, owner)
    staff, _ = sign_in_as(db, make_user(db, "sam@example.com", AccountKind.staff))
    db.commit()
    assert office.id is not None
    assert permissions.membership(db, staff, office.id) is None
    # A change not flushed yet: the check reads (autoflush) instead of answering from memory.
    db.add(Membership(office_id=office.id, user_id=staff.user_id, role=OfficeRole.staff))
    assert permissions.membership(db, staff, office.id) is not None
    # A Core statement that writes forgets what was remembered.
    db.exec(delete(Membership).where(col(Membership.user_id) == staff.user_id))
    assert permissions.membership(db, staff, office.id) is None
    # So does a commit: another transaction may have changed it since.
    assert not permissions.two_factor_missing(db, owner.user_id, office.id)
    db.commit()
    with Session(engine) as other:
        other.exec(update(Office).where(col(Office.id) == office.id).values(require_two_factor=True))
        other.commit()
    assert permissions.two_factor_missing(db, owner.user_id, office.id)
    assert db.exec(select(Office.require_two_factor).where(Office.id == office.id)).one()
