"""Load test: many open staff calendars on one production server, and how fast a click answers.

    .venv/bin/python -m benchmarks.load_calendar --tabs 300            # the current code
    .venv/bin/python -m benchmarks.load_calendar --tabs 20 100 300     # one server, three loads in turn
    .venv/bin/python -m benchmarks.load_calendar --tabs 100 --polling --root /tmp/praxis-main
                                                    # an older checkout whose pages poll (issue 16)
    .venv/bin/python -m benchmarks.load_calendar --backend-only --tabs 300 --send noop --every 4
                                                    # the server's CPU per event: Reflex's floor

Starts the app as `make run` does (tests/e2e/harness.py: `reflex run --env prod --single-port`, one
worker, SQLite, a fresh data directory; loopback only), seeds one office straight into its
database (PRACTITIONERS practitioners with working hours, STAFF staff accounts with an open
session each, APPOINTMENTS_PER_DAY appointments a day this week and next), then:

- opens N simulated calendar tabs: websockets speaking Reflex's protocol (tests/e2e/socket_client.py),
  each signed in as one of the staff accounts, hydrated on /clinic/calendar with its on_load. Each tab
  then does what the page does in the browser: with `--polling` (the pages before issue 16) it sends
  the calendar's `watch` every 2 s and the layout's `heartbeat` every 4 s; without it, the page's
  mount events once (the server pushes changes from then on).
- one more tab, the sampler, clicks "Next week" / "Previous week" once a second: the time from
  sending `move` to the update carrying the new week's title is one click's round trip.

Reported per load: click p50/p95/p99/max, the polls sent (with --polling), errors and dropped
sockets, the server's CPU (its whole process group, as a share of one core) and this process's own CPU
(the clients, kept out of the server figure), the server's RSS, and `uptime`'s load before and after.
The clients run in this process; the server in its own process group.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.e2e.harness import ROOT, RunningApp, running_app
from tests.e2e.socket_client import Frame, SocketClient

PRACTITIONERS = 3
STAFF = 10
APPOINTMENTS_PER_DAY = 12  # per practitioner, Monday to Friday
OFFICE_ZONE = "America/Toronto"
CALENDAR = "/clinic/calendar"
WATCH_SECONDS, HEARTBEAT_SECONDS = 2.0, 4.0  # the pages' timers before issue 16
CLK_TCK = os.sysconf("SC_CLK_TCK")


def handler_names() -> dict[str, str]:
    """Full event names ("<state path>.<handler>"): the same in the old and new code."""
    from app.state.calendar import BookingCalendarState
    from app.state.invitations import InvitationState

    calendar = BookingCalendarState.get_full_name()
    return {
        "move": f"{calendar}.move",
        "watch": f"{calendar}.watch",
        "heartbeat": f"{InvitationState.get_full_name()}.heartbeat",
        "calendar_state": calendar,
        # --send noop: an event whose handler reads one var and changes nothing (an unknown
        # practitioner): Reflex's own cost per event, the tab guard's included
        "noop": f"{calendar}.show_practitioner",
    }


SENT_PAYLOADS: dict[str, list[dict[str, Any]]] = {
    "noop": [{"practitioner_id": "0", "shown": True}],
    "move": [{"steps": 1}, {"steps": -1}],
}


# ---- seeding ----------------------------------------------------------------------------


def seed(app: RunningApp) -> list[str]:
    """The office, its people and appointments; returns one session token per staff account."""
    from zoneinfo import ZoneInfo

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
    from app.services import sessions
    from app.services.offices import OfficeInput, create_office

    engine = make_engine(f"sqlite:///{app.data_dir / 'praxis.db'}")
    zone = ZoneInfo(OFFICE_ZONE)
    monday = datetime.now(zone).date() - timedelta(days=datetime.now(zone).weekday())
    tokens: list[str] = []
    with unit_of_work(engine) as db:

        def person(email: str, kind: AccountKind) -> User:
            user = User(
                email=email, email_normalized=email, full_name=email.split("@")[0], kind=kind, password_hash="!"
            )
            db.add(user)
            db.flush()
            return user

        owner = person("load-owner@example.com", AccountKind.practitioner)
        owner_token = sessions.start(db, owner)
        actor = sessions.resolve(db, owner_token, touch=False)
        assert actor is not None
        office = create_office(db, actor, OfficeInput("Load Test Clinic", "1 Main St", "416-555-0100", OFFICE_ZONE))
        office_id = office.id
        assert office_id is not None
        practitioners = [owner]
        for i in range(1, PRACTITIONERS):
            user = person(f"load-p{i}@example.com", AccountKind.practitioner)
            db.add(Membership(office_id=office_id, user_id=user.id, role=OfficeRole.practitioner))
            practitioners.append(user)
        for i in range(STAFF):
            user = person(f"load-s{i}@example.com", AccountKind.staff)
            db.add(Membership(office_id=office_id, user_id=user.id, role=OfficeRole.staff))
            db.flush()
            token = sessions.start(db, user)
            tokens.append(token)
            staff = sessions.resolve(db, token, touch=False)
            assert staff is not None
            sessions.set_current_office(db, staff, office_id)
        service = Service(office_id=office_id, name="Treatment", duration_minutes=30, color="teal")
        db.add(service)
        db.flush()
        patients = [Patient(office_id=office_id, first_name=f"Load{i:02d}", last_name="Patient") for i in range(40)]
        db.add_all(patients)
        db.flush()
        count = 0
        for user in practitioners:
            db.add(ServicePractitioner(service_id=service.id, user_id=user.id))
            for weekday in range(7):
                db.add(
                    WorkingHours(
                        office_id=office_id, user_id=user.id, weekday=weekday, start_minute=480, end_minute=1200
                    )
                )
            for offset in [*range(5), *range(7, 12)]:
                day = monday + timedelta(days=offset)
                for k in range(APPOINTMENTS_PER_DAY):
                    local = datetime.combine(day, datetime.min.time(), tzinfo=zone) + timedelta(minutes=540 + 40 * k)
                    db.add(
                        Appointment(
                            office_id=office_id,
                            practitioner_id=user.id,
                            patient_id=patients[count % len(patients)].id,
                            service_id=service.id,
                            starts_at=local.astimezone(UTC),
                            ends_at=local.astimezone(UTC) + timedelta(minutes=30),
                            status=AppointmentStatus.booked,
                            booked_by_user_id=owner.id,
                        )
                    )
                    count += 1
    engine.dispose()
    return tokens


# ---- the clients --------------------------------------------------------------------------


class LeanClient(SocketClient):
    """A tab that keeps only the last frames (a long run would otherwise hold every poll's answer)."""

    KEEP = 200

    def trim(self) -> None:
        with self._arrived:
            if len(self.frames) > 2 * self.KEEP:
                del self.frames[: len(self.frames) - self.KEEP]

    @property
    def connected(self) -> bool:
        return self._ws is not None and not self._closed_by_server


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    clicks: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sent: int = 0
    counting: bool = False  # the measured window is on
    counted: int = 0  # events sent in it (--send)

    def add(self, bucket: list[float], ms: float) -> None:
        with self.lock:
            bucket.append(ms)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text[:300])


