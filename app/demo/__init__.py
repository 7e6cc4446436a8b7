"""`make demo`: a living demo clinic, made through the services the way its people would.

Two practitioners (the owner and a colleague who accepted her invitation), a front desk, eight
patients (a family of three held by one portal account through redeemed access codes, a record
with a pending profile proposal), services with colours, weekday hours, online booking, and the
last days, this week and next filled with appointments, dated from today in the office's zone.

Safe to run again: what exists is left as it is, nothing is made twice. Never run it against a
real clinic's database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select, update

from app.db import unit_of_work
from app.demo import people, records, schedule
from app.models import OutboxMessage, OutboxStatus
from app.services.clock import now_or
from app.services.ids import saved_id
from app.services.passwords import hash_password
from app.settings import Settings, get_settings

DEMO_PASSWORD = "demo clinic password"
OFFICE_NAME = people.OFFICE_NAME


@dataclass(frozen=True)
class Demo:
    office_id: int
    booking_url: str
    accounts: list[tuple[str, str, str]]  # (e-mail, name, what they are)


def load_demo(engine: Engine | None = None, settings: Settings | None = None, now: datetime | None = None) -> Demo:
    settings = settings or get_settings()
    now = now_or(now)
    password_hash = hash_password(DEMO_PASSWORD, settings.bcrypt_rounds)
    with unit_of_work(engine) as db:
        mail_before = db.exec(select(func.max(OutboxMessage.id))).one() or 0
        people.accounts(db, password_hash)
        actors = people.Actors(db)
        office = people.office(db, settings, actors)
        office_id = saved_id(office)
        services = schedule.setup(db, actors, office_id)
        patients = records.patients(db, settings, actors, office_id)
        schedule.appointments_for(db, settings, actors, office_id, office.time_zone, services, patients, now)
        actors.close()
        _keep_demo_mail(db, mail_before)
    return Demo(
        office_id=office_id,
        booking_url=f"{settings.base_url}/book/{office_id}",
        accounts=[(email, name, what) for email, name, _, what in people.PEOPLE],
    )


def _keep_demo_mail(db: Session, mail_before: int) -> None:
    """The demo's people have made-up addresses: their mail (invitations, booking notices) stays in
    the outbox as if sent, instead of filling the terminal of the next `make run`."""
    db.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.status) == OutboxStatus.pending, col(OutboxMessage.id) > mail_before)
        .values(status=OutboxStatus.sent, last_error="demo: not delivered")
    )


def main() -> None:
    demo = load_demo()
    settings = get_settings()
    print("Demo clinic:", OFFICE_NAME)
    print(f"Every demo account's password: {DEMO_PASSWORD!r}\n")
    for email, name, what in demo.accounts:
        print(f"  {name:<18} {email:<32} {what}")
    print(f"\nStart the app with `make run` and sign in at {settings.base_url}/sign-in")
    print(f"The clinic's online booking page: {demo.booking_url}")
