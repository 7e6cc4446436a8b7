"""Database engine and the one-transaction-per-action unit of work.

SQLite gets WAL, a busy timeout and foreign keys on every connection, and every
transaction starts with BEGIN IMMEDIATE so that a check-then-write (a free slot,
a throttle counter) cannot interleave with another writer. PostgreSQL uses the
same code; its constraints do the same job there.

A unit of work opened `read_only` (a page's background poll) starts a plain
BEGIN instead and sets `query_only`: in WAL mode it reads a snapshot without
waiting for, or holding up, the writer, and any write in it fails at once.
On PostgreSQL it is a READ ONLY transaction.

On SQLite the writing units of work of one process also take turns on a lock
of their own before BEGIN IMMEDIATE: SQLite would make them wait by polling
with growing sleeps (up to 100 ms between tries), so a writer often slept on
long after the lock was free; a thread waiting on a Python lock wakes as soon
as it is released. SQLite's busy timeout still covers other processes.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from app.settings import get_settings

SQLITE_BUSY_TIMEOUT_MS = 10_000
READ_ONLY = "praxis_read_only"  # an execution option of the engine a read-only unit of work binds to
_AFTER_COMMIT = "praxis_after_commit"
_ON_FAILURE = "praxis_on_failure"
log = logging.getLogger("praxis.db")


def on_commit(db: Session, effect: Callable[[], None]) -> None:
    """Run `effect` once this unit of work has committed (never if it rolls back).

    For side effects that must follow the data: waking the mail worker, pushing a live update.
    Effects run in the thread that ran the unit of work; they must be quick and thread-safe."""
    db.info.setdefault(_AFTER_COMMIT, []).append(effect)


def keep_on_failure(db: Session, write: Callable[[Session], object]) -> None:
    """A write that must land although the action fails (a throttle strike, a failed attempt's
    audit entry): the action is rolled back whole, then `write` runs in its own short transaction.

    Only these writes survive a failure; everything else the action did is undone."""
    db.info.setdefault(_ON_FAILURE, []).append(write)


def fail(db: Session) -> None:
    """Roll a failed action back, then commit its keep_on_failure writes on their own."""
    writes = db.info.pop(_ON_FAILURE, [])
    db.info.pop(_AFTER_COMMIT, None)
    db.rollback()
    if not writes:
        return
    try:
        for write in writes:
            write(db)
        db.commit()
    except Exception:
        db.rollback()
        log.exception("Could not keep the writes of a failed action")
        return
    _run_after_commit(db)


def succeed(db: Session) -> None:
    """Commit an action, then run its after-commit effects (its keep_on_failure writes are not needed)."""
    db.info.pop(_ON_FAILURE, None)
    db.commit()
    _run_after_commit(db)


def _run_after_commit(db: Session) -> None:
    for effect in db.info.pop(_AFTER_COMMIT, []):
        try:
            effect()
        except Exception:  # the data is committed; a failed nudge must not turn it into an error
            log.exception("An after-commit effect failed")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("PRAGMA query_only=ON")
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("PRAGMA query_only=OFF")
            connection.exec_driver_sql("BEGIN IMMEDIATE")


_WRITER_TURNS: dict[str, threading.RLock] = {}
_WRITER_TURNS_GUARD = threading.Lock()


def writer_turn(engine: Engine) -> AbstractContextManager[object]:
    """A writing unit of work's turn at a SQLite database, for this process (see above); nothing
    to wait for on PostgreSQL. Re-entrant: a thread inside its turn never waits on itself."""
    if engine.dialect.name != "sqlite":
        return nullcontext()
    with _WRITER_TURNS_GUARD:
        return _WRITER_TURNS.setdefault(str(engine.url), threading.RLock())


@functools.cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


@contextmanager
def unit_of_work(engine: Engine | None = None, *, read_only: bool = False) -> Iterator[Session]:
    """One transaction: commits when the block ends; on any error rolls back, keeping only the
    writes registered with keep_on_failure."""
    bind = engine or get_engine()
    if read_only:
        options = {"postgresql_readonly": True} if bind.dialect.name == "postgresql" else {READ_ONLY: True}
        bind = bind.execution_options(**options)
    with nullcontext() if read_only else writer_turn(bind), Session(bind, expire_on_commit=False) as session:
        try:
            yield session
        except BaseException:
            fail(session)
            raise
        succeed(session)
