"""SmartForms in process: the builder on a form of 100 questions, and the filler's autosave.

A fresh database (the Alembic migrations, a temporary SQLite file; PostgreSQL with
PRAXIS_TEST_DATABASE_URL) holds one office, its practitioner, a patient whose family holds the
record with an access code, and a form of 100 questions in 5 sections (every type, 10 of them
shown only after an answer), assigned to the patient and started (so the builder writes in place
on a version nobody filled, and the filler saves against the assigned one).

Timed, as the app runs them (each in its own unit of work, the actor resolved from the session's
hash as every event does), then the state's work on what the service returned:
- *add a question*: `builder.add_question` at the end of the middle section, then
  FormBuilderState._show (100+ rows for the outline and the preview, the preview's conditions)
  and the delta Reflex would send (`get_delta`, serialized to JSON);
- *reorder*: `builder.move_question` one place up, the same state work and delta;
- *autosave*: `filling.save_answer` of one answer (alternating questions and values), which
  returns which questions are shown now.
The issue's targets: adding and reordering under 100 ms click → rendered (this is the server's part
of it), autosave under 50 ms in process. No app and no browser: `--only forms-builder`.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import reflex as rx
from reflex.utils.format import json_dumps
from sqlmodel import Session

from app.db import unit_of_work
from app.models import AccountKind
from app.services import access_codes, sessions
from app.services.forms import assign, builder, filling, library, sections
from app.services.patients import records
from app.settings import Settings
from app.state.form_builder import FormBuilderState
from benchmarks.bench_scheduling import fresh_engine
from benchmarks.common import Context, Results, Scenario, summary
from tests.factories import make_office, make_user, sign_in_as

QUESTIONS = 100
SECTIONS = 5
ROUNDS = 30
BUILDER_LIMIT_MS = 100
AUTOSAVE_LIMIT_MS = 50
KINDS = [
    {"type": "yes_no", "label": "Yes or no {n}?"},
    {"type": "short_text", "label": "Short text {n}"},
    {"type": "long_text", "label": "Long text {n}", "help": "Tell us more."},
    {"type": "number", "label": "Number {n}", "min": "0", "max": "500"},
    {"type": "date", "label": "Date {n}"},
    {"type": "single_choice", "label": "One of {n}", "options": "Alpha\nBeta\nGamma"},
    {"type": "multiple_choice", "label": "Some of {n}", "options": "Red\nGreen\nBlue\nYellow"},
    {"type": "scale", "label": "Scale {n}", "min": "0", "max": "10", "min_label": "None", "max_label": "Most"},
    {"type": "short_text", "label": "Follow-up {n}"},  # shown when the yes/no above is yes
    {"type": "signature", "label": "Signature {n}"},
]


def build(db: Session) -> dict[str, Any]:
    """The office, its practitioner, the family, and the 100-question form, assigned and started."""
    owner, owner_token = sign_in_as(db, make_user(db, email="owner@forms.test", full_name="Olive Owner"))
    office = make_office(db, owner, "Forms Clinic")
    patient = records.create_patient(db, owner, office.id, records.PatientInput("Ana", "Souza"))  # type: ignore[arg-type]
    db.commit()
    family, family_token = sign_in_as(db, make_user(db, email="family@forms.test", kind=AccountKind.patient))
    code = access_codes.generate(db, settings(db), owner, patient.id)  # type: ignore[arg-type]
    access_codes.redeem(db, settings(db), family, code.code)
    form = library.create_form(db, owner, office.id, "Intake, 100 questions")
    assert form.id is not None
    section_ids = [builder.builder_view(db, owner, form.id).schema.sections[0].id]
    for index in range(1, SECTIONS):
        section_ids.append(sections.add_section(db, owner, form.id, f"Part {index + 1}").changed)
    ids: list[str] = []
    for n in range(QUESTIONS):
        fields: dict[str, Any] = {key: value.format(n=n + 1) for key, value in KINDS[n % 10].items()}
        if n % 10 == 8:
            fields.update(show_if_question=ids[n - 8], show_if_op="is", show_if_value="yes")
        view = builder.add_question(db, owner, form.id, section_ids[n * SECTIONS // QUESTIONS], fields)
        ids.append(view.changed)
    db.commit()
    assignment = assign.assign_form(db, settings(db), owner, patient.id, form.id).assignment_id
    filling.save_answer(db, family, assignment, ids[1], "started")
    db.commit()
    return {
        "form_id": form.id,
        "middle_section": section_ids[SECTIONS // 2],
        "questions": ids,
        "assignment_id": assignment,
        "owner_hash": hashlib.sha256(owner_token.encode()).hexdigest(),
        "family_hash": hashlib.sha256(family_token.encode()).hexdigest(),
    }


def settings(db: Session) -> Settings:
    return Settings(
        data_dir=Path(tempfile.gettempdir()),
        database_url=str(db.get_bind().url),
        secret_key=b"bench-secret-key",
        base_url="http://praxis.bench",
        mail_from="Praxis <no-reply@praxis.bench>",
        smtp=None,
        bcrypt_rounds=4,
    )


def _as(engine: Any, token_hash: str, work: Any) -> Any:
    with unit_of_work(engine) as db:
        actor = sessions.resolve_hashed(db, token_hash, "127.0.0.1")
        assert actor is not None
        return work(db, actor)


def _state() -> tuple[rx.State, FormBuilderState]:
    root = rx.State(_reflex_internal_init=True)
    page = asyncio.run(root.get_state(FormBuilderState))
    return root, page  # type: ignore[return-value]


def _show(root: rx.State, page: FormBuilderState, view: builder.BuilderView) -> int:
    """The state's part of a builder change: the rows and the preview, then the delta as JSON."""
    page._show(view)
    delta = json_dumps(asyncio.run(root._get_resolved_delta()))
    root._clean()
    return len(delta.encode())


