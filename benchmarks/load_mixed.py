"""Load test: many open tabs of every kind on Praxis, on SQLite or on PostgreSQL + Redis with N workers.

    flock /tmp/praxis-heavy.lock .venv/bin/python -m benchmarks.load_mixed --db sqlite --tabs 100 300 600
    flock /tmp/praxis-heavy.lock .venv/bin/python -m benchmarks.load_mixed --db postgres --workers 2 --tabs 300 600

Starts the production backend (tests/e2e/harness.py, `reflex run --env prod --backend-only`, loopback
only): with `--db sqlite` as `make run` does (one worker, a fresh SQLite database); with
`--db postgres` as `make run-cluster WORKERS=N` does (scripts/with-cluster.sh: a fresh PostgreSQL
and Redis in a temporary folder, N granian workers behind one port). The front end is not built or
served: only the websocket and its events are under test. It seeds OFFICES offices
(benchmarks/load_seed.py) and opens the tabs in client processes (benchmarks/load_clients.py), kept
apart from this process and from the server: half staff calendars, 35% portal pages of family
accounts, 15% public booking pages, spread over the offices, each acting every 2–6 s.

For each number of tabs (tabs stay open from one step to the next): a warm-up, then a measured
window: per action and overall the round trip p50/p95/p99/max, the answer's bytes, errors and
dropped sockets, bookings made/refused and cancellations, the bytes every tab received (pushes
included), the server's CPU (its whole process group, as a share of one core; PostgreSQL and
Redis run in their own groups and are reported apart when --db postgres) and RSS, the client
processes' CPU as a share of the machine, and `uptime`'s load before and after. A step passes when
the overall p95 is ≤ 100 ms with no error and no dropped socket; the run stops after a step whose
p95 passes --stop-p95, or with errors. With --py-spy, the workers are profiled during one step's
measured window (raw folded stacks in benchmarks/out/, summed up by benchmarks/pyspy_summary.py).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from benchmarks.load_calendar import group_cpu_seconds, group_rss_mb, pct, uptime
from benchmarks.load_clients import TabPlan, client_process
from benchmarks.load_seed import Seeded, seed
from tests.e2e.harness import ROOT, RunningApp, free_port, running_app

MIX = (("calendar", 10), ("portal", 7), ("booking", 3))  # of every 20 tabs
PASS_P95_MS = 100.0
OUT = Path(__file__).resolve().parent / "out"
Row = tuple[str, float, int, bool]  # action, round trip ms, bytes received, answered well


@contextlib.contextmanager
def server(db: str, workers: int, root: Path) -> Iterator[tuple[RunningApp, str, list[str]]]:
    """The running backend, its database URL, and the command-line markers of its helper servers."""
    env = {"PRAXIS_BCRYPT_ROUNDS": "4"}
    if db == "sqlite":
        with running_app(smtp=False, extra_env=env, backend_only=True, root=root) as app:
            yield app, f"sqlite:///{app.data_dir / 'praxis.db'}", []
        return
    folder = Path(tempfile.mkdtemp(prefix="praxis-load-"))
    folder.chmod(0o755)  # as root, PostgreSQL runs as `postgres` and must reach its folder
    pg_port, redis_port = free_port(), free_port()
    env |= {
        "PRAXIS_CLUSTER_DIR": str(folder / "cluster"),
        "PRAXIS_CLUSTER_PG_DIR": str(folder / "postgres"),
        "PRAXIS_CLUSTER_PG_PORT": str(pg_port),
        "PRAXIS_CLUSTER_REDIS_PORT": str(redis_port),
        "WORKERS": str(workers),
    }
    try:
        launcher = [str(root / "scripts" / "with-cluster.sh")]
        with running_app(smtp=False, extra_env=env, launcher=launcher, backend_only=True, root=root) as app:
            password = (folder / "postgres" / "praxis-password").read_text().strip()
            url = f"postgresql+psycopg://praxis:{password}@127.0.0.1:{pg_port}/praxis"
            yield app, url, [str(folder / "postgres" / "data"), f"127.0.0.1:{redis_port}"]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def helper_cpu_seconds(markers: list[str]) -> float:
    """CPU of this run's PostgreSQL and Redis: the processes whose command line names one of the
    markers (the postmaster's data folder, Redis' address), and the postmaster's children."""
    stats: dict[int, tuple[int, int]] = {}  # pid → (ppid, ticks)
    found: set[int] = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or not markers:
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        stats[pid] = (int(fields[1]), int(fields[11]) + int(fields[12]))
        if any(marker in cmdline for marker in markers):
            found.add(pid)
    total = sum(ticks for pid, (ppid, ticks) in stats.items() if pid in found or ppid in found)
    return total / os.sysconf("SC_CLK_TCK")


