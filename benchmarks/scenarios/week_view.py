"""The booking calendar week view.

9 more practitioners (10 with the owner), 08:00-20:00 hours every day, one service and 500
appointments over NEXT week are written straight into the database; then, on /clinic/calendar
(week view, 70 lanes), from the click on "Next week" to the new week's subtitle and a known
appointment of that week being visible, alternating with "Previous week" back to this week (its
subtitle and a lane's name this week's); and the websocket bytes received for one switch to next week.
"Shown" is the first animation frame in which the new week is styled and laid out; "painted" is
when that frame's paint is done (the builder's benchmark measures to that point).

Last in a full run, so that its 9 extra practitioners don't change the other figures.
`--only week` runs just this one (and the set-up it needs).
"""

from __future__ import annotations

import argparse
import statistics
import time
import zlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

from playwright.sync_api import Browser, expect

from benchmarks.common import Context, Results, Scenario, database_url, new_context, summary
from benchmarks.trace import print_trace
from tests.e2e.harness import RunningApp
from tests.e2e.steps import sign_in, wait_until_interactive

WEEK_PRACTITIONERS = 10
WEEK_APPOINTMENTS = 500
WEEK_REPETITIONS = 10
OFFICE_ZONE = "America/Toronto"  # create_office's default

# Installed in the calendar's page: when a button was last clicked, and a predicate that records
# (once) when the week we wait for is shown (styled and laid out), and when that frame was painted.
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
    if (target.button) {
      const button = document.querySelector(`[aria-label="${target.button}"]`);
      if (!button || !button.checkVisibility()) return false;
    } else if (![...document.querySelectorAll('[id^="cal-name-lane-"]')].some((n) => n.textContent === target.lane)) {
      return false;  // the lanes' names (the words of the free times' names) are this week's
    }
    const title = [...document.querySelectorAll('p, span, h1, h2')].some(
      (el) => el.textContent.trim() === target.title && el.checkVisibility());
    if (!title) return false;
    if (marks.shown === undefined) {
      marks.shown = performance.now();
      // Checked in a frame's animation callbacks (Playwright's "raf" polling), after style and
      // layout forced by checkVisibility: a message posted now is handled once this frame's
      // rendering (paint included) is done.
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { marks.painted = performance.now(); };
      channel.port2.postMessage(null);
    }
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
        # The owner's lane this Monday, as its (hidden) name reads: what the empty week's grid shows.
        "this_week_lane": f"{owner_name}, {this_monday:%a} {this_monday.day} {this_monday:%b}",
    }


def bench_week_view(
    browser: Browser,
    app: RunningApp,
    email: str,
    password: str,
    seeded: dict[str, Any],
    runs: int,
    profile: bool = False,
) -> dict[str, Any]:
    """Alternate "Next week" / "Previous week" on the calendar; time each until the week is shown."""
    context = new_context(browser, app)
    context.add_init_script(WEEK_MARKS_SCRIPT)
    page = context.new_page()
    frames: list[int] = []
    largest = [b""]  # the biggest frame received while timing: what permessage-deflate would shrink
    recording = {"on": False}

    def on_websocket(ws: Any) -> None:
        def received(payload: str | bytes) -> None:
            if recording["on"]:
                data = payload.encode() if isinstance(payload, str) else payload
                frames.append(len(data))
                if len(data) > len(largest[0]):
                    largest[0] = data

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
        "previous": {"title": week_title(seeded["this_monday"]), "lane": seeded["this_week_lane"]},
    }
    page.wait_for_function("(t) => window.__praxisWeekShown(t)", arg=targets["previous"], polling="raf")
    wall: dict[str, list[float]] = {"next": [], "previous": []}
    in_page: dict[str, list[float]] = {"next": [], "previous": []}
    painted: dict[str, list[float]] = {"next": [], "previous": []}
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
            page.wait_for_function("() => window.__praxisWeek.painted !== undefined")
            seen = page.evaluate("window.__praxisWeek")
            in_page[direction].append(seen["shown"] - seen["click"])
            painted[direction].append(seen["painted"] - seen["click"])
            if "message" in seen:
                to_message[direction].append(seen["message"] - seen["click"])
            if direction == "next":
                frame_sizes.append(list(frames))
    expect(page.get_by_role("button", name=seeded["known_button"], exact=True)).to_have_count(0)  # back on this week
    if profile:
        for direction, label in (("next", "Next week"), ("previous", "Previous week")):
            # The same mouse click as the measured runs (the button found before the trace starts).
            box = page.get_by_role("button", name=label, exact=True).bounding_box()
            assert box is not None, label

            def act(box: dict[str, float] = box, direction: str = direction) -> None:
                page.evaluate("() => { window.__praxisWeek = {}; }")
                page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                page.wait_for_function("(t) => window.__praxisWeekShown(t)", arg=targets[direction], polling="raf")

            print_trace(page, f"switch to {direction} week", act)
            seen = page.evaluate("window.__praxisWeek")
            print(f"Profiled {direction} week: click → shown {seen['shown'] - seen['click']:.0f} ms in page")
    context.close()
    return {
        "wall": wall,
        "in_page": in_page,
        "painted": painted,
        "to_message": to_message,
        "frames": frame_sizes,
        "websocket_extensions": extensions[-1] if extensions else "",
        "deflated": deflate_costs(largest[0]),
    }


