"""The public booking page: what it offers (anyone may read it) and the days it offers them on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from app.models import Office, Service, ServicePractitioner
from app.services import formatting, local_time
from app.services.clock import now_or
from app.services.errors import NotFound
from app.services.ids import parse_id, saved_id
from app.services.scheduling.booking_options import booking_options
from app.services.scheduling.practitioners import practitioners

WINDOW = 7  # the booking page shows a week of days at a time
NO_PAGE = "This booking page does not exist."


@dataclass(frozen=True)
class BookableService:
    id: int
    name: str
    duration_minutes: int
    practitioner_ids: tuple[int, ...]


@dataclass(frozen=True)
class BookingPage:
    office_id: int
    office_name: str
    phone: str
    time_zone: str
    enabled: bool
    services: list[BookableService]
    practitioners: dict[int, str]


def booking_office(db: Session, office_id: object) -> Office:
    """The office of a booking page; a missing one is "no such page"."""
    office = db.get(Office, parse_id(office_id, NO_PAGE))
    if office is None:
        raise NotFound(NO_PAGE)
    return office


def refusal_phone(db: Session, office: Office) -> str:
    return booking_options(db, saved_id(office)).refusal_phone or office.phone


def booking_page(db: Session, office_id: int) -> BookingPage:
    """What the public booking page shows. Anyone may read it."""
    office = booking_office(db, office_id)
    office_id = saved_id(office)
    options = booking_options(db, office_id)
    names = {p.user_id: p.name for p in practitioners(db, office_id)}
    services = []
    for service in db.exec(
        select(Service)
        .where(Service.office_id == office_id, Service.active, Service.bookable_online)
        .order_by(Service.name)
    ).all():
        offered = tuple(
            user_id
            for user_id in db.exec(
                select(ServicePractitioner.user_id).where(ServicePractitioner.service_id == service.id)
            )
            if user_id in names
        )
        if offered:
            services.append(BookableService(saved_id(service), service.name, service.duration_minutes, offered))
    return BookingPage(
        saved_id(office),
        office.name,
        refusal_phone(db, office),
        office.time_zone,
        options.enabled,
        services,
        names,
    )


@dataclass(frozen=True)
class BookingDay:
    iso: str
    weekday: str  # 'Tue'
    number: str  # '24'
    label: str  # 'Tue 24 Nov': the chip's accessible name
    open: bool = True  # some time is left that day (a day without any is shown, not offered)


@dataclass(frozen=True)
class BookingDays:
    """The days the office takes online bookings for, a week (WINDOW days) at a time."""

    windows: list[list[BookingDay]]
    titles: list[str]  # one per window: '24 – 30 Nov 2026'
    default: str  # the day the page opens on (ISO): the first bookable one; "" when none is

    def window_of(self, iso: str) -> int:
        """The window holding a day (0 when none does)."""
        return next((i for i, days in enumerate(self.windows) if any(d.iso == iso for d in days)), 0)

    def has(self, iso: str) -> bool:
        """Whether the page offers the day: within the window and with time left."""
        return any(d.iso == iso and d.open for days in self.windows for d in days)


def booking_days(db: Session, office_id: int, now: datetime | None = None) -> BookingDays:
    """The office's bookable local days: from the first a slot may start on (now + minimum notice)
    to the last one within the horizon (now + days ahead), both in the office's time zone. A day
    without any free time for any service offered online (a day off, a full day, today after
    hours) is shown greyed and never offered."""
    from app.services.scheduling.availability import days_with_time  # availability reads this module

    office = booking_office(db, office_id)
    options = booking_options(db, saved_id(office))
    now = now_or(now)
    not_before, not_after = now + timedelta(hours=options.min_notice_hours), now + timedelta(days=options.horizon_days)
    first = local_time.today(office.time_zone, not_before)
    last = local_time.today(office.time_zone, not_after)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    open_days = days_with_time(db, office, first, last, not_before, not_after) if days else set()
    windows = [days[i : i + WINDOW] for i in range(0, len(days), WINDOW)]
    return BookingDays(
        windows=[
            [BookingDay(d.isoformat(), f"{d:%a}", str(d.day), formatting.day_label(d), d in open_days) for d in window]
            for window in windows
        ],
        titles=[formatting.day_span(window[0], window[-1]) for window in windows],
        default=next((d.isoformat() for d in days if d in open_days), ""),
    )
