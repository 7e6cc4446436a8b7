"""The demo's accounts and its office with its team, made the way people make them.

Accounts are written directly (sign-up would need someone to open a confirmation mail); the
office is created by its owner, and the second practitioner and the front desk join it by
accepting the owner's invitations, so the team and its audit entries are what the app makes.
"""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import AccountKind, Membership, Office, User
from app.services import offices, sessions
from app.services.actor import Actor
from app.services.ids import pk, saved_id
from app.services.share_pins import unique_pin
from app.services.team import invitations
from app.settings import Settings

CLIENT_IP = "127.0.0.1"
OFFICE_NAME = "Maple Street Clinic (demo)"
OFFICE = offices.OfficeInput(OFFICE_NAME, "12 Maple Street, Toronto, ON M5V 2T6", "+1 416 555 0100", "America/Toronto")
OWNER = "dr.rivera@demo.praxis.test"
PRACTITIONER = "dr.chen@demo.praxis.test"
FRONT_DESK = "frontdesk@demo.praxis.test"
FAMILY = "maria.garcia@demo.praxis.test"  # holds the records of Maria, Luis and Sofia Garcia
JORDAN = "jordan.lee@demo.praxis.test"
PRIYA = "priya.shah@demo.praxis.test"
# (e-mail, name, kind at sign-up, what they are in the demo). The front desk signs up as a
# practitioner and becomes staff by accepting a staff invitation, as SPEC §1 says.
PEOPLE = [
    (OWNER, "Dr. Elena Rivera", AccountKind.practitioner, "practitioner, owner"),
    (PRACTITIONER, "Dr. Marcus Chen", AccountKind.practitioner, "practitioner"),
    (FRONT_DESK, "Sam Okafor", AccountKind.practitioner, "front desk"),
    (FAMILY, "Maria Garcia", AccountKind.patient, "portal: Maria, Luis and Sofia Garcia"),
    (JORDAN, "Jordan Lee", AccountKind.patient, "portal: Jordan Lee"),
    (PRIYA, "Priya Shah", AccountKind.patient, "portal: Priya Shah"),
]


class Actors:
    """A signed-in session per demo account that acts, ended when the demo is loaded."""

    def __init__(self, db: Session) -> None:
        self.db = db
        self._tokens: dict[str, str] = {}

    def __call__(self, email: str) -> Actor:
        user = self.db.exec(select(User).where(User.email_normalized == email)).one()
        token = self._tokens.get(email) or sessions.start(self.db, user, CLIENT_IP)
        self._tokens[email] = token
        actor = sessions.resolve(self.db, token, CLIENT_IP)
        assert actor is not None
        return actor

    def user_id(self, email: str) -> int:
        """An account's id, without signing it in (a run with nothing to do signs nobody in)."""
        return self.db.exec(select(pk(User.id)).where(User.email_normalized == email)).one()

    def close(self) -> None:
        for token in self._tokens.values():
            sessions.end(self.db, token)


def accounts(db: Session, password_hash: str) -> None:
    for email, name, kind, _ in PEOPLE:
        if db.exec(select(User.id).where(User.email_normalized == email)).first() is None:
            db.add(
                User(
                    email=email,
                    email_normalized=email,
                    full_name=name,
                    kind=kind,
                    password_hash=password_hash,
                    share_pin=unique_pin(db, User) if kind != AccountKind.patient else None,
                )
            )
            db.flush()


def office(db: Session, settings: Settings, actors: Actors) -> Office:
    """The office, created by its owner; the team joins through the owner's invitations."""
    found = db.exec(select(Office).where(Office.name == OFFICE_NAME)).first()
    if found is None:
        found = offices.create_office(db, actors(OWNER), OFFICE)
    office_id = saved_id(found)
    for email, role in ((PRACTITIONER, "practitioner"), (FRONT_DESK, "staff")):
        user = db.exec(select(User).where(User.email_normalized == email)).one()
        member = db.exec(
            select(Membership.id).where(Membership.office_id == office_id, Membership.user_id == user.id)
        ).first()
        if member is None:
            invitation = invitations.invite(db, settings, actors(OWNER), office_id, email, role)
            invitations.accept_invitation(db, actors(email), saved_id(invitation))
    return found
