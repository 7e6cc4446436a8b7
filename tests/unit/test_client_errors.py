"""Browsers' error reports reach the log as one short, escaped, rate-limited line each (issue 9).

Anyone, signed in or not, can send Reflex's frontend-exception event with any text as often as
they like: a multi-line report must not forge log lines, and a flood must not fill the log.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time

import pytest
from reflex.event import Event
from reflex.state import FrontendEventExceptionState, StateUpdate
from reflex_base.event.processor.base_state_processor import _transform_event_payload
from reflex_base.utils.format import format_event_handler
from reflex_base.utils.types import get_type_hints

import app.app
from app import client_errors
from app.client_errors import PREFIX, ClientReportGuard, ClientReports, one_line
from app.state.session import app_state_classes

INJECTION = (
    "TypeError: x is undefined\n"
    "2026-01-01 12:00:00 ERROR praxis: admin password reset for owner@maple.test\r\n"
    "\x1b[31mred\x1b[0m\u2028next\x00end\\n"
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _reports(caplog: pytest.LogCaptureFixture, **kwargs) -> tuple[ClientReports, FakeClock]:  # type: ignore[no-untyped-def]
    clock = FakeClock()
    logger = logging.getLogger("praxis.client.test")
    caplog.set_level(logging.INFO, logger="praxis.client.test")
    return ClientReports(logger=logger, clock=clock, timers=False, **kwargs), clock


def _lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records]


def test_a_multi_line_injection_becomes_one_escaped_line() -> None:
    line = one_line(INJECTION)
    assert "\n" not in line and "\r" not in line and "\x1b" not in line and "\x00" not in line
    assert "\u2028" not in line
    assert line.isprintable()
    assert line.startswith("TypeError: x is undefined\\n2026-01-01 12:00:00 ERROR praxis:")
    assert "\\r\\n\\x1b[31mred" in line and "\\u2028next\\x00end" in line
    # A backslash in the report is escaped too, so "\\n" written by the client is not a newline escape.
    assert line.endswith("end\\\\n")


def test_a_long_report_is_cut() -> None:
    line = one_line("A" * 10_000)
    assert line == "A" * 300 + "… (10000 characters)"
    # Escapes count towards the limit: a report of control characters does not grow past it.
    assert len(one_line("\x01" * 10_000)) <= 300 + len("… (10000 characters)")
    assert one_line(["not", "text"]) == "['not', 'text']"


def test_the_handler_writes_one_marked_line_per_report(caplog: pytest.LogCaptureFixture, monkeypatch) -> None:
    reports, _ = _reports(caplog)
    monkeypatch.setattr(client_errors, "REPORTS", reports)
    client_errors.frontend_exception_handler(Exception(INJECTION))
    [line] = _lines(caplog)
    assert line.startswith(f"{PREFIX} TypeError: x is undefined\\n") and "\n" not in line


def test_a_flood_is_limited_to_20_lines_then_one_suppressed_line_per_window(caplog: pytest.LogCaptureFixture) -> None:
    reports, clock = _reports(caplog)
    for number in range(500):
        reports.report(f"report {number}\nforged line")
        clock.now += 0.01
    assert _lines(caplog) == [f"{PREFIX} report {n}\\nforged line" for n in range(20)]
    clock.now += 60
    reports.report("a report in the next minute")
    assert _lines(caplog)[20:] == [
        f"{PREFIX} suppressed 480 reports in 60 s (more than 20)",
        f"{PREFIX} a report in the next minute",
    ]


def test_the_suppressed_line_is_written_when_a_flood_just_stops(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("praxis.client.timer")
    caplog.set_level(logging.INFO, logger="praxis.client.timer")
    reports = ClientReports(logger=logger, per_window=2, window_seconds=0.05)
    for _ in range(7):
        reports.report("x")
    deadline = time.monotonic() + 5
    while len(caplog.records) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _lines(caplog)[2:] == [f"{PREFIX} suppressed 5 reports in 0 s (more than 2)"]


def test_the_app_uses_the_handler_and_the_guard_comes_first() -> None:
    assert app.app.app.frontend_exception_handler is client_errors.frontend_exception_handler
    assert isinstance(app.app.app._middlewares[0], ClientReportGuard)
    assert (
        format_event_handler(FrontendEventExceptionState.event_handlers["handle_frontend_exception"])
        == client_errors.REPORT_EVENT
    )


def _guard(caplog: pytest.LogCaptureFixture, **kwargs) -> tuple[ClientReportGuard, ClientReports]:  # type: ignore[no-untyped-def]
    reports, _ = _reports(caplog, **kwargs)
    return ClientReportGuard(reports), reports


def test_the_guard_cuts_the_state_events_text_before_reflex_reads_it(caplog: pytest.LogCaptureFixture) -> None:
    guard, _ = _guard(caplog)
    payload = {"info": "TypeError: " + "a" * 100_000, "component_stack": {"not": "text"}, "extra": 1}
    event = Event(name=client_errors.REPORT_EVENT, payload=payload)
    assert asyncio.run(guard.preprocess(None, None, event)) is None  # type: ignore[arg-type]
    assert event.payload == {"info": "TypeError: " + "a" * 989, "component_stack": ""}
    # Other events pass untouched.
    other = Event(name="reflex___state____state.app___state___session____session_state.sign_out", payload={"x": 1})
    assert asyncio.run(guard.preprocess(None, None, other)) is None  # type: ignore[arg-type]
    assert other.payload == {"x": 1}


def test_the_guard_drops_reports_once_the_budget_is_spent(caplog: pytest.LogCaptureFixture) -> None:
    guard, reports = _guard(caplog, per_window=3)
    answers = []
    for _ in range(10):
        event = Event(name=client_errors.REPORT_EVENT, payload={"info": "boom", "component_stack": ""})
        answer = asyncio.run(guard.preprocess(None, None, event))  # type: ignore[arg-type]
        if answer is None:
            reports.report(event.payload["info"])  # what Reflex's handler then does, through ours
        answers.append(answer)
    assert [a is None for a in answers] == [True] * 3 + [False] * 7
    assert all(isinstance(a, StateUpdate) and not a.delta and not a.events for a in answers[3:])
    assert len(caplog.records) == 3


HOSTILE_ARGUMENTS = ["x\ny\n2026-01-01 ERROR forged", {"a\nb": "c\nd"}, ["x\ny"], 10**400]


def test_no_handler_argument_makes_reflex_log_what_the_client_sent() -> None:
    """Reflex converts an argument annotated int, float, date, an Enum or a dataclass, and when that
    fails it logs the client's value verbatim (a warning, multi-line included). Handlers therefore
    take text, dicts, lists or unions of them, and convert the value themselves."""
    converting = []
    for state_class in app_state_classes():
        for name, handler in state_class.event_handlers.items():
            hints = get_type_hints(handler.fn)
            for parameter in list(inspect.signature(handler.fn).parameters)[1:]:
                for value in HOSTILE_ARGUMENTS:
                    try:
                        converted = _transform_event_payload({parameter: value}, hints)[parameter]
                    except Exception:
                        converting.append(f"{state_class.__name__}.{name}({parameter}={value!r})")
                        continue
                    if converted is not value and converted != value:
                        converting.append(f"{state_class.__name__}.{name}({parameter}) converts {value!r}")
    assert converting == []