def plans(seeded: Seeded, start: int, stop: int) -> list[TabPlan]:
    """Tabs number start..stop-1: the mix of every 20, round-robin over the offices and accounts."""
    kinds = [kind for kind, count in MIX for _ in range(count)]
    made = []
    for i in range(start, stop):
        kind = kinds[i % len(kinds)]
        office = seeded.offices[i % len(seeded.offices)]
        turn = i // len(seeded.offices)
        if kind == "calendar":
            staff = seeded.staff[office]
            made.append(TabPlan(kind, staff[turn % len(staff)], office))
        else:
            accounts = seeded.families[office] if kind == "portal" else seeded.bookers[office]
            account = accounts[turn % len(accounts)]
            made.append(TabPlan(kind, account.token, office, account.records))
    return made


def summarise(samples: list[Row]) -> dict[str, Any]:
    times = [s[1] for s in samples]
    sizes = [s[2] for s in samples]
    return {
        "n": len(samples),
        "p50": round(pct(times, 0.5), 1),
        "p95": round(pct(times, 0.95), 1),
        "p99": round(pct(times, 0.99), 1),
        "max": round(max(times), 1) if times else None,
        "bytes_median": int(pct([float(s) for s in sizes], 0.5)) if sizes else None,
        "bytes_mean": round(sum(sizes) / len(sizes)) if sizes else None,
        "failed": sum(1 for s in samples if not s[3]),
    }


def ask(pipes: list[Connection], command: tuple[Any, ...], expect: str, timeout: float) -> list[Any]:
    for pipe in pipes:
        pipe.send(command)
    answers = []
    for pipe in pipes:
        if not pipe.poll(timeout):
            raise RuntimeError(f"A client process did not answer {command[0]!r} within {timeout:.0f}s")
        answer = pipe.recv()
        assert answer[0] == expect, answer
        answers.append(answer[1:])
    return answers


