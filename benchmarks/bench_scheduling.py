"""Scheduling benchmark (issue 5), in-process, no browser:

    .venv/bin/python -m benchmarks.bench_scheduling                 # SQLite
    scripts/with-postgres.sh .venv/bin/python -m benchmarks.bench_scheduling   # SQLite, then PostgreSQL
    .venv/bin/python -m benchmarks.bench_scheduling --runs 10       # a quick look

Builds a fresh database with the Alembic migrations (a temporary SQLite file; on
PostgreSQL, PRAXIS_TEST_DATABASE_URL's schema is dropped and rebuilt, as the tests
do), fills one office in America/Toronto with 10 practitioners (Mon-Fri
09:00-17:00) and 2,000 appointments over 4 weeks (500 a week, 30/45/60 minutes,
1 in 20 cancelled), then measures:

1. free slots: availability.practitioner_free_slots for one practitioner over
   the 4 weeks (2 queries + the computation), and available_slots for one day
   with "any" of the 10 (what the booking page asks for);
2. the calendar week: appointment_lists.week for the week with 500 appointments,
   and the size of those rows as JSON in the shape the calendar state sends
   them (app/services/scheduling/calendar_layout.py: one dict of strings per appointment, inside one
   lane per day and practitioner);
3. concurrency through book_online, each client in its own thread and
   transaction: 20 clients racing for one slot (5 rounds, a new slot each),
   and 200 bookings at random quarter-hours of one day over the 10
   practitioners from 8 threads. Successes, conflicts (SLOT_TAKEN) and errors
   (anything else) are counted; afterwards no practitioner may have two live
   appointments that overlap.

Prints a table per database and writes benchmarks/out/scheduling.json.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import platform
import queue
import random
import sqlite3
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

import app.models  # noqa: F401
from app.db import make_engine, unit_of_work
from app.models import AccountKind, Appointment, AppointmentStatus, Membership, Office, OfficeRole, Patient
from app.services import offices, sessions
from app.services.errors import Conflict
from app.services.scheduling import (
    appointment_lists,
    appointments,
    availability,
    booking_options,
    calendar_layout,
    calendar_view,
    online_booking,
    service_catalog,
    working_hours,
)
from app.services.scheduling.booking_options import BookingOptionsInput
from app.services.scheduling.service_catalog import ServiceInput
from app.services.scheduling.slots import WeeklyInterval
from app.settings import Settings
from tests.factories import make_user, sign_in_as

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out" / "scheduling.json"
ZONE = ZoneInfo("America/Toronto")
NOW = datetime(2026, 11, 23, 14, tzinfo=UTC)  # Monday 09:00 in Toronto
FIRST_DAY = date(2026, 11, 30)  # the 4 weeks of appointments: Mon 30 Nov .. Sun 27 Dec
WEEKS = 4
BUSY_WEEK = date(2026, 12, 7)  # a Monday inside them
RACE_DAY = date(2027, 1, 5)  # empty days for the concurrency runs
SPREAD_DAY = date(2027, 1, 6)
PRACTITIONERS = 10
APPOINTMENTS = 2000
PATIENTS = 300
RACERS = 20
RACE_ROUNDS = 5
SPREAD_BOOKINGS = 200
SPREAD_THREADS = 8


def migrate(url: str) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["database_url"] = url
    command.upgrade(config, "head")


def fresh_engine(url: str | None, folder: Path) -> Engine:
    if url:
        engine = make_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        migrate(url)
        return make_engine(url)
    path = folder / "bench.db"
    migrate(f"sqlite:///{path}")
    return make_engine(f"sqlite:///{path}")


def local(day: date, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=ZONE).astimezone(UTC)


def stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median": statistics.median(ordered),
        "p90": ordered[max(0, round(0.9 * len(ordered)) - 1)],
        "min": ordered[0],
        "max": ordered[-1],
        "runs": len(ordered),
    }


def timed(call: Callable[[], Any], runs: int, warm_ups: int = 3) -> tuple[dict[str, float], Any]:
    result = None
    for _ in range(warm_ups):
        result = call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        samples.append((time.perf_counter() - started) * 1000)
    return stats(samples), result


# --- the clinic ------------------------------------------------------------------------------


def build(engine: Engine) -> dict[str, Any]:
    """One office, 10 practitioners, 3 services, hours, options, patients and 2,000 appointments."""
    rng = random.Random(5)
    with Session(engine, expire_on_commit=False) as db:
        owner, _ = sign_in_as(db, make_user(db, email="owner@bench.test", full_name="Practitioner 00"))
        office = offices.create_office(
            db,
            owner,
            offices.OfficeInput("Bench Clinic", "1 Bench St, Toronto", "+1 416 555 0100", "America/Toronto"),
        )
        db.commit()
        people = [owner.user_id]
        for i in range(1, PRACTITIONERS):
            user = make_user(db, email=f"p{i:02d}@bench.test", full_name=f"Practitioner {i:02d}")
            db.add(Membership(office_id=office.id, user_id=user.id, role=OfficeRole.practitioner))  # type: ignore[arg-type]
            people.append(user.id)  # type: ignore[arg-type]
        desk = make_user(db, email="desk@bench.test", kind=AccountKind.staff, full_name="Front Desk")
        db.add(Membership(office_id=office.id, user_id=desk.id, role=OfficeRole.staff))  # type: ignore[arg-type]
        db.commit()
        staff, staff_token = sign_in_as(db, desk)
        services = {
            minutes: service_catalog.save_service(
                db,
                staff,
                office.id,
                ServiceInput(f"Visit {minutes}", minutes, "teal", True, tuple(people)),  # type: ignore[arg-type]
            ).id
            for minutes in (30, 45, 60)
        }
        for user_id in people:
            working_hours.set_weekly_hours(
                db,
                staff,
                office.id,
                user_id,
                [WeeklyInterval(d, 9 * 60, 17 * 60) for d in range(5)],  # type: ignore[arg-type]
            )
        booking_options.save_booking_options(
            db,
            staff,
            office.id,  # type: ignore[arg-type]
            BookingOptionsInput(True, 0, 365, True, 24, "new_too", "+1 416 555 0199"),
        )
        patients = [
            Patient(office_id=office.id, first_name=f"First{i:03d}", last_name=f"Last{i:03d}")  # type: ignore[arg-type]
            for i in range(PATIENTS)
        ]
        db.add_all(patients)
        db.commit()
        patient_ids = [p.id for p in patients]

        # 10 appointments a working day per practitioner, never overlapping, in a 09:00-17:00 day.
        weekdays = [
            FIRST_DAY + timedelta(days=d) for d in range(7 * WEEKS) if (FIRST_DAY + timedelta(days=d)).weekday() < 5
        ]
        per_day = APPOINTMENTS // (len(weekdays) * PRACTITIONERS)
        rows = []
        for day, user_id in itertools.product(weekdays, people):
            lengths = [rng.choice((30, 30, 45, 60)) for _ in range(per_day)]
            while sum(lengths) > 8 * 60:  # keep every day's appointments inside it
                lengths[lengths.index(max(lengths))] = 30
            slack = (8 * 60 - sum(lengths)) // 15  # quarter-hours left over, spread as gaps
            gaps = [0] * per_day
            for _ in range(max(0, slack)):
                gaps[rng.randrange(per_day)] += 1
            minute = 9 * 60
            for length, gap in zip(lengths, gaps, strict=True):
                minute += 15 * gap
                if minute + length > 17 * 60:
                    break
                starts = local(day, minute)
                rows.append(
                    Appointment(
                        office_id=office.id,  # type: ignore[arg-type]
                        practitioner_id=user_id,
                        patient_id=rng.choice(patient_ids),  # type: ignore[arg-type]
                        service_id=services[length],
                        starts_at=starts,
                        ends_at=starts + timedelta(minutes=length),
                        status=AppointmentStatus.cancelled if rng.random() < 0.05 else AppointmentStatus.booked,
                        booked_online=rng.random() < 0.3,
                        booked_by_user_id=staff.user_id,
                        created_at=NOW,
                    )
                )
                minute += length
        db.add_all(rows)
        db.commit()
        return {
            "office_id": office.id,
            "people": people,
            "staff_token": staff_token,
            "services": services,
            "appointments": len(rows),
        }


# --- 1 and 2: reads ------------------------------------------------------------------------------


def bench_free_slots(engine: Engine, clinic: dict[str, Any], runs: int) -> dict[str, Any]:
    practitioner = clinic["people"][3]
    last_day = FIRST_DAY + timedelta(days=7 * WEEKS - 1)
    with Session(engine, expire_on_commit=False) as db:
        office = db.get(Office, clinic["office_id"])
        db.rollback()

        def four_weeks() -> list[datetime]:
            found = availability.practitioner_free_slots(
                db,
                office,  # type: ignore[arg-type]
                practitioner,
                timedelta(minutes=30),
                FIRST_DAY,
                last_day,
                NOW,
                NOW + timedelta(days=365),
            )
            db.rollback()
            return found

        def one_day_any() -> list[availability.Slot]:
            found = availability.available_slots(
                db, clinic["office_id"], clinic["services"][30], None, BUSY_WEEK + timedelta(days=2), NOW
            )
            db.rollback()
            return found

        four, slots = timed(four_weeks, runs)
        busy = db.exec(
            select(Appointment.id).where(
                Appointment.practitioner_id == practitioner,
                Appointment.status != AppointmentStatus.cancelled,
            )
        ).all()
        db.rollback()
        day, day_slots = timed(one_day_any, runs)
    return {
        "four_weeks": four,
        "four_weeks_slots": len(slots),
        "four_weeks_busy": len(busy),
        "one_day_any": day,
        "one_day_any_slots": len(day_slots),
    }


def week_state(engine: Engine, clinic: dict[str, Any]) -> dict[str, Any]:
    """The busy week as the calendar's state holds it (app/services/scheduling/calendar_layout.py), as JSON."""
    with Session(engine, expire_on_commit=False) as db:
        actor = sessions.resolve(db, clinic["staff_token"], touch=False)
        assert actor is not None
        grid = calendar_view.grid(db, actor, clinic["office_id"], BUSY_WEEK, "week")
        db.rollback()
    shown = calendar_layout.layout(grid, "week", BUSY_WEEK)
    rows = [row for rows in shown.lane_items for row in rows]
    return {
        "rows": json.dumps(rows, separators=(",", ":")).encode(),
        "switch": json.dumps(  # what a week switch assigns (people, times and cell height stay the same)
            {
                "title": shown.title,
                "day_columns": shown.day_columns,
                "lanes": shown.lanes,
                "lane_items": shown.lane_items,
                "grid_height": shown.grid_height,
                "lanes_per_day": shown.lanes_per_day,
                "grid_columns": shown.grid_columns,
            },
            separators=(",", ":"),
        ).encode(),
    }


