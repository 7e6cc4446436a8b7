"""The calendar grid as the page receives it: plain data computed on the server, no Reflex.

A busy week is hundreds of appointments, re-sent on every week switch, so each appointment is
a short list of strings rather than a dict (the keys would be most of its bytes). The indexes
below name its fields; the page and the state read them through these names only.

Pure functions of a CalendarGrid (scheduling/calendar_view.py): they run in the same worker
thread as the query, and the state only assigns what they return."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from app.services import formatting
from app.services.ids import is_id
from app.services.local_time import zone as office_zone
from app.services.scheduling.calendar_view import MINUTE_PX, CalendarGrid
from app.services.scheduling.slots import WeeklyInterval

# An appointment row: [id, top px, height px, colour, patient, service, "HH:MM", status code]
ID, TOP, HEIGHT, COLOR, PATIENT, SERVICE, TIME, STATUS = range(8)


@dataclass(frozen=True)
class GridLayout:
    title: str
    day_columns: list[dict[str, str]]  # {"iso", "label", "today"}
    people: list[dict[str, str]]  # every practitioner, shown or not: {"id", "name"}
    times: list[dict[str, str]]  # one row per cell: {"minute", "label", "hour"}
    cell_height: str
    # Where the first whole hour's line is drawn in a lane, from its top (the lane's background
    # draws a line per row and a darker one per hour: no element per cell).
    hour_line_at: str
    grid_height: int
    # One per day × practitioner; per time row, "off": "1" = not working, "busy": "1" = a live
    # appointment covers part of it (that cell is not a target: the appointment's block is).
    lanes: list[dict[str, str]]
    lane_items: list[list[list[str]]]  # the appointment rows of each lane, same order
    lane_off: list[list[list[str]]]  # each lane's hours outside work (or on time off): [top px, height px]
    lanes_per_day: int
    grid_columns: str


def layout(grid: CalendarGrid, view: str, today: date | None = None) -> GridLayout:
    """The grid as the page draws it; `today` (the office's, by default the grid's) is highlighted."""
    today = grid.today if today is None else today
    zone = office_zone(grid.time_zone)
    first, last = grid.first_minute, grid.last_minute
    day_columns = [
        {"iso": d.isoformat(), "label": formatting.day_label(d), "today": str(d == today).lower()} for d in grid.days
    ]
    shown = [{"id": str(pid), "name": name} for pid, name in grid.practitioners]
    people = [{"id": str(pid), "name": name} for pid, name in grid.everyone or grid.practitioners]
    step = 15 if view == "day" else 30  # the week is 7× wider: half-hour cells keep it quick
    minutes = range(first, last, step)
    times = [{"minute": str(m), "label": formatting.minute_clock(m), "hour": str(m % 60 == 0).lower()} for m in minutes]
    by_lane: dict[tuple[str, int], list[list[str]]] = {}
    taken: dict[tuple[str, int], list[tuple[int, int]]] = {}
    # A busy week is hundreds of rows: each start is converted to the office's day and minute once
    # (many appointments share one), and pixels and clocks come from tables, not formatting.
    local_of: dict[datetime, tuple[str, int]] = {}
    for item in grid.items:
        local = local_of.get(item.starts_at)
        if local is None:
            moment = item.starts_at.astimezone(zone)
            local = local_of[item.starts_at] = (moment.date().isoformat(), moment.hour * 60 + moment.minute)
        day, start = local
        length = max(15, int((item.ends_at - item.starts_at).total_seconds() // 60))
        key = (day, item.practitioner_id)
        status = item.status.value
        if status != "cancelled":  # a cancelled one's block leaves half the slot free
            taken.setdefault(key, []).append((start, start + length))
        by_lane.setdefault(key, []).append(
            [
                str(item.id),
                _px(start - first),
                _px(length),  # the gap below is a transparent border: still part of the target
                item.color,
                item.patient_name,
                item.service_name,
                _CLOCK[start],
                status,
            ]
        )
    lanes = [
        {
            "day": d["iso"],
            "day_label": d["label"],
            "practitioner_id": p["id"],
            "practitioner": p["name"],
            "first_of_day": str(index == 0).lower(),
        }
        for d in day_columns
        for index, p in enumerate(shown)
    ]
    off_by_person: dict[int, list[tuple[datetime, datetime]]] = {}
    for user_id, starts, ends in grid.time_off:
        off_by_person.setdefault(user_id, []).append((starts, ends))
    lane_off: list[list[list[str]]] = []
    for lane in lanes:
        person = int(lane["practitioner_id"])
        off = off_hours(
            date.fromisoformat(lane["day"]),
            grid.hours.get(person, []),
            off_by_person.get(person, []),
            zone,
            first,
            last,
        )
        lane_off.append([[f"{(a - first) * MINUTE_PX:.0f}", f"{(b - a) * MINUTE_PX:.0f}"] for a, b in off])
        # Per time row, for the cells' accessible names: shading alone says nothing to a screen reader.
        lane["off"] = off_marks(off, minutes)
        lane["busy"] = busy_marks(taken.get((lane["day"], person), []), minutes)
    days = grid.days
    title = formatting.long_day(days[0], year=True) if view == "day" else formatting.day_span(days[0], days[-1])
    width = "minmax(140px, 1fr)" if view == "day" else "minmax(96px, 1fr)"
    return GridLayout(
        title=title,
        day_columns=day_columns,
        people=people,
        times=times,
        cell_height=f"{step * MINUTE_PX:.0f}px",
        hour_line_at=f"{(-first % 60) * MINUTE_PX:.0f}px",
        grid_height=int((last - first) * MINUTE_PX),
        lanes=lanes,
        lane_items=[by_lane.get((lane["day"], int(lane["practitioner_id"])), []) for lane in lanes],
        lane_off=lane_off,
        lanes_per_day=max(1, len(shown)),
        grid_columns=f"64px repeat({max(1, len(lanes))}, {width})",
    )


_CLOCK = [formatting.minute_clock(minute) for minute in range(24 * 60 + 1)]
_PX = [f"{minutes * MINUTE_PX:.0f}" for minutes in range(24 * 60 + 1)]


def _px(minutes: int) -> str:
    """Minutes as whole pixels of the grid."""
    return _PX[minutes] if 0 <= minutes <= 24 * 60 else f"{minutes * MINUTE_PX:.0f}"


def off_marks(off: list[tuple[int, int]], minutes: range) -> str:
    """Per time row (its first minute m), "1" when m falls in an off interval [a, b)."""
    first, step = minutes.start, minutes.step
    return _marks(((-(-(a - first) // step), -(-(b - first) // step)) for a, b in off), len(minutes))


def busy_marks(booked: list[tuple[int, int]], minutes: range) -> str:
    """Per time row, "1" when an appointment [a, b) covers part of it: a < m + step and m < b."""
    first, step = minutes.start, minutes.step
    return _marks((((a - first) // step, -(-(b - first) // step)) for a, b in booked), len(minutes))


def _marks(rows: Iterable[tuple[int, int]], count: int) -> str:
    """Marks ("1") the rows in any of the [from, to) row ranges: painted by ranges, not by testing
    every cell against every interval (which was most of a busy week's layout time)."""
    marked = bytearray(b"0" * count)
    for start, end in rows:
        start, end = max(0, start), min(count, end)
        if start < end:
            marked[start:end] = b"1" * (end - start)
    return marked.decode()


def _day_minute(moment: datetime, day: date, zone: ZoneInfo) -> int:
    """A moment as wall-clock minutes after the start of `day` (negative before it, past 1440 after)."""
    local = moment.astimezone(zone).replace(tzinfo=None)
    return int((local - datetime.combine(day, time())).total_seconds() // 60)


def _without(intervals: list[tuple[int, int]], cut: tuple[int, int]) -> list[tuple[int, int]]:
    kept: list[tuple[int, int]] = []
    for start, end in intervals:
        if cut[1] <= start or cut[0] >= end:
            kept.append((start, end))
            continue
        if start < cut[0]:
            kept.append((start, cut[0]))
        if cut[1] < end:
            kept.append((cut[1], end))
    return kept


def off_hours(
    day: date,
    weekly: Iterable[WeeklyInterval],
    time_off: Iterable[tuple[datetime, datetime]],
    zone: ZoneInfo,
    first: int,
    last: int,
) -> list[tuple[int, int]]:
    """The stretches of [first, last) (wall-clock minutes of `day`) a practitioner does not work:
    outside their weekly hours, or inside their time off."""
    working = [(i.start_minute, i.end_minute) for i in weekly if i.weekday == day.weekday()]
    for starts, ends in time_off:
        cut = (max(0, _day_minute(starts, day, zone)), min(24 * 60, _day_minute(ends, day, zone)))
        if cut[0] < cut[1]:
            working = _without(working, cut)
    off: list[tuple[int, int]] = []
    cursor = first
    for start, end in sorted(working):
        if start > cursor:
            off.append((cursor, min(start, last)))
        cursor = max(cursor, end)
    if cursor < last:
        off.append((cursor, last))
    return [(start, end) for start, end in off if end > start]


def find_row(
    lanes: list[dict[str, str]], lane_items: list[list[list[str]]], appointment_id: str
) -> tuple[dict[str, str], list[str]] | None:
    """The lane and the row of an appointment shown on the grid, or None."""
    for lane, rows in zip(lanes, lane_items, strict=False):
        for row in rows:
            if row[ID] == appointment_id:
                return lane, row
    return None


def opened(lane: dict[str, str], row: list[str]) -> dict[str, str]:
    """What the appointment dialog shows, by name."""
    return {
        "id": row[ID],
        "patient": row[PATIENT],
        "service": row[SERVICE],
        "time": row[TIME],
        "status": row[STATUS],
        "status_words": formatting.status_label(row[STATUS]),
        "day": lane["day"],
        "day_label": lane["day_label"],
        "practitioner_id": lane["practitioner_id"],
        "practitioner": lane["practitioner"],
    }


# The practitioner filter, as the browser keeps it: "office:user" pairs, comma-separated, so one
# browser remembers a choice per office. It comes from the client: read defensively, keep it short.
MAX_HIDDEN = 500


def hidden_in(stored: str, office_id: int) -> list[str]:
    """The user ids hidden in this office."""
    prefix = f"{office_id}:"
    pairs = str(stored or "").split(",")[:MAX_HIDDEN]
    return [pair[len(prefix) :] for pair in pairs if pair.startswith(prefix) and is_id(pair[len(prefix) :])]


def with_hidden(stored: str, office_id: int, user_ids: set[str]) -> str:
    """The stored value with this office's hidden ids replaced by `user_ids`."""
    prefix = f"{office_id}:"
    others = [pair for pair in str(stored or "").split(",")[:MAX_HIDDEN] if pair and not pair.startswith(prefix)]
    mine = [prefix + user_id for user_id in sorted(user_ids) if is_id(user_id)]
    return ",".join(others + mine)
