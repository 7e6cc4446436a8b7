"""The office's Online Booking Options: on or off, notice, horizon, cancellation, who may book, and
the day-before reminder (reminders.py) with its hour."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.models import OnlineBookingOptions, RegistrationPolicy
from app.services import audit
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.errors import Invalid
from app.services.permissions import OfficeAction, require
from app.services.validation import phone_number


@dataclass(frozen=True)
class BookingOptionsInput:
    enabled: bool
    min_notice_hours: int | str
    horizon_days: int | str
    allow_cancellation: bool
    cancellation_notice_hours: int | str
    registration_policy: str
    refusal_phone: str
    reminders_enabled: bool = False  # "Send a reminder the day before"
    reminder_hour: int | str = 17  # from this hour of the office's clock


def booking_options(db: Session, office_id: int) -> OnlineBookingOptions:
    """The office's options (defaults until someone saves them). Not a secret: the public page reads them."""
    return db.get(OnlineBookingOptions, office_id) or OnlineBookingOptions(office_id=office_id)


def booking_options_for_staff(db: Session, actor: Actor, office_id: int) -> OnlineBookingOptions:
    """The options as the gear menu's form shows them: only for those who may change them."""
    require(db, actor, office_id, OfficeAction.manage_schedule)
    return booking_options(db, office_id)


def _whole(value: int | str, field: str, label: str, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise Invalid(f"{label} must be a whole number.", field) from None
    if not low <= number <= high:
        raise Invalid(f"{label} must be between {low} and {high}.", field)
    return number


def save_booking_options(db: Session, actor: Actor, office_id: int, data: BookingOptionsInput) -> OnlineBookingOptions:
    require(db, actor, office_id, OfficeAction.manage_schedule)
    if data.registration_policy not in RegistrationPolicy.__members__.values():
        raise Invalid("Choose who may book online.", "registration_policy")
    options = db.get(OnlineBookingOptions, office_id) or OnlineBookingOptions(office_id=office_id)
    options.enabled = bool(data.enabled)
    options.min_notice_hours = _whole(data.min_notice_hours, "min_notice_hours", "Minimum notice", 0, 720)
    options.horizon_days = _whole(data.horizon_days, "horizon_days", "Days ahead", 1, 365)
    options.allow_cancellation = bool(data.allow_cancellation)
    options.cancellation_notice_hours = _whole(
        data.cancellation_notice_hours, "cancellation_notice_hours", "Cancellation notice", 0, 720
    )
    options.registration_policy = RegistrationPolicy(data.registration_policy)
    options.refusal_phone = phone_number(data.refusal_phone, "refusal_phone") if data.refusal_phone.strip() else ""
    options.reminders_enabled = bool(data.reminders_enabled)
    options.reminder_hour = _whole(data.reminder_hour, "reminder_hour", "Reminder hour", 0, 23)
    db.add(options)
    audit.record(db, actor, AuditAction.booking_options_saved, office_id=office_id)
    return options
