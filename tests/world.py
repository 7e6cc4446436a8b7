"""One shared test world: two offices with their teams, patients, and portal accounts.

    def test_something(world: World) -> None:
        world.maple.owner, world.maple.practitioner, world.maple.staff  # actors of Maple Street Clinic
        world.birch.owner                                                # another office's owner
        world.ana                                                        # a Maple patient
        world.parent                                                     # a portal account holding Ana's record
        world.actor(world.parent)                                        # its actor, as the next request sees it
        world.add_service(world.maple, "Consultation", 30, world.maple.owner)  # more, where a test needs it
        world.audit_since_built("patient.created")                       # what the test itself wrote

Everything is made through the services, the way the app makes it, and committed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from app.models import AccountKind, AuditEntry, Membership, Office, OfficeRole, Patient, Service
from app.services import access_codes, sessions
from app.services.actor import Actor
from app.services.patients import records
from app.services.scheduling import booking_options, service_catalog, working_hours
from app.services.scheduling.booking_options import BookingOptionsInput
from app.services.scheduling.slots import WeeklyInterval
from app.settings import Settings
from tests.factories import make_office, make_user, sign_in_as

CLIENT = "203.0.113.9"
NOW = datetime.now(UTC).replace(microsecond=0)
# Online booking as an office that takes it: on, no notice, a year ahead, new patients welcome.
BOOKING_OPTIONS = BookingOptionsInput(
    enabled=True,
    min_notice_hours=0,
    horizon_days=365,
    allow_cancellation=True,
    cancellation_notice_hours=24,
    registration_policy="new_too",
    refusal_phone="+1 416 555 0199",
)


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
    tokens: dict[int, str] = field(default_factory=dict)  # every clinic member's session token, by user id
    audit_mark: int = 0  # the last audit entry written while the world was built
    id_marks: dict[str, int] = field(default_factory=dict)  # each table's last id once the world was built

    def token(self, actor: Actor) -> str:
        """The session token of a clinic member of the world (as their browser's cookie holds it)."""
        return self.tokens[actor.user_id]

    def audit_since_built(self, action: str | None = None) -> list[AuditEntry]:
        """The audit entries written since the world was built (of one action), oldest first."""
        query = select(AuditEntry).where(AuditEntry.id > self.audit_mark)  # type: ignore[operator]
        if action is not None:
            query = query.where(AuditEntry.action == action)
        return list(self.db.exec(query.order_by(AuditEntry.id)).all())  # type: ignore[arg-type]

    def new_rows(self, model: type[SQLModel], *where: Any) -> list[Any]:
        """The rows of a table (that match `where`) added since the world was built, by id."""
        newer = model.id > self.id_marks.get(model.__tablename__, 0)  # type: ignore[attr-defined]
        return list(self.db.exec(select(model).where(newer, *where).order_by(model.id)).all())  # type: ignore[attr-defined]

    def count_new(self, model: type[SQLModel], *where: Any) -> int:
        """How many rows of a table (that match `where`) were added since the world was built."""
        newer = model.id > self.id_marks.get(model.__tablename__, 0)  # type: ignore[attr-defined]
        return self.db.exec(select(func.count()).select_from(model).where(newer, *where)).one()

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

    def add_service(
        self,
        team: Team,
        name: str = "Consultation",
        minutes: int = 30,
        *offered_by: Actor,
        color: str = "teal",
        online: bool = True,
    ) -> Service:
        """A service of the office, saved by its owner; offered by `offered_by` (nobody ticked: everyone)."""
        data = service_catalog.ServiceInput(name, minutes, color, online, tuple(a.user_id for a in offered_by))
        service = service_catalog.save_service(self.db, team.owner, team.office_id, data)
        self.db.commit()
        return service

    def set_hours(
        self, team: Team, who: Actor, days: range = range(5), start: str = "09:00", end: str = "17:00"
    ) -> None:
        """Someone's weekly hours (Monday = 0), the same on each of `days`, set by the office's owner."""
        first, last = (int(clock[:2]) * 60 + int(clock[3:]) for clock in (start, end))
        intervals = [WeeklyInterval(day, first, last) for day in days]
        working_hours.set_weekly_hours(self.db, team.owner, team.office_id, who.user_id, intervals)
        self.db.commit()

    def set_booking_options(self, team: Team, **changes: object) -> None:
        """The office's Online Booking Options: BOOKING_OPTIONS with `changes`, saved by its owner."""
        data = replace(BOOKING_OPTIONS, **changes)  # type: ignore[arg-type]
        booking_options.save_booking_options(self.db, team.owner, team.office_id, data)
        self.db.commit()

    def set_time_zone(self, team: Team, zone: str) -> None:
        team.office.time_zone = zone
        self.db.add(team.office)
        self.db.commit()

    def give(self, team: Team, patient: Patient, account: PortalAccount) -> None:
        """The front desk makes an access code and the account redeems it."""
        assert patient.id is not None
        generated = access_codes.generate(self.db, self.settings, team.staff, patient.id, now=NOW)
        self.db.commit()
        access_codes.redeem(self.db, self.settings, self.actor(account), generated.code, now=NOW)
        self.db.commit()


def _team(db: Session, slug: str, name: str, tokens: dict[int, str]) -> Team:
    owner, owner_token = sign_in_as(db, make_user(db, email=f"owner@{slug}.test", full_name=f"Olive {slug.title()}"))
    tokens[owner.user_id] = owner_token
    office = make_office(db, owner, name)
    people = {}
    for role, kind, first in (
        (OfficeRole.practitioner, AccountKind.practitioner, "Priya"),
        (OfficeRole.staff, AccountKind.staff, "Sam"),
    ):
        user = make_user(db, email=f"{role.value}@{slug}.test", kind=kind, full_name=f"{first} {slug.title()}")
        db.add(Membership(office_id=office.id, user_id=user.id, role=role))  # type: ignore[arg-type]
        db.commit()
        people[role], token = sign_in_as(db, user)
        tokens[people[role].user_id] = token
    return Team(office, owner, people[OfficeRole.practitioner], people[OfficeRole.staff])


def _portal_account(db: Session, email: str, name: str) -> PortalAccount:
    actor, token = sign_in_as(db, make_user(db, email=email, kind=AccountKind.patient, full_name=name))
    return PortalAccount(token, actor.user_id, name)


def build_world(db: Session, settings: Settings) -> World:
    tokens: dict[int, str] = {}
    maple = _team(db, "maple", "Maple Street Clinic", tokens)
    birch = _team(db, "birch", "Birch Road Clinic", tokens)
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
        tokens=tokens,
    )
    world.ana = world.add_patient(maple, "Ana", "Souza", email="ana@family.test", date_of_birth="2015-04-02")
    world.ben = world.add_patient(maple, "Ben", "Souza", date_of_birth="2017-09-12")
    world.cleo = world.add_patient(birch, "Cleo", "Birchwood")
    world.give(maple, world.ana, world.parent)
    world.give(maple, world.ben, world.parent)
    world.audit_mark = db.exec(select(func.max(AuditEntry.id))).one() or 0
    world.id_marks = {
        table.name: db.exec(select(func.max(table.c.id))).one() or 0
        for table in SQLModel.metadata.sorted_tables
        if "id" in table.c
    }
    db.commit()  # end the read (on SQLite every transaction holds the write lock); a rollback would expire the rows
    return world
