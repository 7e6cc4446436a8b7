"""Shared fixtures: a fresh database per test, on SQLite or on PostgreSQL.

SQLite (default): the schema is built once by the Alembic migrations into a
template file, and each test gets its own copy. PostgreSQL: when
PRAXIS_TEST_DATABASE_URL is set, the migrations run once against it and each
test starts from empty tables.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, SQLModel

import app.models  # noqa: F401
from app.db import make_engine
from app.services.scheduling import shared_grids
from app.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
BASE_POSTGRES_URL = os.environ.get("PRAXIS_TEST_DATABASE_URL", "")
# Under pytest-xdist each worker gets a database of its own on the same server.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
TEST_BCRYPT_ROUNDS = 4  # production uses 12; a test of the default proves that


def migrate(url: str) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["database_url"] = url
    command.upgrade(config, "head")


def _worker_database(base_url: str, worker: str) -> str:
    """A fresh database named after the xdist worker; the base URL when not under xdist."""
    if not base_url or not worker:
        return base_url
    url = make_url(base_url)
    name = f"praxis_test_{worker}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


POSTGRES_URL = _worker_database(BASE_POSTGRES_URL, XDIST_WORKER)


@pytest.fixture(scope="session")
def _database_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    if POSTGRES_URL:
        engine = make_engine(POSTGRES_URL)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        migrate(POSTGRES_URL)
        return POSTGRES_URL
    template = tmp_path_factory.mktemp("db") / "template.db"
    migrate(f"sqlite:///{template}")
    return str(template)


_reset_sql: list[str] = []  # built once per worker: the tables and sequences do not change


def _postgres_reset_sql(connection: Connection) -> str:
    """Empties every table and restarts every id sequence, in one round trip. DELETE, children
    first, rather than TRUNCATE: a TRUNCATE costs each table a new file, most of them empty here
    (0.2-0.3 s a test against 0.03 s, measured)."""
    if not _reset_sql:
        deletes = [f'DELETE FROM "{table.name}";' for table in reversed(SQLModel.metadata.sorted_tables)]
        query = "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"
        restarts = [f'ALTER SEQUENCE "{name}" RESTART;' for (name,) in connection.exec_driver_sql(query)]
        _reset_sql.append("\n".join(deletes + restarts))
    return _reset_sql[0]


@pytest.fixture
def engine(_database_template: str, tmp_path: Path) -> Iterator[Engine]:
    if POSTGRES_URL:
        engine = make_engine(POSTGRES_URL)
        with engine.begin() as connection:
            connection.exec_driver_sql(_postgres_reset_sql(connection))
    else:
        path = tmp_path / "praxis.db"
        shutil.copyfile(_database_template, path)
        engine = make_engine(f"sqlite:///{path}")
    shared_grids.SHARED.clear()  # its keys (office ids, versions) start again with every database
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session for arranging and checking; services get it as their `db`."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def settings(tmp_path: Path, engine: Engine) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=str(engine.url),
        secret_key=b"test-secret-key",
        base_url="http://praxis.test",
        mail_from="Praxis <no-reply@praxis.test>",
        smtp=None,
        bcrypt_rounds=TEST_BCRYPT_ROUNDS,
    )


@pytest.fixture
def world(db: Session, settings: Settings):  # type: ignore[no-untyped-def]
    """Two offices with owner, practitioner and staff, patients, and a family's portal account (tests/world.py)."""
    from tests.world import build_world

    return build_world(db, settings)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL only the tests that use the test database run (`engine`, and the fixtures
    built on it: db, settings, world). The others (pure logic, or their own SQLite file) ran in
    the SQLite pass and would prove nothing new here; they are deselected, not skipped."""
    if not BASE_POSTGRES_URL:
        return
    kept = [item for item in items if "engine" in getattr(item, "fixturenames", ())]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept
