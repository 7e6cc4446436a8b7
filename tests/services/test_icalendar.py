"""The .ics writer (app/services/icalendar.py): RFC 5545 escaping, folding, UTC times, METHOD."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.services.icalendar import (
    Event,
    Method,
    Person,
    calendar,
    escape_text,
    fold,
    method_of,
    param_value,
    utc_stamp,
)

TORONTO = ZoneInfo("America/Toronto")
STARTS = datetime(2026, 11, 25, 10, tzinfo=TORONTO)  # 15:00 UTC (EST)


def event(**changes: object) -> Event:
    values: dict = {
        "uid": "appointment-42@praxis.test",
        "sequence": 3,
        "starts_at": STARTS,
        "ends_at": STARTS + timedelta(minutes=45),
        "stamp": datetime(2026, 11, 20, 8, 5, 9, tzinfo=UTC),
        "summary": "Massage, deep tissue with Olive Maple",
        "location": "Maple Street Clinic, 12 Maple St; Toronto",
        "description": "Questions? Call +1 416 555 0100.",
        "organizer": Person("Maple Street Clinic", "no-reply@praxis.test"),
        "attendee": Person("ana@family.test", "ana@family.test"),
    }
    values.update(changes)
    return Event(**values)


def unfolded(text: str) -> list[str]:
    """The content lines, with folding undone (CRLF + one space joins a line to the one before)."""
    assert text.endswith("\r\n")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def test_a_request_has_its_uid_sequence_method_and_utc_times() -> None:
    lines = unfolded(calendar(event(), Method.request))
    assert lines[:5] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Praxis//Appointments//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:REQUEST",
    ]
    assert lines[-2:] == ["END:VEVENT", "END:VCALENDAR"]
    assert "UID:appointment-42@praxis.test" in lines
    assert "SEQUENCE:3" in lines
    assert "DTSTART:20261125T150000Z" in lines  # 10:00 in Toronto, in UTC
    assert "DTEND:20261125T154500Z" in lines
    assert "DTSTAMP:20261120T080509Z" in lines
    assert "STATUS:CONFIRMED" in lines
    assert "ORGANIZER;CN=Maple Street Clinic:mailto:no-reply@praxis.test" in lines
    assert "ATTENDEE;CN=ana@family.test;ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:ana@family.test" in lines
    assert method_of(calendar(event(), Method.request)) == "REQUEST"


def test_a_cancel_has_the_same_uid_and_says_cancelled() -> None:
    text = calendar(event(sequence=4), Method.cancel)
    lines = unfolded(text)
    assert "METHOD:CANCEL" in lines and "STATUS:CANCELLED" in lines
    assert "UID:appointment-42@praxis.test" in lines and "SEQUENCE:4" in lines
    assert method_of(text) == "CANCEL"


def test_summer_time_is_written_in_utc_too() -> None:
    summer = datetime(2026, 7, 1, 10, tzinfo=TORONTO)  # EDT, UTC-4
    lines = unfolded(calendar(event(starts_at=summer, ends_at=summer + timedelta(hours=1)), Method.publish))
    assert "DTSTART:20260701T140000Z" in lines and "DTEND:20260701T150000Z" in lines
    assert "METHOD:PUBLISH" in lines


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError):
        utc_stamp(datetime(2026, 1, 1, 9))


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("Massage, deep tissue", "Massage\\, deep tissue"),
        ("Dr A; RMT", "Dr A\\; RMT"),
        ("C:\\path", "C:\\\\path"),
        ("two\nlines", "two\\nlines"),
        ("two\r\nlines\rand more", "two\\nlines\\nand more"),
        ("bell\x07 gone", "bell gone"),
        ("colon: stays", "colon: stays"),
    ],
)
def test_text_values_are_escaped(raw: str, escaped: str) -> None:
    assert escape_text(raw) == escaped


def test_summary_and_location_are_escaped_in_the_file() -> None:
    lines = unfolded(calendar(event(summary="Visit, short; \\ odd\nnote"), Method.request))
    assert "SUMMARY:Visit\\, short\\; \\\\ odd\\nnote" in lines
    assert "LOCATION:Maple Street Clinic\\, 12 Maple St\\; Toronto" in lines


def test_parameter_values_are_quoted_when_they_must_be() -> None:
    assert param_value("Maple Street Clinic") == "Maple Street Clinic"
    assert param_value("Smith, Jones: Physio") == '"Smith, Jones: Physio"'
    assert param_value('The "Best" Clinic\n') == "The 'Best' Clinic "
    lines = unfolded(calendar(event(organizer=Person("Smith; Jones", "x@praxis.test")), Method.request))
    assert 'ORGANIZER;CN="Smith; Jones":mailto:x@praxis.test' in lines


def test_long_lines_are_folded_at_75_octets_without_splitting_a_character() -> None:
    summary = "Physiothérapie — évaluation complète " * 6  # accents and dashes: 2 and 3 octets each
    text = calendar(event(summary=summary), Method.request)
    physical = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    assert any(line.startswith(" ") for line in physical)  # it was folded
    for line in physical:
        line.encode("utf-8").decode("utf-8")  # every piece is whole UTF-8
    assert f"SUMMARY:{escape_text(summary)}" in unfolded(text)


def test_fold_leaves_a_short_line_alone_and_counts_octets() -> None:
    assert fold("SEQUENCE:0") == "SEQUENCE:0"
    exactly = "X" * 75
    assert fold(exactly) == exactly
    assert fold("X" * 76) == "X" * 75 + "\r\n X"
    folded = fold("é" * 40)  # 80 octets: 37 characters (74 octets) fit on the first line
    first, rest = folded.split("\r\n ")
    assert first == "é" * 37 and rest == "é" * 3
