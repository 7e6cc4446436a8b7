"""How Praxis writes dates, times, statuses and names: one module for every page and e-mail.

Dates and times are written the way people read them, in the office's time
zone: "Tue 24 Nov", "Tue 24 Nov, 09:30", "Tue 24 Nov 2026, 09:30". States,
pages and e-mails never format a date themselves: they call these.
"""

from __future__ import annotations

from datetime import date, datetime

from app.services.local_time import local

APPOINTMENT_STATUS = {
    "booked": "Booked",
    "arrived": "Arrived",
    "no_show": "No-show",
    "cancelled": "Cancelled",
}
SEX = {"female": "Female", "male": "Male", "intersex": "Intersex", "unknown": "Unknown"}
JOINING_AS = {"owner": "the owner", "practitioner": "a practitioner", "staff": "administrative staff"}


def day_label(day: date) -> str:
    """'Tue 24 Nov'."""
    return f"{day:%a} {day.day} {day:%b}"


def short_day(day: date) -> str:
    """'Tue 24': a day chip, where the month is shown around it."""
    return f"{day:%a} {day.day}"


def long_day(day: date, *, year: bool = False) -> str:
    """'Tuesday 24 November' (or 'Tuesday 24 November 2026')."""
    text = f"{day:%A} {day.day} {day:%B}"
    return f"{text} {day.year}" if year else text


def plain_date(day: date) -> str:
    """'3 March 2026'."""
    return f"{day.day} {day:%B} {day.year}"


def day_span(first: date, last: date) -> str:
    """'30 Nov – 6 Dec 2026': a range of days, the year once at the end (both when they differ)."""
    start = f"{first.day} {first:%b}" + (f" {first.year}" if first.year != last.year else "")
    return f"{start} – {last.day} {last:%b} {last.year}"


def day_with_year(day: date) -> str:
    """'Tue 24 Nov 2026'."""
    return f"{day_label(day)} {day.year}"


def birth_date(day: date) -> str:
    """'2 Apr 2015' (no weekday: nobody reads a birthday by it)."""
    return f"{day.day} {day:%b} {day.year}"


def clock(moment: datetime, zone_name: str) -> str:
    """'09:30' in the office's zone."""
    return f"{local(moment, zone_name):%H:%M}"


def minute_clock(minute: int) -> str:
    """Minutes after midnight as '09:30' ('24:00' ends a working day)."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def day_of(moment: datetime, zone_name: str) -> str:
    """'Tue 24 Nov' of an instant, in the office's zone."""
    return day_label(local(moment, zone_name).date())


def long_day_of(moment: datetime, zone_name: str) -> str:
    """'Wednesday 25 November 2026' of an instant, in the office's zone."""
    return long_day(local(moment, zone_name).date(), year=True)


def when(moment: datetime, zone_name: str, *, year: bool = False) -> str:
    """'Tue 24 Nov, 09:30' (or 'Tue 24 Nov 2026, 09:30') in the office's zone."""
    here = local(moment, zone_name)
    day = day_with_year(here.date()) if year else day_label(here.date())
    return f"{day}, {here:%H:%M}"


def status_label(status: str) -> str:
    return APPOINTMENT_STATUS.get(status, status.replace("_", " ").capitalize())


def sex_label(sex: str) -> str:
    return SEX.get(sex, "")


def joining_as(role: str) -> str:
    """An office role in a sentence: "… invites you to join as a practitioner"."""
    return JOINING_AS.get(role, role)


def full_name(first: str, last: str) -> str:
    return " ".join(part for part in (first.strip(), last.strip()) if part)


def listed_name(first: str, last: str) -> str:
    """'Silva, Ana': a name as lists and pickers sort and show it."""
    return ", ".join(part for part in (last.strip(), first.strip()) if part)


def initials(name: str) -> str:
    """'Ada Lovelace' → 'AL'; one word → one letter; nothing → '?'."""
    parts = [part for part in name.split() if part]
    if not parts:
        return "?"
    return (parts[0][0] + (parts[-1][0] if len(parts) > 1 else "")).upper()


def file_size(size: int) -> str:
    """'820 bytes', '14 KB', '3.4 MB' (1 KB = 1,024 bytes, as computers show files)."""
    if size < 1024:
        return "1 byte" if size == 1 else f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"
