"""No double booking, enforced by the database: many clients racing for one slot."""

from __future__ import annotations

import itertools
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.db import unit_of_work
from app.models import Appointment, AppointmentStatus
from app.services import sessions
from app.services.errors import Conflict
from app.services.scheduling import appointments
from tests.world import World

START = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


@pytest.fixture
def race(world: World) -> dict:
    """Maple's owner books (and is booked) for 20 patients; a service nobody is ticked for."""
    service = world.add_service(world.maple, "Consultation", 30)
    patients = [world.add_patient(world.maple, f"P{i}", "Race") for i in range(20)]
    # Plain ids: ORM objects would reload through `db` and hold SQLite's write lock.
    return {
        "office_id": world.maple.office_id,
        "practitioner_id": world.maple.owner.user_id,
        "token": world.token(world.maple.owner),
        "service_id": service.id,
        "patient_ids": [p.id for p in patients],
    }


def _book(engine: Engine, race: dict, patient_id: int, starts_at: datetime) -> None:
    with unit_of_work(engine) as db:
        actor = sessions.resolve(db, race["token"], touch=False)
        assert actor is not None
        appointments.book(
            db,
            actor,
            race["office_id"],
            practitioner_id=race["practitioner_id"],
            patient_id=patient_id,
            service_id=race["service_id"],
            starts_at=starts_at,
        )


def _race(engine: Engine, race: dict, starts: list[datetime]) -> tuple[int, int, list[BaseException]]:
    barrier = threading.Barrier(len(starts))
    outcomes: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        barrier.wait()
        try:
            _book(engine, race, race["patient_ids"][index], starts[index])
            result = "ok"
        except Conflict:
            result = "conflict"
        except BaseException as error:  # anything else is a failure of the test
            with lock:
                errors.append(error)
            return
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(starts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes.count("ok"), outcomes.count("conflict"), errors


def test_twenty_clients_racing_for_one_slot_give_exactly_one_appointment(engine: Engine, db: Session, race) -> None:
    ok, conflicts, errors = _race(engine, race, [START] * 20)
    assert errors == []
    assert (ok, conflicts) == (1, 19)
    live = db.exec(select(Appointment).where(Appointment.status != AppointmentStatus.cancelled)).all()
    assert len(live) == 1


def test_overlapping_but_different_starts_also_race_safely(engine: Engine, db: Session, race) -> None:
    # 30-minute visits starting 0, 5, 10 … 95 minutes apart: they overlap in chains.
    starts = [START + timedelta(minutes=5 * i) for i in range(20)]
    ok, conflicts, errors = _race(engine, race, starts)
    assert errors == []
    assert ok + conflicts == 20
    live = sorted(db.exec(select(Appointment)).all(), key=lambda a: a.starts_at)
    assert len(live) == ok >= 1
    for earlier, later in itertools.pairwise(live):
        assert earlier.ends_at <= later.starts_at  # never overlapping


def test_a_cancelled_appointment_frees_its_slot(engine: Engine, db: Session, race) -> None:
    _book(engine, race, race["patient_ids"][0], START)
    with pytest.raises(Conflict):
        _book(engine, race, race["patient_ids"][1], START + timedelta(minutes=15))
    first_id = db.exec(select(Appointment.id)).one()
    db.rollback()  # end the read: on SQLite every transaction holds the write lock
    with unit_of_work(engine) as session:
        actor = sessions.resolve(session, race["token"], touch=False)
        appointments.set_status(session, actor, first_id, AppointmentStatus.cancelled)  # type: ignore[arg-type]
    _book(engine, race, race["patient_ids"][1], START + timedelta(minutes=15))
    db.expire_all()
    assert len(db.exec(select(Appointment).where(Appointment.status == AppointmentStatus.booked)).all()) == 1
