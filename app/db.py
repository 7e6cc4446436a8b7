"""Database engine and the one-transaction-per-action unit of work.

SQLite gets WAL, a busy timeout and foreign keys on every connection, and every
transaction starts with BEGIN IMMEDIATE so that a check-then-write (a free slot,
a throttle counter) cannot interleave with another writer. PostgreSQL uses the
same code; its constraints do the same job there.

A unit of work opened `read_only` (a page's background poll) starts a plain
BEGIN instead and sets `query_only`: in WAL mode it reads a snapshot without
waiting for, or holding up, the writer, and any write in it fails at once.
On PostgreSQL it is a READ ONLY transaction.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from app.settings import get_settings

SQLITE_BUSY_TIMEOUT_MS = 10_000
READ_ONLY = "praxis_read_only"  # an execution option of the engine a read-only unit of work binds to
_AFTER_COMMIT = "praxis_after_commit"
log = logging.getLogger("praxis.db")


def on_commit(db: Session, effect: Callable[[], None]) -> None:
    """Run `effect` once this unit of work has committed (never if it rolls back).

    For side effects that must follow the data: waking the mail worker, pushing a live update.
    Effects run in the thread that ran the unit of work; they must be quick and thread-safe."""
    db.info.setdefault(_AFTER_COMMIT, []).append(effect)


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
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Let SQLAlchemy's "begin" event below issue BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("PRAGMA query_only=ON")
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("PRAGMA query_only=OFF")
            connection.exec_driver_sql("BEGIN IMMEDIATE")


@functools.cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


@contextmanager
def unit_of_work(engine: Engine | None = None, *, read_only: bool = False) -> Iterator[Session]:
    """One transaction: commits when the block ends, rolls back on any error."""
    bind = engine or get_engine()
    if read_only:
        options = {"postgresql_readonly": True} if bind.dialect.name == "postgresql" else {READ_ONLY: True}
        bind = bind.execution_options(**options)
    with Session(bind, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException as error:
            if getattr(error, "keeps_writes", False):
                session.commit()
                _run_after_commit(session)
            else:
                session.info.pop(_AFTER_COMMIT, None)
                session.rollback()
            raise
        _run_after_commit(session)
