"""UI benchmark: how long a person waits, measured in headless Chromium.

    .venv/bin/python -m benchmarks.run            # what `make bench` runs
    .venv/bin/python -m benchmarks.run --reps 5   # a quick look

Starts the production app with tests/e2e/harness.py (fresh database, default
bcrypt cost), makes one practitioner with an office through the UI, then
times, after warm-ups:

1. sign-in: from the click on "Sign in" to the workspace's "Home" heading
   being visible (each repetition in a fresh browser context, so signed out);
2. Office Details: from page.goto(/clinic/office) to the Office Share PIN
   being visible (in one signed-in context; every visit is a full page load).

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
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.e2e.harness import RunningApp, launch_browser, running_app
from tests.e2e.steps import create_office, fill_sign_in, new_person, sign_in, sign_up

OUT_DIR = Path(__file__).resolve().parent / "out"
REPETITIONS = 20
WARM_UPS = 2

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
        for kind in ("wall", "in_page"):
            row = result[kind]
            label = result["label"] if kind == "wall" else "  in page: " + result["in_page_label"]
            print(f"{label:<44}{row['median']:>9.0f}{row['p90']:>9.0f}{row['min']:>9.0f}{row['max']:>9.0f}")
        for part, row in result.get("breakdown_in_page", {}).items():
            label = "    " + part.replace("_", " ")
            print(f"{label:<44}{row['median']:>9.0f}{row['p90']:>9.0f}{row['min']:>9.0f}{row['max']:>9.0f}")
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=REPETITIONS)
    parser.add_argument("--warmup", type=int, default=WARM_UPS)
    parser.add_argument("--out", type=Path, default=OUT_DIR / "latest.json")
    args = parser.parse_args(argv)
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
            create_office(page, "Benchmark Physiotherapy")
            setup.close()

            runs = args.warmup + args.reps
            sign_in_wall, sign_in_page, sign_in_server, sign_in_route = bench_sign_in(
                browser, app, person.email, person.password, runs
            )
            office_wall, office_page = bench_office_details(browser, app, person.email, person.password, runs)
            version = browser.version
        finally:
            browser.close()

    skip = args.warmup
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
    print_table(results, args.reps, args.warmup)
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
