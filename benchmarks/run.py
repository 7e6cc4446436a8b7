"""UI benchmark: how long a person waits, measured in headless Chromium.

    .venv/bin/python -m benchmarks.run            # what `make bench` runs
    .venv/bin/python -m benchmarks.run --reps 5   # a quick look

Starts the production app with tests/e2e/harness.py (fresh database, default
bcrypt cost), makes one practitioner with an office through the UI, then
times, after warm-ups:

1. sign-in: from the click on "Sign in" to the workspace's "Home" heading
   being visible (each repetition in a fresh browser context, so signed out);
2. Office Details: from page.goto(/clinic/office) to the Office Share PIN
   being visible (in one signed-in context; every visit is a full page load);
3. patient search on 10,000 patients: 10,000 Patient rows are written straight
   into the app's database (one transaction, search_text made the way
   app/services/patients.py makes it), then, on the Patients page, from
   filling "Search patients" with a patient's full name to that patient's row
   being visible (debounce included), each repetition for another patient and
   starting from an empty result; and, separately, in this process,
   app.services.patients.search_patients over 100 queries of six kinds (name,
   surname, e-mail, phone, date of birth, first page without a query), each in
   its own transaction as the app runs it;
4. the booking calendar week view: 9 more practitioners (10 with the owner),
   08:00-20:00 hours every day, one service and 500 appointments over NEXT
   week are written straight into the database; then, on /clinic/calendar
   (week view, 70 lanes), from the click on "Next week" to the new week's
   subtitle and a known appointment of that week being visible, alternating
   with "Previous week" back to this week (its subtitle and a grid cell
   visible); and the websocket bytes received for one switch to next week.
   `--only week` runs just this one (and the set-up it needs).

"wall" is measured in Python around the Playwright calls (the page is checked
on every animation frame); "in page" is measured by the page itself
(performance.now(): from the form's submit event, or from navigation start),
without Playwright's round trips. The sign-in click is made once the sign-in
page has settled (Reflex's hydration and the page's on_load done), and its
in-page time is split at the redirect to /clinic: before it, the server's
sign-in (bcrypt); after it, loading the workspace route and its data.
Prints a table and writes benchmarks/out/latest.json.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.e2e.harness import RunningApp, launch_browser, running_app
from tests.e2e.steps import create_office, fill_sign_in, new_person, sign_in, sign_up, wait_until_interactive

OUT_DIR = Path(__file__).resolve().parent / "out"
REPETITIONS = 20
WARM_UPS = 2
SEARCH_REPETITIONS = 15
SEED_PATIENTS = 10_000
SERVICE_QUERIES = 100
OFFICE_NAME = "Benchmark Physiotherapy"

# Installed in every page before its own scripts: records when the form is
# submitted and when the two things we wait for first become visible.
MARKS_SCRIPT = """(() => {
  const marks = window.__praxisMarks = {};
  const pin = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
  document.addEventListener('submit', () => { marks.submit = performance.now(); }, true);
  // Reflex marks the end of a page's hydration (its on_load events included) with this delta.
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (marks.hydrated === undefined && typeof event.data === 'string'
            && event.data.includes('"is_hydrated_rx_state_":true')) marks.hydrated = performance.now();
      });
    }
  };
  const check = () => {
    if (marks.clinic === undefined && location.pathname.startsWith('/clinic')) marks.clinic = performance.now();
    if (marks.home === undefined) {
      for (const h of document.querySelectorAll('h1')) {
        if (h.textContent.trim() === 'Home' && h.checkVisibility()) { marks.home = performance.now(); break; }
      }
    }
    if (marks.pin === undefined) {
      const el = document.querySelector('[aria-label="Office Share PIN"]');
      if (el && pin.test(el.textContent.trim()) && el.checkVisibility()) marks.pin = performance.now();
    }
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true, characterData: true});
})();"""

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

HOME_VISIBLE = """() => [...document.querySelectorAll('h1')]
    .some(h => h.textContent.trim() === 'Home' && h.checkVisibility())"""
PIN_VISIBLE = """() => {
    const el = document.querySelector('[aria-label="Office Share PIN"]');
    return !!el && /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/.test(el.textContent.trim()) && el.checkVisibility();
}"""


def summary(samples: list[float]) -> dict[str, Any]:
    ordered = sorted(samples)
    # p90 by linear interpolation between closest ranks (statistics' "inclusive" method)
    p90 = statistics.quantiles(ordered, n=10, method="inclusive")[8] if len(ordered) > 1 else ordered[0]
    return {
        "median": round(statistics.median(ordered), 1),
        "p90": round(p90, 1),
        "min": round(ordered[0], 1),
        "max": round(ordered[-1], 1),
        "samples": [round(value, 1) for value in samples],
    }


def new_context(browser: Browser, app: RunningApp) -> BrowserContext:
    context = browser.new_context(base_url=app.base_url, locale="en-CA", timezone_id="America/Toronto")
    context.set_default_timeout(30_000)
    context.add_init_script(MARKS_SCRIPT)
    return context


def marks(page: Page) -> dict[str, float]:
    return page.evaluate("window.__praxisMarks")


def bench_sign_in(
    browser: Browser, app: RunningApp, email: str, password: str, runs: int
) -> tuple[list, list, list, list]:
    wall, in_page, to_redirect, after_redirect = [], [], [], []
    for _ in range(runs):
        context = new_context(browser, app)
        page = context.new_page()
        fill_sign_in(page, email, password)
        # Start from a settled page: the sign-in page's own on_load has finished.
        page.wait_for_function("() => window.__praxisMarks.hydrated !== undefined", polling="raf")
        start = time.perf_counter()
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_function(HOME_VISIBLE, polling="raf")
        wall.append((time.perf_counter() - start) * 1000)
        seen = marks(page)
        in_page.append(seen["home"] - seen["submit"])
        to_redirect.append(seen["clinic"] - seen["submit"])
        after_redirect.append(seen["home"] - seen["clinic"])
        context.close()
    return wall, in_page, to_redirect, after_redirect


def bench_office_details(browser: Browser, app: RunningApp, email: str, password: str, runs: int) -> tuple[list, list]:
    context = new_context(browser, app)
    page = context.new_page()
    sign_in(page, email, password)
    expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()
    wall, in_page = [], []
    for _ in range(runs):
        page.goto("about:blank")
        start = time.perf_counter()
        page.goto(app.url("/clinic/office"), wait_until="commit")
        page.wait_for_function(PIN_VISIBLE, polling="raf")
        wall.append((time.perf_counter() - start) * 1000)
        in_page.append(marks(page)["pin"])
    context.close()
    return wall, in_page


# ---- patient search on 10,000 patients -------------------------------------------


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


def database_url(app: RunningApp) -> str:
    # The harness clears PRAXIS_* from the app's environment: the database is
    # app/settings.py's default, praxis.db in the data directory.
    return f"sqlite:///{app.data_dir / 'praxis.db'}"


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


# ---- booking calendar week view -------------------------------------------------------

WEEK_PRACTITIONERS = 10
WEEK_APPOINTMENTS = 500
WEEK_REPETITIONS = 10
OFFICE_ZONE = "America/Toronto"  # create_office's default

# Installed in the calendar's page: when a button was last clicked, and a
# predicate that records (once) when the week we wait for is shown.
WEEK_MARKS_SCRIPT = """(() => {
  window.__praxisWeek = {};
  document.addEventListener('click', () => { window.__praxisWeek.click = performance.now(); }, true);
  // When the first websocket message after the click arrives: splits server time from drawing time.
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => {
        const marks = window.__praxisWeek;
        if (marks.click !== undefined && marks.message === undefined) marks.message = performance.now();
      });
    }
  };
  window.__praxisWeekShown = (target) => {
    const marks = window.__praxisWeek;
    const button = document.querySelector(`[aria-label="${target.button}"]`);
    if (!button || !button.checkVisibility()) return false;
    const title = [...document.querySelectorAll('p, span, h1, h2')].some(
      (el) => el.textContent.trim() === target.title && el.checkVisibility());
    if (!title) return false;
    if (marks.shown === undefined) marks.shown = performance.now();
    return true;
  };
})();"""


def week_title(monday: date) -> str:
    """The calendar's subtitle for a week, as the app writes it: "23 Nov – 29 Nov 2026"."""
    from app.services.formatting import day_span

    return day_span(monday, monday + timedelta(days=6))


