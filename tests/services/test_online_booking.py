"""Online booking and the portal's appointments (SPEC §4-5, issue 5).

Booking a free slot (with its e-mail), refusals (slot taken, booking off, the registration
policy without enumeration), new online clients, online cancellation at its boundaries, the
visibility matrix of portal appointments (self-booked, staff-booked, access codes, revocation,
family), the .ics file, and 20 accounts racing for one slot.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from app.db import unit_of_work
from app.models import (
    AccountKind,
    Appointment,
    AppointmentStatus,
    AuditEntry,
    Office,
    OutboxMessage,
    Patient,
    PortalAccess,
)
from app.services import access_codes, sessions
from app.services.actor import Actor
from app.services.errors import Conflict, Invalid, NotFound, PermissionDenied
from app.services.scheduling import (
    appointment_calendar,
    appointments,
    availability,
    booking_options,
    booking_page,
    calendar_changes,
    online_booking,
    portal_appointments,
    service_catalog,
)
from app.services.scheduling.booking_options import BookingOptionsInput
from app.services.scheduling.service_catalog import ServiceInput
from app.settings import Settings
from tests.factories import make_user, sign_in_as
from tests.world import PortalAccount, Team, World

ZONE = ZoneInfo("America/Toronto")
NOW = datetime(2026, 11, 23, 14, tzinfo=UTC)  # Monday 23 November 2026, 09:00 in Toronto
WEDNESDAY = date(2026, 11, 25)
PHONE = "+1 416 555 0199"  # the refusal phone of the options
OFFICE_PHONE = "+1 416 555 0100"  # the office's own (tests/factories.py)
REFUSAL = f"Please call the clinic to book: {PHONE}."
MISSING_ID = 987_654


def at(day: date, clock: str) -> datetime:
    hours, minutes = (int(p) for p in clock.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=ZONE).astimezone(UTC)


TEN = at(WEDNESDAY, "10:00")  # 15:00 UTC


@dataclass(frozen=True)
class Bookable:
    """An office of the world that takes online bookings: its owner offers two services, every day 09:00-17:00."""

    team: Team
    massage: int  # 60 minutes, with a comma in its name
    checkup: int  # 30 minutes

    @property
    def office_id(self) -> int:
        return self.team.office_id

    @property
    def owner(self) -> Actor:  # the practitioner: every day 09:00-17:00
        return self.team.owner

    @property
    def staff(self) -> Actor:
        return self.team.staff


OPTIONS = BookingOptionsInput(
    enabled=True,
    min_notice_hours=2,
    horizon_days=60,
    allow_cancellation=True,
    cancellation_notice_hours=24,
    registration_policy="new_too",
    refusal_phone=PHONE,
)


def set_options(db: Session, clinic: Bookable, **changes: object) -> None:
    booking_options.save_booking_options(db, clinic.owner, clinic.office_id, replace(OPTIONS, **changes))  # type: ignore[arg-type]
    db.commit()


def bookable(world: World, team: Team) -> Bookable:
    massage = world.add_service(team, "Massage, deep tissue", 60, team.owner, color="violet")
    checkup = world.add_service(team, "Check-up", 30, team.owner)
    world.set_hours(team, team.owner, days=range(7))
    clinic = Bookable(team, massage.id, checkup.id)  # type: ignore[arg-type]
    set_options(world.db, clinic)
    return clinic


@pytest.fixture
def maple(world: World) -> Bookable:
    return bookable(world, world.maple)


@dataclass(frozen=True)
class Account:
    token: str
    user_id: int
    email: str


def portal_account(db: Session, email: str, name: str = "Pat Parent") -> Account:
    actor, token = sign_in_as(db, make_user(db, email=email, kind=AccountKind.patient, full_name=name))
    return Account(token, actor.user_id, email)


def actor_of(db: Session, account: Account | PortalAccount) -> Actor:
    """A fresh actor, as the next request of that browser would have it."""
    actor = sessions.resolve(db, account.token, "203.0.113.9")
    db.commit()
    assert actor is not None
    return actor


def book(
    db: Session,
    settings: Settings,
    clinic: Bookable,
    account: Account | PortalAccount,
    starts_at: datetime = TEN,
    *,
    service: int | None = None,
    patient_id: int | None = None,
    now: datetime = NOW,
) -> Appointment:
    appointment = online_booking.book_online(
        db,
        settings,
        actor_of(db, account),
        clinic.office_id,
        service_id=service or clinic.massage,
        practitioner_id=clinic.owner.user_id,
        starts_at=starts_at,
        patient_id=patient_id,
        now=now,
    )
    db.commit()
    return appointment


def refused(db: Session, error: type[Exception], call) -> Exception:  # type: ignore[no-untyped-def]
    with pytest.raises(error) as caught:
        call()
    db.rollback()
    return caught.value


def add_patient(db: Session, clinic: Bookable, first: str, last: str = "Smith", email: str = "") -> int:
    patient = Patient(office_id=clinic.office_id, first_name=first, last_name=last, email=email)
    db.add(patient)
    db.commit()
    return patient.id  # type: ignore[return-value]


def count(db: Session, model: type, *where) -> int:  # type: ignore[no-untyped-def]
    found = db.exec(select(func.count()).select_from(model).where(*where)).one()
    db.rollback()
    return found


def free_at(db: Session, clinic: Bookable, moment: datetime, service: int | None = None) -> bool:
    day = moment.astimezone(ZONE).date()
    found = availability.available_slots(db, clinic.office_id, service or clinic.massage, None, day, NOW)
    db.rollback()
    return moment in {s.starts_at for s in found}


# --- booking -----------------------------------------------------------------------------------


def test_booking_a_free_slot_books_it_and_emails_a_confirmation(
    db: Session, settings: Settings, world: World, maple: Bookable
) -> None:
    account = portal_account(db, "pat@example.com", "Pat Parent")
    version = calendar_changes.calendar_version(db, maple.office_id)
    assert free_at(db, maple, TEN)
    # The page sends the slot as the office's wall time; it is kept in UTC.
    appointment = book(db, settings, maple, account, TEN.astimezone(ZONE))
    db.expire_all()
    stored = db.get(Appointment, appointment.id)
    assert stored is not None
    assert (stored.starts_at, stored.ends_at) == (
        datetime(2026, 11, 25, 15, tzinfo=UTC),
        datetime(2026, 11, 25, 16, tzinfo=UTC),
    )
    assert (stored.practitioner_id, stored.service_id, stored.status) == (
        maple.owner.user_id,
        maple.massage,
        AppointmentStatus.booked,
    )
    assert stored.booked_online and stored.booked_by_user_id == account.user_id
    assert stored.office_id == maple.office_id
    patient = db.get(Patient, stored.patient_id)
    assert patient is not None and patient.office_id == maple.office_id
    [message] = db.exec(select(OutboxMessage)).all()
    assert message.to_address == "pat@example.com"
    assert message.subject == "Your appointment at Maple Street Clinic: Wed 25 Nov 2026, 10:00"
    assert "Massage, deep tissue with Olive Maple" in message.body_text
    assert "Wed 25 Nov 2026, 10:00 (America/Toronto)" in message.body_text
    assert "http://praxis.test/portal/appointments" in message.body_text
    assert calendar_changes.calendar_version(db, maple.office_id) == version + 1  # open calendars notice
    assert [
        e.target_id for e in db.exec(select(AuditEntry).where(AuditEntry.action == "appointment.booked-online"))
    ] == [appointment.id]
    db.rollback()
    assert not free_at(db, maple, TEN)
    assert not free_at(db, maple, TEN - timedelta(minutes=45))  # would run into it


def test_a_slot_that_is_not_free_is_refused_and_nothing_is_written(
    db: Session, settings: Settings, world: World, maple: Bookable
) -> None:
    book(db, settings, maple, portal_account(db, "first@example.com"))
    second = portal_account(db, "second@example.com")
    not_free = [
        TEN,  # taken
        TEN + timedelta(minutes=30),  # overlaps it
        TEN - timedelta(minutes=45),  # would run into it
        at(WEDNESDAY, "08:00"),  # before the working day
        at(WEDNESDAY, "16:15"),  # would end after it
        at(WEDNESDAY, "11:05"),  # off the quarter-hour grid
        NOW + timedelta(hours=1),  # inside the minimum notice (2 hours)
        NOW - timedelta(days=1),  # past
        NOW + timedelta(days=61),  # beyond the horizon
    ]
    for starts_at in not_free:
        error = refused(db, Conflict, lambda s=starts_at: book(db, settings, maple, second, s))
        assert error.message == appointments.SLOT_TAKEN  # type: ignore[attr-defined]
    assert count(db, Appointment) == 1
    assert world.count_new(Patient) == 1  # the second account got no record
    assert count(db, OutboxMessage) == 1
    # Back to back is fine.
    assert book(db, settings, maple, second, TEN + timedelta(hours=1)).id


def test_online_booking_off_is_refused_with_the_phone_number(
    db: Session, settings: Settings, world: World, maple: Bookable
) -> None:
    account = portal_account(db, "pat@example.com")
    set_options(db, maple, enabled=False)
    error = refused(db, Invalid, lambda: book(db, settings, maple, account))
    assert error.message == f"Online booking is closed. Please call the clinic: {PHONE}."  # type: ignore[attr-defined]
    assert booking_page.booking_page(db, maple.office_id).enabled is False
    db.rollback()
    # Without a refusal phone, the office's own number.
    set_options(db, maple, enabled=False, refusal_phone="")
    error = refused(db, Invalid, lambda: book(db, settings, maple, account))
    assert error.message == f"Online booking is closed. Please call the clinic: {OFFICE_PHONE}."  # type: ignore[attr-defined]
    assert (count(db, Appointment), world.count_new(Patient), count(db, OutboxMessage)) == (0, 0, 0)


def test_clinic_accounts_do_not_book_online(db: Session, settings: Settings, world: World, maple: Bookable) -> None:
    refused(
        db,
        PermissionDenied,
        lambda: online_booking.book_online(
            db,
            settings,
            maple.staff,
            maple.office_id,
            service_id=maple.massage,
            practitioner_id=None,
            starts_at=TEN,
            now=NOW,
        ),
    )
    assert count(db, Appointment) == 0


def test_the_public_booking_page(db: Session, world: World, maple: Bookable) -> None:
    service_catalog.save_service(
        db,
        maple.owner,
        maple.office_id,
        ServiceInput("Phone only", 30, bookable_online=False, practitioner_ids=(maple.owner.user_id,)),
    )
    service_catalog.save_service(db, maple.owner, maple.office_id, ServiceInput("Nobody offers it", 30))
    db.commit()
    page = booking_page.booking_page(db, maple.office_id)
    assert (page.office_name, page.phone, page.time_zone, page.enabled) == (
        "Maple Street Clinic",
        PHONE,
        "America/Toronto",
        True,
    )
    assert [(s.name, s.duration_minutes, s.practitioner_ids) for s in page.services] == [
        ("Check-up", 30, (maple.owner.user_id,)),
        ("Massage, deep tissue", 60, (maple.owner.user_id,)),
    ]
    # Every practitioner of the office, by name; only the owner offers these services.
    assert page.practitioners == {maple.owner.user_id: "Olive Maple", world.maple.practitioner.user_id: "Priya Maple"}
    db.rollback()
    with pytest.raises(NotFound):
        booking_page.booking_page(db, MISSING_ID)
    db.rollback()


# --- the registration policy --------------------------------------------------------------------


def test_new_patients_too_creates_a_new_online_client_once(
    db: Session, settings: Settings, world: World, maple: Bookable
) -> None:
    account = portal_account(db, "newbie@example.com", "Nora Newcomer")
    first = book(db, settings, maple, account)
    patient = db.get(Patient, first.patient_id)
    assert patient is not None
    assert (patient.first_name, patient.last_name, patient.email, patient.new_online_client) == (
        "Nora",
        "Newcomer",
        "newbie@example.com",
        True,
    )
    assert patient.office_id == maple.office_id
    db.rollback()
    # The next booking finds that record by its e-mail: no second record.
    second = book(db, settings, maple, account, TEN + timedelta(days=1))
    assert second.patient_id == first.patient_id
    assert world.count_new(Patient) == 1


def test_new_patients_too_uses_the_one_record_with_that_email(
    db: Session, settings: Settings, world: World, maple: Bookable
) -> None:
    known = add_patient(db, maple, "Kim", email="kim@example.com")
    appointment = book(db, settings, maple, portal_account(db, "KIM@Example.com", "Kim Smith"))
    assert appointment.patient_id == known
    assert world.count_new(Patient) == 1
    assert db.get(Patient, known).new_online_client is False  # type: ignore[union-attr]
    db.rollback()


def test_existing_only_books_for_the_one_patient_with_that_email(
    db: Session, settings: Settings, world: World, maple: Bookable
) -> None:
    set_options(db, maple, registration_policy="existing_only")
    known = add_patient(db, maple, "Kim", email="Kim@Example.com")
    add_patient(db, maple, "Someone", email="someone@example.com")
    appointment = book(db, settings, maple, portal_account(db, "kim@example.com"))
    assert appointment.patient_id == known
    assert world.count_new(Patient) == 2


def test_existing_only_books_for_a_record_the_account_holds(
    db: Session, settings: Settings, world: World, maple: Bookable
) -> None:
    set_options(db, maple, registration_policy="existing_only")
    ana = add_patient(db, maple, "Ana", email="ana.official@example.com")
    account = portal_account(db, "parent@example.com")
    give(db, settings, maple, ana, account)
    appointment = book(db, settings, maple, account)
    assert appointment.patient_id == ana
    assert world.count_new(Patient) == 1


def test_existing_only_refuses_alike_for_no_match_and_for_many(
    db: Session, settings: Settings, world: World, maple: Bookable
) -> None:
    set_options(db, maple, registration_policy="existing_only")
    add_patient(db, maple, "Twin", "One", email="twins@example.com")
    add_patient(db, maple, "Twin", "Two", email="TWINS@example.com")
    # The only match is in another office: that counts for nothing here.
    birch = bookable(world, world.birch)
    add_patient(db, birch, "Elsewhere", email="elsewhere@example.com")

    errors = [
        refused(db, Invalid, lambda e=email: book(db, settings, maple, portal_account(db, e)))
        for email in ("nobody@example.com", "twins@example.com", "elsewhere@example.com")
    ]
    assert [type(e) for e in errors] == [Invalid] * 3
    assert [(e.message, e.field) for e in errors] == [(REFUSAL, None)] * 3  # type: ignore[attr-defined]
    assert (count(db, Appointment), count(db, OutboxMessage)) == (0, 0)
    assert world.count_new(Patient) == 3  # nothing created
    assert free_at(db, maple, TEN)


def test_existing_only_email_match_is_exact_not_a_pattern(
    db: Session, settings: Settings, world: World, maple: Bookable
) -> None:
    set_options(db, maple, registration_policy="existing_only")
    stranger = add_patient(db, maple, "John", "Smith", email="john.smith@example.com")
    # A different person whose address differs only where '_' stands.
    error = refused(db, Invalid, lambda: book(db, settings, maple, portal_account(db, "john_smith@example.com")))
    assert error.message == REFUSAL  # type: ignore[attr-defined]
    assert count(db, Appointment, Appointment.patient_id == stranger) == 0


# --- access codes ----------------------------------------------------------------------------


def give(db: Session, settings: Settings, clinic: Bookable, patient_id: int, account: Account | PortalAccount) -> int:
    """Staff hand over a code, the account redeems it; returns the PortalAccess id."""
    generated = access_codes.generate(db, settings, clinic.staff, patient_id, now=NOW)
    db.commit()
    access_codes.redeem(db, settings, actor_of(db, account), generated.code, now=NOW)
    db.commit()
    access_id = db.exec(
        select(PortalAccess.id).where(
            PortalAccess.patient_id == patient_id,
            PortalAccess.user_id == account.user_id,
            PortalAccess.revoked_at.is_(None),  # type: ignore[union-attr]
        )
    ).one()
    db.rollback()
    return access_id  # type: ignore[return-value]


def revoke(db: Session, clinic: Bookable, access_id: int) -> None:
    access_codes.revoke_access(db, clinic.staff, access_id, now=NOW)
    db.commit()


def staff_book(db: Session, clinic: Bookable, patient_id: int, starts_at: datetime, service: int | None = None) -> int:
    appointment = appointments.book(
        db,
        clinic.staff,
        clinic.office_id,
        practitioner_id=clinic.owner.user_id,
        patient_id=patient_id,
        service_id=service or clinic.checkup,
        starts_at=starts_at,
        now=NOW,
    )
    db.commit()
    return appointment.id  # type: ignore[return-value]


def visible(db: Session, account: Account | PortalAccount, current: int | None, now: datetime = NOW) -> list[int]:
    found = [a.id for a in portal_appointments.portal_appointments(db, actor_of(db, account), current, now)]
    db.rollback()
    return found


# --- the visibility matrix of portal appointments ---------------------------------------------------


def test_self_booked_online_is_always_visible(db: Session, settings: Settings, world: World, maple: Bookable) -> None:
    ana = add_patient(db, maple, "Ana")
    account = portal_account(db, "parent@example.com")
    # Booked with no record held: visible without any code.
    own = book(db, settings, maple, account).id
    assert visible(db, account, None) == [own]
    # Booked for a record held through a code, then the access is revoked: still visible.
    access = give(db, settings, maple, ana, account)
    for_ana = book(db, settings, maple, account, TEN + timedelta(days=1), patient_id=ana).id
    assert visible(db, account, ana) == [own, for_ana]
    revoke(db, maple, access)
    assert visible(db, account, ana) == [own, for_ana]
    assert visible(db, account, None) == [own, for_ana]
    # Nobody else sees them.
    assert visible(db, portal_account(db, "stranger@example.com"), None) == []


def test_staff_booked_is_visible_only_through_a_held_record(
    db: Session, settings: Settings, world: World, maple: Bookable
) -> None:
    ana = add_patient(db, maple, "Ana", email="parent@example.com")
    by_staff = staff_book(db, maple, ana, TEN)
    account = portal_account(db, "parent@example.com")
    # Same e-mail as the record, but no code: not shown.
    assert visible(db, account, None) == []
    assert visible(db, account, ana) == []
    # Even the record the account's own online booking used: staff bookings for it stay hidden.
    own = book(db, settings, maple, account, TEN + timedelta(days=1)).id
    assert db.get(Appointment, own).patient_id == ana  # type: ignore[union-attr]
    db.rollback()
    assert visible(db, account, None) == [own]
    # With a code: shown.
    access = give(db, settings, maple, ana, account)
    assert visible(db, account, ana) == [by_staff, own]
    # Revoked: gone at once, and it can't be cancelled any more either.
    revoke(db, maple, access)
    assert visible(db, account, ana) == [own]
    missing = refused(
        db, NotFound, lambda: portal_appointments.cancel_online(db, actor_of(db, account), MISSING_ID, NOW)
    )
    error = refused(db, NotFound, lambda: portal_appointments.cancel_online(db, actor_of(db, account), by_staff, NOW))
    assert error.message == missing.message  # type: ignore[attr-defined]


def test_a_family_sees_one_record_at_a_time(db: Session, settings: Settings, world: World, maple: Bookable) -> None:
    ana, ben, parent = world.ana.id, world.ben.id, world.parent  # the world's family: both records held
    for_ana = staff_book(db, maple, ana, TEN)  # type: ignore[arg-type]
    for_ben = staff_book(db, maple, ben, TEN + timedelta(hours=1))  # type: ignore[arg-type]
    assert visible(db, parent, ana) == [for_ana]
    assert visible(db, parent, ben) == [for_ben]
    assert visible(db, parent, None) == []
    # An online booking for Ben shows under Ben.
    online_for_ben = book(db, settings, maple, parent, TEN + timedelta(days=1), patient_id=ben).id
    assert visible(db, parent, ben) == [for_ben, online_for_ben]
    assert visible(db, parent, ana) == [for_ana]
    # Holding two records, the account must say whom a booking is for, and only for one it holds.
    error = refused(db, Invalid, lambda: book(db, settings, maple, parent, TEN + timedelta(days=2)))
    assert error.field == "patient"  # type: ignore[attr-defined]
    other = add_patient(db, maple, "Not", "Theirs")
    refused(db, NotFound, lambda: book(db, settings, maple, parent, TEN + timedelta(days=2), patient_id=other))


def test_portal_rows_say_what_the_page_shows(db: Session, settings: Settings, world: World, maple: Bookable) -> None:
    account = portal_account(db, "pat@example.com")
    later = book(db, settings, maple, account, TEN + timedelta(days=2))
    soon = book(db, settings, maple, account, NOW + timedelta(hours=3), service=maple.checkup)
    now = NOW + timedelta(hours=2)
    rows = {r.id: r for r in portal_appointments.portal_appointments(db, actor_of(db, account), None, now)}
    db.rollback()
    assert rows[later.id].service_name == "Massage, deep tissue"
    assert (rows[later.id].office_name, rows[later.id].practitioner_name, rows[later.id].time_zone) == (
        "Maple Street Clinic",
        "Olive Maple",
        "America/Toronto",
    )
    assert (rows[later.id].upcoming, rows[later.id].can_cancel) == (True, True)
    assert (rows[soon.id].upcoming, rows[soon.id].can_cancel) == (True, False)  # within 24 hours
    # Once it is past: not upcoming, no cancel (the page offers Book again).
    rows = {
        r.id: r
        for r in portal_appointments.portal_appointments(db, actor_of(db, account), None, NOW + timedelta(days=1))
    }
    db.rollback()
    assert (rows[soon.id].upcoming, rows[soon.id].can_cancel) == (False, False)
    assert (rows[soon.id].service_id, rows[soon.id].practitioner_id) == (maple.checkup, maple.owner.user_id)
    # Cancellation off: no cancel button anywhere.
    set_options(db, maple, allow_cancellation=False)
    rows = {r.id: r for r in portal_appointments.portal_appointments(db, actor_of(db, account), None, now)}
    db.rollback()
    assert rows[later.id].can_cancel is False


def test_clinic_accounts_have_no_portal_appointments(db: Session, world: World, maple: Bookable) -> None:
    refused(db, PermissionDenied, lambda: portal_appointments.portal_appointments(db, maple.staff, None, NOW))
    refused(db, PermissionDenied, lambda: portal_appointments.cancel_online(db, maple.owner, MISSING_ID, NOW))


# --- online cancellation -------------------------------------------------------------------------


def cancel(db: Session, account: Account | PortalAccount, appointment_id: int, now: datetime) -> None:
    portal_appointments.cancel_online(db, actor_of(db, account), appointment_id, now)
    db.commit()


def status_of(db: Session, appointment_id: int) -> AppointmentStatus:
    db.expire_all()
    found = db.get(Appointment, appointment_id).status  # type: ignore[union-attr]
    db.rollback()
    return found


def test_cancelling_exactly_at_the_notice_boundary_is_allowed(
    db: Session, settings: Settings, world: World, maple: Bookable
) -> None:
    account = portal_account(db, "pat@example.com")
    appointment = book(db, settings, maple, account)
    version = calendar_changes.calendar_version(db, maple.office_id)
    db.rollback()
    cancel(db, account, appointment.id, TEN - timedelta(hours=24))  # type: ignore[arg-type]
    db.expire_all()
    stored = db.get(Appointment, appointment.id)
    assert stored is not None
    assert (stored.status, stored.cancelled_at, stored.cancelled_by_user_id) == (
        AppointmentStatus.cancelled,
        TEN - timedelta(hours=24),
        account.user_id,
    )
    assert calendar_changes.calendar_version(db, maple.office_id) == version + 1
    db.rollback()
    assert free_at(db, maple, TEN)  # the slot is free again
    # Cancelled once is enough.
    error = refused(db, Invalid, lambda: cancel(db, account, appointment.id, NOW))  # type: ignore[arg-type]
    assert error.message == "This appointment can no longer be cancelled."  # type: ignore[attr-defined]


def test_cancelling_just_inside_the_notice_is_refused_just_outside_allowed(
    db: Session, settings: Settings, world: World, maple: Bookable
) -> None:
    account = portal_account(db, "pat@example.com")
    appointment = book(db, settings, maple, account)
    error = refused(
        db, Invalid, lambda: cancel(db, account, appointment.id, TEN - timedelta(hours=24) + timedelta(seconds=1))
    )  # type: ignore[arg-type]
    assert error.message.startswith("It's too late to cancel online (at least 24 hours' notice).")  # type: ignore[attr-defined]
    assert status_of(db, appointment.id) == AppointmentStatus.booked  # type: ignore[arg-type]
    cancel(db, account, appointment.id, TEN - timedelta(hours=24) - timedelta(seconds=1))  # type: ignore[arg-type]
    assert status_of(db, appointment.id) == AppointmentStatus.cancelled  # type: ignore[arg-type]


def test_a_late_cancellation_gives_the_refusal_phone(
    db: Session, settings: Settings, world: World, maple: Bookable
) -> None:
    account = portal_account(db, "pat@example.com")
    appointment = book(db, settings, maple, account)
    error = refused(db, Invalid, lambda: cancel(db, account, appointment.id, TEN - timedelta(hours=1)))  # type: ignore[arg-type]
    assert PHONE in error.message  # type: ignore[attr-defined]


def test_with_no_notice_anything_before_the_start_may_be_cancelled(
    db: Session, settings: Settings, world: World, maple: Bookable
) -> None:
    set_options(db, maple, cancellation_notice_hours=0)
    account = portal_account(db, "pat@example.com")
    first = book(db, settings, maple, account)
    second = book(db, settings, maple, account, TEN + timedelta(hours=2))
    error = refused(db, Invalid, lambda: cancel(db, account, first.id, TEN))  # type: ignore[arg-type]
    assert error.message == "This appointment can no longer be cancelled."  # type: ignore[attr-defined]
    cancel(db, account, second.id, second.starts_at - timedelta(seconds=1))  # type: ignore[arg-type]
    assert status_of(db, second.id) == AppointmentStatus.cancelled  # type: ignore[arg-type]


def test_cancellation_off_is_refused(db: Session, settings: Settings, world: World, maple: Bookable) -> None:
    account = portal_account(db, "pat@example.com")
    appointment = book(db, settings, maple, account)
    set_options(db, maple, allow_cancellation=False)
    error = refused(db, Invalid, lambda: cancel(db, account, appointment.id, NOW))  # type: ignore[arg-type]
    assert error.message == f"This clinic doesn't take cancellations online. Please call: {PHONE}."  # type: ignore[attr-defined]
    assert status_of(db, appointment.id) == AppointmentStatus.booked  # type: ignore[arg-type]


def test_another_accounts_appointment_looks_not_found(
    db: Session, settings: Settings, world: World, maple: Bookable
) -> None:
    owner_account = portal_account(db, "pat@example.com")
    theirs = book(db, settings, maple, owner_account).id
    by_staff = staff_book(db, maple, add_patient(db, maple, "Ana"), TEN + timedelta(days=1))
    intruder = portal_account(db, "intruder@example.com")
    missing = refused(db, NotFound, lambda: cancel(db, intruder, MISSING_ID, NOW))
    for appointment_id in (theirs, by_staff):
        error = refused(db, NotFound, lambda a=appointment_id: cancel(db, intruder, a, NOW))  # type: ignore[misc]
        assert (type(error), error.message) == (type(missing), missing.message)  # type: ignore[attr-defined]
    assert status_of(db, theirs) == AppointmentStatus.booked  # type: ignore[arg-type]
    assert status_of(db, by_staff) == AppointmentStatus.booked


def test_a_past_appointment_cannot_be_cancelled(db: Session, settings: Settings, world: World, maple: Bookable) -> None:
    account = portal_account(db, "pat@example.com")
    appointment = book(db, settings, maple, account)
    for now in (TEN, TEN + timedelta(minutes=1), TEN + timedelta(days=3)):
        error = refused(db, Invalid, lambda n=now: cancel(db, account, appointment.id, n))  # type: ignore[arg-type]
        assert error.message == "This appointment can no longer be cancelled."  # type: ignore[attr-defined]
    assert status_of(db, appointment.id) == AppointmentStatus.booked  # type: ignore[arg-type]


def test_a_staff_booked_appointment_of_a_held_record_can_be_cancelled(
    db: Session, settings: Settings, world: World, maple: Bookable
) -> None:
    ana = add_patient(db, maple, "Ana")
    by_staff = staff_book(db, maple, ana, TEN)
    parent = portal_account(db, "parent@example.com")
    give(db, settings, maple, ana, parent)
    cancel(db, parent, by_staff, NOW)
    assert status_of(db, by_staff) == AppointmentStatus.cancelled


# --- .ics ---------------------------------------------------------------------------------------


def test_ics_has_utc_times_and_escapes_text(db: Session, settings: Settings, world: World, maple: Bookable) -> None:
    appointment = book(db, settings, maple, portal_account(db, "pat@example.com"))
    office = db.get(Office, maple.office_id)
    assert office is not None
    text = appointment_calendar.for_download(
        appointment, office, "Massage, deep tissue", "Olivia Owner; RMT", settings.base_url, NOW
    )
    db.rollback()
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2:] == ["END:VCALENDAR", ""]
    assert "\n" not in text.replace("\r\n", "")
    assert "METHOD:PUBLISH" in lines and "SEQUENCE:0" in lines
    assert "DTSTART:20261125T150000Z" in lines  # 10:00 in Toronto (EST)
    assert "DTEND:20261125T160000Z" in lines
    assert f"UID:appointment-{appointment.id}@praxis.test" in lines  # the same UID as the mails' .ics
    assert "SUMMARY:Massage\\, deep tissue with Olivia Owner\\; RMT" in lines
    assert "LOCATION:Maple Street Clinic\\, 12 Maple St\\, Toronto" in lines
    assert f"DESCRIPTION:Questions? Call {OFFICE_PHONE}." in lines


def test_ics_in_summer_time_is_still_utc() -> None:
    office = Office(
        id=1, name="Maple", address="12 Maple St", phone=OFFICE_PHONE, time_zone="America/Toronto", share_pin="X"
    )
    starts = datetime(2026, 7, 1, 10, tzinfo=ZONE)  # 10:00 EDT
    appointment = Appointment(
        id=7,
        office_id=1,
        practitioner_id=1,
        patient_id=1,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=45),
        created_at=datetime(2026, 6, 1, 12, 30, tzinfo=UTC),
    )
    stamp = datetime(2026, 6, 1, 12, 30, tzinfo=UTC)
    text = appointment_calendar.for_download(appointment, office, "Visit\nwith notes", "Dr A", "https://x.test", stamp)
    lines = text.split("\r\n")
    assert "DTSTART:20260701T140000Z" in lines
    assert "DTEND:20260701T144500Z" in lines
    assert "DTSTAMP:20260601T123000Z" in lines
    assert "SUMMARY:Visit\\nwith notes with Dr A" in lines
    assert "UID:appointment-7@x.test" in lines


# --- the race ------------------------------------------------------------------------------------


def test_twenty_accounts_racing_online_for_one_slot_give_one_appointment(
    engine: Engine, db: Session, settings: Settings, world: World, maple: Bookable
) -> None:
    tokens = [portal_account(db, f"racer{i}@example.com", f"Racer {i}").token for i in range(20)]
    office_id, service_id, practitioner_id = maple.office_id, maple.massage, maple.owner.user_id
    db.rollback()  # plain values only from here: the test session holds no lock
    barrier = threading.Barrier(len(tokens))
    outcomes: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def client(token: str) -> None:
        barrier.wait()
        try:
            with unit_of_work(engine) as session:
                actor = sessions.resolve(session, token, touch=False)
                assert actor is not None
                online_booking.book_online(
                    session,
                    settings,
                    actor,
                    office_id,
                    service_id=service_id,
                    practitioner_id=practitioner_id,
                    starts_at=TEN,
                    now=NOW,
                )
            result = "ok"
        except Conflict as conflict:
            result = "conflict" if conflict.message == appointments.SLOT_TAKEN else "other"
        except BaseException as error:  # anything else fails the test
            with lock:
                errors.append(error)
            return
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=client, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert (outcomes.count("ok"), outcomes.count("conflict")) == (1, 19)
    live = db.exec(select(Appointment).where(Appointment.status != AppointmentStatus.cancelled)).all()
    assert len(live) == 1 and live[0].starts_at == TEN
    # The losers left nothing behind: one new record, one e-mail.
    assert world.count_new(Patient) == 1
    assert count(db, OutboxMessage) == 1