def measure(rounds: int, warm_ups: int) -> dict[str, Any]:
    url = os.environ.get("PRAXIS_TEST_DATABASE_URL") or None
    samples: dict[str, list[float]] = {"add": [], "add_service": [], "move": [], "move_service": [], "autosave": []}
    delta_bytes: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as folder:
        engine = fresh_engine(url, Path(folder))
        with Session(engine, expire_on_commit=False) as db:
            started = time.perf_counter()
            made = build(db)
            seed_seconds = time.perf_counter() - started
        root, page = _state()
        form_id, moving = made["form_id"], made["questions"][QUESTIONS // 2 + 3]
        for round_number in range(warm_ups + rounds):
            timed = round_number >= warm_ups
            fields = {"type": "short_text", "label": f"Added {round_number}"}
            t0 = time.perf_counter()
            view = _as(
                engine,
                made["owner_hash"],
                lambda db, actor, fields=fields: builder.add_question(
                    db, actor, form_id, made["middle_section"], fields
                ),
            )
            t1 = time.perf_counter()
            delta_bytes["add"] = _show(root, page, view)
            t2 = time.perf_counter()
            view = _as(
                engine, made["owner_hash"], lambda db, actor: builder.move_question(db, actor, form_id, moving, -1)
            )
            t3 = time.perf_counter()
            delta_bytes["move"] = _show(root, page, view)
            t4 = time.perf_counter()
            question = made["questions"][(round_number * 7) % QUESTIONS]
            kind = KINDS[((round_number * 7) % QUESTIONS) % 10]["type"]
            value = _answer(kind, round_number)
            t5 = time.perf_counter()
            _as(
                engine,
                made["family_hash"],
                lambda db, actor, q=question, v=value: filling.save_answer(db, actor, made["assignment_id"], q, v),
            )
            t6 = time.perf_counter()
            if timed:
                samples["add_service"].append((t1 - t0) * 1000)
                samples["add"].append((t2 - t0) * 1000)
                samples["move_service"].append((t3 - t2) * 1000)
                samples["move"].append((t4 - t2) * 1000)
                samples["autosave"].append((t6 - t5) * 1000)
        database = engine.dialect.name
        engine.dispose()
    return {"samples": samples, "delta_bytes": delta_bytes, "seed_seconds": seed_seconds, "database": database}


def _answer(kind: str, n: int) -> object:
    return {
        "yes_no": "yes" if n % 2 else "no",
        "short_text": f"answer {n}",
        "long_text": f"a longer answer {n}\nwith two lines",
        "number": str(n % 500),
        "date": "2026-03-14",
        "single_choice": "Beta",
        "multiple_choice": ["Red", "Blue"],
        "scale": n % 11,
        "signature": {"name": "Pat Parent", "image": ""},
    }[kind]


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--form-rounds", type=int, default=ROUNDS, help="rounds of the SmartForms builder/autosave")


def run(ctx: Context) -> Results:
    taken = measure(ctx.args.form_rounds, ctx.args.warmup)
    s = taken["samples"]
    common = {"digits": 1, "repetitions": ctx.args.form_rounds, "database": taken["database"]}
    return {
        "forms_builder_add_100": {
            **common,
            "label": f"builder: add a question to {QUESTIONS} (service + state + delta)",
            "wall": summary(s["add"]),
            "breakdown": {"service": summary(s["add_service"])},
            "limit_ms": BUILDER_LIMIT_MS,
            "delta_bytes": taken["delta_bytes"].get("add", 0),
            "note": f"seed {taken['seed_seconds']:.1f} s",
        },
        "forms_builder_move_100": {
            **common,
            "label": f"builder: move a question up among {QUESTIONS} (service + state + delta)",
            "wall": summary(s["move"]),
            "breakdown": {"service": summary(s["move_service"])},
            "limit_ms": BUILDER_LIMIT_MS,
            "delta_bytes": taken["delta_bytes"].get("move", 0),
        },
        "forms_autosave_100": {
            **common,
            "label": f"filler: autosave one answer of {QUESTIONS} (resolve + save + commit)",
            "wall": summary(s["autosave"]),
            "limit_ms": AUTOSAVE_LIMIT_MS,
        },
    }


def footnote(results: Results) -> str:
    lines = []
    for key in ("forms_builder_add_100", "forms_builder_move_100", "forms_autosave_100"):
        result = results[key]
        verdict = "within" if result["wall"]["p90"] < result["limit_ms"] else "OVER"
        lines.append(f"{result['label']}: p90 {result['wall']['p90']} ms, {verdict} {result['limit_ms']} ms")
    return "\n".join(lines)


SCENARIO = Scenario(
    name="forms-builder",
    order=6,
    summary="SmartForms in process: builder add/move on 100 questions, filler autosave",
    run=run,
    needs_app=False,
    arguments=arguments,
    footnote=footnote,
)
