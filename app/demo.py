"""`make demo`: a demo clinic with a practitioner (owner), a staff member and patients.

Safe to run again: existing demo accounts are left as they are. Prints the
sign-in details. Never run against a real clinic's database.
"""

from __future__ import annotations

from sqlmodel import Session, select

from app.db import unit_of_work
from app.models import AccountKind, Membership, Office, OfficeRole, User
from app.services import offices, sessions
from app.services.actor import Actor
from app.services.ids import saved_id
from app.services.passwords import hash_password
from app.services.scheduling import booking_options, service_catalog, working_hours
from app.services.scheduling.slots import WeeklyInterval
from app.services.share_pins import unique_pin
from app.settings import get_settings

DEMO_PASSWORD = "demo clinic password"
OFFICE_NAME = "Maple Street Clinic (demo)"
PEOPLE = [
    ("dr.rivera@demo.praxis.test", "Dr. Elena Rivera", AccountKind.practitioner),
    ("frontdesk@demo.praxis.test", "Sam Okafor", AccountKind.staff),
    ("jordan.lee@demo.praxis.test", "Jordan Lee", AccountKind.patient),
    ("priya.shah@demo.praxis.test", "Priya Shah", AccountKind.patient),
]


def _account(db: Session, email: str, name: str, kind: AccountKind, password_hash: str) -> User:
    user = db.exec(select(User).where(User.email_normalized == email)).first()
    if user is None:
        user = User(
            email=email,
            email_normalized=email,
            full_name=name,
            kind=kind,
            password_hash=password_hash,
            share_pin=unique_pin(db, User) if kind != AccountKind.patient else None,
        )
        db.add(user)
        db.flush()
    return user


def _schedule(db: Session, owner: Actor, office_id: int) -> None:
    """Services, Monday-to-Friday hours and online booking, so the calendar has something to show."""
    for name, minutes, color in (
        ("Initial assessment", 60, "violet"),
        ("Consultation", 30, "teal"),
        ("Follow-up", 15, "amber"),
    ):
        service_catalog.save_service(
            db, owner, office_id, service_catalog.ServiceInput(name, minutes, color, True, (owner.user_id,))
        )
    working_hours.set_weekly_hours(
        db,
        owner,
        office_id,
        owner.user_id,
        [WeeklyInterval(day, 9 * 60, 12 * 60) for day in range(5)]
        + [WeeklyInterval(day, 13 * 60, 17 * 60) for day in range(5)],
    )
    booking_options.save_booking_options(
        db, owner, office_id, booking_options.BookingOptionsInput(True, 2, 60, True, 24, "new_too", "")
    )


def load_demo() -> list[tuple[str, str, str]]:
    password_hash = hash_password(DEMO_PASSWORD, get_settings().bcrypt_rounds)
    with unit_of_work() as db:
        users = [_account(db, email, name, kind, password_hash) for email, name, kind in PEOPLE]
        owner, staff = users[0], users[1]
        office = db.exec(select(Office).where(Office.name == OFFICE_NAME)).first()
        if office is None:
            token = sessions.start(db, owner)
            actor = sessions.resolve(db, token)
            assert actor is not None
            office = offices.create_office(
                db,
                actor,
                offices.OfficeInput(
                    OFFICE_NAME, "12 Maple Street, Toronto, ON M5V 2T6", "+1 416 555 0100", "America/Toronto"
                ),
            )
            _schedule(db, actor, saved_id(office))
            sessions.end(db, token)
            db.add(Membership(office_id=saved_id(office), user_id=saved_id(staff), role=OfficeRole.staff))
        return [(user.email, user.full_name, user.kind.value) for user in users]


def main() -> None:
    accounts = load_demo()
    print("Demo clinic:", OFFICE_NAME)
    print(f"Every demo account's password: {DEMO_PASSWORD!r}\n")
    for email, name, kind in accounts:
        print(f"  {kind:<13} {name:<20} {email}")
    print("\nStart the app with `make run` and sign in at http://localhost:3000/sign-in")


if __name__ == "__main__":
    main()
