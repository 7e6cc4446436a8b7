"""Online booking (public page, portal account) and the portal's appointments.

Free slots are working hours minus live appointments and time off, within the
office's minimum notice and horizon, in the office's time zone. Booking
re-checks the slot inside the write transaction, and the database refuses any
overlap (see appointments.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import (
    Appointment,
    AppointmentStatus,
    Office,
    Patient,
    PortalAccess,
    RegistrationPolicy,
    Service,
    ServicePractitioner,
    TimeOff,
    User,
)
from app.services import appointments, audit, formatting, local_time, mail
from app.services.actor import Actor, require_patient
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.errors import Conflict, Invalid, NotFound
from app.services.ids import optional_id, parse_id
from app.services.patients import search_text
from app.services.schedule_setup import booking_options, practitioners, weekly_hours
from app.services.slots import free_slots, working_intervals
from app.services.validation import normalize_email
from app.settings import Settings

STEP = timedelta(minutes=15)
WINDOW = 7  # the booking page shows a week of days at a time
NO_PAGE = "This booking page does not exist."
NO_SERVICE = "Choose one of the services offered online."
NO_APPOINTMENT = "This appointment was not found."


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


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    practitioner_id: int


def _office(db: Session, office_id: int) -> Office:
    office = db.get(Office, parse_id(office_id, NO_PAGE))
    if office is None:
        raise NotFound(NO_PAGE)
    return office


def refusal_phone(db: Session, office: Office) -> str:
    return booking_options(db, office.id).refusal_phone or office.phone  # type: ignore[arg-type]


def booking_page(db: Session, office_id: int) -> BookingPage:
    """What the public booking page shows. Anyone may read it."""
    office = _office(db, office_id)
    office_id = office.id  # type: ignore[assignment]
    options = booking_options(db, office_id)
    names = {p.user_id: p.name for p in practitioners(db, office_id)}
    services = []
    for service in db.exec(
        select(Service)
        .where(Service.office_id == office_id, Service.active, Service.bookable_online)  # type: ignore[arg-type]
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
            services.append(BookableService(service.id, service.name, service.duration_minutes, offered))  # type: ignore[arg-type]
    return BookingPage(
        office.id,
        office.name,
        refusal_phone(db, office),
        office.time_zone,
        options.enabled,  # type: ignore[arg-type]
        services,
        names,
    )


def _bookable_service(db: Session, office_id: int, service_id: int) -> tuple[Service, tuple[int, ...]]:
    service = db.get(Service, parse_id(service_id, NO_SERVICE))
    if service is None or service.office_id != office_id or not service.active or not service.bookable_online:
        raise Invalid(NO_SERVICE, "service")
    current = {p.user_id for p in practitioners(db, office_id)}
    offered = tuple(
        user_id
        for user_id in db.exec(select(ServicePractitioner.user_id).where(ServicePractitioner.service_id == service.id))
        if user_id in current  # someone removed from the office is never offered
    )
    return service, offered


def practitioner_free_slots(
    db: Session,
    office: Office,
    practitioner_id: int,
    duration: timedelta,
    first_day: date,
    last_day: date,
    not_before: datetime | None,
    not_after: datetime | None,
) -> list[datetime]:
    """One practitioner's free slot starts from first_day to last_day (local days, inclusive)."""
    zone = local_time.zone(office.time_zone)
    working = working_intervals(weekly_hours(db, office.id, practitioner_id), first_day, last_day, zone)  # type: ignore[arg-type]
    if not working:
        return []
    window_start, window_end = working[0][0], max(end for _, end in working)
    busy = [
        (start, end)
        for start, end in db.exec(
            select(Appointment.starts_at, Appointment.ends_at).where(
                Appointment.practitioner_id == practitioner_id,
                Appointment.status != AppointmentStatus.cancelled,
                Appointment.starts_at < window_end,
                Appointment.ends_at > window_start,
            )
        )
    ]
    busy += [
        (start, end)
        for start, end in db.exec(
            select(TimeOff.starts_at, TimeOff.ends_at).where(
                TimeOff.user_id == practitioner_id, TimeOff.starts_at < window_end, TimeOff.ends_at > window_start
            )
        )
    ]
    return free_slots(working, busy, duration, step=STEP, not_before=not_before, not_after=not_after)


