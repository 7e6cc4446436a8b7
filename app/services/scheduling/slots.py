"""Free-slot computation for online booking and the calendar.

Working hours are weekly wall-clock intervals in the office's time zone. For
each day they are turned into real UTC instants with zoneinfo, so a day that
springs forward or falls back has exactly the hours people work on it (a
09:00-17:00 day is 8 real hours either way; an interval across the missing
hour is shortened, across the repeated hour lengthened). Slot starts step
every `step` minutes from the start of each interval, which keeps them on the
wall-clock grid.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.services.local_time import local_instant

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class WeeklyInterval:
    weekday: int  # Monday = 0
    start_minute: int
    end_minute: int


def working_intervals(
    hours: Iterable[WeeklyInterval], first_day: date, last_day: date, zone: ZoneInfo
) -> list[Interval]:
    """The working intervals, as UTC instants, of each local day from first_day to last_day inclusive."""
    by_weekday: dict[int, list[WeeklyInterval]] = {}
    for interval in hours:
        by_weekday.setdefault(interval.weekday, []).append(interval)
    result: list[Interval] = []
    day = first_day
    while day <= last_day:
        for interval in sorted(by_weekday.get(day.weekday(), []), key=lambda i: i.start_minute):
            start = local_instant(day, interval.start_minute, zone)
            end = local_instant(day, interval.end_minute, zone)
            if end > start:
                result.append((start, end))
        day += timedelta(days=1)
    return result


def free_slots(
    working: Sequence[Interval],
    busy: Sequence[Interval],
    duration: timedelta,
    *,
    step: timedelta = timedelta(minutes=15),
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> list[datetime]:
    """Start instants of every slot of `duration` inside working time that overlaps nothing busy.

    `not_before` is the minimum notice (now + notice); `not_after` the horizon
    (the latest allowed start).
    """
    merged = _merge(sorted(busy))
    busy_starts = [start for start, _ in merged]
    slots: list[datetime] = []
    for work_start, work_end in sorted(working):
        start = work_start
        while start + duration <= work_end:
            end = start + duration
            if not_after is not None and start > not_after:
                return slots
            if not_before is None or start >= not_before:
                # The busy interval that starts before our end and is the last such one
                # decides; merged intervals do not overlap, so one look suffices.
                index = bisect_left(busy_starts, end) - 1
                if index < 0 or merged[index][1] <= start:
                    slots.append(start)
                else:
                    # Jump past this busy interval onto the grid.
                    blocked_until = merged[index][1]
                    skipped = -(-(blocked_until - start) // step)
                    start += step * max(1, skipped)
                    continue
            start += step
    return slots


def _merge(intervals: Sequence[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in intervals:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
