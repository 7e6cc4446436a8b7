"""Error reports from browsers: one short, escaped, rate-limited log line each, marked as client-supplied.

Reflex passes two kinds of report to the app's `frontend_exception_handler`: its `client_error`
socket event (Reflex limits it per connection and process-wide) and the state event
`FrontendEventExceptionState.handle_frontend_exception`, which any client, signed in or not, can
send as often as it likes with any text. Both are only what a browser says, so each becomes at
most one log line:

- prefixed "client-reported:", so nobody mistakes it for the server's own words;
- newlines and other control characters escaped (a report cannot forge further log lines);
- cut to MAX_CHARS;
- at most PER_WINDOW lines per WINDOW_SECONDS in this process, then one
  "client-reported: suppressed N reports" line for the window.

`ClientReportGuard` (a Reflex middleware) stops the state event before Reflex handles it once
the limit is reached, and cuts its text first, so a flood costs no more than a dictionary look-up
(Reflex runs regular expressions over the text before calling the handler).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from reflex.event import Event
from reflex.middleware.middleware import Middleware
from reflex.state import BaseState, FrontendEventExceptionState, StateUpdate

if TYPE_CHECKING:
    from reflex.app import App

log = logging.getLogger("praxis.client")

PREFIX = "client-reported:"
MAX_CHARS = 300
PER_WINDOW = 20
WINDOW_SECONDS = 60.0
# The most text of a report the server looks at: Reflex's handler runs regular expressions over it
# (measured: under a millisecond at this length, whatever the text).
MAX_INPUT_CHARS = 1000
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}


def _escaped(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if char.isprintable():
        return char
    code = ord(char)  # other control characters, line and paragraph separators, ANSI escapes
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def one_line(text: object, limit: int = MAX_CHARS) -> str:
    """The text as one printable line of at most `limit` characters, plus a note when it was cut."""
    raw = text if isinstance(text, str) else repr(text)
    line = "".join(_escaped(char) for char in raw[:limit])
    if len(raw) <= limit and len(line) <= limit:
        return line
    return f"{line[:limit]}… ({len(raw)} characters)"


class ClientReports:
    """A process-wide budget of log lines for client reports."""

    def __init__(
        self,
        logger: logging.Logger = log,
        per_window: int = PER_WINDOW,
        window_seconds: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        timers: bool = True,
    ) -> None:
        self.logger, self.per_window, self.window_seconds, self.clock = logger, per_window, window_seconds, clock
        self.timers = timers  # whether a timer writes the "suppressed" line when a flood simply stops
        self._lock = threading.Lock()
        self._window_start = clock()
        self._logged = 0
        self._suppressed = 0

    def _roll(self, now: float) -> None:
        """Start a new window when the current one is over (call with the lock held)."""
        if now - self._window_start < self.window_seconds:
            return
        if self._suppressed:
            self.logger.warning(
                "%s suppressed %d reports in %d s (more than %d)",
                PREFIX,
                self._suppressed,
                round(self.window_seconds),
                self.per_window,
            )
        self._window_start, self._logged, self._suppressed = now, 0, 0

    def admit(self) -> bool:
        """Whether one more report may be logged now; if not, it is counted as suppressed."""
        with self._lock:
            now = self.clock()
            self._roll(now)
            if self._logged < self.per_window:
                self._logged += 1
                return True
            self._suppressed += 1
            first = self._suppressed == 1
            remaining = self._window_start + self.window_seconds - now
        if first and self.timers:
            timer = threading.Timer(max(remaining, 0.0) + 0.01, self.close_window)
            timer.daemon = True
            timer.start()
        return False

    def full(self) -> bool:
        """Whether the budget of this window is spent (a report now would be suppressed)."""
        with self._lock:
            self._roll(self.clock())
            return self._logged >= self.per_window

    def close_window(self) -> None:
        with self._lock:
            self._roll(self.clock())

    def report(self, text: object) -> None:
        if self.admit():
            self.logger.warning("%s %s", PREFIX, one_line(text))


REPORTS = ClientReports()


def frontend_exception_handler(exception: Exception) -> None:
    """`rx.App(frontend_exception_handler=...)`: one line per report, within the budget."""
    REPORTS.report(str(exception))


REPORT_EVENT = f"{FrontendEventExceptionState.get_full_name()}.handle_frontend_exception"


def _clamped(value: Any) -> str:
    text = value if isinstance(value, str) else ""
    return text[:MAX_INPUT_CHARS]


class ClientReportGuard(Middleware):
    """Before Reflex handles a frontend-exception state event: drop it when the budget is spent,
    otherwise cut its text to MAX_INPUT_CHARS (and anything not text to "")."""

    def __init__(self, reports: ClientReports = REPORTS) -> None:
        self.reports = reports

    async def preprocess(self, app: App, state: BaseState, event: Event) -> StateUpdate | None:
        if event.name != REPORT_EVENT:
            return None
        if self.reports.full():
            self.reports.admit()  # counted as suppressed
            return StateUpdate()
        payload = event.payload  # the dict the handler will be called with
        info, stack = payload.get("info"), payload.get("component_stack")
        payload.clear()
        payload.update(info=_clamped(info), component_stack=_clamped(stack))
        return None
