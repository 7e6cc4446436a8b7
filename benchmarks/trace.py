"""Where the browser's time goes in one click: Chrome's trace of it, printed (the benchmarks'
`--builder-profile` and `--week-profile`).

`print_trace(page, what, act)` runs `act` (a click and the wait for what it shows) under Chrome's
tracing and prints: the work by kind, the renderer's main thread from the click on (each outermost
task with the biggest pieces inside it; the gaps are the wait for the server), when the websocket
frames were sent and received, and which scripts forced style recalculations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page


def print_trace(page: Page, what: str, act: Callable[[], None]) -> None:
    cdp = page.context.new_cdp_session(page)
    events: list[dict[str, Any]] = []
    cdp.on("Tracing.dataCollected", lambda data: events.extend(data["value"]))
    done: list[bool] = []
    cdp.on("Tracing.tracingComplete", lambda _data: done.append(True))
    frames: list[tuple[str, float, int]] = []  # the websocket's frames: direction, time (s), length
    cdp.send("Network.enable")
    for direction in ("Sent", "Received"):
        cdp.on(
            f"Network.webSocketFrame{direction}",
            lambda data, d=direction: frames.append((d, data["timestamp"], len(data["response"]["payloadData"]))),
        )
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 100})  # µs
    cdp.send("Profiler.start")
    cdp.send(
        "Tracing.start",
        {
            "categories": "devtools.timeline,v8.execute,disabled-by-default-devtools.timeline.stack",
            "transferMode": "ReportEvents",
        },
    )
    act()
    page.wait_for_timeout(300)
    cdp.send("Tracing.end")
    profile = cdp.send("Profiler.stop")["profile"]
    while not done:
        page.wait_for_timeout(50)
    cdp.detach()
    totals: dict[str, float] = {}
    for event in events:
        if event.get("ph") == "X" and event.get("dur") and event.get("name"):
            totals[event["name"]] = totals.get(event["name"], 0.0) + event["dur"] / 1000
    print(f"Browser work during one {what} (ms, nested events counted in each), top 12:")
    for name, ms in sorted(totals.items(), key=lambda item: -item[1])[:12]:
        print(f"{ms:9.1f}  {name}")
    origin = _print_timeline(events)
    if origin is not None:
        shown = [(d, round(t * 1000 - origin, 1), n) for d, t, n in frames]
        print("Websocket frames (direction, ms after the click, bytes):", shown)
    forced: dict[str, float] = {}
    for event in events:
        if event.get("name") == "UpdateLayoutTree" and event.get("dur"):
            stack = (event.get("args", {}).get("beginData") or {}).get("stackTrace") or []
            where = " < ".join(
                f"{f.get('functionName') or '?'}@{f.get('url', '').rsplit('/', 1)[-1]}" for f in stack[:4]
            )
            forced[where or "(no script)"] = forced.get(where or "(no script)", 0.0) + event["dur"] / 1000
    print("Style recalculation by what forced it (ms):")
    for where, ms in sorted(forced.items(), key=lambda item: -item[1])[:8]:
        print(f"{ms:9.1f}  {where}")
    _print_script_profile(profile)


def _print_script_profile(profile: dict[str, Any]) -> None:
    """Script time by function (self time, from V8's sampling profiler at 0.1 ms), top 15."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    deltas = profile.get("timeDeltas") or []
    own: dict[str, float] = {}
    for sample, delta in zip(profile.get("samples") or [], [*deltas[1:], 0], strict=False):
        frame = nodes[sample]["callFrame"]
        name = frame.get("functionName") or "(anonymous)"
        if name in ("(idle)", "(program)", "(root)"):
            continue
        where = f"{name}@{frame.get('url', '').rsplit('/', 1)[-1]}:{frame.get('lineNumber', 0) + 1}"
        own[where] = own.get(where, 0.0) + delta / 1000
    print(f"Script self time by function (ms, {sum(own.values()):.1f} in all), top 15:")
    for where, ms in sorted(own.items(), key=lambda item: -item[1])[:15]:
        print(f"{ms:9.1f}  {where}")


def _print_timeline(events: list[dict[str, Any]]) -> float | None:
    """The renderer main thread from the click on: each outermost piece of work over 0.5 ms (start and
    duration in ms after the click) and the biggest pieces inside it; the gaps are waiting (the server)."""
    marks = [e for e in events if e.get("name") == "EventDispatch" and _kind(e) == "click"]
    if not marks:
        return None
    origin, thread = marks[0]["ts"], (marks[0]["pid"], marks[0]["tid"])
    work = sorted(
        (e for e in events if e.get("ph") == "X" and e.get("dur") and (e["pid"], e["tid"]) == thread),
        key=lambda e: (e["ts"], -e["dur"]),
    )
    print("Main thread from the click (start ms, duration ms: what):")
    end = 0.0
    for event in work:
        if event["ts"] < end or event["ts"] < origin - 1000:
            continue
        end = event["ts"] + event["dur"]
        if event["dur"] < 500:
            continue
        inside = [e for e in work if event["ts"] <= e["ts"] < end and e is not event and e["dur"] > 300]
        what = ", ".join(_named(e) for e in sorted(inside, key=lambda e: -e["dur"])[:6])
        print(f"{(event['ts'] - origin) / 1000:8.1f} {event['dur'] / 1000:6.1f}: {_named(event)} [{what}]")
    return origin / 1000


def _kind(event: dict[str, Any]) -> str:
    return str((event.get("args", {}).get("data") or {}).get("type", ""))


def _named(event: dict[str, Any]) -> str:
    kind = _kind(event) if event["name"] == "EventDispatch" else ""
    return f"{event['name']}{f'({kind})' if kind else ''} {event['dur'] / 1000:.1f}"