def profile(app: RunningApp, spy: str, seconds: float, label: str) -> list[subprocess.Popen[bytes]]:
    """py-spy on every worker (the processes of the server's group using the most CPU)."""
    pgid = os.getpgid(app.process.pid)
    workers = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if int(fields[2]) == pgid and "python" in cmdline:
            workers.append((int(fields[11]) + int(fields[12]), int(entry.name)))
    busiest = sorted(workers, reverse=True)[: max(1, len(workers) - 1)]
    started = []
    for _, pid in busiest:
        out = OUT / f"pyspy-{label}-{pid}.txt"
        command = [
            spy,
            "record",
            "--pid",
            str(pid),
            "--duration",
            str(int(seconds)),
            "--format",
            "raw",
            "--nonblocking",
            "--gil",  # the thread holding the GIL: where the CPU goes, not threads waiting on I/O
            "-o",
            str(out),
        ]
        started.append(subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    return started


def step(
    app: RunningApp,
    pipes: list[Connection],
    seeded: Seeded,
    opened: int,
    tabs: int,
    args: argparse.Namespace,
    profiled: bool,
) -> dict[str, Any]:
    new = plans(seeded, opened, tabs)
    shares = [new[i :: len(pipes)] for i in range(len(pipes))]
    opening = time.monotonic()
    for pipe, share in zip(pipes, shares, strict=True):
        pipe.send(("open", share))
    open_failures: list[str] = []
    for pipe in pipes:
        if not pipe.poll(600):
            raise RuntimeError("Opening the tabs took over 10 minutes")
        _, _, failures = pipe.recv()
        open_failures += failures
    open_seconds = time.monotonic() - opening
    time.sleep(args.warmup)
    start = time.monotonic() + 1.0
    end = start + args.seconds
    spies = (
        profile(app, args.py_spy, args.seconds, f"{args.db}-{args.workers}w-{tabs}") if profiled and args.py_spy else []
    )
    pgid = os.getpgid(app.process.pid)
    for pipe in pipes:
        pipe.send(("measure", start, end))
    time.sleep(max(0.0, start - time.monotonic()))
    load_before = uptime()
    cpu0, helpers0, wall0 = group_cpu_seconds(pgid), helper_cpu_seconds(args.markers), time.monotonic()
    time.sleep(max(0.0, end - time.monotonic()))
    cpu1, helpers1, wall1 = group_cpu_seconds(pgid), helper_cpu_seconds(args.markers), time.monotonic()
    load_after, rss = uptime(), group_rss_mb(pgid)
    reports = []
    for pipe in pipes:
        if not pipe.poll(120):
            raise RuntimeError("A client process did not report")
        reports.append(pipe.recv()[1])
    for spy in spies:
        spy.wait(timeout=120)
    wall = wall1 - wall0
    client_cpu = sum(r["cpu_seconds"] for r in reports)
    samples: list[Row] = [(str(a), float(ms), int(size), bool(ok)) for r in reports for a, ms, size, ok in r["samples"]]
    actions = sorted({s[0] for s in samples})
    errors = [e for r in reports for e in r["errors"]] + open_failures
    dropped = sum(r["dropped"] for r in reports)
    overall = summarise(samples)
    return {
        "db": args.db,
        "workers": args.workers,
        "tabs": tabs,
        "think_seconds": list(args.think),
        "seconds": round(wall, 1),
        "overall": overall,
        "actions": {a: summarise([s for s in samples if s[0] == a]) for a in actions},
        "events_per_second": round(len(samples) / wall, 1),
        "errors": len(errors),
        "first_errors": errors[:5],
        "dropped": dropped,
        "passed": overall["p95"] <= PASS_P95_MS and not errors and not dropped,
        "bookings": sum(r["bookings"] for r in reports),
        "refused_bookings": sum(r["refused_bookings"] for r in reports),
        "cancellations": sum(r["cancellations"] for r in reports),
        "received_kb_per_s": round(sum(r["received_bytes"] for r in reports) / wall / 1000, 1),
        "server_cpu_pct_of_core": round(100 * (cpu1 - cpu0) / wall, 1),
        "pg_redis_cpu_pct_of_core": round(100 * (helpers1 - helpers0) / wall, 1) if args.markers else None,
        "clients_cpu_pct_of_machine": round(100 * client_cpu / wall / (os.cpu_count() or 1), 1),
        "server_rss_mb": round(rss, 1),
        "open_seconds": round(open_seconds, 1),
        "server_log_tracebacks": app.log_path.read_text(errors="replace").count("Traceback"),
        "uptime_before": load_before,
        "uptime_after": load_after,
    }


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--workers", type=int, default=1, help="backend workers (postgres only; sqlite runs one)")
    parser.add_argument("--tabs", type=int, nargs="+", default=[100, 300, 600], help="open tabs, increasing")
    parser.add_argument("--seconds", type=float, default=30.0, help="measured window per step")
    parser.add_argument("--warmup", type=float, default=8.0, help="seconds of load before measuring")
    parser.add_argument("--offices", type=int, default=10)
    parser.add_argument(
        "--think", type=float, nargs=2, default=[2.0, 6.0], help="seconds between a tab's actions (uniform min max)"
    )
    parser.add_argument("--client-procs", type=int, default=2, help="client processes the tabs are spread over")
    parser.add_argument("--stop-p95", type=float, default=500.0, help="no further step once the p95 passes this (ms)")
    parser.add_argument("--py-spy", default="", help="a py-spy executable, to profile the workers at one step")
    parser.add_argument("--profile-at", type=int, default=0, help="the step (tabs) to profile; the last by default")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to run (e.g. a copy with a change)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.tabs != sorted(args.tabs) or max(args.tabs) > 2000 or args.seconds > 300 or args.workers > 8:
        parser.error("--tabs increasing, at most 2000; --seconds at most 300; --workers at most 8")
    if args.db == "sqlite" and args.workers != 1:
        parser.error("SQLite runs one worker (as `make run`)")
    args.markers = []
    return args


def main(argv: list[str] | None = None) -> int:
    from app.db import make_engine

    args = parse(argv)
    out = args.out or OUT / f"load_mixed-{args.db}-{args.workers}w.json"
    results: list[dict[str, Any]] = []
    with server(args.db, args.workers, args.root) as (app, url, markers):
        args.markers = markers
        engine = make_engine(url)
        seeded = seed(engine, args.offices)
        engine.dispose()
        context = multiprocessing.get_context("spawn")
        pipes, processes = [], []
        for index in range(args.client_procs):
            mine, theirs = context.Pipe()
            process = context.Process(
                target=client_process, args=(theirs, app.base_url, index, tuple(args.think)), daemon=True
            )
            process.start()
            pipes.append(mine)
            processes.append(process)
        try:
            opened = 0
            for number, tabs in enumerate(args.tabs):
                profiled = tabs == args.profile_at or (not args.profile_at and number == len(args.tabs) - 1)
                result = step(app, pipes, seeded, opened, tabs, args, profiled)
                opened = tabs
                results.append(result)
                print(json.dumps(result), flush=True)
                if result["overall"]["p95"] > args.stop_p95 or result["errors"] or result["dropped"]:
                    break  # far past the limit: more tabs would only pile up
        finally:
            with contextlib.suppress(Exception):
                ask(pipes, ("stop",), "stopped", 60)
            for process in processes:
                process.join(timeout=10)
                if process.is_alive():
                    process.kill()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print("| tabs | all p50 / p95 / p99 / max ms | events/s | errors / dropped | server CPU | clients CPU | passed |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        o = r["overall"]
        print(
            f"| {r['tabs']} | {o['p50']} / {o['p95']} / {o['p99']} / {o['max']} | {r['events_per_second']} "
            f"| {r['errors']} / {r['dropped']} | {r['server_cpu_pct_of_core']}% | {r['clients_cpu_pct_of_machine']}% "
            f"| {'yes' if r['passed'] else 'no'} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
