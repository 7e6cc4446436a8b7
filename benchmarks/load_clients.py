"""The simulated browser tabs of the mixed load test (benchmarks/load_mixed.py), run in client processes.

Each tab is a websocket speaking Reflex's protocol (tests/e2e/socket_client.py), signed in with a
session cookie, hydrated on its page with the page's on_load, answering what the server pushes
(live updates) as the page does, and acting like a person every few seconds:

- calendar (staff): next/previous week or day, sometimes day/week view;
- portal (family account): opens the home, appointments, documents, forms or profile page, or
  switches the record shown (the switcher's redirect, then the page's load);
- booking (patient account on /book/<office>): chooses a day or the next/previous days, now and
  then a time and books it; cancels one of its bookings later (on its appointments page), so
  slots do not run out.

One action = one event; its round trip is from the send to the frame that carries its answer (a
var only that answer assigns). Bytes are the received frames' sizes (UTF-8), from the send up to
that answer. A round trip over ACTION_TIMEOUT, or an answer showing the "something went wrong"
message or a refused page, is an error.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from multiprocessing.connection import Connection
from typing import Any
from zoneinfo import ZoneInfo

from benchmarks.load_calendar import LeanClient
from tests.e2e.socket_client import Frame, var

ACTION_TIMEOUT = 15.0
THINK_SECONDS = (2.0, 6.0)  # between two actions of a tab, uniformly (load_mixed.py --think)
BOOK_CHANCE = 1 / 12  # per booking-page action: a booking (or a cancellation) about every 50 s per tab
CALENDAR = "/clinic/calendar"
PORTAL_PAGES = ("/portal", "/portal/appointments", "/portal/documents", "/portal/forms", "/portal/profile")
FAILED = ("Something went wrong on our side", '"page_status_rx_state_": "denied"', '"page_status_rx_state_":"denied"')


@dataclass(frozen=True)
class TabPlan:
    kind: str  # "calendar", "portal" or "booking"
    token: str
    office_id: int
    records: tuple[int, ...] = ()
    zone: str = "America/Toronto"


@dataclass(frozen=True)
class Sample:
    action: str
    ms: float
    received_bytes: int
    ok: bool


@dataclass
class Window:
    start: float = float("inf")
    end: float = float("inf")

    def holds(self, at: float) -> bool:
        return self.start <= at <= self.end


@dataclass
class Names:
    """Full event names, read from the app's state classes (imported in the client process)."""

    calendar: str
    move: str
    set_view: str
    portal_loads: dict[str, str]
    choose_record: str
    booking: str
    booking_load: str
    choose_day: str
    show_window: str
    choose_slot: str
    confirm: str
    appointments: str
    cancel: str

    @classmethod
    def read(cls) -> Names:
        import app.app  # noqa: F401  (every state class registered, as in the server)
        from app.state.booking import PublicBookingState
        from app.state.calendar import BookingCalendarState
        from app.state.portal import PortalAppointmentsState, PortalProfileState, PortalState
        from app.state.portal_documents import PortalDocumentsState
        from app.state.portal_forms import PortalFormsState

        calendar, booking = BookingCalendarState.get_full_name(), PublicBookingState.get_full_name()
        appointments = PortalAppointmentsState.get_full_name()
        loads = {
            "/portal": f"{PortalState.get_full_name()}.load_home",
            "/portal/appointments": f"{appointments}.load",
            "/portal/documents": f"{PortalDocumentsState.get_full_name()}.load",
            "/portal/forms": f"{PortalFormsState.get_full_name()}.load",
            "/portal/profile": f"{PortalProfileState.get_full_name()}.load",
        }
        return cls(
            calendar=calendar,
            move=f"{calendar}.move",
            set_view=f"{calendar}.set_view",
            portal_loads=loads,
            choose_record=f"{PortalState.get_full_name()}.choose_record",
            booking=booking,
            booking_load=f"{booking}.load",
            choose_day=f"{booking}.choose_day",
            show_window=f"{booking}.show_window",
            choose_slot=f"{booking}.choose_slot",
            confirm=f"{booking}.confirm",
            appointments=appointments,
            cancel=f"{appointments}.cancel",
        )


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    bookings: int = 0
    refused_bookings: int = 0
    cancellations: int = 0

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text[:300])


