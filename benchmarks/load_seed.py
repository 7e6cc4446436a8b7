"""The data of the mixed load test (benchmarks/load_mixed.py), written straight into the app's database.

OFFICES offices, each with PRACTITIONERS practitioners working 08:00–20:00 every day, STAFF staff
accounts (an open session each, the office chosen), one online-bookable 30-minute service, online
booking on (no notice needed to book or cancel) and APPOINTMENTS_PER_DAY appointments a day per
practitioner this week and next; FAMILIES portal accounts per office holding RECORDS_PER_FAMILY
records each; BOOKERS portal accounts per office holding one record each (who book online).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

PRACTITIONERS = 3
STAFF = 10
FAMILIES = 8
RECORDS_PER_FAMILY = 3
BOOKERS = 8
APPOINTMENTS_PER_DAY = 12
OFFICE_ZONE = "America/Toronto"


@dataclass(frozen=True)
class Portal:
    """A portal account: its session token and the records it holds."""

    token: str
    records: tuple[int, ...]


@dataclass
class Seeded:
    offices: list[int] = field(default_factory=list)
    staff: dict[int, list[str]] = field(default_factory=dict)  # office id → staff session tokens
    families: dict[int, list[Portal]] = field(default_factory=dict)
    bookers: dict[int, list[Portal]] = field(default_factory=dict)


def seed(engine: Engine, offices: int) -> Seeded:
    from app.db import unit_of_work

    seeded = Seeded()
    with unit_of_work(engine) as db:
        for number in range(offices):
            _office(db, number, seeded)
    return seeded


def _office(db: Session, number: int, seeded: Seeded) -> None:
    from app.models import (
        AccountKind,
        Appointment,
        AppointmentStatus,
        Membership,
        OfficeRole,
        OnlineBookingOptions,
        Patient,
        PortalAccess,
        Service,
        ServicePractitioner,
        User,
        WorkingHours,
    )
    from app.services import sessions
    from app.services.ids import saved_id
    from app.services.offices import OfficeInput, create_office

    zone = ZoneInfo(OFFICE_ZONE)
    monday = datetime.now(zone).date() - timedelta(days=datetime.now(zone).weekday())

    def person(name: str, kind: AccountKind) -> tuple[User, str]:
        email = f"load-{number}-{name}@example.com"
        user = User(email=email, email_normalized=email, full_name=f"{name} {number}", kind=kind, password_hash="!")
        db.add(user)
        db.flush()
        return user, sessions.start(db, user)

    owner, owner_token = person("owner", AccountKind.practitioner)
    actor = sessions.resolve(db, owner_token, touch=False)
    assert actor is not None
    office = create_office(db, actor, OfficeInput(f"Load Clinic {number}", "1 Main St", "416-555-0100", OFFICE_ZONE))
    office_id = office.id
    assert office_id is not None
    seeded.offices.append(office_id)
    practitioners = [owner]
    for i in range(1, PRACTITIONERS):
        user, _ = person(f"p{i}", AccountKind.practitioner)
        db.add(Membership(office_id=office_id, user_id=saved_id(user), role=OfficeRole.practitioner))
        practitioners.append(user)
    seeded.staff[office_id] = []
    for i in range(STAFF):
        user, token = person(f"s{i}", AccountKind.staff)
        db.add(Membership(office_id=office_id, user_id=saved_id(user), role=OfficeRole.staff))
        db.flush()
        staff = sessions.resolve(db, token, touch=False)
        assert staff is not None
        sessions.set_current_office(db, staff, office_id)
        seeded.staff[office_id].append(token)
    db.add(
        OnlineBookingOptions(
            office_id=office_id, enabled=True, min_notice_hours=0, horizon_days=60, cancellation_notice_hours=0
        )
    )
    service = Service(office_id=office_id, name="Treatment", duration_minutes=30, color="teal", bookable_online=True)
    db.add(service)
    db.flush()
    patients = [Patient(office_id=office_id, first_name=f"Load{i:02d}", last_name="Patient") for i in range(40)]
    db.add_all(patients)
    db.flush()

    def portal_account(name: str, count: int) -> Portal:
        user, token = person(name, AccountKind.patient)
        held = [Patient(office_id=office_id, first_name=f"{name.title()}{k}", last_name="Family") for k in range(count)]
        db.add_all(held)
        db.flush()
        for patient in held:
            db.add(PortalAccess(office_id=office_id, patient_id=saved_id(patient), user_id=saved_id(user)))
        return Portal(token, tuple(saved_id(p) for p in held))

    seeded.families[office_id] = [portal_account(f"family{i}", RECORDS_PER_FAMILY) for i in range(FAMILIES)]
    seeded.bookers[office_id] = [portal_account(f"booker{i}", 1) for i in range(BOOKERS)]
    count = 0
    for user in practitioners:
        db.add(ServicePractitioner(service_id=saved_id(service), user_id=saved_id(user)))
        for weekday in range(7):
            db.add(
                WorkingHours(
                    office_id=office_id, user_id=saved_id(user), weekday=weekday, start_minute=480, end_minute=1200
                )
            )
        for offset in [*range(5), *range(7, 12)]:
            day = monday + timedelta(days=offset)
            for k in range(APPOINTMENTS_PER_DAY):
                local = datetime.combine(day, datetime.min.time(), tzinfo=zone) + timedelta(minutes=540 + 40 * k)
                db.add(
                    Appointment(
                        office_id=office_id,
                        practitioner_id=saved_id(user),
                        patient_id=saved_id(patients[count % len(patients)]),
                        service_id=saved_id(service),
                        starts_at=local.astimezone(UTC),
                        ends_at=local.astimezone(UTC) + timedelta(minutes=30),
                        status=AppointmentStatus.booked,
                        booked_by_user_id=saved_id(owner),
                    )
                )
                count += 1
    db.flush()
