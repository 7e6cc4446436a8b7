"""The day-before reminder (Online Booking Options → "Send a reminder the day before", off by default).

From the chosen hour of the office's clock, every visit of the next day (the office's day) that is
still booked gets one reminder mail, with its .ics, at the address patient_notices.py uses. Not a
cancelled visit, not one booked after the reminders of its day went out (its confirmation has
just arrived), and never twice: a reminder is a row unique per appointment and day, inserted in
the same transaction that queues the mail. Any number of workers may try at once; one insert
wins, the others fail on the unique constraint (on PostgreSQL after waiting for the winner's
commit) and queue nothing. A visit moved to another day is a new (appointment, day) pair and is
reminded again for its new day; moved back to a day it was already reminded for, it is not.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.db import unit_of_work
from app.models import Appointment, AppointmentReminder, AppointmentStatus, Office, OnlineBookingOptions
from app.services import local_time
from app.services.claims import insert_once
from app.services.clock import now_or
from app.services.scheduling import patient_notices
from app.services.scheduling.patient_notices import Change

log = logging.getLogger("praxis.notices")


def due(db: Session, now: datetime) -> list[tuple[int, date]]:
    """(appointment id, its day) of every reminder due now and not sent yet, in every office."""
    offices = db.exec(
        select(Office, OnlineBookingOptions.reminder_hour)
        .join(OnlineBookingOptions, col(OnlineBookingOptions.office_id) == Office.id)
        .where(col(OnlineBookingOptions.reminders_enabled).is_(True))
    ).all()
    found: list[tuple[int, date]] = []
    for office, hour in offices:
        zone = local_time.zone(office.time_zone)
        today = local_time.today(office.time_zone, now)
        sent_from = local_time.local_instant(today, hour * 60, zone)  # today's reminders go out from here
        if now < sent_from:
            continue
        tomorrow = today + timedelta(days=1)
        starts, ends = local_time.local_instant(tomorrow, 0, zone), local_time.local_instant(tomorrow, 24 * 60, zone)
        reminded = select(AppointmentReminder.appointment_id).where(AppointmentReminder.day == tomorrow)
        ids = db.exec(
            select(Appointment.id).where(
                Appointment.office_id == office.id,
                Appointment.status == AppointmentStatus.booked,
                Appointment.starts_at >= starts,
                Appointment.starts_at < ends,
                Appointment.created_at < sent_from,
                col(Appointment.id).not_in(reminded),
            )
        ).all()
        found += [(appointment_id, tomorrow) for appointment_id in ids if appointment_id is not None]
    return found


def send_reminder(engine: Engine, appointment_id: int, day: date, now: datetime) -> bool:
    """Claim this visit's reminder for `day` and queue its mail; False when another worker had it,
    or the visit is no longer booked on that day."""
    with unit_of_work(engine) as db:
        appointment = db.get(Appointment, appointment_id)
        office = db.get(Office, appointment.office_id) if appointment is not None else None
        if appointment is None or office is None or appointment.status != AppointmentStatus.booked:
            return False
        if local_time.local(appointment.starts_at, office.time_zone).date() != day:
            return False  # moved since it was found: its new day is looked at on its own
        reminder = AppointmentReminder(appointment_id=appointment_id, day=day, created_at=now)
        if not insert_once(db, reminder):
            return False  # another worker sent it
        # Recorded even when nobody can be told (no address), so it is not tried again every minute.
        reminder.to_address = patient_notices.tell_patient(db, appointment, Change.reminder, now)
        db.add(reminder)
        return bool(reminder.to_address)


def send_due_reminders(engine: Engine, now: datetime | None = None) -> int:
    """Every reminder due now: returns how many mails this worker queued."""
    now = now_or(now)
    with unit_of_work(engine, read_only=True) as db:
        pending = due(db, now)
    sent = 0
    for appointment_id, day in pending:
        try:
            sent += send_reminder(engine, appointment_id, day, now)
        except Exception:  # one visit's trouble must not hold back the others' reminders
            log.exception("The reminder of appointment %s failed", appointment_id)
    return sent
