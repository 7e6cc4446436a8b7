"""UI benchmark: how long a person waits, measured in headless Chromium (and, for the patient
search, in process).

    .venv/bin/python -m benchmarks.run                      # every scenario: what `make bench` runs
    .venv/bin/python -m benchmarks.run --reps 5             # a quick look
    .venv/bin/python -m benchmarks.run --only week          # one scenario (and the set-up it needs)
    .venv/bin/python -m benchmarks.run --only search-cases  # in process: no app, no browser

Each scenario is a module of benchmarks/scenarios/ (what it times is in its docstring); this
runs them in their order. For those that need it, it first starts the production app with
tests/e2e/harness.py (fresh database, default bcrypt cost) and makes one practitioner with an
office through the UI; each scenario then times, after warm-ups.

"wall" is measured in Python around the Playwright calls (the page is checked on every
animation frame); "in page" is measured by the page itself (performance.now(): from the form's
submit event, or from navigation start), without Playwright's round trips.
Prints a table and writes benchmarks/out/latest.json (latest-NAME.json with --only NAME).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from benchmarks.common import OFFICE_NAME, OUT_DIR, REPETITIONS, WARM_UPS, Context, Results, new_context, write_report
from benchmarks.scenarios import SCENARIOS
from tests.e2e.harness import launch_browser, running_app
from tests.e2e.steps import create_office, new_person, sign_up


def parse(argv: list[str] | None) -> argparse.Namespace:
    listed = "\n".join(f"  {name:<23}{scenario.summary}" for name, scenario in SCENARIOS.items())
    parser = argparse.ArgumentParser(
        description=__doc__,
        epilog=f"scenarios, in the order a full run takes them:\n{listed}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--reps", type=int, default=REPETITIONS)
    parser.add_argument("--warmup", type=int, default=WARM_UPS)
    for scenario in SCENARIOS.values():
        if scenario.arguments is not None:
            scenario.arguments(parser)
    parser.add_argument("--only", choices=("all", *SCENARIOS), default="all", help="run one scenario")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.out is None:
        args.out = OUT_DIR / ("latest.json" if args.only == "all" else f"latest-{args.only}.json")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    chosen = list(SCENARIOS.values()) if args.only == "all" else [SCENARIOS[args.only]]
    started = time.monotonic()
    load_before = os.getloadavg()
    results: Results = {}
    browser_version = ""
    in_process = [scenario for scenario in chosen if not scenario.needs_app]
    in_browser = [scenario for scenario in chosen if scenario.needs_app]
    # In process first, before the app starts: no app server or Chromium competes for the CPUs meanwhile.
    for scenario in in_process:
        results.update(scenario.run(Context(args)))
    if in_browser:
        expect.set_options(timeout=30_000)
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
                context = Context(args, app, browser, person)
                for scenario in in_browser:
                    results.update(scenario.run(context))
                browser_version = browser.version
            finally:
                browser.close()
    return write_report(args, chosen, results, browser_version, started, load_before)


if __name__ == "__main__":
    sys.exit(main())