def open_tab(base_url: str, cookie: str, mount_events: list[str]) -> LeanClient:
    tab = LeanClient(base_url, cookie=cookie)
    tab.connect(CALENDAR, timeout=60)
    for name in mount_events:  # what the page's components send when they mount
        tab.emit(name, pathname=CALENDAR)
    return tab


def answer_of(frame: Frame, calendar_state: str) -> bool:
    update = frame.update()
    return update is not None and "title_rx_state_" in update.get("delta", {}).get(calendar_state, {})


def poller(tab: LeanClient, names: dict[str, str], tally: Tally, stop: threading.Event, phase: float) -> None:
    """What an open calendar did before issue 16: watch every 2 s, heartbeat every 4 s. Sent like
    the page's timers send them, without waiting: an answer that changes nothing sends no frame."""
    if stop.wait(phase):
        return
    started = time.monotonic()
    for tick in itertools.count():
        if stop.wait(max(0.0, started + tick * WATCH_SECONDS - time.monotonic())):
            return
        for name in ("watch", "heartbeat") if tick % 2 == 0 else ("watch",):
            try:
                tab.emit(names[name], pathname=CALENDAR)
                with tally.lock:
                    tally.sent += 1
            except Exception as error:  # counted, and the tab goes on
                if not stop.is_set():
                    tally.error(f"{name}: {error}")
        tab.trim()


