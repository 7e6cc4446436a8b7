"""A free time of the calendar grid is sent as its lane's and its row's numbers (the grid's one
free-time button sends the row it is placed on, as text: components/calendar/grid.py): the server
turns them into the day, the practitioner and the time this tab was shown, and opens the booking
dialog there. Anything else a hand-made event sends opens nothing. The service is a stand-in here (its
rules: tests/services/test_calendar_and_merge.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
import reflex as rx

import app.app  # noqa: F401  (registers every state)
from app.services.scheduling import calendar_view
from app.state.calendar import BookingCalendarState
from app.state.session import SessionState

LANES = [
    {"day": "2026-12-07", "practitioner_id": "4", "practitioner": "Ana Lima"},
    {"day": "2026-12-07", "practitioner_id": "9", "practitioner": "Ben Okri"},
    {"day": "2026-12-08", "practitioner_id": "4", "practitioner": "Ana Lima"},
]
TIMES = [{"minute": str(480 + 15 * n), "label": "", "hour": "false"} for n in range(8)]


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str]]:
    """Which office and practitioner the booking dialog asked services for."""
    made: list[tuple[int, str]] = []

    async def as_actor(self: SessionState, work: Callable[[Any, Any], Any], **_: Any) -> Any:
        return work(None, None)

    def services_for(db: Any, actor: Any, office_id: int, practitioner_id: str) -> list[Any]:
        made.append((office_id, practitioner_id))
        return []

    monkeypatch.setattr(SessionState, "_as_actor", as_actor)
    monkeypatch.setattr(calendar_view, "services_for", services_for)
    return made


async def _calendar() -> BookingCalendarState:
    state = await rx.State(_reflex_internal_init=True).get_state(BookingCalendarState)
    state.office_id = 3
    state.people = [{"id": "4", "name": "Ana Lima"}, {"id": "9", "name": "Ben Okri"}]
    state.lanes, state.times = LANES, TIMES
    return state


def test_a_cell_opens_the_dialog_at_its_lanes_day_and_practitioner_and_its_rows_time(asked: list) -> None:
    async def run() -> None:
        state = await _calendar()
        await state.open_cell(1, 6)
        assert state.new_slot == {
            "day": "2026-12-07",
            "practitioner_id": "9",
            "practitioner": "Ben Okri",
            "minute": "570",
            "time": "09:30",
            "label": state.new_slot["label"],
        }
        assert "7" in state.new_slot["label"] and "Dec" in state.new_slot["label"]
        await state.open_cell("2", "0")  # as the browser may send them: text
        assert (state.new_slot["day"], state.new_slot["practitioner"], state.new_slot["time"]) == (
            "2026-12-08",
            "Ana Lima",
            "08:00",
        )
        assert asked == [(3, "9"), (3, "4")]

    asyncio.run(run())


@pytest.mark.parametrize(
    ("lane", "row"),
    [(3, 0), (0, 8), (-1, 0), (0, -1), ("1e0", 0), (0, "²"), (True, 0), (None, 0), ([0], 0), (0.0, 0), ("", "")],
)
def test_a_cell_outside_what_the_tab_was_shown_opens_nothing(asked: list, lane: Any, row: Any) -> None:
    async def run() -> None:
        state = await _calendar()
        await state.open_cell(lane, row)
        assert state.new_slot == {} and asked == []

    asyncio.run(run())


def test_before_the_grid_is_loaded_no_cell_opens(asked: list) -> None:
    async def run() -> None:
        state = await _calendar()
        state.lanes, state.times = [], []
        await state.open_cell(0, 0)
        assert state.new_slot == {} and asked == []

    asyncio.run(run())
