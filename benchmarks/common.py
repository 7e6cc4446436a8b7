"""What every benchmark scenario shares: the run's context, timing summaries, the marks the
pages record, machine information, and the report (a table, and benchmarks/out/*.json).

A scenario (benchmarks/scenarios/) is one module with a `SCENARIO`; benchmarks/run.py finds them
all and runs those asked for, in their `order`.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page

from tests.e2e.harness import RunningApp
from tests.e2e.steps import Person

OUT_DIR = Path(__file__).resolve().parent / "out"
REPETITIONS = 20
WARM_UPS = 2
OFFICE_NAME = "Benchmark Physiotherapy"

Results = dict[str, dict[str, Any]]  # one entry per measurement, as the report and the table show it


@dataclass
class Context:
    """What a scenario runs against. Without `needs_app`, only `args` is set."""

    args: argparse.Namespace
    app: RunningApp | None = None
    browser: Browser | None = None
    person: Person | None = None  # a practitioner who owns OFFICE_NAME, made through the UI

    def live(self) -> tuple[Browser, RunningApp, Person]:
        """The browser, the app and the practitioner (for a scenario that `needs_app`)."""
        assert self.browser is not None and self.app is not None and self.person is not None
        return self.browser, self.app, self.person

    @property
    def runs(self) -> int:
        """Warm-ups and timed repetitions (--warmup, --reps)."""
        return self.args.warmup + self.args.reps


@dataclass(frozen=True)
class Scenario:
    name: str  # what --only takes
    order: int  # its place in a full run (a scenario that changes the office's data comes later)
    summary: str  # one line for --help
    run: Callable[[Context], Results]
    needs_app: bool = True  # the production app, Chromium, and the practitioner with their office
    arguments: Callable[[argparse.ArgumentParser], None] | None = None  # its own command-line options
    footnote: Callable[[Results], str] | None = None  # printed after the table


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


def database_url(app: RunningApp) -> str:
    # The harness clears PRAXIS_* from the app's environment: the database is
    # app/settings.py's default, praxis.db in the data directory.
    return f"sqlite:///{app.data_dir / 'praxis.db'}"


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


def write_report(
    args: argparse.Namespace,
    scenarios: list[Scenario],
    results: Results,
    browser_version: str,
    started: float,
    load_before: tuple[float, float, float],
) -> int:
    print_table(results, args.reps, args.warmup)
    for scenario in scenarios:
        if scenario.footnote is not None:
            print(scenario.footnote(results))
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "repetitions": args.reps,
        "warm_ups": args.warmup,
        "unit": "ms",
        "machine": machine(browser_version),
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