def available_slots(
    db: Session,
    office_id: int,
    service_id: int,
    practitioner_id: int | None,
    day: date,
    now: datetime | None = None,
) -> list[Slot]:
    """Free slots on one local day for a service, with one practitioner or any who offers it."""
    now = now_or(now)
    office = _office(db, office_id)
    office_id, service_id = office.id, parse_id(service_id, NO_SERVICE)  # type: ignore[assignment]
    practitioner_id = optional_id(practitioner_id)
    options = booking_options(db, office_id)
    if not options.enabled:
        return []
    service, offered = _bookable_service(db, office_id, service_id)
    candidates = [practitioner_id] if practitioner_id else list(offered)
    if practitioner_id and practitioner_id not in offered:
        raise Invalid("This practitioner does not offer that service online.", "practitioner")
    not_before = now + timedelta(hours=options.min_notice_hours)
    not_after = now + timedelta(days=options.horizon_days)
    first_free: dict[datetime, int] = {}
    for candidate in candidates:
        for start in practitioner_free_slots(
            db, office, candidate, timedelta(minutes=service.duration_minutes), day, day, not_before, not_after
        ):
            first_free.setdefault(start, candidate)
    return [Slot(start, first_free[start]) for start in sorted(first_free)]


@dataclass(frozen=True)
class BookingDay:
    iso: str
    weekday: str  # 'Tue'
    number: str  # '24'
    label: str  # 'Tue 24 Nov': the chip's accessible name


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
        return any(d.iso == iso for days in self.windows for d in days)


def booking_days(db: Session, office_id: int, now: datetime | None = None) -> BookingDays:
    """The office's bookable local days: from the first a slot may start on (now + minimum notice)
    to the last one within the horizon (now + days ahead), both in the office's time zone."""
    office = _office(db, office_id)
    options = booking_options(db, office.id)  # type: ignore[arg-type]
    now = now_or(now)
    first = local_time.today(office.time_zone, now + timedelta(hours=options.min_notice_hours))
    last = local_time.today(office.time_zone, now + timedelta(days=options.horizon_days))
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    windows = [days[i : i + WINDOW] for i in range(0, len(days), WINDOW)]
    return BookingDays(
        windows=[
            [BookingDay(d.isoformat(), f"{d:%a}", str(d.day), formatting.day_label(d)) for d in window]
            for window in windows
        ],
        titles=[formatting.day_span(window[0], window[-1]) for window in windows],
        default=days[0].isoformat() if days else "",
    )


def _patient_for_booking(db: Session, actor: Actor, office: Office, patient_id: int | None) -> Patient:
    """Whom the booking is for, under the office's registration policy."""
    held = db.exec(
        select(Patient)
        .join(PortalAccess, PortalAccess.patient_id == Patient.id)  # type: ignore[arg-type]
        .where(
            PortalAccess.user_id == actor.user_id,
            col(PortalAccess.revoked_at).is_(None),
            Patient.office_id == office.id,
            col(Patient.archived_at).is_(None),  # an archived record is not booked online: the clinic decides
        )
    ).all()
    if patient_id is not None:
        chosen = next((p for p in held if p.id == patient_id), None)
        if chosen is None:
            raise NotFound("This record is not available.")
        return chosen
    if len(held) == 1:
        return held[0]
    # Exact comparison without case: LIKE would treat "_" and "%" in an address as wildcards.
    by_email = db.exec(
        select(Patient).where(
            Patient.office_id == office.id,
            col(Patient.archived_at).is_(None),
            func.lower(func.trim(Patient.email)) == normalize_email(actor.email),
        )
    ).all()
    if len(by_email) == 1:
        return by_email[0]
    if len(held) > 1:
        raise Invalid("Choose whom this appointment is for.", "patient")
    if booking_options(db, office.id).registration_policy == RegistrationPolicy.existing_only:
        # Never say whether the address is known: only where to call.
        raise Invalid(f"Please call the clinic to book: {refusal_phone(db, office)}.")
    user = db.get(User, actor.user_id)
    first, _, last = (user.full_name if user else actor.full_name).partition(" ")
    patient = Patient(
        office_id=office.id,
        first_name=first or "New",
        last_name=last or "client",  # type: ignore[arg-type]
        email=actor.email,
        new_online_client=True,
    )
    patient.search_text = search_text(patient)
    db.add(patient)
    db.flush()
    return patient