def bench_week(engine: Engine, clinic: dict[str, Any], runs: int) -> dict[str, Any]:
    first = local(BUSY_WEEK, 0)
    last = local(BUSY_WEEK + timedelta(days=7), 0)
    with Session(engine, expire_on_commit=False) as db:
        actor = sessions.resolve(db, clinic["staff_token"], touch=False)
        db.rollback()
        assert actor is not None

        def query() -> list[appointment_lists.CalendarItem]:
            found = appointment_lists.week(db, actor, clinic["office_id"], first, last)
            db.rollback()
            return found

        timing, items = timed(query, runs)
    state = week_state(engine, clinic)
    payload, lanes = state["rows"], state["switch"]
    return {
        "query": timing,
        "rows": len(items),
        "lanes_json_bytes": len(lanes),
        "lanes_json_gzip_bytes": len(gzip.compress(lanes)),
        "json_bytes": len(payload),
        "json_gzip_bytes": len(gzip.compress(payload)),
        "bytes_per_row": round(len(payload) / max(1, len(items))),
    }


# --- 3: concurrency ----------------------------------------------------------------------------


def patient_accounts(engine: Engine, prefix: str, count: int) -> list[str]:
    tokens = []
    with Session(engine, expire_on_commit=False) as db:
        for i in range(count):
            user = make_user(
                db, email=f"{prefix}{i:03d}@example.com", kind=AccountKind.patient, full_name=f"Client {i}"
            )
            tokens.append(sign_in_as(db, user)[1])
    return tokens


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ok = self.conflicts = 0
        self.errors: list[str] = []
        self.latencies: list[float] = []

    def attempt(self, call: Callable[[], None]) -> None:
        started = time.perf_counter()
        try:
            call()
        except Conflict as conflict:
            with self.lock:
                if conflict.message == appointments.SLOT_TAKEN:
                    self.conflicts += 1
                else:
                    self.errors.append(f"Conflict: {conflict.message}")
        except Exception as error:
            with self.lock:
                self.errors.append(f"{type(error).__name__}: {error}")
        else:
            with self.lock:
                self.ok += 1
        finally:
            with self.lock:
                self.latencies.append((time.perf_counter() - started) * 1000)