def deflate_costs(frame: bytes) -> dict[str, Any]:
    """What permessage-deflate (RFC 7692: raw deflate, a fresh context per message) would make of
    this frame: its size and the time to compress and to inflate it, at zlib levels 1 and 6 (in this
    process, the median of 20 runs)."""
    costs: dict[str, Any] = {"bytes": len(frame)}
    for level in (1, 6):
        compress_ms, inflate_ms, size = [], [], 0
        for _ in range(20):
            start = time.perf_counter()
            packer = zlib.compressobj(level, zlib.DEFLATED, -15)
            packed = packer.compress(frame) + packer.flush(zlib.Z_SYNC_FLUSH)
            compress_ms.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            zlib.decompressobj(-15).decompress(packed)
            inflate_ms.append((time.perf_counter() - start) * 1000)
            size = len(packed)
        costs[f"level_{level}"] = {
            "bytes": size,
            "compress_ms": round(statistics.median(compress_ms), 2),
            "inflate_ms": round(statistics.median(inflate_ms), 2),
        }
    return costs


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
            # the same switches until the frame that shows the week has been painted
            "to_next_week_painted": summary(week["painted"]["next"][skip:]),
            "to_this_week_painted": summary(week["painted"]["previous"][skip:]),
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
        "largest_frame_deflated": week["deflated"],
        "seed_seconds": round(seeded["seconds"], 1),
    }


def footnote(results: Results) -> str:
    week = results["calendar_week_view"]
    ws = week["websocket_bytes_received_next_week"]
    return (
        f"Websocket bytes received per switch to next week: {ws['per_switch_total']} "
        f"(frames {ws['frames_per_switch']}, largest {ws['largest_frame']}); "
        f"websocket extensions: {week['websocket_extensions']}; the largest frame deflated "
        f"(what permessage-deflate would send): {week['largest_frame_deflated']}"
    )


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--week-reps", type=int, default=WEEK_REPETITIONS, help="Next/Previous week pairs")
    parser.add_argument("--week-profile", action="store_true", help="print a trace of one more switch each way")


def run(ctx: Context) -> Results:
    browser, app, person = ctx.live()
    seeded = seed_week(app, person.email)
    print(f"Seeded {seeded['appointments']} appointments next week in {seeded['seconds']:.1f}s", flush=True)
    runs = ctx.args.warmup + ctx.args.week_reps
    week = bench_week_view(browser, app, person.email, person.password, seeded, runs, ctx.args.week_profile)
    return {"calendar_week_view": week_results(week, ctx.args.warmup, ctx.args.week_reps, seeded)}


SCENARIO = Scenario(
    name="week",
    order=90,
    summary="calendar week view: Next/Previous week with 500 appointments",
    run=run,
    arguments=arguments,
    footnote=footnote,
)
