"""The calendar's grids, read once and shared by every open calendar showing the same week.

A calendar's version moves with every change of what its grid shows (services/scheduling/
calendar_changes.py: appointments, time off, working hours, and the names, colours, columns and
time zone drawn on it). So a grid read at a version stays right for as long as the version does,
whoever asks: ten front-desk screens switching to next week, or redrawn together after a booking
(app/live/ sends them their re-check at once), read and lay it out once. Each caller is still
authorised on its own (`require` runs first, hit or miss).

A grid is kept SHARE_SECONDS at most, so a write that forgot to move the version is seen
within that time all the same; the most recent MAX_SHARED grids are kept (each a few hundred kB
at most), per worker process.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, datetime
from typing import NamedTuple

from sqlmodel import Session

from app.db import on_commit
from app.models import Office
from app.services import local_time
from app.services.actor import Actor
from app.services.clock import now_or
from app.services.errors import NotFound
from app.services.permissions import OfficeAction, require
from app.services.scheduling import calendar_layout, calendar_view
from app.services.scheduling.calendar_changes import calendar_version
from app.services.scheduling.calendar_layout import GridLayout

SHARE_SECONDS = 60.0
MAX_SHARED = 128


class ShownGrid(NamedTuple):
    day: date  # the day the calendar is anchored on (the office's today when none was asked)
    layout: GridLayout
    version: int  # the calendar's version this grid was read at


class GridKey(NamedTuple):
    office_id: int
    version: int
    view: str
    first_day: date  # the day shown, or the Monday of the week shown
    hidden: frozenset[int]
    today: date


class SharedGrids:
    """Recently computed grids, process-local and thread-safe (handlers run in a thread pool)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._grids: OrderedDict[GridKey, tuple[float, ShownGrid]] = OrderedDict()

    def get(self, key: GridKey) -> ShownGrid | None:
        with self._lock:
            found = self._grids.get(key)
            if found is None:
                return None
            if self._clock() - found[0] > SHARE_SECONDS:
                del self._grids[key]
                return None
            return found[1]

    def put(self, key: GridKey, grid: ShownGrid) -> None:
        with self._lock:
            self._grids[key] = (self._clock(), grid)
            self._grids.move_to_end(key)
            while len(self._grids) > MAX_SHARED:
                self._grids.popitem(last=False)

    def __len__(self) -> int:
        return len(self._grids)

    def clear(self) -> None:
        with self._lock:
            self._grids.clear()


SHARED = SharedGrids()


def shown_grid(
    db: Session,
    actor: Actor,
    office_id: int,
    anchor: date | None,
    view: str,
    hidden: frozenset[int] = frozenset(),
    *,
    now: datetime | None = None,
    grids: SharedGrids = SHARED,
) -> ShownGrid:
    """The calendar's day or week of `anchor` (None: the office's today), laid out for the page."""
    require(db, actor, office_id, OfficeAction.view_schedule)
    office = db.get(Office, office_id)
    if office is None:
        raise NotFound()
    today = local_time.today(office.time_zone, now_or(now))
    anchor = today if anchor is None else anchor
    first_day = anchor if view == "day" else calendar_view.start_of_week(anchor)
    key = GridKey(office_id, calendar_version(db, office_id), view, first_day, hidden, today)
    found = grids.get(key)
    if found is not None:
        return found._replace(day=anchor)  # the same week, whichever of its days this tab is on
    grid = calendar_view.grid(db, actor, office_id, anchor, view, hidden, now)
    shown = ShownGrid(anchor, calendar_layout.layout(grid, view), grid.version)
    if grid.version == key.version:  # else the calendar moved between the two reads: keep nothing
        # Shared once committed: a change read back in its own transaction (booking from the
        # calendar) may still roll back, and its version number would then be taken by another.
        on_commit(db, lambda: grids.put(key, shown))
    return shown
