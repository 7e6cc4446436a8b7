"""The demo's services, working hours, online booking, and its last days, this week and next
filled with appointments: booked by the front desk from the calendar, one by the family online,
the past ones marked arrived (one no-show) and one cancelled."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from app.demo.people import FAMILY, FRONT_DESK, OWNER, PRACTITIONER, Actors
from app.models import Appointment, AppointmentStatus, Patient, Service
from app.services import local_time
from app.services.errors import Conflict
from app.services.ids import saved_id
from app.services.scheduling import appointments, booking_options, online_booking, service_catalog, working_hours
from app.services.scheduling.slots import WeeklyInterval
from app.settings import Settings

# (name, minutes, colour, offered by)
SERVICES = [
    ("Initial assessment", 60, "violet", (OWNER, PRACTITIONER)),
    ("Consultation", 30, "teal", (OWNER, PRACTITIONER)),
    ("Follow-up", 15, "amber", (OWNER,)),
    ("Physiotherapy session", 45, "grass", (PRACTITIONER,)),
]
# Weekday hours: (first weekday, last weekday, [(from, to) in minutes after midnight])
HOURS = {
    OWNER: (0, 4, [(9 * 60, 12 * 60), (13 * 60, 17 * 60)]),
    PRACTITIONER: (0, 3, [(8 * 60, 12 * 60), (12 * 60 + 30, 16 * 60)]),
}
OPTIONS = booking_options.BookingOptionsInput(True, 2, 60, True, 24, "new_too", "")
# A day's visits per practitioner: (local time, service), patients taken in turn.
DAY_PLAN = {
    OWNER: [
        ("09:00", "Initial assessment"),
        ("10:30", "Consultation"),
        ("14:00", "Follow-up"),
        ("15:30", "Consultation"),
    ],
    PRACTITIONER: [("08:30", "Physiotherapy session"), ("11:00", "Consultation"), ("13:00", "Physiotherapy session")],
}
FAMILY_BOOKING = ("11:00", "Follow-up", "Sofia")  # the family books Sofia online, next week's Wednesday


def setup(db: Session, actors: Actors, office_id: int) -> dict[str, Service]:
    ids = {email: actors.user_id(email) for email in (OWNER, PRACTITIONER)}
    services = {s.name: s for s in db.exec(select(Service).where(Service.office_id == office_id)).all()}
    for name, minutes, color, offered_by in SERVICES:
        if name not in services:
            data = service_catalog.ServiceInput(name, minutes, color, True, tuple(ids[e] for e in offered_by))
            services[name] = service_catalog.save_service(db, actors(OWNER), office_id, data)
    for email, (first, last, spans) in HOURS.items():
        wanted = [WeeklyInterval(day, a, b) for day in range(first, last + 1) for a, b in spans]
        if working_hours.weekly_hours(db, office_id, ids[email]) != wanted:
            working_hours.set_weekly_hours(db, actors(OWNER), office_id, ids[email], wanted)
    current = booking_options.booking_options(db, office_id)
    if not current.enabled or current.horizon_days != OPTIONS.horizon_days:
        booking_options.save_booking_options(db, actors(OWNER), office_id, OPTIONS)
    return services


def days(today: date) -> list[date]:
    """Weekdays of this week and next (from a few days back, so there is always a past to show)."""
    start = min(today - timedelta(days=today.weekday()), today - timedelta(days=4))
    end = today - timedelta(days=today.weekday()) + timedelta(days=11)
    return [
        start + timedelta(days=i) for i in range((end - start).days + 1) if (start + timedelta(days=i)).weekday() < 5
    ]


def appointments_for(
    db: Session,
    settings: Settings,
    actors: Actors,
    office_id: int,
    zone: str,
    services: dict[str, Service],
    patients: dict[str, Patient],
    now: datetime,
) -> None:
    today = local_time.today(zone, now)
    people = list(patients.values())
    turn = 0
    booked: list[Appointment] = []
    for day in days(today):
        for email, plan in DAY_PLAN.items():
            practitioner = actors.user_id(email)
            if day.weekday() > HOURS[email][1]:
                continue
            for clock, service in plan:
                starts = local_time.to_utc(day, clock, zone)
                patient = people[turn % len(people)]
                turn += 1
                found = _at(db, practitioner, starts)
                if found is None:
                    try:
                        with db.begin_nested():
                            found = appointments.book(
                                db,
                                actors(FRONT_DESK),
                                office_id,
                                practitioner_id=practitioner,
                                patient_id=saved_id(patient),
                                service_id=saved_id(services[service]),
                                starts_at=starts,
                                now=now,
                            )
                    except Conflict:
                        continue
                booked.append(found)
    _statuses(db, actors, booked, now)
    _family_booking(db, settings, actors, office_id, zone, services, patients, today, now)


def _at(db: Session, practitioner_id: int, starts: datetime) -> Appointment | None:
    return db.exec(
        select(Appointment).where(Appointment.practitioner_id == practitioner_id, Appointment.starts_at == starts)
    ).first()


def _statuses(db: Session, actors: Actors, booked: list[Appointment], now: datetime) -> None:
    """Past visits arrived, except the first past one of the second practitioner (a no-show);
    the last visit of next week is cancelled."""
    past = [a for a in booked if _aware(a.starts_at) < now]
    no_show = next((a for a in past if a.practitioner_id != booked[0].practitioner_id), None)
    for appointment in past:
        if appointment.status == AppointmentStatus.booked:
            status = AppointmentStatus.no_show if appointment is no_show else AppointmentStatus.arrived
            appointments.set_status(db, actors(FRONT_DESK), saved_id(appointment), status, now)
    future = [a for a in booked if _aware(a.starts_at) > now]
    if future and not any(a.status == AppointmentStatus.cancelled for a in future):
        appointments.set_status(db, actors(FRONT_DESK), saved_id(future[-1]), AppointmentStatus.cancelled, now)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=local_time.zone("UTC"))


def _family_booking(db, settings, actors, office_id, zone, services, patients, today, now) -> None:
    """Maria books Sofia online for next week's Wednesday: the way a family books."""
    clock, service, first = FAMILY_BOOKING
    wednesday = today - timedelta(days=today.weekday()) + timedelta(days=9)
    starts = local_time.to_utc(wednesday, clock, zone)
    owner = actors.user_id(OWNER)
    if _at(db, owner, starts) is None:
        online_booking.book_online(
            db,
            settings,
            actors(FAMILY),
            office_id,
            service_id=services[service].id,
            practitioner_id=owner,
            starts_at=starts,
            patient_id=patients[first].id,
            now=now,
        )