class Tab:
    """One simulated tab: its socket, its plan and what it is showing."""

    def __init__(
        self,
        base_url: str,
        plan: TabPlan,
        names: Names,
        tally: Tally,
        window: Window,
        seed: int,
        think: tuple[float, float],
    ) -> None:
        self.plan, self.names, self.tally, self.window, self.think = plan, names, tally, window, think
        self.random = random.Random(seed)
        self.client = LeanClient(base_url, cookie=plan.token)
        self.client.follow_pushed = True  # answer the live updates the server pushes, as the page does
        self.counted = 0  # frames already counted in received_bytes
        self.received_bytes = 0  # every frame received inside the window (answers and pushes)
        self.position = 0  # calendar: steps away from the first week/day shown
        self.view = "week"
        self.slots: list[dict[str, Any]] = []
        self.booked = 0
        self.days_shown = 0  # booking: the days shown, the first window or the next
        self.path = CALENDAR

    # ---- opening -----------------------------------------------------------------------

    def open(self) -> None:
        if self.plan.kind == "calendar":
            self.path = CALENDAR
            self.client.connect(CALENDAR, timeout=60)
        elif self.plan.kind == "portal":
            self.path = self.random.choice(PORTAL_PAGES)
            self.client.connect(self.path, timeout=60)
        else:
            self.path = f"/book/{self.plan.office_id}"
            updates = self.client.connect(self.path, self._book_query(), timeout=60)
            for update in updates:
                self._note_slots(update)

    def _book_query(self) -> dict[str, str]:
        return {"office_key": str(self.plan.office_id)}

    # ---- acting --------------------------------------------------------------------------

    def run(self, stop: threading.Event) -> None:
        while not stop.wait(self.random.uniform(*self.think)):
            try:
                self.act()
            except Exception as error:  # counted, and the tab goes on (a closed socket is "dropped")
                if not stop.is_set():
                    self.tally.error(f"{self.plan.kind}: {error}")
                    if self.window.holds(time.monotonic()):
                        self.tally.add(Sample(self.plan.kind, ACTION_TIMEOUT * 1000, 0, False))
                if not self.client.connected:
                    return
            self.count_bytes()

    def act(self) -> None:
        if self.plan.kind == "calendar":
            self._calendar()
        elif self.plan.kind == "portal":
            self._portal()
        else:
            self._booking()

    def _calendar(self) -> None:
        names = self.names
        if self.random.random() < 0.15:
            self.view = "day" if self.view == "week" else "week"
            self.position = 0
            self.timed("calendar_view", names.set_view, {"view": self.view}, CALENDAR, "title_rx_state_")
            return
        step = -1 if self.position >= 3 else 1 if self.position <= -3 else self.random.choice((1, -1))
        self.position += step
        self.timed("calendar_move", names.move, {"steps": step}, CALENDAR, "title_rx_state_")

    def _portal(self) -> None:
        names = self.names
        if len(self.plan.records) > 1 and self.random.random() < 0.25:
            record = self.random.choice(self.plan.records)
            self.timed("portal_switch", names.choose_record, {"patient_id": str(record)}, self.path, '"_redirect"')
        else:  # another page of the portal
            self.path = self.random.choice([p for p in PORTAL_PAGES if p != self.path])
        self.timed("portal_page", names.portal_loads[self.path], {}, self.path, "records_rx_state_")

    def _booking(self) -> None:
        names, roll = self.names, self.random.random()
        book_chance = BOOK_CHANCE
        if self.booked and roll < book_chance:
            self._cancel_one()
            return
        if self.slots and roll > 1 - book_chance:
            slot = self.random.choice(self.slots)
            self.timed("booking_slot", names.choose_slot, {"slot": {"iso": slot["iso"]}}, self.path, '"slot_rx_state_"')
            answer = self.timed("booking_confirm", names.confirm, {"form": {}}, self.path, "slots_rx_state_")
            booked = var(answer, names.booking, "booked") if answer else None
            with self.tally.lock:
                if booked:
                    self.tally.bookings += 1
                else:
                    self.tally.refused_bookings += 1
            self.booked += 1 if booked else 0
            self._note_slots(answer)
            return
        if roll < 0.15:  # the later days, or back to the first ones (the page offers no step past either end)
            step, self.days_shown = (1, 1) if self.days_shown == 0 else (-1, 0)
            answer = self.timed("booking_days", names.show_window, {"step": step}, self.path, "slots_rx_state_")
        else:
            today = datetime.now(ZoneInfo(self.plan.zone)).date()
            day = (today + timedelta(days=self.random.randint(1, 13))).isoformat()
            answer = self.timed("booking_day", names.choose_day, {"day": day}, self.path, "slots_rx_state_")
        self._note_slots(answer)

    def _cancel_one(self) -> None:
        """To the appointments page, cancel the first upcoming booking, back to the booking page."""
        names = self.names
        answer = self.timed(
            "portal_page", names.portal_loads["/portal/appointments"], {}, "/portal/appointments", "upcoming_rx_state_"
        )
        upcoming = var(answer, names.appointments, "upcoming", []) if answer else []
        cancellable = [row["id"] for row in upcoming if row.get("can_cancel") == "true"]
        if cancellable:
            self.timed(
                "cancel", names.cancel, {"appointment_id": cancellable[0]}, "/portal/appointments", "upcoming_rx_state_"
            )
            with self.tally.lock:
                self.tally.cancellations += 1
        self.booked = max(0, self.booked - 1)
        answer = self.timed("booking_page", names.booking_load, {}, self.path, "slots_rx_state_")
        self.days_shown = 0
        self._note_slots(answer)

    def _note_slots(self, update: dict[str, Any] | None) -> None:
        found = var(update, self.names.booking, "slots") if update else None
        if isinstance(found, list):
            self.slots = found

    def timed(
        self,
        action: str,
        event: str,
        payload: dict[str, Any],
        pathname: str,
        needle: str,
        query: dict[str, str] | None = None,
    ) -> dict[str, Any] | None:
        """Send one event; wait for the frame carrying `needle`; record the round trip. The answer's update."""
        client = self.client
        if query is None and pathname.startswith("/book/"):
            query = self._book_query()  # the page's address names the office: every event carries it
        client.trim()
        sent = time.monotonic()
        mark = client.emit(event, payload, pathname=pathname, query=query)
        done: Callable[[Frame], bool] = lambda frame: needle in frame.text  # noqa: E731
        index = client._wait(done, mark, ACTION_TIMEOUT, f"the answer to {action}")
        took = (time.monotonic() - sent) * 1000
        with client._arrived:
            received = [f.text for f in client.frames[mark : index + 1] if f.direction == "<"]
            answer = client.frames[index]
        failed = next((text for text in FAILED if any(text in r for r in received)), "")
        if failed:
            self.tally.error(f"{action}: the answer shows {failed!r}")
        if self.window.holds(sent):
            size = sum(len(r.encode()) for r in received if r != "2")
            self.tally.add(Sample(action, took, size, not failed))
        return answer.update()

    def count_bytes(self) -> None:
        """Add the frames received inside the window since the last count (then trimmed away)."""
        client = self.client
        with client._arrived:
            start = min(self.counted, len(client.frames))
            for frame in client.frames[start:]:
                if frame.direction == "<" and self.window.holds(frame.at):
                    self.received_bytes += len(frame.text.encode())
            self.counted = len(client.frames)
            if len(client.frames) > 2 * client.KEEP:
                cut = len(client.frames) - client.KEEP
                del client.frames[:cut]
                self.counted -= cut


