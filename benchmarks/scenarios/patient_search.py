"""Patient search on 10,000 patients.

10,000 Patient rows are written straight into the app's database (one transaction, search_text
made the way app/services/patients/search.py makes it), then, on the Patients page, from filling
"Search patients" with a patient's full name to that patient's row being visible (debounce
included), each repetition for another patient and starting from an empty result; and,
separately, in this process, search_patients over 100 queries of six kinds (name, surname,
e-mail, phone, date of birth, first page without a query), each in its own transaction as the
app runs it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from playwright.sync_api import Browser, expect

from benchmarks.common import OFFICE_NAME, Context, Results, Scenario, database_url, new_context, summary
from tests.e2e.harness import RunningApp
from tests.e2e.steps import sign_in, wait_until_interactive

SEARCH_REPETITIONS = 15
SEED_PATIENTS = 10_000
SERVICE_QUERIES = 100

# For the patient search: when the search field last changed, and when the
# row of the patient searched for (window.__praxisSearchTarget) became visible.
SEARCH_MARKS_SCRIPT = """(() => {
  const marks = window.__praxisSearch = {};
  document.addEventListener('input', (event) => {
    if (event.target && event.target.id === 'patient-search') { marks.input = performance.now(); delete marks.found; }
  }, true);
  const check = () => {
    const target = window.__praxisSearchTarget;
    if (!target || marks.found !== undefined) return;
    for (const a of document.querySelectorAll('table a')) {
      if (a.textContent.trim() === target && a.checkVisibility()) { marks.found = performance.now(); break; }
    }
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true, characterData: true});
})();"""
ROW_VISIBLE = """(target) => [...document.querySelectorAll('table a')]
    .some(a => a.textContent.trim() === target && a.checkVisibility())"""


@dataclass(frozen=True)
class SeededPatient:
    index: int
    first: str
    last: str
    born: date

    @property
    def row_name(self) -> str:
        """How the Patients table links to the record: "Last, First"."""
        return f"{self.last}, {self.first}"

    @property
    def email(self) -> str:
        return f"{self.first}.{self.last}@example.com".lower()

    @property
    def phone(self) -> str:
        return f"+1 416 555 {self.index:04d}"


def made_up_names(rng: random.Random, count: int, syllables: int) -> list[str]:
    """Pronounceable, distinct names (consonant-vowel syllables)."""
    names: set[str] = set()
    while len(names) < count:
        names.add("".join(rng.choice("bdfgklmnprstvz") + rng.choice("aeiou") for _ in range(syllables)).capitalize())
    return sorted(names)


def seeded_patients(count: int) -> list[SeededPatient]:
    """`count` patients; 100 first names x 100 surnames, so each full name is one person's."""
    rng = random.Random(2026)
    firsts, lasts = made_up_names(rng, 100, 3), made_up_names(rng, 100, 4)
    first_born = date(1940, 1, 1)
    return [
        SeededPatient(i, firsts[i % 100], lasts[(i // 100) % 100], first_born + timedelta(days=rng.randrange(29_000)))
        for i in range(count)
    ]


def seed_patients(app: RunningApp, office_name: str, people: list[SeededPatient]) -> tuple[int, float]:
    """Write the patients into the office in one transaction; returns (office id, seconds taken)."""
    from sqlmodel import select

    from app.db import make_engine, unit_of_work
    from app.models import Office, Patient
    from app.services.patients.records import SEXES
    from app.services.patients.search import search_text

    engine = make_engine(database_url(app))
    started = time.perf_counter()
    now = datetime.now(UTC)
    with unit_of_work(engine) as db:
        office_id = db.exec(select(Office.id).where(Office.name == office_name)).one()
        for person in people:
            patient = Patient(
                office_id=office_id,
                first_name=person.first,
                last_name=person.last,
                date_of_birth=person.born,
                sex=SEXES[person.index % len(SEXES)],
                email=person.email,
                phone=person.phone,
                address=f"{person.index % 997 + 1} Queen Street West, Toronto",
                created_at=now,
                updated_at=now,
            )
            patient.search_text = search_text(patient)
            db.add(patient)
    engine.dispose()
    return office_id, time.perf_counter() - started


def bench_patient_search(
    browser: Browser, app: RunningApp, email: str, password: str, targets: list[SeededPatient], total: int
) -> tuple[list, list]:
    """For each target: from an empty result, fill "Search patients" with their full name, until their row shows."""
    context = new_context(browser, app)
    context.add_init_script(SEARCH_MARKS_SCRIPT)
    page = context.new_page()
    sign_in(page, email, password)
    expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()
    page.goto(app.url("/clinic/patients"))
    wait_until_interactive(page)
    expect(page.get_by_text(f"{total} patients")).to_be_visible()
    search = page.get_by_label("Search patients")
    nothing = page.get_by_text("No patients match your search")
    wall, in_page = [], []
    for person in targets:
        search.fill("zzzz")
        expect(nothing).to_be_visible()
        page.evaluate("(target) => { window.__praxisSearchTarget = target; }", person.row_name)
        start = time.perf_counter()
        search.fill(f"{person.first} {person.last}")
        page.wait_for_function(ROW_VISIBLE, arg=person.row_name, polling="raf")
        wall.append((time.perf_counter() - start) * 1000)
        seen = page.evaluate("window.__praxisSearch")
        in_page.append(seen["found"] - seen["input"])
    context.close()
    return wall, in_page


SEARCH_KINDS = ("full name", "surname", "e-mail", "phone", "date of birth", "no query (first page)")


def service_queries(people: list[SeededPatient], count: int) -> list[tuple[str, str]]:
    rng = random.Random(7)
    queries = []
    for i in range(count):
        person = rng.choice(people)
        kind = SEARCH_KINDS[i % len(SEARCH_KINDS)]
        text = {
            "full name": f"{person.first} {person.last}",
            "surname": person.last,
            "e-mail": person.email,
            "phone": f"416-555-{person.index:04d}",
            "date of birth": person.born.isoformat(),
            "no query (first page)": "",
        }[kind]
        queries.append((kind, text))
    return queries


def bench_search_service(
    app: RunningApp, email: str, office_id: int, queries: list[tuple[str, str]], warm_ups: int
) -> tuple[list[float], dict[str, list[float]], dict[str, float]]:
    """search_patients() in this process, each call in its own unit of work (as the app's event handler runs it)."""
    from sqlmodel import select

    from app.db import make_engine, unit_of_work
    from app.models import User
    from app.services.actor import Actor
    from app.services.patients.search import search_patients

    engine = make_engine(database_url(app))
    with unit_of_work(engine) as db:
        user = db.exec(select(User).where(User.email_normalized == email.lower())).one()
        actor = Actor(
            user_id=user.id,  # type: ignore[arg-type]
            session_id=0,
            kind=user.kind,
            email=user.email,
            full_name=user.full_name,
            current_office_id=office_id,
        )
    for _, text in queries[:warm_ups]:
        with unit_of_work(engine) as db:
            search_patients(db, actor, office_id, text)
    every: list[float] = []
    by_kind: dict[str, list[float]] = {kind: [] for kind in SEARCH_KINDS}
    found: dict[str, list[int]] = {kind: [] for kind in SEARCH_KINDS}
    for kind, text in queries:
        start = time.perf_counter()
        with unit_of_work(engine) as db:
            result = search_patients(db, actor, office_id, text)
        elapsed = (time.perf_counter() - start) * 1000
        if result.total < 1:
            raise AssertionError(f"search_patients found nobody for {kind} {text!r}")
        every.append(elapsed)
        by_kind[kind].append(elapsed)
        found[kind].append(result.total)
    engine.dispose()
    return every, by_kind, {kind: round(statistics.mean(totals), 1) for kind, totals in found.items()}


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--search-reps", type=int, default=SEARCH_REPETITIONS, help="browser repetitions of the search")


def run(ctx: Context) -> Results:
    browser, app, person = ctx.live()
    args = ctx.args
    people = seeded_patients(SEED_PATIENTS)
    office_id, seed_seconds = seed_patients(app, OFFICE_NAME, people)
    print(f"Seeded {len(people)} patients in {seed_seconds:.1f}s", flush=True)
    targets = random.Random(11).sample(people, args.warmup + args.search_reps)
    search_wall, search_page = bench_patient_search(browser, app, person.email, person.password, targets, len(people))
    queries = service_queries(people, SERVICE_QUERIES)
    service_all, service_by_kind, service_found = bench_search_service(
        app, person.email, office_id, queries, warm_ups=5
    )
    skip = args.warmup
    return {
        "patient_search_10k": {
            "label": f"Patient search ({SEED_PATIENTS:,}): fill -> row shown",
            "in_page_label": "input event -> row visible",
            "repetitions": args.search_reps,
            "wall": summary(search_wall[skip:]),
            "in_page": summary(search_page[skip:]),
            "warm_up_wall": [round(value, 1) for value in search_wall[:skip]],
            "note": "includes the search field's 250 ms debounce",
            "seed_seconds": round(seed_seconds, 1),
        },
        "search_patients_service_10k": {
            "label": f"search_patients() in process, {SERVICE_QUERIES} queries",
            "digits": 1,
            "repetitions": SERVICE_QUERIES,
            "wall": summary(service_all),
            "breakdown": {kind: summary(samples) for kind, samples in service_by_kind.items()},
            "mean_matches": service_found,
            "note": "each call in its own unit of work (BEGIN IMMEDIATE ... COMMIT), as the app runs it; 5 warm-ups",
        },
    }


SCENARIO = Scenario(
    name="patient-search",
    order=30,
    summary="10,000 patients: Patients page search, and search_patients() in process",
    run=run,
    arguments=arguments,
)
