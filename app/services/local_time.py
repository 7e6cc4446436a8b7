"""Office-local dates and times, and the one way from a local date and time to UTC.

Times are stored in UTC and shown in the office's time zone. People type a
local date and an "HH:MM"; `to_utc` turns that into an instant, handling the
days clocks change (a time skipped by spring-forward moves forward by the gap;
an ambiguous time in fall-back means its first occurrence). States never do
this themselves (a lint rule bans zoneinfo and datetime.now in app/state).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.services.clock import now_or
from app.services.errors import Invalid


def zone(name: str) -> ZoneInfo:
    """The office's zone; an unknown or empty name falls back to UTC rather than failing a page."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_instant(day: date, minute: int, tz: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time (minutes after midnight) on a day in a zone."""
    day = day + timedelta(days=minute // (24 * 60))
    minute %= 24 * 60
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=tz).astimezone(UTC)


def parse_clock(value: str, field: str = "time", *, end_of_day: bool = False) -> int:
    """'09:30' → 570 minutes after midnight ('24:00' too when it ends a working day).

    Only ASCII digits: '٠٩:٣٠' or '²:00' are refused with the same clear message."""
    text = (value or "").strip()
    hours, sep, minutes = text.partition(":")
    well_formed = (
        sep == ":"
        and hours.isascii()
        and hours.isdigit()
        and 1 <= len(hours) <= 2
        and minutes.isascii()
        and minutes.isdigit()
        and len(minutes) == 2
    )
    total = int(hours) * 60 + int(minutes) if well_formed else -1
    limit = 24 * 60 if end_of_day else 24 * 60 - 1
    if not well_formed or int(minutes) > 59 or not 0 <= total <= limit:
        raise Invalid("Use a time like 09:30.", field)
    return total


def parse_day(value: str, field: str = "day", label: str = "date") -> date:
    text = (value or "").strip()
    try:
        if not text.isascii():
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise Invalid(f"Choose a {label}.", field) from None


def to_utc(day: date | str, clock: str, zone_name: str, *, field: str = "time", day_field: str = "day") -> datetime:
    """A local date (or ISO text) and 'HH:MM' in the office's zone, as a UTC instant.

    A bad day is Invalid beside `day_field`, a bad time beside `field`."""
    local_day = day if isinstance(day, date) else parse_day(day, day_field)
    return local_instant(local_day, parse_clock(clock, field), zone(zone_name))


def today(zone_name: str, now: datetime | None = None) -> date:
    """Today's date in the office's zone."""
    return now_or(now).astimezone(zone(zone_name)).date()


def local(moment: datetime, zone_name: str) -> datetime:
    return moment.astimezone(zone(zone_name))