def seed_week(app: RunningApp, owner_email: str) -> dict[str, Any]:
    """9 more practitioners, hours, one service and 500 appointments next week, straight into the database."""
    from zoneinfo import ZoneInfo

    from sqlmodel import select

    from app.db import make_engine, unit_of_work
    from app.models import (
        AccountKind,
        Appointment,
        AppointmentStatus,
        Membership,
        OfficeRole,
        Patient,
        Service,
        ServicePractitioner,
        User,
        WorkingHours,
    )

    zone = ZoneInfo(OFFICE_ZONE)
    today = datetime.now(zone).date()
    this_monday = today - timedelta(days=today.weekday())
    next_monday = this_monday + timedelta(days=7)
    engine = make_engine(database_url(app))
    started = time.perf_counter()
    with unit_of_work(engine) as db:
        owner = db.exec(select(User).where(User.email_normalized == owner_email.lower())).one()
        office_id = db.exec(select(Membership.office_id).where(Membership.user_id == owner.id)).one()
        people = [owner]
        for i in range(1, WEEK_PRACTITIONERS):
            user = User(
                email=f"week-p{i:02d}@example.com",
                email_normalized=f"week-p{i:02d}@example.com",
                full_name=f"Practitioner {i:02d}",
                kind=AccountKind.practitioner,
                password_hash="!",  # never signs in
            )
            db.add(user)
            db.flush()
            db.add(Membership(office_id=office_id, user_id=user.id, role=OfficeRole.practitioner))
            people.append(user)
        service = Service(office_id=office_id, name="Treatment", duration_minutes=30, color="teal")
        db.add(service)
        db.flush()
        patients = [Patient(office_id=office_id, first_name=f"Week{i:02d}", last_name="Patient") for i in range(50)]
        db.add_all(patients)
        db.flush()
        for user in people:
            db.add(ServicePractitioner(service_id=service.id, user_id=user.id))
            for weekday in range(7):
                db.add(
                    WorkingHours(
                        office_id=office_id, user_id=user.id, weekday=weekday, start_minute=8 * 60, end_minute=20 * 60
                    )
                )
        # 10 a day for each of the 10 practitioners, Monday to Friday next week: 09:00, 09:45, ...
        per_day = WEEK_APPOINTMENTS // (5 * WEEK_PRACTITIONERS)
        count = 0
        for offset in range(5):
            day = next_monday + timedelta(days=offset)
            for p_index, user in enumerate(people):
                for k in range(per_day):
                    local = datetime.combine(day, datetime.min.time(), tzinfo=zone) + timedelta(minutes=9 * 60 + 45 * k)
                    starts = local.astimezone(UTC)
                    db.add(
                        Appointment(
                            office_id=office_id,
                            practitioner_id=user.id,
                            patient_id=patients[(count + p_index) % len(patients)].id,
                            service_id=service.id,
                            starts_at=starts,
                            ends_at=starts + timedelta(minutes=30),
                            status=AppointmentStatus.booked,
                            booked_by_user_id=owner.id,
                        )
                    )
                    count += 1
        known_patient = f"{patients[0].first_name} {patients[0].last_name}"
        owner_name = owner.full_name
    engine.dispose()
    return {
        "appointments": count,
        "seconds": time.perf_counter() - started,
        "this_monday": this_monday,
        "next_monday": next_monday,
        # the owner's first appointment next Monday is patients[0]'s (count 0, p_index 0)
        "known_button": f"09:00 {known_patient}, Treatment, Booked",
        "this_week_cell": f"Book {owner_name}, {this_monday:%a} {this_monday.day} {this_monday:%b} 08:00",
    }


