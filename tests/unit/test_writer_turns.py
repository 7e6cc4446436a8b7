"""SQLite writers of one process take turns on a lock (app/db.py), instead of SQLite's busy polling."""

from __future__ import annotations

import threading
from contextlib import nullcontext
from pathlib import Path

from sqlalchemy import create_engine, event, text

from app.db import make_engine, unit_of_work, writer_turn


def _engine(tmp_path: Path):
    engine = make_engine(f"sqlite:///{tmp_path / 'turns.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE marks (who TEXT)"))
    return engine


def test_a_second_writer_waits_for_its_turn_before_it_begins(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    began: list[str] = []  # who sent BEGIN (IMMEDIATE), recorded before SQLite makes it wait

    @event.listens_for(engine, "before_cursor_execute")
    def _sent(_connection, _cursor, statement: str, *_args: object) -> None:
        if statement.startswith("BEGIN"):
            began.append(threading.current_thread().name)

    first_in, release = threading.Event(), threading.Event()

    def first() -> None:
        with unit_of_work(engine) as db:
            db.execute(text("INSERT INTO marks VALUES ('first')"))
            first_in.set()
            release.wait(10)

    def second() -> None:
        with unit_of_work(engine) as db:
            db.execute(text("INSERT INTO marks VALUES ('second')"))

    one = threading.Thread(target=first, name="first")
    two = threading.Thread(target=second, name="second")
    one.start()
    assert first_in.wait(10)
    two.start()
    two.join(0.3)
    # Still waiting, and waiting in Python: it has not even sent BEGIN (SQLite would poll for it).
    assert two.is_alive() and began == ["first"]
    release.set()
    one.join(10)
    two.join(10)
    assert began == ["first", "second"]
    with engine.connect() as connection:
        assert connection.execute(text("SELECT who FROM marks ORDER BY rowid")).scalars().all() == ["first", "second"]


def test_readers_do_not_wait_for_a_writers_turn(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    with unit_of_work(engine) as db:
        db.execute(text("INSERT INTO marks VALUES ('kept')"))
    inside, release, read = threading.Event(), threading.Event(), []

    def writer() -> None:
        with unit_of_work(engine) as db:
            db.execute(text("INSERT INTO marks VALUES ('pending')"))
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    assert inside.wait(10)
    try:

        def reader() -> None:
            with unit_of_work(engine, read_only=True) as db:
                read.extend(db.execute(text("SELECT who FROM marks")).scalars().all())

        reading = threading.Thread(target=reader)
        reading.start()
        reading.join(5)
        assert not reading.is_alive() and read == ["kept"]  # the snapshot before the writer's change
    finally:
        release.set()
        thread.join(10)


def test_a_thread_inside_its_turn_may_open_another_unit_of_work(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    with writer_turn(engine), unit_of_work(engine, read_only=True) as db:
        assert db.execute(text("SELECT count(*) FROM marks")).scalar_one() == 0


def test_postgresql_writers_take_no_turns() -> None:
    engine = create_engine("postgresql+psycopg://praxis@localhost/none")  # never connected
    assert isinstance(writer_turn(engine), nullcontext)