def sender(
    tab: LeanClient, names: dict[str, str], kind: str, every: float, tally: Tally, stop: threading.Event, phase: float
) -> None:
    """--send: one event every `every` seconds, without waiting for its answer (the CPU it costs
    the server is what is measured, per event)."""
    if stop.wait(phase):
        return
    started = time.monotonic()
    for tick in itertools.count():
        if stop.wait(max(0.0, started + tick * every - time.monotonic())):
            return
        payloads = SENT_PAYLOADS[kind]
        try:
            tab.emit(names[kind], payloads[tick % len(payloads)], pathname=CALENDAR)
            with tally.lock:
                tally.sent += 1
                if tally.counting:
                    tally.counted += 1
        except Exception as error:  # counted, and the tab goes on
            if not stop.is_set():
                tally.error(f"{kind}: {error}")
        tab.trim()


def sampler(
    tab: LeanClient, names: dict[str, str], tally: Tally, stop: threading.Event, record: threading.Event
) -> None:
    """Next week / previous week once a second; each click's round trip."""
    for step in itertools.cycle((1, -1)):
        if stop.wait(1.0):
            return
        mark = len(tab.frames)
        sent = time.perf_counter()
        try:
            tab.emit(names["move"], {"steps": step}, pathname=CALENDAR)
            tab._wait(lambda f: answer_of(f, names["calendar_state"]), mark, 30, "the new week")
            if record.is_set():
                tally.add(tally.clicks, (time.perf_counter() - sent) * 1000)
        except Exception as error:
            tally.error(f"move: {error}")
        tab.trim()


# ---- measuring ------------------------------------------------------------------------------