# ---- the client process ------------------------------------------------------------------------


def open_tab(tab: Tab) -> str:
    """Open the tab; "" or what went wrong."""
    try:
        tab.open()
    except Exception as error:
        return f"open {tab.plan.kind}: {str(error)[:200]}"
    return ""


def client_process(conn: Connection, base_url: str, index: int, think: tuple[float, float] = THINK_SECONDS) -> None:
    """Serve the parent's commands: ("open", plans), ("measure", start, end), ("stop",)."""
    names = Names.read()
    tally, window, stop = Tally(), Window(), threading.Event()
    tabs: list[Tab] = []
    threads: list[threading.Thread] = []
    while True:
        command = conn.recv()
        if command[0] == "open":
            plans: list[TabPlan] = command[1]
            fresh = [
                Tab(base_url, plan, names, tally, window, index * 100_000 + len(tabs) + i, think)
                for i, plan in enumerate(plans)
            ]
            with ThreadPoolExecutor(max_workers=8) as pool:
                failures = [text for text in pool.map(open_tab, fresh) if text]
            for tab in fresh:
                tabs.append(tab)
                thread = threading.Thread(target=tab.run, args=(stop,), daemon=True)
                thread.start()
                threads.append(thread)
            conn.send(("opened", len(fresh) - len(failures), failures[:5]))
        elif command[0] == "measure":
            start, end = command[1], command[2]
            with tally.lock:
                tally.samples, tally.errors = [], []
                tally.bookings = tally.refused_bookings = tally.cancellations = 0
            for tab in tabs:
                tab.received_bytes = 0
            window.start, window.end = start, end
            time.sleep(max(0.0, start - time.monotonic()))
            cpu0 = time.process_time()
            time.sleep(max(0.0, end - time.monotonic()))
            cpu1 = time.process_time()
            time.sleep(ACTION_TIMEOUT / 3)  # let the window's last answers arrive
            for tab in tabs:
                tab.count_bytes()
            with tally.lock:
                report = {
                    "samples": [(s.action, s.ms, s.received_bytes, s.ok) for s in tally.samples],
                    "errors": list(tally.errors),
                    "bookings": tally.bookings,
                    "refused_bookings": tally.refused_bookings,
                    "cancellations": tally.cancellations,
                }
            report["cpu_seconds"] = cpu1 - cpu0
            report["dropped"] = sum(1 for tab in tabs if not tab.client.connected)
            report["received_bytes"] = sum(tab.received_bytes for tab in tabs)
            report["tabs"] = len(tabs)
            conn.send(("result", report))
        else:
            stop.set()
            for tab in tabs:
                tab.client.close()
            conn.send(("stopped",))
            return