def book_call(
    engine: Engine, settings: Settings, clinic: dict[str, Any], token: str, practitioner: int, starts: datetime
):
    def call() -> None:
        with unit_of_work(engine) as db:
            actor = sessions.resolve(db, token, touch=False)
            assert actor is not None
            online_booking.book_online(
                db,
                settings,
                actor,
                clinic["office_id"],
                service_id=clinic["services"][30],
                practitioner_id=practitioner,
                starts_at=starts,
                now=NOW,
            )

    return call


def bench_race(engine: Engine, settings: Settings, clinic: dict[str, Any]) -> dict[str, Any]:
    tokens = patient_accounts(engine, "racer", RACERS)
    rounds = []
    for round_number in range(RACE_ROUNDS):
        starts = local(RACE_DAY, 10 * 60 + 30 * round_number)
        practitioner = clinic["people"][round_number % PRACTITIONERS]
        tally = Tally()
        barrier = threading.Barrier(RACERS)

        def client(token: str, call_of=book_call, tally: Tally = tally, barrier=barrier, at=starts, who=practitioner):  # type: ignore[no-untyped-def]
            call = call_of(engine, settings, clinic, token, who, at)
            barrier.wait()  # all 20 start together
            tally.attempt(call)

        threads = [threading.Thread(target=client, args=(t,)) for t in tokens]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        rounds.append(
            {
                "ok": tally.ok,
                "conflicts": tally.conflicts,
                "errors": tally.errors,
                "wall_ms": (time.perf_counter() - started) * 1000,
                "slowest_ms": max(tally.latencies),
            }
        )
    return {"rounds": rounds}