def bench_week_view(
    browser: Browser, app: RunningApp, email: str, password: str, seeded: dict[str, Any], runs: int
) -> dict[str, Any]:
    """Alternate "Next week" / "Previous week" on the calendar; time each until the week is shown."""
    context = new_context(browser, app)
    context.add_init_script(WEEK_MARKS_SCRIPT)
    page = context.new_page()
    frames: list[int] = []
    recording = {"on": False}

    def on_websocket(ws: Any) -> None:
        def received(payload: str | bytes) -> None:
            if recording["on"]:
                frames.append(len(payload.encode() if isinstance(payload, str) else payload))

        ws.on("framereceived", received)

    page.on("websocket", on_websocket)
    # Whether the server compresses websocket frames (permessage-deflate): then the bytes on the
    # wire are fewer than the payload sizes recorded above.
    extensions: list[str] = []
    cdp = context.new_cdp_session(page)
    cdp.on(
        "Network.webSocketHandshakeResponseReceived",
        lambda event: extensions.append(
            {k.lower(): v for k, v in event["response"]["headers"].items()}.get("sec-websocket-extensions", "")
        ),
    )
    cdp.send("Network.enable")
    sign_in(page, email, password)
    expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()
    page.goto(app.url("/clinic/calendar"))
    wait_until_interactive(page)
    targets = {
        "next": {"title": week_title(seeded["next_monday"]), "button": seeded["known_button"]},
        "previous": {"title": week_title(seeded["this_monday"]), "button": seeded["this_week_cell"]},
    }
    page.wait_for_function("(t) => window.__praxisWeekShown(t)", arg=targets["previous"], polling="raf")
    wall: dict[str, list[float]] = {"next": [], "previous": []}
    in_page: dict[str, list[float]] = {"next": [], "previous": []}
    to_message: dict[str, list[float]] = {"next": [], "previous": []}
    frame_sizes: list[list[int]] = []
    for _ in range(runs):
        for direction, label in (("next", "Next week"), ("previous", "Previous week")):
            # Find the button first and click its centre with the mouse: a locator's click would add
            # Playwright's own role query over the whole grid (tens of ms) to the time measured.
            box = page.get_by_role("button", name=label, exact=True).bounding_box()
            assert box is not None, label
            page.evaluate("() => { window.__praxisWeek = {}; }")
            frames.clear()
            recording["on"] = True
            start = time.perf_counter()
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.wait_for_function("(t) => window.__praxisWeekShown(t)", arg=targets[direction], polling="raf")
            wall[direction].append((time.perf_counter() - start) * 1000)
            recording["on"] = False
            seen = page.evaluate("window.__praxisWeek")
            in_page[direction].append(seen["shown"] - seen["click"])
            if "message" in seen:
                to_message[direction].append(seen["message"] - seen["click"])
            if direction == "next":
                frame_sizes.append(list(frames))
    expect(page.get_by_role("button", name=seeded["known_button"], exact=True)).to_have_count(0)  # back on this week
    context.close()
    return {
        "wall": wall,
        "in_page": in_page,
        "to_message": to_message,
        "frames": frame_sizes,
        "websocket_extensions": extensions[-1] if extensions else "",
    }


