"""Writing iCalendar (RFC 5545) for one event: the .ics a patient's mail carries and "Add to calendar".

Small on purpose: one VEVENT in a VCALENDAR, times in UTC (no VTIMEZONE needed), TEXT values
escaped (backslash, semicolon, comma, line breaks), parameter values quoted where they must be,
and every content line folded at 75 octets without splitting a UTF-8 character. Lines end in CRLF.

The METHOD says what a calendar should do with it (RFC 5546): REQUEST adds or updates the event
with its UID (a later SEQUENCE wins), CANCEL removes it, PUBLISH is a plain file to import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

LINE_OCTETS = 75
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Method(StrEnum):
    request = "REQUEST"
    cancel = "CANCEL"
    publish = "PUBLISH"


@dataclass(frozen=True)
class Person:
    name: str
    address: str  # an e-mail address


@dataclass(frozen=True)
class Event:
    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    stamp: datetime  # when this version of the event was written
    summary: str
    location: str = ""
    description: str = ""
    organizer: Person | None = None
    attendee: Person | None = None


def utc_stamp(moment: datetime) -> str:
    """A DATE-TIME in UTC ("Z" form)."""
    if moment.tzinfo is None:
        raise ValueError("an iCalendar time needs a time zone")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, any line break written as \\n."""
    value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def param_value(value: str) -> str:
    """A parameter value (a CN): no double quotes or line breaks exist in one, and one holding
    ':', ';' or ',' is written in double quotes."""
    value = _CONTROL.sub("", value.replace('"', "'").replace("\r", " ").replace("\n", " ").replace("\t", " "))
    return f'"{value}"' if any(c in value for c in ":;,") else value


def fold(line: str) -> str:
    """One content line folded into pieces of at most 75 octets, each further piece starting with
    a space (RFC 5545 §3.1); a multi-byte character stays whole."""
    pieces: list[str] = []
    current, size, limit = [], 0, LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1  # the leading space takes one octet
        current.append(char)
        size += octets
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def _person(name: str, who: Person, extra: str = "") -> str:
    return f"{name};CN={param_value(who.name)}{extra}:mailto:{who.address.strip()}"


def calendar(event: Event, method: Method) -> str:
    """The whole .ics text of one event: added or updated (REQUEST, PUBLISH) or cancelled (CANCEL)."""
    cancelled = method == Method.cancel
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Praxis//Appointments//EN",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method.value}",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"SEQUENCE:{event.sequence}",
        f"DTSTAMP:{utc_stamp(event.stamp)}",
        f"DTSTART:{utc_stamp(event.starts_at)}",
        f"DTEND:{utc_stamp(event.ends_at)}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.organizer is not None:
        lines.append(_person("ORGANIZER", event.organizer))
    if event.attendee is not None:
        lines.append(_person("ATTENDEE", event.attendee, ";ROLE=REQ-PARTICIPANT;RSVP=FALSE"))
    lines += [
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(f"{fold(line)}\r\n" for line in lines)


def method_of(ics_text: str) -> str:
    """The METHOD an .ics text declares ("" when none): the mail's text/calendar part says it too."""
    for line in ics_text.splitlines():
        if line.startswith("METHOD:"):
            return line.removeprefix("METHOD:").strip()
    return ""
