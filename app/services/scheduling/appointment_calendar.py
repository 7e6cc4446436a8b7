"""An appointment as a calendar event: the .ics of the patient's mails and of "Add to calendar".

Every version of one appointment has the same UID (its id at this Praxis's address), so a
calendar that took the booking replaces it when the visit moves and removes it when it is
cancelled; the appointment's `sequence` grows with each such change, so the newest version wins.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import parseaddr
from urllib.parse import urlsplit

from sqlmodel import Session

from app.models import Appointment, Office, Service, User
from app.services.icalendar import Event, Method, Person, calendar
from app.settings import Settings


def uid(appointment_id: int, base_url: str) -> str:
    return f"appointment-{appointment_id}@{urlsplit(base_url).hostname or 'praxis'}"


def event_for(
    appointment: Appointment,
    office: Office,
    service_name: str,
    practitioner_name: str,
    *,
    base_url: str,
    stamp: datetime,
    organizer: Person | None = None,
    attendee: Person | None = None,
) -> Event:
    return Event(
        uid=uid(appointment.id or 0, base_url),
        sequence=appointment.sequence,
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        stamp=stamp,
        summary=f"{service_name} with {practitioner_name}",
        location=f"{office.name}, {office.address}",
        description=f"Questions? Call {office.phone}.",
        organizer=organizer,
        attendee=attendee,
    )


def names(db: Session, appointment: Appointment) -> tuple[str, str]:
    """The service's and the practitioner's names, as the event's summary says them."""
    service = db.get(Service, appointment.service_id) if appointment.service_id else None
    practitioner = db.get(User, appointment.practitioner_id)
    return (service.name if service else "Appointment"), (practitioner.full_name if practitioner else "us")


def for_mail(
    db: Session, settings: Settings, appointment: Appointment, method: Method, to_address: str, now: datetime
) -> str:
    """The .ics a mail to the patient carries: organised by the office (at the sender's address,
    which takes no replies), the recipient as attendee, no answer asked."""
    office = db.get(Office, appointment.office_id)
    assert office is not None  # an appointment's office is never deleted under it
    service_name, practitioner_name = names(db, appointment)
    sender = parseaddr(settings.mail_from)[1] or "no-reply@praxis.localhost"
    event = event_for(
        appointment,
        office,
        service_name,
        practitioner_name,
        base_url=settings.base_url,
        stamp=now,
        organizer=Person(office.name, sender),
        attendee=Person(to_address, to_address),
    )
    return calendar(event, method)


def for_download(
    appointment: Appointment, office: Office, service_name: str, practitioner_name: str, base_url: str, now: datetime
) -> str:
    """The booking page's "Add to calendar" file: the same event, to import (PUBLISH)."""
    event = event_for(appointment, office, service_name, practitioner_name, base_url=base_url, stamp=now)
    return calendar(event, Method.publish)