def book_online(
    db: Session,
    settings: Settings,
    actor: Actor,
    office_id: int,
    *,
    service_id: int,
    practitioner_id: int | None,
    starts_at: datetime,
    patient_id: int | None = None,
    now: datetime | None = None,
) -> Appointment:
    require_patient(actor)
    now = now_or(now)
    office = _office(db, office_id)
    office_id, service_id = office.id, parse_id(service_id, NO_SERVICE)  # type: ignore[assignment]
    practitioner_id, patient_id = optional_id(practitioner_id), optional_id(patient_id)
    if not booking_options(db, office_id).enabled:
        raise Invalid(f"Online booking is closed. Please call the clinic: {refusal_phone(db, office)}.")
    local_day = local_time.local(starts_at, office.time_zone).date()
    starts_at = starts_at.astimezone(UTC)
    service, offered = _bookable_service(db, office_id, service_id)
    if practitioner_id is not None and practitioner_id not in offered:
        raise Invalid("This practitioner does not offer that service online.", "practitioner")
    options = booking_options(db, office_id)
    not_before, not_after = now + timedelta(hours=options.min_notice_hours), now + timedelta(days=options.horizon_days)
    free_for = [
        candidate
        for candidate in ([practitioner_id] if practitioner_id else list(offered))
        if starts_at
        in practitioner_free_slots(
            db,
            office,
            candidate,
            timedelta(minutes=service.duration_minutes),
            local_day,
            local_day,
            not_before,
            not_after,
        )
    ]
    if not free_for:
        raise Conflict(appointments.SLOT_TAKEN)
    patient = _patient_for_booking(db, actor, office, patient_id)
    appointment = None
    # With "any practitioner", someone else may take one of them at this very moment: try the next.
    for candidate in free_for:
        try:
            with db.begin_nested():
                appointment = appointments.create(
                    db,
                    office_id=office_id,
                    practitioner_id=candidate,
                    patient_id=patient.id,  # type: ignore[arg-type]
                    service_id=service.id,
                    starts_at=starts_at,
                    booked_by_user_id=actor.user_id,
                    booked_online=True,
                    now=now,
                )
            break
        except Conflict:
            continue
    if appointment is None:
        raise Conflict(appointments.SLOT_TAKEN)
    practitioner = db.get(User, appointment.practitioner_id)
    when = formatting.when(appointment.starts_at, office.time_zone, year=True)
    mail.enqueue(
        db,
        actor.email,
        f"Your appointment at {office.name}: {when}",
        f"Hello {actor.full_name},\n\nYou're booked:\n\n  {service.name if service else 'Appointment'} "
        f"with {practitioner.full_name if practitioner else 'your practitioner'}\n  {when} ({office.time_zone})\n"
        f"  {office.name}, {office.address}\n\nSee or cancel it in your portal: {settings.base_url}/portal/appointments"
        f"\n\nNeed to talk to us? Call {office.phone}.",
    )
    audit.record(
        db,
        actor,
        AuditAction.appointment_booked_online,
        office_id=office_id,
        patient_id=patient.id,
        target_type="appointment",
        target_id=appointment.id,
    )
    return appointment


@dataclass(frozen=True)
class BookingConfirmation:
    """What the page shows once booked, and the "Add to calendar" file."""

    when: str
    service: str
    practitioner: str
    office: str
    address: str
    ics: str


def confirm_booking(
    db: Session,
    settings: Settings,
    actor: Actor,
    office_id: int,
    *,
    service_id: object,
    practitioner_id: object,
    starts_at: str,
    now: datetime | None = None,
) -> BookingConfirmation:
    """Book a time the page offered (its ISO instant) and say what was booked."""
    try:
        moment = datetime.fromisoformat(starts_at) if isinstance(starts_at, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise Invalid("Choose a time again.")
    appointment = book_online(
        db,
        settings,
        actor,
        office_id,
        service_id=parse_id(service_id, NO_SERVICE),
        practitioner_id=optional_id(practitioner_id),
        starts_at=moment,
        now=now,
    )
    office = _office(db, appointment.office_id)
    service = db.get(Service, appointment.service_id) if appointment.service_id else None
    who = db.get(User, appointment.practitioner_id)
    service_name, practitioner_name = service.name if service else "Appointment", who.full_name if who else ""
    return BookingConfirmation(
        when=formatting.when(appointment.starts_at, office.time_zone, year=True),
        service=service_name,
        practitioner=practitioner_name,
        office=office.name,
        address=office.address,
        ics=ics(appointment, office, service_name, practitioner_name),
    )


def ics(appointment: Appointment, office: Office, service_name: str, practitioner_name: str) -> str:
    """An iCalendar event for "Add to calendar"."""

    def stamp(moment: datetime) -> str:
        return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")

    return "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Praxis//Booking//EN",
            "METHOD:PUBLISH",
            "BEGIN:VEVENT",
            f"UID:appointment-{appointment.id}@praxis",
            f"DTSTAMP:{stamp(appointment.created_at)}",
            f"DTSTART:{stamp(appointment.starts_at)}",
            f"DTEND:{stamp(appointment.ends_at)}",
            f"SUMMARY:{escape(f'{service_name} with {practitioner_name}')}",
            f"LOCATION:{escape(f'{office.name}, {office.address}')}",
            f"DESCRIPTION:{escape(f'Questions? Call {office.phone}.')}",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )


# ---- the portal's appointments -------------------------------------------------------


@dataclass(frozen=True)
class PortalAppointment:
    id: int
    office_id: int
    office_name: str
    service_id: int | None
    service_name: str
    practitioner_id: int
    practitioner_name: str
    starts_at: datetime
    time_zone: str
    status: AppointmentStatus
    upcoming: bool
    can_cancel: bool


def _held_ids(db: Session, actor: Actor) -> set[int]:
    return set(
        db.exec(
            select(PortalAccess.patient_id).where(
                PortalAccess.user_id == actor.user_id,
                PortalAccess.revoked_at.is_(None),  # type: ignore[union-attr]
            )
        )
    )


def _visible(appointment: Appointment, actor: Actor, held: set[int]) -> bool:
    """Booked online by this account: always. Booked by staff: only for a record held through a code."""
    mine = appointment.booked_online and appointment.booked_by_user_id == actor.user_id
    return mine or appointment.patient_id in held


def _cancellable(db: Session, appointment: Appointment, now: datetime) -> bool:
    options = booking_options(db, appointment.office_id)
    return (
        options.allow_cancellation
        and appointment.status == AppointmentStatus.booked
        and appointment.starts_at - now >= timedelta(hours=options.cancellation_notice_hours)
    )


def portal_appointments(
    db: Session, actor: Actor, current_patient_id: int | None, now: datetime | None = None
) -> list[PortalAppointment]:
    """The chosen person's appointments, plus any this account booked online for someone it holds no record of."""
    require_patient(actor)
    now = now_or(now)
    held = _held_ids(db, actor)
    rows = db.exec(
        select(Appointment, Office, Service.name, User.full_name)
        .join(Office, Office.id == Appointment.office_id)  # type: ignore[arg-type]
        .outerjoin(Service, Service.id == Appointment.service_id)  # type: ignore[arg-type]
        .join(User, User.id == Appointment.practitioner_id)  # type: ignore[arg-type]
        .where(
            (Appointment.patient_id.in_(held))  # type: ignore[union-attr]
            | ((Appointment.booked_by_user_id == actor.user_id) & Appointment.booked_online)  # type: ignore[operator]
        )
        .order_by(Appointment.starts_at)
    ).all()
    result = []
    for appointment, office, service_name, practitioner_name in rows:
        if not _visible(appointment, actor, held):
            continue
        if appointment.patient_id in held and appointment.patient_id != current_patient_id:
            continue  # another family member's: shown when the switcher chooses them
        result.append(
            PortalAppointment(
                appointment.id,
                office.id,
                office.name,
                appointment.service_id,
                service_name or "Appointment",
                appointment.practitioner_id,
                practitioner_name,
                appointment.starts_at,
                office.time_zone,
                appointment.status,
                appointment.starts_at > now,
                _cancellable(db, appointment, now),
            )
        )
    return result


def cancel_online(db: Session, actor: Actor, appointment_id: int, now: datetime | None = None) -> Appointment:
    """Cancel from the portal; the office's rules are checked again here, whatever the page showed."""
    require_patient(actor)
    now = now_or(now)
    appointment = db.get(Appointment, parse_id(appointment_id, NO_APPOINTMENT))
    if appointment is None or not _visible(appointment, actor, _held_ids(db, actor)):
        raise NotFound(NO_APPOINTMENT)
    options = booking_options(db, appointment.office_id)
    office = _office(db, appointment.office_id)
    if not options.allow_cancellation:
        raise Invalid(f"This clinic doesn't take cancellations online. Please call: {refusal_phone(db, office)}.")
    if appointment.status != AppointmentStatus.booked or appointment.starts_at <= now:
        raise Invalid("This appointment can no longer be cancelled.")
    if appointment.starts_at - now < timedelta(hours=options.cancellation_notice_hours):
        raise Invalid(
            f"It's too late to cancel online (at least {options.cancellation_notice_hours} hours' notice). "
            f"Please call the clinic: {refusal_phone(db, office)}."
        )
    appointment.status = AppointmentStatus.cancelled
    appointment.cancelled_at, appointment.cancelled_by_user_id = now, actor.user_id
    db.add(appointment)
    appointments.bump_calendar(db, appointment.office_id)
    audit.record(
        db,
        actor,
        AuditAction.appointment_cancelled_online,
        office_id=appointment.office_id,
        patient_id=appointment.patient_id,
        target_type="appointment",
        target_id=appointment.id,
    )
    return appointment