def machine(browser_version: str) -> dict[str, Any]:
    cpu_model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count()
    try:
        reflex_version = importlib.metadata.version("reflex")
    except importlib.metadata.PackageNotFoundError:
        reflex_version = ""
    return {
        "nproc": cpus,
        "memory_gib": memory_gib,
        "cpu_model": cpu_model,
        "os": platform.platform(),
        "python": platform.python_version(),
        "reflex": reflex_version,
        "chromium": browser_version,
    }


def print_table(results: dict[str, dict[str, Any]], repetitions: int, warm_ups: int) -> None:
    print(f"\nPraxis UI benchmark: {repetitions} repetitions after {warm_ups} warm-ups, times in ms")
    header = f"{'measurement':<44}{'median':>9}{'p90':>9}{'min':>9}{'max':>9}"
    print(header)
    print("-" * len(header))
    for result in results.values():
        digits = result.get("digits", 0)
        for kind in ("wall", "in_page"):
            if kind not in result:
                continue
            row = result[kind]
            label = result["label"] if kind == "wall" else "  in page: " + result["in_page_label"]
            print(
                f"{label:<44}{row['median']:>9.{digits}f}{row['p90']:>9.{digits}f}"
                f"{row['min']:>9.{digits}f}{row['max']:>9.{digits}f}"
            )
        for part, row in {**result.get("breakdown_in_page", {}), **result.get("breakdown", {})}.items():
            label = "    " + part.replace("_", " ")
            print(
                f"{label:<44}{row['median']:>9.{digits}f}{row['p90']:>9.{digits}f}"
                f"{row['min']:>9.{digits}f}{row['max']:>9.{digits}f}"
            )
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=REPETITIONS)
    parser.add_argument("--warmup", type=int, default=WARM_UPS)
    parser.add_argument("--search-reps", type=int, default=SEARCH_REPETITIONS)
    parser.add_argument("--week-reps", type=int, default=WEEK_REPETITIONS)
    parser.add_argument(
        "--only", choices=("all", "week"), default="all", help="'week': only the booking calendar week view"
    )
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.out is None:
        args.out = OUT_DIR / ("latest.json" if args.only == "all" else f"latest-{args.only}.json")
    expect.set_options(timeout=30_000)

    started = time.monotonic()
    load_before = os.getloadavg()
    with running_app() as app, sync_playwright() as playwright:
        print(f"App ready at {app.base_url} after {time.monotonic() - started:.1f}s", flush=True)
        browser = launch_browser(playwright)
        try:
            person = new_person("practitioner", name="Bench Mark")
            setup = new_context(browser, app)
            page = setup.new_page()
            sign_up(page, app.mailbox, person)
            create_office(page, OFFICE_NAME)
            setup.close()

            runs = args.warmup + args.reps
            if args.only == "week":
                raise _WeekOnly
            sign_in_wall, sign_in_page, sign_in_server, sign_in_route = bench_sign_in(
                browser, app, person.email, person.password, runs
            )
            office_wall, office_page = bench_office_details(browser, app, person.email, person.password, runs)

            people = seeded_patients(SEED_PATIENTS)
            office_id, seed_seconds = seed_patients(app, OFFICE_NAME, people)
            print(f"Seeded {len(people)} patients in {seed_seconds:.1f}s", flush=True)
            targets = random.Random(11).sample(people, args.warmup + args.search_reps)
            search_wall, search_page = bench_patient_search(
                browser, app, person.email, person.password, targets, len(people)
            )
            queries = service_queries(people, SERVICE_QUERIES)
            service_all, service_by_kind, service_found = bench_search_service(
                app, person.email, office_id, queries, warm_ups=5
            )
        except _WeekOnly:
            pass
        try:
            # Last in a full run, so that its 9 extra practitioners don't change the figures above.
            seeded_week = seed_week(app, person.email)
            print(
                f"Seeded {seeded_week['appointments']} appointments next week in {seeded_week['seconds']:.1f}s",
                flush=True,
            )
            week = bench_week_view(
                browser, app, person.email, person.password, seeded_week, args.warmup + args.week_reps
            )
            version = browser.version
        finally:
            browser.close()

    skip = args.warmup
    week_result = week_results(week, skip, args.week_reps, seeded_week)
    if args.only == "week":
        return write_report(args, {"calendar_week_view": week_result}, version, started, load_before)
    results = {
        "sign_in_to_workspace": {
            "label": 'Sign in: click "Sign in" -> "Home" shown',
            "in_page_label": "submit -> Home visible",
            "wall": summary(sign_in_wall[skip:]),
            "in_page": summary(sign_in_page[skip:]),
            "warm_up_wall": [round(value, 1) for value in sign_in_wall[:skip]],
            "breakdown_in_page": {
                "submit_to_redirect": summary(sign_in_server[skip:]),
                "redirect_to_home_visible": summary(sign_in_route[skip:]),
            },
        },
        "office_details_load": {
            "label": "Office Details: goto -> Share PIN shown",
            "in_page_label": "navigation start -> PIN visible",
            "wall": summary(office_wall[skip:]),
            "in_page": summary(office_page[skip:]),
            "warm_up_wall": [round(value, 1) for value in office_wall[:skip]],
        },
    }
    results["patient_search_10k"] = {
        "label": f"Patient search ({SEED_PATIENTS:,}): fill -> row shown",
        "in_page_label": "input event -> row visible",
        "repetitions": args.search_reps,
        "wall": summary(search_wall[skip:]),
        "in_page": summary(search_page[skip:]),
        "warm_up_wall": [round(value, 1) for value in search_wall[:skip]],
        "note": "includes the search field's 250 ms debounce",
        "seed_seconds": round(seed_seconds, 1),
    }
    results["search_patients_service_10k"] = {
        "label": f"search_patients() in process, {SERVICE_QUERIES} queries",
        "digits": 1,
        "repetitions": SERVICE_QUERIES,
        "wall": summary(service_all),
        "breakdown": {kind: summary(samples) for kind, samples in service_by_kind.items()},
        "mean_matches": service_found,
        "note": "each call in its own unit of work (BEGIN IMMEDIATE ... COMMIT), as the app runs it; 5 warm-ups",
    }
    results["calendar_week_view"] = week_result
    return write_report(args, results, version, started, load_before)


