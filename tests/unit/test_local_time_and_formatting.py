"""One path from office-local time to UTC (DST gaps and folds), and one way of writing dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.services import formatting, local_time
from app.services.errors import Invalid


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_an_ordinary_local_time() -> None:
    assert local_time.to_utc(date(2026, 6, 2), "09:30", "America/Toronto") == utc(2026, 6, 2, 13, 30)
    assert local_time.to_utc("2026-01-02", "09:30", "Europe/Berlin") == utc(2026, 1, 2, 8, 30)


def test_a_time_skipped_by_spring_forward_moves_forward_by_the_gap() -> None:
    # Toronto, 8 Mar 2026: 02:00 → 03:00. 02:30 does not exist; it means 03:30 EDT.
    assert local_time.to_utc("2026-03-08", "02:30", "America/Toronto") == utc(2026, 3, 8, 7, 30)
    assert local_time.to_utc("2026-03-08", "03:30", "America/Toronto") == utc(2026, 3, 8, 7, 30)


def test_an_ambiguous_time_in_fall_back_is_its_first_occurrence() -> None:
    # Toronto, 1 Nov 2026: 01:30 happens twice; the first is EDT (UTC-4).
    assert local_time.to_utc("2026-11-01", "01:30", "America/Toronto") == utc(2026, 11, 1, 5, 30)
    # Berlin, 25 Oct 2026: 02:30 happens twice; the first is CEST (UTC+2).
    assert local_time.to_utc("2026-10-25", "02:30", "Europe/Berlin") == utc(2026, 10, 25, 0, 30)


def test_bad_times_and_days_are_clear_messages_beside_the_field() -> None:
    for bad in ("", "9", "9.30", "24:00", "25:00", "12:60", "-1:00", "nine", "²:00", "٠٩:٣٠", "09:3", "009:30"):
        with pytest.raises(Invalid) as caught:
            local_time.to_utc("2026-06-02", bad, "UTC", field="starts")
        assert caught.value.field == "starts"
    assert local_time.parse_clock("24:00", end_of_day=True) == 24 * 60
    for bad in ("", "2026-13-01", "tomorrow", "２０２６-01-01"):
        with pytest.raises(Invalid):
            local_time.to_utc(bad, "09:00", "UTC")


def test_today_is_the_office_s_today() -> None:
    late_evening_in_toronto = utc(2026, 6, 3, 2, 0)  # 22:00 on 2 June in Toronto
    assert local_time.today("America/Toronto", late_evening_in_toronto) == date(2026, 6, 2)
    assert local_time.today("Asia/Tokyo", late_evening_in_toronto) == date(2026, 6, 3)
    assert local_time.today("No/Such_Zone", late_evening_in_toronto) == date(2026, 6, 3)  # UTC fallback


def test_dates_and_times_are_written_the_way_people_read_them() -> None:
    moment = utc(2026, 11, 24, 14, 30)
    assert formatting.when(moment, "America/Toronto") == "Tue 24 Nov, 09:30"
    assert formatting.when(moment, "America/Toronto", year=True) == "Tue 24 Nov 2026, 09:30"
    assert formatting.day_of(moment, "Asia/Tokyo") == "Tue 24 Nov"
    assert formatting.clock(moment, "Europe/Berlin") == "15:30"
    assert formatting.day_label(date(2026, 3, 1)) == "Sun 1 Mar"
    assert formatting.short_day(date(2026, 3, 1)) == "Sun 1"
    assert formatting.long_day(date(2026, 11, 30)) == "Monday 30 November"
    assert formatting.long_day(date(2026, 11, 30), year=True) == "Monday 30 November 2026"
    assert formatting.plain_date(date(2026, 3, 1)) == "1 March 2026"
    assert formatting.minute_clock(9 * 60 + 5) == "09:05" and formatting.minute_clock(24 * 60) == "24:00"


def test_a_span_of_days_names_the_year_once_unless_it_changes() -> None:
    assert formatting.day_span(date(2026, 11, 30), date(2026, 12, 6)) == "30 Nov – 6 Dec 2026"
    assert formatting.day_span(date(2026, 12, 28), date(2027, 1, 3)) == "28 Dec 2026 – 3 Jan 2027"


def test_labels_and_names() -> None:
    assert formatting.status_label("no_show") == "No-show"
    assert formatting.status_label("something_new") == "Something new"
    assert formatting.sex_label("intersex") == "Intersex"
    assert formatting.sex_label("") == ""
    assert formatting.joining_as("staff") == "administrative staff"
    assert formatting.full_name(" Ada ", "Lovelace") == "Ada Lovelace"
    assert formatting.listed_name("Ana", "Silva") == "Silva, Ana"
    assert formatting.listed_name("Plato", "") == "Plato"
    assert formatting.initials("Ada King Lovelace") == "AL"
    assert formatting.initials("Plato") == "P"
    assert formatting.initials("  ") == "?"


def test_a_birth_date_is_written_without_a_weekday() -> None:
    assert formatting.birth_date(date(2015, 4, 2)) == "2 Apr 2015"
