"""The unit of work: a read-only one (a page's background poll) reads without waiting for a writer,
and cannot write; an ordinary one still takes the write lock first on SQLite."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from app.db import keep_on_failure, on_commit, unit_of_work
from app.models import CalendarVersion
from app.services.scheduling.calendar_changes import bump_calendar, calendar_version
from tests.factories import make_office, make_user, sign_in_as


@pytest.fixture
def office_id(db: Session) -> int:
    owner, _ = sign_in_as(db, make_user(db))
    office = make_office(db, owner)
    bump_calendar(db, office.id)  # type: ignore[arg-type]
    db.commit()
    return office.id  # type: ignore[return-value]


def test_a_read_only_unit_reads_while_a_writer_holds_its_transaction(engine: Engine, office_id: int) -> None:
    writer_started, release = threading.Event(), threading.Event()

    def writer() -> None:
        with unit_of_work(engine) as db:
            bump_calendar(db, office_id)
            db.flush()  # the row is written (and on SQLite the write lock held) until commit
            writer_started.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert writer_started.wait(10)
        started = time.monotonic()
        with unit_of_work(engine, read_only=True) as db:
            seen = calendar_version(db, office_id)
        waited = time.monotonic() - started
    finally:
        release.set()
        thread.join(10)
    assert seen == 1  # the committed version: the writer's bump is not visible yet
    assert waited < 1.0, f"the read waited {waited:.2f}s for the writer"
    with unit_of_work(engine, read_only=True) as db:
        assert calendar_version(db, office_id) == 2


def test_a_read_only_unit_refuses_to_write(engine: Engine, office_id: int) -> None:
    with pytest.raises(DBAPIError), unit_of_work(engine, read_only=True) as db:
        bump_calendar(db, office_id)
        db.flush()
    with unit_of_work(engine) as db:  # the same pooled connection writes again afterwards
        bump_calendar(db, office_id)
    with Session(engine) as check:
        assert check.exec(select(CalendarVersion.version)).one() == 2


def test_an_ordinary_unit_waits_for_the_writer_on_sqlite_only(engine: Engine, office_id: int) -> None:
    writer_started = threading.Event()

    def writer() -> None:
        with unit_of_work(engine) as db:
            bump_calendar(db, office_id)
            db.flush()
            writer_started.set()
            time.sleep(0.4)

    thread = threading.Thread(target=writer)
    thread.start()
    assert writer_started.wait(10)
    started = time.monotonic()
    with unit_of_work(engine) as db:
        seen = calendar_version(db, office_id)
    waited = time.monotonic() - started
    thread.join(10)
    if engine.dialect.name == "sqlite":  # BEGIN IMMEDIATE: one writer at a time, the check sees its write
        assert seen == 2 and waited >= 0.2
    else:  # PostgreSQL locks rows, not the database: a plain read does not wait
        assert seen == 1 and waited < 0.2


def test_after_commit_effects_run_once_the_data_is_committed(engine: Engine, office_id: int) -> None:
    seen: list[int] = []

    def read_version() -> None:  # runs after commit: a fresh connection sees the new version
        with unit_of_work(engine, read_only=True) as other:
            seen.append(calendar_version(other, office_id))

    with unit_of_work(engine) as db:
        before = calendar_version(db, office_id)
        bump_calendar(db, office_id)
        on_commit(db, read_version)
        assert seen == []  # not while the transaction is open
    assert seen == [before + 1]


def test_after_commit_effects_are_dropped_when_the_unit_rolls_back(engine: Engine, office_id: int) -> None:
    ran: list[str] = []
    with pytest.raises(RuntimeError), unit_of_work(engine) as db:
        bump_calendar(db, office_id)
        on_commit(db, lambda: ran.append("effect"))
        raise RuntimeError("the action failed")
    assert ran == []


def test_queued_mail_wakes_the_delivery_once_committed(engine: Engine, office_id: int) -> None:
    from app.services import mail

    woken: list[str] = []
    mail.on_new_mail(lambda: woken.append("wake"))
    try:
        with unit_of_work(engine) as db:
            mail.enqueue(db, "ada@example.com", "Hello", "Body")
            assert woken == []
        assert woken == ["wake"]
    finally:
        mail._wakers.clear()


def test_a_failed_action_keeps_only_its_keep_on_failure_writes(engine: Engine, office_id: int) -> None:
    with unit_of_work(engine, read_only=True) as db:
        before = calendar_version(db, office_id)
    with pytest.raises(RuntimeError), unit_of_work(engine) as db:
        bump_calendar(db, office_id)  # the action's own write: rolled back
        keep_on_failure(db, lambda again: (bump_calendar(again, office_id), bump_calendar(again, office_id)))
        raise RuntimeError("refused")
    with unit_of_work(engine, read_only=True) as db:
        assert calendar_version(db, office_id) == before + 2  # only the kept writes, in their own transaction
    with unit_of_work(engine) as db:  # on success they are not needed
        bump_calendar(db, office_id)
        keep_on_failure(db, lambda again: bump_calendar(again, office_id))
    with unit_of_work(engine, read_only=True) as db:
        assert calendar_version(db, office_id) == before + 3
