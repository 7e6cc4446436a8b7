"""Audit log benchmark (issue 10, item 13), in-process, no browser:

    .venv/bin/python -m benchmarks.bench_audit_log                    # SQLite
    scripts/with-postgres.sh .venv/bin/python -m benchmarks.bench_audit_log   # SQLite, then PostgreSQL
    .venv/bin/python -m benchmarks.bench_audit_log --runs 10          # a quick look

Builds a fresh database with the Alembic migrations (as benchmarks/bench_scheduling.py
does), makes one office in America/Toronto with an owner, a practitioner and two
front-desk staff, 400 patients (one held by a portal account), and writes 10,000
audit entries for the office over 90 days (half of them "opened the record", the
rest appointments, changes, codes and schedule work; most name a patient). Four
other offices share the table with 10,000 entries each over the same days (as on
one PostgreSQL server for many clinics), and all 50,000 are written in time order,
as the app writes them. Then it times what the owner's Audit log and the portal's
"Who opened my record" ask for:

1. office_log: the first page, a page filtered to one patient, to one person and
   one action, to one week, and the last page (page 201);
2. log_choices (the filters' people and actions) and the patient picker;
3. export_csv of all 10,000 entries and of one patient's;
4. who_opened_my_record for the held patient.

To show what migration 0009's indexes buy, every read is also timed with the
audit log's indexes as 0008 left them, in alternating rounds (0009, 0008, 0009,
0008, …; the samples of each set pooled), so that load from elsewhere on the
machine weighs on both alike.

Prints a table per database and writes benchmarks/out/audit_log.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

import app.models  # noqa: F401
from app.models import AccountKind, AuditEntry, Membership, OfficeRole, Patient, PortalAccess
from app.services import audit_log, offices, record_access, sessions
from app.services.audit import AuditAction
from benchmarks.bench_scheduling import fresh_engine, machine, stats
from tests.factories import make_user, sign_in_as

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out" / "audit_log.json"
NOW = datetime(2026, 11, 23, 14, tzinfo=UTC)
DAYS = 90
ENTRIES = 10_000
OTHER_OFFICES = 4
OTHER_OFFICE_ENTRIES = 10_000  # each
PATIENTS = 400
READ_LIMIT_MS = 100  # every read but the full export, median: the screens must stay quick
# How often each action occurs, and whether it names a patient.
MIX: list[tuple[AuditAction, int, bool]] = [
    (AuditAction.patient_viewed, 50, True),
    (AuditAction.appointment_booked, 10, True),
    (AuditAction.appointment_arrived, 8, True),
    (AuditAction.appointment_cancelled, 3, True),
    (AuditAction.appointment_rescheduled, 4, True),
    (AuditAction.patient_updated, 8, True),
    (AuditAction.patient_created, 4, True),
    (AuditAction.access_code_generated, 3, True),
    (AuditAction.proposal_accepted, 2, True),
    (AuditAction.hours_set, 3, False),
    (AuditAction.time_off_added, 2, False),
    (AuditAction.service_saved, 2, False),
    (AuditAction.office_updated, 1, False),
]
# The indexes migration 0009 puts on audit_log, and the single-column ones of 0008 they replace.
NEW_INDEXES = {
    "ix_audit_log_office_at": "office_id, at, id",
    "ix_audit_log_patient_at": "patient_id, at, id",
}
OLD_INDEXES = {
    "ix_audit_log_office_id": "office_id",
    "ix_audit_log_patient_id": "patient_id",
}
ROUNDS = 3  # 0009, 0008, 0009, 0008, …: load that drifts during the run hits both alike


def entries(office_id: int, people: list[int], patient_ids: list[int], count: int, seed: int) -> list[AuditEntry]:
    rng = random.Random(seed)
    actions = [a for a, _, _ in MIX]
    weights = [w for _, w, _ in MIX]
    names_patient = {a: p for a, _, p in MIX}
    rows = []
    for _ in range(count):
        action = rng.choices(actions, weights)[0]
        patient = rng.choice(patient_ids) if names_patient[action] else None
        detail = '{"fields":["phone","email"]}' if action == AuditAction.patient_updated else ""
        rows.append(
            AuditEntry(
                at=NOW - timedelta(seconds=rng.randrange(DAYS * 24 * 3600)),
                actor_user_id=rng.choice(people),
                office_id=office_id,
                patient_id=patient,
                action=action.value,
                target_type="patient" if patient else "office",
                target_id=patient or office_id,
                detail=detail,
                client_ip="203.0.113.9",
            )
        )
    return rows


def build(engine: Engine, count: int) -> dict[str, Any]:
    with Session(engine, expire_on_commit=False) as db:
        owner, owner_token = sign_in_as(db, make_user(db, email="owner@bench.test", full_name="Olive Owner"))
        office = offices.create_office(
            db, owner, offices.OfficeInput("Bench Clinic", "1 Bench St", "+1 416 555 0100", "America/Toronto")
        )
        others = []
        for number in range(OTHER_OFFICES):
            other_owner, _ = sign_in_as(
                db, make_user(db, email=f"other{number}@bench.test", full_name=f"Otto Other {number}")
            )
            address = offices.OfficeInput(f"Other Clinic {number}", "2 Bench St", "+1 416 555 0101", "America/Toronto")
            others.append((offices.create_office(db, other_owner, address), other_owner))
        db.commit()
        people = [owner.user_id]
        for i, (role, kind) in enumerate(
            [
                (OfficeRole.practitioner, AccountKind.practitioner),
                (OfficeRole.staff, AccountKind.staff),
                (OfficeRole.staff, AccountKind.staff),
            ]
        ):
            user = make_user(db, email=f"member{i}@bench.test", kind=kind, full_name=f"Member {i}")
            db.add(Membership(office_id=office.id, user_id=user.id, role=role))  # type: ignore[arg-type]
            people.append(user.id)  # type: ignore[arg-type]
        family = make_user(db, email="family@bench.test", kind=AccountKind.patient, full_name="Fay Family")
        db.commit()
        _, family_token = sign_in_as(db, family)
        patients = [
            Patient(office_id=office.id, first_name=f"First{i:03d}", last_name=f"Last{i:03d}")  # type: ignore[arg-type]
            for i in range(PATIENTS)
        ]
        strangers = {
            other.id: [Patient(office_id=other.id, first_name=f"Other{i:03d}", last_name="Person") for i in range(50)]  # type: ignore[arg-type]
            for other, _ in others
        }
        db.add_all(patients + [p for group in strangers.values() for p in group])
        db.commit()
        patient_ids = [p.id for p in patients]
        held = patient_ids[7]
        db.add(PortalAccess(office_id=office.id, patient_id=held, user_id=family.id))  # type: ignore[arg-type]
        log = entries(office.id, people, patient_ids, count, seed=13)  # type: ignore[arg-type]
        for seed, (other, other_owner) in enumerate(others, start=14):
            ids = [p.id for p in strangers[other.id]]
            log += entries(other.id, [other_owner.user_id], ids, OTHER_OFFICE_ENTRIES, seed)  # type: ignore[arg-type]
        # Written as the app writes them: in time order (an entry's id grows with its time).
        db.add_all(sorted(log, key=lambda row: row.at))
        db.commit()
    return {
        "office_id": office.id,
        "owner_token": owner_token,
        "family_token": family_token,
        "people": people,
        "patient": patient_ids[3],
        "held": held,
    }


def settle(engine: Engine) -> None:
    """Start each measurement from the same footing: SQLite's write-ahead log folded into the file,
    PostgreSQL's table vacuumed and its statistics fresh (what a checkpoint and autovacuum would have
    done by now)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE audit_log"))
        return
    raw = engine.raw_connection()  # outside any transaction: a checkpoint cannot run inside one
    try:
        raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()