def bench_spread(engine: Engine, settings: Settings, clinic: dict[str, Any]) -> dict[str, Any]:
    rng = random.Random(6)
    tokens = patient_accounts(engine, "spread", SPREAD_THREADS)
    work: queue.Queue[tuple[int, datetime]] = queue.Queue()
    for _ in range(SPREAD_BOOKINGS):
        minute = 9 * 60 + 15 * rng.randrange(31)  # 09:00 .. 16:30
        work.put((rng.choice(clinic["people"]), local(SPREAD_DAY, minute)))
    tally = Tally()

    def worker(token: str) -> None:
        while True:
            try:
                practitioner, starts = work.get_nowait()
            except queue.Empty:
                return
            tally.attempt(book_call(engine, settings, clinic, token, practitioner, starts))

    threads = [threading.Thread(target=worker, args=(t,)) for t in tokens]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = (time.perf_counter() - started) * 1000
    return {
        "ok": tally.ok,
        "conflicts": tally.conflicts,
        "errors": tally.errors,
        "wall_ms": wall,
        "per_second": SPREAD_BOOKINGS / (wall / 1000),
        "latency": stats(tally.latencies),
    }


def overlaps(engine: Engine, office_id: int) -> int:
    """Pairs of live appointments of one practitioner that overlap (must be 0)."""
    with Session(engine) as db:
        rows = db.exec(
            select(Appointment.practitioner_id, Appointment.starts_at, Appointment.ends_at)
            .where(Appointment.office_id == office_id, Appointment.status != AppointmentStatus.cancelled)
            .order_by(Appointment.practitioner_id, Appointment.starts_at)
        ).all()
        db.rollback()
    return sum(1 for a, b in itertools.pairwise(rows) if a[0] == b[0] and b[1] < a[2])


# --- running and reporting ----------------------------------------------------------------------