def group_cpu_seconds(pgid: int) -> float:
    """utime + stime of every process in the server's process group."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after the name: state, ppid, pgrp, ...
            total += int(fields[11]) + int(fields[12])
    return total / CLK_TCK


def group_rss_mb(pgid: int) -> float:
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            total += int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    return total / 1e6


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def run_load(
    app: RunningApp, tokens: list[str], tabs_wanted: int, open_tabs: list[LeanClient], args: argparse.Namespace
) -> dict[str, Any]:
    names = handler_names()
    mount = [] if args.polling else [names["heartbeat"], names["watch"]]
    opened_at = time.monotonic()
    while len(open_tabs) < tabs_wanted:
        open_tabs.append(open_tab(app.base_url, tokens[len(open_tabs) % len(tokens)], mount))
    open_seconds = time.monotonic() - opened_at
    tally, stop, record = Tally(), threading.Event(), threading.Event()
    threads = []
    if args.polling:
        for i, tab in enumerate(open_tabs):
            threads.append(
                threading.Thread(
                    target=poller, args=(tab, names, tally, stop, (i * 0.037) % WATCH_SECONDS), daemon=True
                )
            )
    if args.send:
        for i, tab in enumerate(open_tabs):
            phase = (i * 0.037) % args.every
            thread = threading.Thread(
                target=sender, args=(tab, names, args.send, args.every, tally, stop, phase), daemon=True
            )
            threads.append(thread)
    sample_tab = open_tab(app.base_url, tokens[0], mount)
    threads.append(threading.Thread(target=sampler, args=(sample_tab, names, tally, stop, record), daemon=True))
    for thread in threads:
        thread.start()
    time.sleep(args.warmup)
    pgid = os.getpgid(app.process.pid)
    load_before = uptime()
    cpu0, own0, wall0 = group_cpu_seconds(pgid), time.process_time(), time.monotonic()
    record.set()
    tally.counting = True
    time.sleep(args.seconds)
    tally.counting = False
    record.clear()
    cpu1, own1, wall1 = group_cpu_seconds(pgid), time.process_time(), time.monotonic()
    load_after = uptime()
    stop.set()
    for thread in threads:
        thread.join(timeout=35)
    dropped = sum(1 for tab in open_tabs if not tab.connected) + (0 if sample_tab.connected else 1)
    sample_tab.close()
    wall = wall1 - wall0
    clicks = tally.clicks
    return {
        "tabs": tabs_wanted,
        "mode": "polling" if args.polling else "push",
        "seconds": round(wall, 1),
        "clicks": len(clicks),
        "click_p50_ms": round(statistics.median(clicks), 1) if clicks else None,
        "click_p95_ms": round(pct(clicks, 0.95), 1),
        "click_p99_ms": round(pct(clicks, 0.99), 1),
        "click_max_ms": round(max(clicks), 1) if clicks else None,
        "polls_sent": tally.sent if args.polling else 0,
        "sent": args.send or None,
        "sent_in_window": tally.counted,
        # the server's CPU per event sent in the window (the sampler's clicks and idle tabs' pings included)
        "server_cpu_ms_per_sent": round(1000 * (cpu1 - cpu0) / tally.counted, 2) if tally.counted else None,
        "errors": len(tally.errors),
        "first_errors": tally.errors[:3],
        "dropped": dropped,
        "server_cpu_pct_of_core": round(100 * (cpu1 - cpu0) / wall, 1),
        "clients_cpu_pct_of_core": round(100 * (own1 - own0) / wall, 1),
        "server_rss_mb": round(group_rss_mb(pgid), 1),
        "open_tabs_seconds": round(open_seconds, 1),
        "uptime_before": load_before,
        "uptime_after": load_after,
    }


def churn(app: RunningApp, tokens: list[str], count: int, expiration: int) -> dict[str, Any]:
    """Open and close `count` calendar tabs, twice, with the states' expiry between: whether the
    server's memory follows the tabs open lately rather than every tab ever opened."""
    pgid = os.getpgid(app.process.pid)
    rss = [group_rss_mb(pgid)]
    for round_ in range(2):
        for i in range(count):
            tab = LeanClient(app.base_url, cookie=tokens[i % len(tokens)])
            tab.connect(CALENDAR, timeout=60)
            tab.close()
        rss.append(group_rss_mb(pgid))
        if round_ == 0 and expiration:
            time.sleep(expiration + 5)  # every closed tab's state has expired
            rss.append(group_rss_mb(pgid))
    return {"churned_tabs_per_round": count, "token_expiration_s": expiration, "server_rss_mb": rss}


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tabs", type=int, nargs="+", default=[20, 100, 300], help="open tabs, in increasing order")
    parser.add_argument("--seconds", type=float, default=30.0, help="measured window per load")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of load before measuring")
    parser.add_argument("--polling", action="store_true", help="tabs poll like the pages before issue 16")
    parser.add_argument(
        "--churn", type=int, default=0, help="then open and close this many tabs, twice, and report the server's RSS"
    )
    parser.add_argument(
        "--token-expiration", type=int, default=0, help="seconds a closed tab's state is kept (Reflex's default: 3600)"
    )
    parser.add_argument(
        "--send",
        choices=sorted(SENT_PAYLOADS),
        help="every tab sends this event every --every seconds (noop: Reflex's floor; move: a week switch)",
    )
    parser.add_argument("--every", type=float, default=4.0, help="seconds between a tab's events with --send")
    parser.add_argument(
        "--backend-only", action="store_true", help="serve the backend only (no front end built: quicker to start)"
    )
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to run (its .web built)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out" / "load_calendar.json")
    args = parser.parse_args(argv)
    if args.tabs != sorted(args.tabs) or max(args.tabs) > 1000 or args.seconds > 600 or args.churn > 5000:
        parser.error("--tabs in increasing order, at most 1000; --seconds at most 600; --churn at most 5000")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    results = []
    # A bcrypt cost of 4: nobody signs in during the run, but the warm-up hash should not cost a core.
    env = {"PRAXIS_BCRYPT_ROUNDS": "4"}
    if args.token_expiration:
        env["REFLEX_REDIS_TOKEN_EXPIRATION"] = str(args.token_expiration)
    with running_app(root=args.root, smtp=False, extra_env=env, backend_only=args.backend_only) as app:
        tokens = seed(app)
        open_tabs: list[LeanClient] = []
        try:
            for tabs in args.tabs:
                result = run_load(app, tokens, tabs, open_tabs, args)
                results.append(result)
                print(json.dumps(result), flush=True)
        finally:
            for tab in open_tabs:
                tab.close()
        if args.churn:
            churned = churn(app, tokens, args.churn, args.token_expiration)
            results.append(churned)
            print(json.dumps(churned), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(
        "| open tabs | mode | click p50 / p95 / p99 ms | polls sent | events sent | server ms per event "
        "| errors / dropped | server CPU | clients CPU |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        if "tabs" not in r:
            continue
        print(
            f"| {r['tabs']} | {r['mode']} | {r['click_p50_ms']} / {r['click_p95_ms']} / {r['click_p99_ms']} "
            f"| {r['polls_sent'] or '—'} | {r['sent_in_window'] or '—'} {r['sent'] or ''} "
            f"| {r['server_cpu_ms_per_sent'] or '—'} | {r['errors']} / {r['dropped']} "
            f"| {r['server_cpu_pct_of_core']}% | {r['clients_cpu_pct_of_core']}% |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
