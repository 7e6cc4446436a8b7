"""search_patients() on 10,000 patients, in process: the cases the service tests used to time.

A fresh database (the Alembic migrations, a temporary SQLite file; PostgreSQL with
PRAXIS_TEST_DATABASE_URL, as bench_scheduling.py does) holds one office with 10,000 patients and
another office with 2,000 that match the same words. Each round searches, as the front desk of
the first office, for everyone (first and last page), a surname (1,000 matches; first and 40th
page), an e-mail address, a phone number, a date of birth, two words that exclude each other,
two that match one record, and nothing; each call in its own unit of work, as the app runs it.
Every answer's total is checked, so a fast wrong answer fails the run. These used to be a timed
unit test (each call under 200 ms, tests/services/test_patients.py); the limit is reported here.
No app and no browser: `--only search-cases` takes a few seconds.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session

from app.db import unit_of_work
from app.models import AccountKind, Membership, OfficeRole, Patient
from app.services.actor import Actor
from app.services.patients.search import search_patients, search_text
from benchmarks.bench_scheduling import fresh_engine
from benchmarks.common import Context, Results, Scenario, summary
from tests.factories import make_office, make_user, sign_in_as

PATIENTS = 10_000
OTHER_OFFICE_PATIENTS = 2_000
ROUNDS = 20
LIMIT_MS = 200  # what the unit test allowed each call
LAST_NAMES = ["Smith", "Jones", "Nguyen", "Garcia", "Tremblay", "Singh", "Roy", "Martin", "Lee", "Brown"]
NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
TARGET = 4242  # a Nguyen


def patient_rows(office_id: int, count: int, offset: int = 0) -> list[dict[str, Any]]:
    """`count` patients numbered from `offset`: First04242 Nguyen, person04242@example.com, 416 550 4242, …"""
    rows = []
    for i in range(offset, offset + count):
        patient = Patient(
            office_id=office_id,
            first_name=f"First{i:05d}",
            last_name=LAST_NAMES[i % 10],
            date_of_birth=date(1940, 1, 1) + timedelta(days=i * 3),
            email=f"person{i:05d}@example.com",
            phone=f"416 55{i // 10000} {i % 10000:04d}",
            created_at=NOW,
            updated_at=NOW,
        )
        patient.search_text = search_text(patient)
        rows.append(patient.model_dump(exclude={"id"}))
    return rows


def cases() -> list[tuple[str, str, int, int, int]]:
    """(kind, query, page, expected total, expected rows on the page)."""
    born = (date(1940, 1, 1) + timedelta(days=TARGET * 3)).isoformat()
    return [
        ("everyone, first page", "", 1, PATIENTS, 25),
        ("everyone, last page", "", 400, PATIENTS, 25),
        ("surname, first page", "smith", 1, 1_000, 25),
        ("surname, page 40", "smith", 40, 1_000, 25),
        ("e-mail", f"person{TARGET:05d}@example.com", 1, 1, 1),
        ("phone", f"416-550-{TARGET:04d}", 1, 1, 1),
        ("date of birth", born, 1, 1, 1),
        ("two words, no match", f"first{TARGET:05d} smith", 1, 0, 0),  # the AND of both words
        ("two words, one match", f"first{TARGET:05d} nguyen", 1, 1, 1),
        ("another office's patient", "first10500", 1, 0, 0),  # theirs are never counted
        ("nothing", "zzz", 1, 0, 0),
    ]


def build(db: Session) -> tuple[Actor, int]:
    """Two offices with their patients; the first office's front desk, and its office id."""
    owner, _ = sign_in_as(db, make_user(db, email="owner@search.test", full_name="Olive Owner"))
    office = make_office(db, owner, "Search Clinic")
    other_owner, _ = sign_in_as(db, make_user(db, email="owner@other.test", full_name="Otto Other"))
    other = make_office(db, other_owner, "Other Clinic")
    desk = make_user(db, email="desk@search.test", kind=AccountKind.staff, full_name="Desk Person")
    db.add(Membership(office_id=office.id, user_id=desk.id, role=OfficeRole.staff))  # type: ignore[arg-type]
    db.commit()
    staff, _ = sign_in_as(db, desk)
    db.execute(insert(Patient), patient_rows(office.id, PATIENTS))  # type: ignore[arg-type]
    db.execute(insert(Patient), patient_rows(other.id, OTHER_OFFICE_PATIENTS, offset=PATIENTS))  # type: ignore[arg-type]
    db.commit()
    return staff, office.id  # type: ignore[return-value]


def measure(rounds: int, warm_ups: int) -> dict[str, Any]:
    url = os.environ.get("PRAXIS_TEST_DATABASE_URL") or None
    with tempfile.TemporaryDirectory() as folder:
        engine = fresh_engine(url, Path(folder))
        with Session(engine, expire_on_commit=False) as db:
            started = time.perf_counter()
            staff, office_id = build(db)
            seed_seconds = time.perf_counter() - started
        samples: dict[str, list[float]] = {kind: [] for kind, *_ in cases()}
        for round_number in range(warm_ups + rounds):
            for kind, query, page, total, shown in cases():
                started = time.perf_counter()
                with unit_of_work(engine) as db:
                    found = search_patients(db, staff, office_id, query, page)
                elapsed = (time.perf_counter() - started) * 1000
                if (found.total, len(found.rows)) != (total, shown):
                    raise AssertionError(f"{kind} {query!r} page {page}: {found.total} found, {len(found.rows)} shown")
                if round_number >= warm_ups:
                    samples[kind].append(elapsed)
        database = engine.dialect.name
        engine.dispose()
    every = [value for values in samples.values() for value in values]
    return {"samples": samples, "every": every, "seed_seconds": seed_seconds, "database": database}


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--case-rounds", type=int, default=ROUNDS, help="rounds of the search cases")


def run(ctx: Context) -> Results:
    taken = measure(ctx.args.case_rounds, ctx.args.warmup)
    slowest = max(taken["every"])
    return {
        "search_patients_cases_10k": {
            "label": f"search_patients() cases on {PATIENTS:,}",
            "digits": 1,
            "repetitions": ctx.args.case_rounds,
            "database": taken["database"],
            "wall": summary(taken["every"]),
            "breakdown": {kind: summary(values) for kind, values in taken["samples"].items()},
            "limit_ms": LIMIT_MS,
            "slowest_ms": round(slowest, 1),
            "within_limit": slowest < LIMIT_MS,
            "note": f"{len(cases())} cases a round, each call in its own unit of work; totals checked",
            "seed_seconds": round(taken["seed_seconds"], 1),
        }
    }


def footnote(results: Results) -> str:
    result = results["search_patients_cases_10k"]
    verdict = "within" if result["within_limit"] else "OVER"
    return f"search_patients() cases: slowest call {result['slowest_ms']} ms, {verdict} the {LIMIT_MS} ms limit"


SCENARIO = Scenario(
    name="search-cases",
    order=5,
    summary="search_patients() on 10,000 patients in process: the cases the unit test used to time",
    run=run,
    needs_app=False,
    arguments=arguments,
    footnote=footnote,
)
