"""The calendar grid as the page receives it: lanes, rows, positions, and looking a row up again."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.models import AppointmentStatus
from app.services.scheduling import calendar_layout as L
from app.services.scheduling.appointment_lists import CalendarItem
from app.services.scheduling.calendar_view import CalendarGrid
from app.services.scheduling.slots import WeeklyInterval

MONDAY = date(2026, 11, 30)
ZONE = "America/Toronto"  # UTC-5 in winter


def _item(item_id: int, practitioner_id: int, starts_utc: datetime, minutes: int, **kw: object) -> CalendarItem:
    fields: dict = {
        "patient_id": 1,
        "patient_name": "Ana Silva",
        "service_name": "Consultation",
        "color": "teal",
        "status": AppointmentStatus.booked,
        "booked_online": False,
    }
    fields.update(kw)
    return CalendarItem(
        id=item_id,
        practitioner_id=practitioner_id,
        starts_at=starts_utc,
        ends_at=starts_utc + timedelta(minutes=minutes),
        **fields,
    )


def _week(items: list[CalendarItem]) -> CalendarGrid:
    return CalendarGrid(
        days=[MONDAY + timedelta(days=i) for i in range(7)],
        practitioners=[(7, "Ada Lovelace"), (9, "Ben Okri")],
        first_minute=8 * 60,
        last_minute=18 * 60,
        items=items,
        time_zone=ZONE,
        version=3,
    )


def test_a_week_has_a_lane_per_day_and_practitioner_in_order() -> None:
    shown = L.layout(_week([]), "week", today=MONDAY + timedelta(days=1))
    assert shown.title == "30 Nov – 6 Dec 2026"
    assert [d["label"] for d in shown.day_columns][:2] == ["Mon 30 Nov", "Tue 1 Dec"]
    assert [d["today"] for d in shown.day_columns][:3] == ["false", "true", "false"]
    assert len(shown.lanes) == 14 and shown.lanes_per_day == 2
    assert [(lane["day"], lane["practitioner"], lane["first_of_day"]) for lane in shown.lanes[:3]] == [
        ("2026-11-30", "Ada Lovelace", "true"),
        ("2026-11-30", "Ben Okri", "false"),
        ("2026-12-01", "Ada Lovelace", "true"),
    ]
    assert shown.lane_items == [[] for _ in range(14)]
    # Half-hour cells in the week, 08:00 to 18:00; 1.6 px a minute.
    assert len(shown.times) == 20 and shown.times[0] == {"minute": "480", "label": "08:00", "hour": "true"}
    assert shown.times[1]["hour"] == "false" and shown.cell_height == "48px" and shown.grid_height == 960
    assert shown.grid_columns == "64px repeat(14, minmax(96px, 1fr))"


def test_the_day_view_has_quarter_hours() -> None:
    grid = _week([])
    day = CalendarGrid([MONDAY], grid.practitioners, 8 * 60, 18 * 60, [], ZONE, 1)
    shown = L.layout(day, "day", today=MONDAY)
    assert shown.title == "Monday 30 November 2026"
    assert len(shown.times) == 40 and shown.cell_height == "24px" and len(shown.lanes) == 2
    assert shown.hour_line_at == "0px"  # the first row is on the hour


def test_the_hour_lines_start_at_the_first_whole_hour() -> None:
    """A lane draws its rows' lines as a background: the darker hour line starts at the first
    whole hour, half an hour (48 px) down when the day starts at 07:30."""
    grid = _week([])
    day = CalendarGrid([MONDAY], grid.practitioners, 7 * 60 + 30, 18 * 60, [], ZONE, 1)
    assert L.layout(day, "day", today=MONDAY).hour_line_at == "48px"
    assert L.layout(day, "week", today=MONDAY).hour_line_at == "48px"
    quarter = CalendarGrid([MONDAY], grid.practitioners, 7 * 60 + 45, 18 * 60, [], ZONE, 1)
    assert L.layout(quarter, "day", today=MONDAY).hour_line_at == "24px"


def test_rows_sit_in_their_lane_at_their_local_time() -> None:
    items = [
        # 10:30 Toronto on Tuesday = 15:30 UTC, 45 minutes, with Ben
        _item(41, 9, datetime(2026, 12, 1, 15, 30, tzinfo=UTC), 45, status=AppointmentStatus.arrived),
        # 19:00 Toronto on Monday is already Tuesday in UTC: it belongs to Monday's lane
        _item(42, 7, datetime(2026, 12, 1, 0, 0, tzinfo=UTC), 30, color="amber", patient_name="Li Wei"),
    ]
    shown = L.layout(_week(items), "week", today=MONDAY)
    by_key = {
        (lane["day"], lane["practitioner_id"]): rows for lane, rows in zip(shown.lanes, shown.lane_items, strict=True)
    }
    (tuesday,) = by_key[("2026-12-01", "9")]
    assert tuesday == ["41", "240", "72", "teal", "Ana Silva", "Consultation", "10:30", "arrived"]
    (evening,) = by_key[("2026-11-30", "7")]
    assert evening[L.ID] == "42" and evening[L.TIME] == "19:00" and evening[L.TOP] == str(11 * 96)
    assert evening[L.COLOR] == "amber" and evening[L.PATIENT] == "Li Wei"
    assert sum(len(rows) for rows in shown.lane_items) == 2


def test_cells_under_a_live_appointment_are_busy_and_a_cancelled_one_leaves_them_free() -> None:
    items = [
        # 10:30-11:15 Toronto on Tuesday with Ben: the 10:30 and 11:00 half-hours are taken
        _item(41, 9, datetime(2026, 12, 1, 15, 30, tzinfo=UTC), 45),
        # 09:00 Tuesday with Ben, cancelled: its cells stay free to book
        _item(43, 9, datetime(2026, 12, 1, 14, 0, tzinfo=UTC), 30, status=AppointmentStatus.cancelled),
    ]
    shown = L.layout(_week(items), "week", today=MONDAY)
    ben_tuesday = next(lane for lane in shown.lanes if lane["day"] == "2026-12-01" and lane["practitioner_id"] == "9")
    # 08:00, 08:30, ... 17:30: rows 5 (10:30) and 6 (11:00) are busy
    assert ben_tuesday["busy"] == "0" * 5 + "11" + "0" * 13
    assert all(lane["busy"] == "0" * 20 for lane in shown.lanes if lane is not ben_tuesday)


def test_a_row_is_found_again_by_id_with_its_lane() -> None:
    items = [_item(41, 9, datetime(2026, 12, 1, 15, 30, tzinfo=UTC), 45)]
    shown = L.layout(_week(items), "week", today=MONDAY)
    found = L.find_row(shown.lanes, shown.lane_items, "41")
    assert found is not None
    lane, row = found
    assert L.opened(lane, row) == {
        "id": "41",
        "patient": "Ana Silva",
        "service": "Consultation",
        "time": "10:30",
        "status": "booked",
        "status_words": "Booked",
        "day": "2026-12-01",
        "day_label": "Tue 1 Dec",
        "practitioner_id": "9",
        "practitioner": "Ben Okri",
    }
    assert L.find_row(shown.lanes, shown.lane_items, "40") is None
    assert L.find_row(shown.lanes, shown.lane_items, "") is None


def test_hidden_practitioners_have_no_lanes_but_stay_in_the_list() -> None:
    grid = _week([_item(41, 9, datetime(2026, 12, 1, 15, 30, tzinfo=UTC), 45)])
    only_ben = CalendarGrid(
        grid.days, [(9, "Ben Okri")], 8 * 60, 18 * 60, grid.items, ZONE, 3, everyone=grid.practitioners
    )
    shown = L.layout(only_ben, "week", today=MONDAY)
    assert [p["name"] for p in shown.people] == ["Ada Lovelace", "Ben Okri"]
    assert {lane["practitioner"] for lane in shown.lanes} == {"Ben Okri"}
    assert len(shown.lanes) == 7 and shown.lanes_per_day == 1
    assert all(lane["first_of_day"] == "true" for lane in shown.lanes)
    assert shown.grid_columns == "64px repeat(7, minmax(96px, 1fr))"
    assert L.find_row(shown.lanes, shown.lane_items, "41") is not None


def _hours(*intervals: tuple[int, int, int]) -> list[WeeklyInterval]:
    return [WeeklyInterval(weekday, start * 60, end * 60) for weekday, start, end in intervals]


def test_off_hours_are_the_day_outside_the_working_hours_and_breaks() -> None:
    zone = ZoneInfo(ZONE)
    monday_hours = _hours((0, 9, 12), (0, 13, 17), (1, 10, 14))
    assert L.off_hours(MONDAY, monday_hours, [], zone, 8 * 60, 18 * 60) == [(480, 540), (720, 780), (1020, 1080)]
    tuesday = MONDAY + timedelta(days=1)
    assert L.off_hours(tuesday, monday_hours, [], zone, 8 * 60, 18 * 60) == [(480, 600), (840, 1080)]
    # No hours that day: the whole day is off.
    assert L.off_hours(MONDAY + timedelta(days=2), monday_hours, [], zone, 8 * 60, 18 * 60) == [(480, 1080)]


def test_time_off_is_off_even_inside_working_hours() -> None:
    zone = ZoneInfo(ZONE)
    hours = _hours((0, 9, 17), (1, 9, 17), (2, 9, 17))
    # 10:30-11:00 Toronto on Monday (15:30-16:00 UTC)
    dentist = (datetime(2026, 11, 30, 15, 30, tzinfo=UTC), datetime(2026, 11, 30, 16, 0, tzinfo=UTC))
    assert L.off_hours(MONDAY, hours, [dentist], zone, 8 * 60, 18 * 60) == [(480, 540), (630, 660), (1020, 1080)]
    # From Monday 15:00 to Wednesday 12:00 Toronto: Monday afternoon, all Tuesday, Wednesday morning.
    away = (datetime(2026, 11, 30, 20, 0, tzinfo=UTC), datetime(2026, 12, 2, 17, 0, tzinfo=UTC))
    assert L.off_hours(MONDAY, hours, [away], zone, 8 * 60, 18 * 60) == [(480, 540), (900, 1080)]
    assert L.off_hours(MONDAY + timedelta(days=1), hours, [away], zone, 8 * 60, 18 * 60) == [(480, 1080)]
    assert L.off_hours(MONDAY + timedelta(days=2), hours, [away], zone, 8 * 60, 18 * 60) == [(480, 720), (1020, 1080)]


def test_off_hours_follow_the_wall_clock_on_a_daylight_saving_day() -> None:
    # Sunday 8 March 2026: Toronto springs forward at 02:00. Time off 09:00-10:00 local is
    # 13:00-14:00 UTC that day (UTC-4), not 14:00-15:00 as it would be the day before.
    zone = ZoneInfo(ZONE)
    spring = date(2026, 3, 8)
    hours = _hours((6, 8, 12))
    off = (datetime(2026, 3, 8, 13, 0, tzinfo=UTC), datetime(2026, 3, 8, 14, 0, tzinfo=UTC))
    assert L.off_hours(spring, hours, [off], zone, 8 * 60, 18 * 60) == [(540, 600), (720, 1080)]


def test_each_lane_carries_its_shading_in_pixels() -> None:
    grid = _week([])
    with_hours = CalendarGrid(
        grid.days,
        grid.practitioners,
        8 * 60,
        18 * 60,
        [],
        ZONE,
        3,
        hours={7: _hours((0, 9, 17)), 9: []},
        time_off=[],
    )
    shown = L.layout(with_hours, "week", today=MONDAY)
    ada_monday, ben_monday, ada_tuesday = shown.lane_off[0], shown.lane_off[1], shown.lane_off[2]
    assert ada_monday == [["0", "96"], ["864", "96"]]  # 08:00-09:00 and 17:00-18:00, 96 px an hour
    assert ben_monday == [["0", "960"]] and ada_tuesday == [["0", "960"]]
    # And in words, per time row, for the cells' accessible names.
    assert shown.lanes[0]["off"] == "11" + "0" * 16 + "11"
    assert shown.lanes[1]["off"] == "1" * 20


def test_the_filter_is_remembered_per_office() -> None:
    stored = L.with_hidden("", 3, {"7", "9"})
    assert stored == "3:7,3:9"
    stored = L.with_hidden(stored, 4, {"7"})
    assert L.hidden_in(stored, 3) == ["7", "9"] and L.hidden_in(stored, 4) == ["7"]
    stored = L.with_hidden(stored, 3, set())
    assert L.hidden_in(stored, 3) == [] and L.hidden_in(stored, 4) == ["7"]
    # "3:" must not match office 30's pairs; junk from the browser is ignored.
    assert L.hidden_in("30:7,3:x,3:,3:8,,garbage,3:9;drop", 3) == ["8"]
    assert L.with_hidden("30:7", 3, {"8", "not-an-id"}) == "30:7,3:8"


def test_busy_and_off_marks_match_the_cell_by_cell_rule_for_any_intervals() -> None:
    """The marks are painted by index ranges; they must say what checking every cell would."""
    rng = random.Random(16)
    for _ in range(400):
        first, step = rng.choice([0, 420, 480]), rng.choice([15, 30])
        minutes = range(first, first + step * rng.randint(1, 50), step)
        spans = [(a, a + rng.randint(1, 240)) for a in (rng.randint(first - 120, minutes[-1] + 60) for _ in range(4))]
        off = [(rng.randint(first - 60, minutes[-1] + 60), 0) for _ in range(3)]
        off = [(a, a + rng.randint(0, 180)) for a, _ in off]
        want_off = "".join("1" if any(s <= m < e for s, e in off) else "0" for m in minutes)
        want_busy = "".join("1" if any(a < m + step and m < b for a, b in spans) else "0" for m in minutes)
        got = L.off_marks(off, minutes), L.busy_marks(spans, minutes)
        assert got == (want_off, want_busy), (first, step, spans, off)
