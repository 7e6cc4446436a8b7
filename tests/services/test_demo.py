"""`make demo`: a living clinic made through the services, and running it again changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

from app.demo import DEMO_PASSWORD, load_demo, people
from app.models import (
    AccountKind,
    Appointment,
    AppointmentStatus,
    AuditEntry,
    Membership,
    OfficeRole,
    OutboxMessage,
    OutboxStatus,
    Patient,
    PortalAccess,
    ProfileProposal,
    ProposalStatus,
    Service,
    User,
)
from app.services import local_time
from app.services.passwords import check_password
from app.services.scheduling.booking_options import booking_options
from app.services.scheduling.working_hours import weekly_hours
from app.settings import Settings

NOW = datetime(2026, 3, 11, 15, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Toronto


def _counts(db: Session) -> dict[str, int]:
    counts = {t.name: db.exec(select(func.count()).select_from(t)).one() for t in SQLModel.metadata.sorted_tables}
    db.commit()  # ends the read (SQLite's write lock): the demo runs next
    return counts


def _user(db: Session, email: str) -> User:
    return db.exec(select(User).where(User.email_normalized == email)).one()


def test_the_demo_is_a_living_clinic(engine: Engine, db: Session, settings: Settings) -> None:
    demo = load_demo(engine, settings, NOW)
    assert demo.booking_url == f"http://praxis.test/book/{demo.office_id}"
    roles = dict(
        db.exec(
            select(User.email, Membership.role)
            .join(Membership, Membership.user_id == User.id)  # type: ignore[arg-type]
            .where(Membership.office_id == demo.office_id)
        ).all()
    )
    assert roles == {
        people.OWNER: OfficeRole.owner,
        people.PRACTITIONER: OfficeRole.practitioner,
        people.FRONT_DESK: OfficeRole.staff,
    }
    assert _user(db, people.FRONT_DESK).kind == AccountKind.staff  # became staff by accepting
    assert check_password(DEMO_PASSWORD, _user(db, people.FAMILY).password_hash)

    patients = db.exec(select(Patient).where(Patient.office_id == demo.office_id)).all()
    assert len(patients) == 8
    family = db.exec(
        select(Patient.first_name)
        .join(PortalAccess, PortalAccess.patient_id == Patient.id)  # type: ignore[arg-type]
        .where(PortalAccess.user_id == _user(db, people.FAMILY).id, col(PortalAccess.access_code_id).is_not(None))
    ).all()
    assert sorted(family) == ["Luis", "Maria", "Sofia"]
    pending = db.exec(select(ProfileProposal).where(ProfileProposal.status == ProposalStatus.pending)).all()
    assert [p.field for p in pending] == ["phone"]

    services = db.exec(select(Service).where(Service.office_id == demo.office_id)).all()
    assert len(services) == 4 and len({s.color for s in services}) == 4
    for email in (people.OWNER, people.PRACTITIONER):
        assert weekly_hours(db, demo.office_id, _user(db, email).id)  # type: ignore[arg-type]
    assert booking_options(db, demo.office_id).enabled

    booked = db.exec(select(Appointment).where(Appointment.office_id == demo.office_id)).all()
    today = local_time.today("America/Toronto", NOW)
    days = {local_time.local(a.starts_at, "America/Toronto").date() for a in booked}
    assert min(days) <= today and (max(days) - today).days >= 7  # this week and next
    statuses = [a.status for a in booked]
    assert statuses.count(AppointmentStatus.no_show) == 1
    assert statuses.count(AppointmentStatus.cancelled) == 1
    assert statuses.count(AppointmentStatus.arrived) >= 5
    assert all(a.status != AppointmentStatus.booked for a in booked if a.starts_at < NOW)
    online = [a for a in booked if a.booked_online]
    assert len(online) == 1 and db.get(Patient, online[0].patient_id).first_name == "Sofia"  # type: ignore[union-attr]
    actions = set(db.exec(select(AuditEntry.action)).all())
    assert {"office.created", "patient.created", "access-code.redeemed", "appointment.booked-online"} <= actions
    # Its made-up people's mail stays in the outbox as sent: the next `make run` prints none of it.
    outbox = db.exec(select(OutboxMessage)).all()
    assert outbox and {m.status for m in outbox} == {OutboxStatus.sent}


def test_running_the_demo_again_changes_nothing(engine: Engine, db: Session, settings: Settings) -> None:
    first = load_demo(engine, settings, NOW)
    before = _counts(db)
    again = load_demo(engine, settings, NOW)
    assert again.office_id == first.office_id
    after = _counts(db)
    assert after == before  # nobody had anything to do, so nobody even signed in


def test_the_demo_run_on_later_days_adds_no_duplicates(engine: Engine, db: Session, settings: Settings) -> None:
    for days in (0, 1, 6):
        load_demo(engine, settings, NOW.replace(day=NOW.day + days))
    assert db.exec(select(func.count()).select_from(Patient)).one() == 8
    assert db.exec(select(func.count()).select_from(User)).one() == len(people.PEOPLE)
    pending = db.exec(select(func.count()).select_from(ProfileProposal)).one()
    assert pending == 1
