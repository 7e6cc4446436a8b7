"""Document lists benchmark (issue 12), in process, no browser:

    .venv/bin/python -m benchmarks.bench_documents                    # SQLite
    scripts/with-postgres.sh .venv/bin/python -m benchmarks.bench_documents   # SQLite, then PostgreSQL

Builds a fresh database with the Alembic migrations, one office in America/Toronto
(owner, practitioner, staff; 400 patients) with 10,000 documents over a year: 8,000
in All Documents and 2,000 in patients' workspaces (a quarter of those uploaded by
patients), 12 labels on about 60% of them, shares with patients and practitioners on
10%. Two other offices share the tables with 10,000 documents each, and one of them
shares 50 documents with the office's practitioner. Then it times what the pages ask
for, each call in its own unit of work with the shell, as a page load does:

1. All Documents: first page (newest), label filter, search by name, search by a
   label's name, sorted by name, the last page, "Shared with me";
2. a patient's Documents tab, and its "From the patient" filter;
3. the label panel for 25 selected documents, and applying a label to them.

Every read must stay under 100 ms (median). Prints a table, writes benchmarks/out/documents.json.
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

from sqlalchemy import insert, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

import app.models  # noqa: F401
from app.models import (
    AccountKind,
    Document,
    DocumentLabel,
    DocumentLabelLink,
    DocumentOrigin,
    DocumentShare,
    Membership,
    OfficeRole,
    Patient,
)
from app.services import offices
from app.services.documents import lists, shares
from benchmarks.bench_scheduling import fresh_engine, machine, stats
from tests.factories import make_office, make_user, sign_in_as

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out" / "documents.json"
NOW = datetime(2026, 11, 23, 14, tzinfo=UTC)
DOCUMENTS, OTHER_OFFICES, PATIENTS, LABELS = 10_000, 2, 400, 12
READ_LIMIT_MS = 100
WORDS = ["referral", "lab", "results", "x-ray", "invoice", "consent", "letter", "scan", "mri", "blood", "notes"]
TYPES = ["application/pdf", "image/jpeg", "image/png", "text/plain"]


def _documents(office_id: int, uploader: int, patients: list[int], family: int, count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        in_workspace = i % 5 == 0
        from_patient = in_workspace and i % 20 == 0
        name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i:05d}.pdf"
        rows.append(
            {
                "office_id": office_id,
                "patient_id": rng.choice(patients) if in_workspace else None,
                "name": name,
                "search_name": name.lower(),
                "content_type": rng.choice(TYPES),
                "size": rng.randint(20_000, 8_000_000),
                "sha256": f"{rng.getrandbits(256):064x}",
                "thumbnail_sha256": None,
                "preview_sha256": None,
                "page_count": None,
                "origin": DocumentOrigin.patient.value if from_patient else DocumentOrigin.clinic.value,
                "uploaded_by_user_id": family if from_patient else uploader,
                "uploaded_at": NOW - timedelta(minutes=rng.randint(0, 525_600)),
                "deleted_at": None,
                "deleted_by_user_id": None,
            }
        )
    return rows


def _office(db: Session, engine: Engine, name: str, seed: int, family_id: int) -> dict[str, Any]:
    owner, _ = sign_in_as(db, make_user(db, email=f"owner{seed}@bench.test", full_name=f"Owner {seed}"))
    office = make_office(db, owner, name)
    people = {"owner": owner}
    for role, kind in ((OfficeRole.practitioner, AccountKind.practitioner), (OfficeRole.staff, AccountKind.staff)):
        user = make_user(db, email=f"{role.value}{seed}@bench.test", kind=kind, full_name=f"{role.value} {seed}")
        db.add(Membership(office_id=office.id, user_id=user.id, role=role))  # type: ignore[arg-type]
        db.commit()
        people[role.value], _ = sign_in_as(db, user)
    with engine.begin() as connection:
        connection.execute(
            insert(Patient),
            [{"office_id": office.id, "first_name": f"P{i}", "last_name": f"Bench{seed}"} for i in range(PATIENTS)],
        )
    patient_ids = list(db.exec(select(Patient.id).where(Patient.office_id == office.id)).all())
    db.commit()  # SQLite: every transaction here writes (BEGIN IMMEDIATE); end it before the next one
    rows = _documents(office.id, people["staff"].user_id, patient_ids, family_id, DOCUMENTS, seed)  # type: ignore[arg-type]
    with engine.begin() as connection:
        connection.execute(insert(Document), rows)
    return {"office": office.id, "people": people, "patients": patient_ids}


def build(engine: Engine) -> dict[str, Any]:
    rng = random.Random(7)
    with Session(engine, expire_on_commit=False) as db:
        family = make_user(db, email="family@bench.test", kind=AccountKind.patient, full_name="Family")
        main = _office(db, engine, "Maple Bench Clinic", 0, family.id)  # type: ignore[arg-type]
        others = [_office(db, engine, f"Other {n}", n, family.id) for n in range(1, OTHER_OFFICES + 1)]  # type: ignore[arg-type]
        office, people = main["office"], main["people"]
        with engine.begin() as connection:
            connection.execute(
                insert(DocumentLabel),
                [
                    {"office_id": office, "name": f"Label {i}", "name_key": f"label {i}", "color": "teal"}
                    | {"created_at": NOW}
                    for i in range(LABELS)
                ],
            )
        label_ids = list(db.exec(select(DocumentLabel.id).where(DocumentLabel.office_id == office)).all())
        doc_ids = list(db.exec(select(Document.id).where(Document.office_id == office)).all())
        db.commit()
        links = {(d, rng.choice(label_ids)) for d in doc_ids if rng.random() < 0.6}
        links |= {(d, rng.choice(label_ids)) for d in rng.sample(doc_ids, 1500)}
        sharer = people["staff"].user_id
        shared = [
            {"document_id": d, "patient_id": rng.choice(main["patients"]), "shared_by_user_id": sharer}
            for d in rng.sample(doc_ids, 600)
        ] + [
            {"document_id": d, "recipient_user_id": people["owner"].user_id, "shared_by_user_id": sharer}
            for d in rng.sample(doc_ids, 400)
        ]
        theirs = list(db.exec(select(Document.id).where(Document.office_id == others[0]["office"])).all())
        colleague = people["practitioner"].user_id
        db.add(Membership(office_id=others[0]["office"], user_id=colleague, role=OfficeRole.practitioner))
        db.commit()  # a colleague there too: the office's shares reach her (no PIN needed)
        shared += [
            {
                "document_id": d,
                "recipient_user_id": people["practitioner"].user_id,
                "shared_by_user_id": others[0]["people"]["staff"].user_id,
            }
            for d in rng.sample(theirs, 50)
        ]
        with engine.begin() as connection:
            connection.execute(insert(DocumentLabelLink), [{"document_id": d, "label_id": lb} for d, lb in links])
            blank = {"patient_id": None, "recipient_user_id": None, "created_at": NOW}
            connection.execute(insert(DocumentShare), [{**blank, **s} for s in shared])
    return {**main, "labels": label_ids, "documents": doc_ids}


def settle(engine: Engine) -> None:
    """Statistics fresh and the write-ahead log folded in, as autovacuum and a checkpoint would have by now."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
        return
    raw = engine.raw_connection()
    try:
        raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raw.cursor().execute("ANALYZE")
    finally:
        raw.close()


