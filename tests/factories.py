"""Small builders for service tests: accounts and signed-in actors without the e-mail round trip."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from app.models import AccountKind, Office, User
from app.services import offices, sessions
from app.services.accounts import sign_in
from app.services.actor import Actor
from app.services.passwords import hash_password
from app.services.share_pins import unique_pin

PASSWORD = "correct horse battery staple"


def make_user(
    db: Session,
    email: str = "ada@example.com",
    kind: AccountKind = AccountKind.practitioner,
    password: str = PASSWORD,
    full_name: str = "Ada Lovelace",
    rounds: int = 4,
) -> User:
    user = User(
        email=email,
        email_normalized=email.lower(),
        full_name=full_name,
        kind=kind,
        password_hash=hash_password(password, rounds),
        share_pin=unique_pin(db, User) if kind != AccountKind.patient else None,
    )
    db.add(user)
    db.commit()
    return user


def sign_in_as(db: Session, user: User, now: datetime | None = None) -> tuple[Actor, str]:
    """A live session for the user: the actor and the raw cookie token."""
    token = sessions.start(db, user, "203.0.113.9", now)
    actor = sessions.resolve(db, token, "203.0.113.9", now)
    db.commit()
    assert actor is not None
    return actor, token


def open_session(
    db: Session, signed_in: sign_in.SignedIn, client_ip: str = "203.0.113.9", now: datetime | None = None
) -> str:
    """What the browser does after a verified sign-in: post the ticket, get the cookie's token."""
    opened = sessions.open_ticket(db, signed_in.ticket, client_ip, now)
    db.commit()
    assert opened is not None
    return opened.token


def make_office(db: Session, owner: Actor, name: str = "Maple Street Clinic") -> Office:
    office = offices.create_office(
        db,
        owner,
        offices.OfficeInput(
            name=name, address="12 Maple St, Toronto", phone="+1 416 555 0100", time_zone="America/Toronto"
        ),
    )
    db.commit()
    return office
