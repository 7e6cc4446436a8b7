"""One shared test world: two offices with their teams, patients, and portal accounts.

    def test_something(world: World) -> None:
        world.maple.owner, world.maple.practitioner, world.maple.staff  # actors of Maple Street Clinic
        world.birch.owner                                                # another office's owner
        world.ana                                                        # a Maple patient
        world.parent                                                     # a portal account holding Ana's record
        world.actor(world.parent)                                        # its actor, as the next request sees it

Everything is made through the services, the way the app makes it, and committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session

from app.models import AccountKind, Membership, Office, OfficeRole, Patient
from app.services import access_codes, sessions
from app.services.actor import Actor
from app.services.patients import records
from app.settings import Settings
from tests.factories import make_office, make_user, sign_in_as

CLIENT = "203.0.113.9"
NOW = datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Team:
    office: Office
    owner: Actor
    practitioner: Actor
    staff: Actor

    @property
    def office_id(self) -> int:
        assert self.office.id is not None
        return self.office.id


@dataclass(frozen=True)
class PortalAccount:
    token: str
    user_id: int
    name: str


@dataclass
class World:
    db: Session
    settings: Settings
    maple: Team
    birch: Team
    ana: Patient  # Maple patient, held by `parent`
    ben: Patient  # Maple patient, held by `parent` too (a family)
    cleo: Patient  # Birch patient, held by nobody
    parent: PortalAccount
    stranger: PortalAccount  # a portal account holding nothing

    def actor(self, account: PortalAccount) -> Actor:
        """The account's actor, as its next request would resolve it."""
        actor = sessions.resolve(self.db, account.token, CLIENT)
        self.db.commit()
        assert actor is not None
        return actor

    def add_patient(self, team: Team, first: str, last: str = "Smith", **values: str) -> Patient:
        data = records.PatientInput(first_name=first, last_name=last, **values)
        patient = records.create_patient(self.db, team.staff, team.office_id, data, now=NOW)
        self.db.commit()
        return patient

    def give(self, team: Team, patient: Patient, account: PortalAccount) -> None:
        """The front desk makes an access code and the account redeems it."""
        assert patient.id is not None
        generated = access_codes.generate(self.db, self.settings, team.staff, patient.id, now=NOW)
        self.db.commit()
        access_codes.redeem(self.db, self.settings, self.actor(account), generated.code, now=NOW)
        self.db.commit()


def _team(db: Session, slug: str, name: str) -> Team:
    owner, _ = sign_in_as(db, make_user(db, email=f"owner@{slug}.test", full_name=f"Olive {slug.title()}"))
    office = make_office(db, owner, name)
    people = {}
    for role, kind, first in (
        (OfficeRole.practitioner, AccountKind.practitioner, "Priya"),
        (OfficeRole.staff, AccountKind.staff, "Sam"),
    ):
        user = make_user(db, email=f"{role.value}@{slug}.test", kind=kind, full_name=f"{first} {slug.title()}")
        db.add(Membership(office_id=office.id, user_id=user.id, role=role))  # type: ignore[arg-type]
        db.commit()
        people[role], _ = sign_in_as(db, user)
    return Team(office, owner, people[OfficeRole.practitioner], people[OfficeRole.staff])


def _portal_account(db: Session, email: str, name: str) -> PortalAccount:
    actor, token = sign_in_as(db, make_user(db, email=email, kind=AccountKind.patient, full_name=name))
    return PortalAccount(token, actor.user_id, name)


def build_world(db: Session, settings: Settings) -> World:
    maple = _team(db, "maple", "Maple Street Clinic")
    birch = _team(db, "birch", "Birch Road Clinic")
    world = World(
        db=db,
        settings=settings,
        maple=maple,
        birch=birch,
        ana=None,  # type: ignore[arg-type]
        ben=None,  # type: ignore[arg-type]
        cleo=None,  # type: ignore[arg-type]
        parent=_portal_account(db, "parent@family.test", "Pat Parent"),
        stranger=_portal_account(db, "stranger@elsewhere.test", "Stan Stranger"),
    )
    world.ana = world.add_patient(maple, "Ana", "Souza", email="ana@family.test", date_of_birth="2015-04-02")
    world.ben = world.add_patient(maple, "Ben", "Souza", date_of_birth="2017-09-12")
    world.cleo = world.add_patient(birch, "Cleo", "Birchwood")
    world.give(maple, world.ana, world.parent)
    world.give(maple, world.ben, world.parent)
    return world