def measure(engine: Engine, clinic: dict[str, Any], runs: int) -> dict[str, Any]:
    from app.db import unit_of_work

    actor, office = clinic["people"]["practitioner"], clinic["office"]
    label = clinic["labels"][3]
    with Session(engine) as db:
        busy = db.exec(
            select(Patient.id, Document.id)
            .join(Document, col(Document.patient_id) == Patient.id)
            .where(Patient.office_id == office)
        ).all()
    patient = max({p for p, _ in busy}, key=lambda p: sum(1 for q, _ in busy if q == p))
    selection = clinic["documents"][:25]

    def page(work: Callable[[Session], Any]) -> Callable[[], Any]:
        def call() -> Any:
            with unit_of_work(engine) as db:
                offices.clinic_shell(db, actor)
                return work(db)

        return call

    def listing(**query: Any) -> Callable[[], Any]:
        return page(lambda db: lists.all_documents(db, actor, office, lists.ListQuery(**query)))

    cases: dict[str, Callable[[], Any]] = {
        "all_documents_first_page": listing(),
        "label_filter": listing(label=str(label)),
        "search_name": listing(text="referral"),
        "search_label_name": listing(text="label 7"),
        "sorted_by_name": listing(sort="name"),
        "last_page": listing(page=400),
        "shared_with_me": listing(show="shared"),
        "patient_tab": page(lambda db: lists.patient_documents(db, actor, patient, lists.ListQuery())),
        "patient_tab_from_patient": page(
            lambda db: lists.patient_documents(db, actor, patient, lists.ListQuery(show="patient"))
        ),
        "label_panel_25": page(lambda db: shares.label_panel(db, actor, office, selection)),
    }
    result: dict[str, Any] = {}
    for name, call in cases.items():
        for _ in range(3):
            found = call()
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            found = call()
            samples.append((time.perf_counter() - started) * 1000)
        result[name] = {**stats(samples), "total": getattr(found, "total", None)}
    flip = [True, False]
    samples = []
    for i in range(runs):
        started = time.perf_counter()
        with unit_of_work(engine) as db:
            shares.apply_labels(db, actor, office, selection, {f"label:{label}": flip[i % 2]})
        samples.append((time.perf_counter() - started) * 1000)
    result["apply_label_25"] = stats(samples)
    return result


def run(url: str | None, runs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        engine = fresh_engine(url, Path(folder))
        started = time.perf_counter()
        clinic = build(engine)
        settle(engine)
        built = time.perf_counter() - started
        result = {"database": engine.dialect.name, "build_seconds": round(built, 1), **measure(engine, clinic, runs)}
        engine.dispose()
    return result


def table(result: dict[str, Any]) -> str:
    lines = [f"{result['database']} (built in {result['build_seconds']} s)", "| read | median | p90 | max | matches |"]
    for name, value in result.items():
        if isinstance(value, dict):
            numbers = f"{value['median']:.1f} | {value['p90']:.1f} | {value['max']:.1f}"
            lines.append(f"| {name} | {numbers} | {value.get('total') or ''} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    results, failed = [run(None, args.runs)], False
    if os.environ.get("PRAXIS_TEST_DATABASE_URL"):
        results.append(run(os.environ["PRAXIS_TEST_DATABASE_URL"], args.runs))
    for result in results:
        print(table(result))
        reads = {n: v for n, v in result.items() if isinstance(v, dict) and n != "apply_label_25"}
        slow = [n for n, v in reads.items() if v["median"] > READ_LIMIT_MS]
        print("all reads under 100 ms" if not slow else f"SLOWER THAN {READ_LIMIT_MS} ms: {slow}")
        failed = failed or bool(slow)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps({"machine": machine(), "results": results}, indent=2, default=str))
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