def samples(call: Callable[[], Any], runs: int, warm_ups: int = 2) -> tuple[list[float], Any]:
    result = None
    for _ in range(warm_ups):
        result = call()
    taken = []
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        taken.append((time.perf_counter() - started) * 1000)
    return taken, result


def measure(engine: Engine, clinic: dict[str, Any], runs: int) -> dict[str, Any]:
    """One round of every read: the samples (ms) of each, and what they found.

    Each call in its own transaction, rolled back (the export's own log entry is not kept)."""
    settle(engine)
    office_id = clinic["office_id"]
    figures: dict[str, Any] = {}
    with Session(engine, expire_on_commit=False) as db:
        owner = sessions.resolve(db, clinic["owner_token"], touch=False)
        family = sessions.resolve(db, clinic["family_token"], touch=False)
        db.rollback()
        assert owner is not None and family is not None

        def page(wanted: audit_log.LogFilter, number: int = 1) -> Callable[[], audit_log.LogPage]:
            def call() -> audit_log.LogPage:
                found = audit_log.office_log(db, owner, office_id, wanted, number)
                db.rollback()
                return found

            return call

        def run(name: str, call: Callable[[], Any], times: int = runs) -> Any:
            figures[name], result = samples(call, times)
            return result

        first = run("first_page", page(audit_log.LogFilter()))
        figures["total"] = first.total
        one = run("patient_page", page(audit_log.LogFilter(patient_id=clinic["patient"])))
        figures["patient_entries"] = one.total
        staff = clinic["people"][2]
        both = run("person_action_page", page(audit_log.LogFilter(person_id=staff, action="patient.viewed")))
        figures["person_action_entries"] = both.total
        week_end = (NOW - timedelta(days=30)).astimezone(UTC).date()
        week = audit_log.LogFilter(start=(week_end - timedelta(days=6)).isoformat(), end=week_end.isoformat())
        figures["week_entries"] = run("week_page", page(week)).total
        last = run("last_page", page(audit_log.LogFilter(), 10**6))
        figures["last_page_number"] = last.page

        def choices() -> audit_log.LogChoices:
            found = audit_log.log_choices(db, owner, office_id)
            db.rollback()
            return found

        run("choices", choices)

        def picker() -> list[audit_log.PatientChoice]:
            found = audit_log.find_patients(db, owner, office_id, "last012")
            db.rollback()
            return found

        run("picker", picker)

        def export(wanted: audit_log.LogFilter) -> Callable[[], str]:
            def call() -> str:
                found = audit_log.export_csv(db, owner, office_id, wanted)
                db.rollback()
                return found

            return call

        everything = run("export_all", export(audit_log.LogFilter()), max(2, runs // 5))
        figures["export_all_bytes"] = len(everything.encode())
        figures["export_all_rows"] = everything.count("\n") - 1
        run("export_patient", export(audit_log.LogFilter(patient_id=clinic["patient"])))

        def mine() -> list[record_access.RecordAccess]:
            found = record_access.who_opened_my_record(db, family, clinic["held"])
            db.rollback()
            return found

        figures["record_access_rows"] = len(run("record_access", mine))
    return figures


def use_indexes(engine: Engine, which: str) -> None:
    """The audit log's indexes as migration 0009 leaves them ("0009") or as 0008 left them ("0008")."""
    drop, create = (OLD_INDEXES, NEW_INDEXES) if which == "0009" else (NEW_INDEXES, OLD_INDEXES)
    with engine.begin() as connection:
        for name in drop:
            connection.execute(text(f"DROP INDEX IF EXISTS {name}"))
        for name, columns in create.items():
            connection.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON audit_log ({columns})"))


def merge(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Every round's samples together, as statistics; the other figures from the first round."""
    merged = dict(rounds[0])
    for key, value in rounds[0].items():
        if isinstance(value, list):
            merged[key] = stats([sample for one in rounds for sample in one[key]])
    return merged


def run(url: str | None, runs: int, count: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        engine = fresh_engine(url, Path(folder))
        clinic = build(engine, count)
        result: dict[str, Any] = {
            "database": engine.dialect.name,
            "server_version": ".".join(str(p) for p in (engine.dialect.server_version_info or ())),
            "entries": count,
        }
        taken: dict[str, list[dict[str, Any]]] = {"0009": [], "0008": []}
        for _ in range(ROUNDS):
            for which in ("0009", "0008"):
                use_indexes(engine, which)
                taken[which].append(measure(engine, clinic, max(1, runs // ROUNDS)))
        use_indexes(engine, "0009")
        result["with_0009"], result["with_0008"] = merge(taken["0009"]), merge(taken["0008"])
        engine.dispose()
    return result


LABELS = [
    ("first_page", "office_log, first page (50 of {total:,})"),
    ("patient_page", "↳ one patient ({patient_entries} entries)"),
    ("person_action_page", "↳ one person and one action ({person_action_entries:,} entries)"),
    ("week_page", "↳ one week ({week_entries:,} entries)"),
    ("last_page", "↳ last page (page {last_page_number})"),
    ("choices", "log_choices (people and actions)"),
    ("picker", "find_patients (the patient picker)"),
    ("export_all", "export_csv, all ({export_all_rows:,} rows, {export_all_bytes:,} bytes)"),
    ("export_patient", "↳ one patient"),
    ("record_access", "who_opened_my_record ({record_access_rows} rows)"),
]


def table(result: dict[str, Any]) -> str:
    new, old = result["with_0009"], result["with_0008"]
    lines = [
        f"{result['database']} {result['server_version']}: {result['entries']:,} entries in the office",
        f"{'measurement (ms)':58} {'median':>8} {'p90':>8} {'max':>8}   {'0008 median':>11} {'p90':>8}",
    ]
    for key, label in LABELS:
        a, b = new[key], old[key]
        lines.append(
            f"{label.format(**new):58} {a['median']:8.2f} {a['p90']:8.2f} {a['max']:8.2f}   "
            f"{b['median']:11.2f} {b['p90']:8.2f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=50, help="timed runs per read (default 50; exports a fifth)")
    parser.add_argument("--entries", type=int, default=ENTRIES, help=f"the office's entries (default {ENTRIES:,})")
    args = parser.parse_args()
    report: dict[str, Any] = {"machine": machine(), "results": []}
    targets = [None]
    if os.environ.get("PRAXIS_TEST_DATABASE_URL"):
        targets.append(os.environ["PRAXIS_TEST_DATABASE_URL"])
    for url in targets:
        result = run(url, args.runs, args.entries)
        report["results"].append(result)
        print(table(result), end="\n\n", flush=True)
    report["machine"]["load_average_after"] = os.getloadavg()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2, default=str))
    about = report["machine"]
    print(
        f"machine: {about['cpu']}, {about['cpus']} CPUs, Python {about['python']}, SQLite {about['sqlite']}; "
        f"load {about['load_average'][0]:.2f} before, {about['load_average_after'][0]:.2f} after"
    )
    print(f"wrote {OUT.relative_to(ROOT)}")
    slowest = max(r["with_0009"][k]["median"] for r in report["results"] for k, _ in LABELS if k != "export_all")
    if slowest > READ_LIMIT_MS:
        raise SystemExit(f"FAILED: a read took {slowest:.0f} ms (median), over {READ_LIMIT_MS} ms")


if __name__ == "__main__":
    main()