class _WeekOnly(Exception):
    """Stops the run after the week view (--only week)."""


def week_results(week: dict[str, Any], skip: int, reps: int, seeded: dict[str, Any]) -> dict[str, Any]:
    # Each repetition is one "Next week" and one "Previous week"; warm-ups are the first `skip` pairs.
    both_wall = [
        v for pair in zip(week["wall"]["next"][skip:], week["wall"]["previous"][skip:], strict=True) for v in pair
    ]
    both_page = [
        v for pair in zip(week["in_page"]["next"][skip:], week["in_page"]["previous"][skip:], strict=True) for v in pair
    ]
    frames = week["frames"][skip:]
    totals = [sum(sizes) for sizes in frames]
    return {
        "label": f"Week view ({WEEK_PRACTITIONERS} pract., {seeded['appointments']} appts): click -> grid",
        "in_page_label": "click event -> week shown",
        "repetitions": reps,
        "wall": summary(both_wall),
        "in_page": summary(both_page),
        "breakdown_in_page": {
            "to_next_week_500_appointments": summary(week["in_page"]["next"][skip:]),
            "to_this_week_empty": summary(week["in_page"]["previous"][skip:]),
            # the same switches timed in Python around the mouse click (wall)
            "next_week_wall": summary(week["wall"]["next"][skip:]),
            "this_week_wall": summary(week["wall"]["previous"][skip:]),
            # click -> the server's answer arrives (event sent, handler run, delta back); the rest is drawing
            "next_week_click_to_answer": summary(week["to_message"]["next"][skip:]),
            "this_week_click_to_answer": summary(week["to_message"]["previous"][skip:]),
        },
        "warm_up_wall": [round(v, 1) for v in week["wall"]["next"][:skip] + week["wall"]["previous"][:skip]],
        "websocket_bytes_received_next_week": {
            "per_switch_total": totals,
            "frames_per_switch": [len(sizes) for sizes in frames],
            "largest_frame": max((max(sizes) for sizes in frames if sizes), default=0),
            "median_total": statistics.median(totals) if totals else 0,
        },
        "websocket_extensions": week["websocket_extensions"] or "none (frames are not compressed)",
        "seed_seconds": round(seeded["seconds"], 1),
    }


def write_report(
    args: argparse.Namespace,
    results: dict[str, Any],
    version: str,
    started: float,
    load_before: tuple[float, float, float],
) -> int:
    print_table(results, args.reps, args.warmup)
    week = results.get("calendar_week_view")
    if week:
        ws = week["websocket_bytes_received_next_week"]
        print(
            f"Websocket bytes received per switch to next week: {ws['per_switch_total']} "
            f"(frames {ws['frames_per_switch']}, largest {ws['largest_frame']}); "
            f"websocket extensions: {week['websocket_extensions']}"
        )
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "repetitions": args.reps,
        "warm_ups": args.warmup,
        "unit": "ms",
        "machine": machine(version),
        # Other work on the machine skews the figures: compare the load with nproc.
        "load_average_1m": {"before": round(load_before[0], 2), "after": round(os.getloadavg()[0], 2)},
        "results": results,
        "total_seconds": round(time.monotonic() - started, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    load = report["load_average_1m"]
    print(f"1-minute load average {load['before']} before, {load['after']} after, on {report['machine']['nproc']} CPUs")
    print(f"Wrote {args.out} ({report['total_seconds']}s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
