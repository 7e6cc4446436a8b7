"""Answers to permission checks, remembered for the rest of one transaction.

A calendar click asks whether the actor is a member of the office, and whether the office wants a
two-factor sign-in they lack, three or four times in one transaction: for the page's shell, for its
capabilities, and again in the service that reads the week. The answer cannot change within the
transaction unless it writes, so it is read once: any write (a flush, a statement that is not a
SELECT), commit or rollback forgets every remembered answer, and nothing is remembered while the
session holds changes not yet flushed.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession

T = TypeVar("T")
_REMEMBERED = "praxis_remembered_checks"


def remembered(db: OrmSession, key: Hashable, read: Callable[[], T]) -> T:
    if db.new or db.dirty or db.deleted:
        forget(db)
        return read()
    answers: dict[Hashable, Any] = db.info.setdefault(_REMEMBERED, {})
    if key not in answers:
        answers[key] = read()
    return answers[key]


def forget(db: OrmSession, *_: object) -> None:
    db.info.pop(_REMEMBERED, None)


def _forget_on_write(state: ORMExecuteState) -> None:
    if not state.is_select:
        forget(state.session)


event.listen(OrmSession, "after_flush", forget)
event.listen(OrmSession, "after_commit", forget)
event.listen(OrmSession, "after_rollback", forget)
event.listen(OrmSession, "after_soft_rollback", forget)
event.listen(OrmSession, "do_orm_execute", _forget_on_write)