def run(url: str | None, runs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        engine = fresh_engine(url, Path(folder))
        settings = Settings(
            data_dir=Path(folder),
            database_url=str(engine.url),
            secret_key=b"bench-secret-key",
            base_url="http://praxis.bench",
            mail_from="Praxis <no-reply@praxis.bench>",
            smtp=None,
            bcrypt_rounds=4,
        )
        started = time.perf_counter()
        clinic = build(engine)
        built = time.perf_counter() - started
        result: dict[str, Any] = {
            "database": engine.dialect.name,
            "server_version": ".".join(str(p) for p in (engine.dialect.server_version_info or ())),
            "setup_seconds": round(built, 1),
            "appointments": clinic["appointments"],
        }
        result["free_slots"] = bench_free_slots(engine, clinic, runs)
        result["week"] = bench_week(engine, clinic, runs)
        result["race"] = bench_race(engine, settings, clinic)
        result["spread"] = bench_spread(engine, settings, clinic)
        result["overlapping_pairs"] = overlaps(engine, clinic["office_id"])
        engine.dispose()
    return result


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": model or platform.processor(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "system": f"{platform.system()} {platform.release()}",
        "load_average": os.getloadavg(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def table(result: dict[str, Any]) -> str:
    free, week, race, spread = result["free_slots"], result["week"], result["race"], result["spread"]

    def row(label: str, figures: dict[str, float]) -> str:
        numbers = " ".join(f"{figures[k]:8.2f}" for k in ("median", "p90", "min", "max"))
        return f"{label:60} {numbers}"

    rounds = race["rounds"]
    race_errors = sum(len(r["errors"]) for r in rounds)
    race_wall = statistics.median(r["wall_ms"] for r in rounds)
    latency = spread["latency"]
    lines = [
        f"{result['database']} {result['server_version']}: {result['appointments']} appointments in the office, "
        f"built in {result['setup_seconds']} s",
        f"{'measurement (ms)':60} {'median':>8} {'p90':>8} {'min':>8} {'max':>8}",
        row(
            f"free slots, 1 practitioner, 4 weeks ({free['four_weeks_busy']} busy, {free['four_weeks_slots']} free)",
            free["four_weeks"],
        ),
        row(f"available_slots, 1 day, any of 10 ({free['one_day_any_slots']} slots)", free["one_day_any"]),
        row(f"appointment_lists.week, 10 practitioners ({week['rows']} rows)", week["query"]),
        row(f"spread: one book_online under load ({SPREAD_THREADS} threads)", latency),
        f"week rows as the state's JSON: {week['json_bytes']:,} bytes ({week['bytes_per_row']} a row), "
        f"{week['json_gzip_bytes']:,} gzipped; "
        f"all a week switch assigns (70 lanes): {week['lanes_json_bytes']:,} bytes, "
        f"{week['lanes_json_gzip_bytes']:,} gzipped",
        f"race, {RACERS} clients for one slot, {len(rounds)} rounds: ok {[r['ok'] for r in rounds]}, "
        f"conflicts {[r['conflicts'] for r in rounds]}, errors {race_errors}; {race_wall:.0f} ms a round (median)",
        f"spread, {SPREAD_BOOKINGS} bookings over one day from {SPREAD_THREADS} threads: ok {spread['ok']}, "
        f"conflicts {spread['conflicts']}, errors {len(spread['errors'])}; "
        f"{spread['wall_ms']:.0f} ms, {spread['per_second']:.0f} bookings/s",
        f"overlapping live appointments afterwards: {result['overlapping_pairs']}",
    ]
    for error in [e for r in rounds for e in r["errors"]][:5] + spread["errors"][:5]:
        lines.append(f"  error: {error}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=50, help="timed runs per read measurement (default 50)")
    args = parser.parse_args()
    report: dict[str, Any] = {"machine": machine(), "results": []}
    targets = [None]
    if os.environ.get("PRAXIS_TEST_DATABASE_URL"):
        targets.append(os.environ["PRAXIS_TEST_DATABASE_URL"])
    failed = False
    for url in targets:
        result = run(url, args.runs)
        report["results"].append(result)
        print(table(result), end="\n\n", flush=True)
        errors = sum(len(r["errors"]) for r in result["race"]["rounds"]) + len(result["spread"]["errors"])
        race_ok = {r["ok"] for r in result["race"]["rounds"]}
        failed |= errors > 0 or result["overlapping_pairs"] > 0 or race_ok != {1}
    report["machine"]["load_average_after"] = os.getloadavg()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2, default=str))
    about = report["machine"]
    print(
        f"machine: {about['cpu']}, {about['cpus']} CPUs, Python {about['python']}, SQLite {about['sqlite']}; "
        f"load {about['load_average'][0]:.2f} before, {about['load_average_after'][0]:.2f} after"
    )
    print(f"wrote {OUT.relative_to(ROOT)}")
    if failed:
        raise SystemExit("FAILED: errors, overlaps, or a race with other than exactly one winner")


if __name__ == "__main__":
    main()
