"""Tagged data for the websocket tests, arranged through the app's own services.

The e2e harness runs the app on a SQLite file in its data directory; WAL lets
this process write to it while the app runs. Every person, record and note
made here carries made-up words (`Tags.word`) found nowhere else, so a test
can search every frame the server sent for them.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.db import make_engine, unit_of_work
from app.models import AccountKind, Office, ProfileProposal, ProposalStatus, Service, User
from app.services import access_codes, offices, portal, sessions
from app.services.actor import Actor
from app.services.local_time import local_instant
from app.services.passwords import hash_password
from app.services.patients import records
from app.services.scheduling import appointments, service_catalog, working_hours
from app.services.scheduling import time_off as time_off_module
from app.services.scheduling.service_catalog import ServiceInput
from app.services.scheduling.slots import WeeklyInterval
from app.services.share_pins import unique_pin
from app.services.team import invitations, members
from app.settings import Settings
from tests.e2e.harness import RunningApp

PASSWORD = "a patient heron waits by the pond"
FAST_BCRYPT_ROUNDS = 4  # the hashes made here; the app checks them the same way
ZONE = "America/Toronto"
# Tables whose rows change whenever anyone acts or fails to, whatever the rights: not compared.
BOOKKEEPING_TABLES = ("audit_log", "auth_sessions", "throttles", "sign_in_tickets", "outbox_messages")
_CONSONANTS = "bcdfghjklmnprstvz"
_VOWELS = "aeiou"


def nonsense_word(syllables: int = 4) -> str:
    """A pronounceable word that appears nowhere else (about 40 bits)."""
    return "".join(secrets.choice(_CONSONANTS) + secrets.choice(_VOWELS) for _ in range(syllables)) + secrets.choice(
        _CONSONANTS
    )


@dataclass
class Tags:
    """The made-up words that mark one person's or one office's data."""

    words: list[str] = field(default_factory=list)

    def word(self) -> str:
        new = nonsense_word()
        self.words.append(new)
        return new

    def title(self) -> str:
        return self.word().capitalize()

    def email(self) -> str:
        return f"{self.word()}@example.com"


@dataclass(frozen=True)
class Account:
    user_id: int
    email: str
    password: str
    full_name: str
    kind: AccountKind


@dataclass
class AppDatabase:
    """The running app's database and settings, for arranging and checking data."""

    engine: Engine
    settings: Settings
    _columns: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, app: RunningApp) -> AppDatabase:
        engine = make_engine(f"sqlite:///{app.data_dir / 'praxis.db'}")
        secret_key = (app.data_dir / "secret_key").read_text().strip().encode()
        settings = Settings(
            data_dir=app.data_dir,
            database_url=str(engine.url),
            secret_key=secret_key,
            base_url=app.base_url,
            mail_from="Praxis <no-reply@praxis.localhost>",
            smtp=None,
            bcrypt_rounds=FAST_BCRYPT_ROUNDS,
        )
        return cls(engine, settings)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        with unit_of_work(self.engine) as db:
            yield db

    def close(self) -> None:
        self.engine.dispose()

    # ---- people ---------------------------------------------------------------------

    def account(self, tags: Tags, kind: AccountKind = AccountKind.practitioner) -> Account:
        full_name = f"{tags.title()} {tags.title()}"
        email = tags.email()
        with self.transaction() as db:
            user = User(
                email=email,
                email_normalized=email.lower(),
                full_name=full_name,
                kind=kind,
                password_hash=hash_password(PASSWORD, FAST_BCRYPT_ROUNDS),
                share_pin=unique_pin(db, User) if kind != AccountKind.patient else None,
            )
            db.add(user)
            db.flush()
            return Account(user.id, email, PASSWORD, full_name, kind)  # type: ignore[arg-type]

    def actor(self, db: Session, account: Account) -> Actor:
        """A service-side session of the account (for arranging; the tests sign in on their own)."""
        user = db.get(User, account.user_id)
        assert user is not None
        token = sessions.start(db, user, "127.0.0.1")
        actor = sessions.resolve(db, token, "127.0.0.1")
        assert actor is not None
        return actor

    # ---- offices and records --------------------------------------------------------------

    def office(self, owner: Account, tags: Tags) -> int:
        data = offices.OfficeInput(
            name=f"{tags.title()} Clinic",
            address=f"{secrets.randbelow(900) + 100} {tags.title()} Street",
            phone="+1 416 555 0199",
            time_zone=ZONE,
        )
        with self.transaction() as db:
            return offices.create_office(db, self.actor(db, owner), data).id  # type: ignore[return-value]

    def patient(self, staff: Account, office_id: int, tags: Tags) -> int:
        data = records.PatientInput(
            first_name=tags.title(),
            last_name=tags.title(),
            date_of_birth="1980-04-02",
            email=tags.email(),
            phone="+1 416 555 0142",
            address=f"{secrets.randbelow(900) + 100} {tags.title()} Lane",
            emergency_contact=f"{tags.title()} {tags.title()}",
            notes=f"Clinic-only note: {tags.word()} {tags.word()}.",
        )
        with self.transaction() as db:
            return records.create_patient(db, self.actor(db, staff), office_id, data).id  # type: ignore[return-value]

    def access_code(self, staff: Account, patient_id: int) -> tuple[int, str]:
        """A fresh unused code for the record: (its id, the four words as shown, with spaces)."""
        with self.transaction() as db:
            made = access_codes.generate(db, self.settings, self.actor(db, staff), patient_id)
            return made.access_code_id, made.code.replace("-", " ")

    def give_record(self, staff: Account, patient_id: int, holder: Account) -> int:
        """The holder redeems a fresh code for the record; returns the portal access id."""
        with self.transaction() as db:
            made = access_codes.generate(db, self.settings, self.actor(db, staff), patient_id)
            access_codes.redeem(db, self.settings, self.actor(db, holder), made.code)
            return next(
                h.access_id
                for h in access_codes.holders(db, self.actor(db, staff), patient_id)
                if h.email == holder.email
            )

    def join(self, owner: Account, office_id: int, member: Account, role: str = "staff") -> int:
        """Invite the member and accept for them; returns the invitation id."""
        with self.transaction() as db:
            invitation = invitations.invite(db, self.settings, self.actor(db, owner), office_id, member.email, role)
            invitations.accept_invitation(db, self.actor(db, member), invitation.id)  # type: ignore[arg-type]
            return invitation.id  # type: ignore[return-value]

    def invitation(self, owner: Account, office_id: int, email: str, role: str = "practitioner") -> int:
        with self.transaction() as db:
            return invitations.invite(db, self.settings, self.actor(db, owner), office_id, email, role).id  # type: ignore[return-value]

    def remove(self, owner: Account, office_id: int, member: Account) -> None:
        with self.transaction() as db:
            members.remove_member(db, self.actor(db, owner), office_id, member.user_id)

    def service(self, owner: Account, office_id: int, tags: Tags) -> int:
        data = ServiceInput(
            name=f"{tags.title()} therapy",
            duration_minutes=30,
            color="teal",
            bookable_online=True,
            practitioner_ids=(owner.user_id,),
        )
        with self.transaction() as db:
            actor = self.actor(db, owner)
            hours = [WeeklyInterval(day, 8 * 60, 20 * 60) for day in range(7)]
            working_hours.set_weekly_hours(db, actor, office_id, owner.user_id, hours)
            return service_catalog.save_service(db, actor, office_id, data).id  # type: ignore[return-value]

    def appointment(self, owner: Account, office_id: int, patient_id: int, service_id: int, days_ahead: int = 1) -> int:
        """A booking at 10:00 office time, `days_ahead` days from today."""
        zone = ZoneInfo(ZONE)
        day = (datetime.now(UTC).astimezone(zone) + timedelta(days=days_ahead)).date()
        with self.transaction() as db:
            booked = appointments.book(
                db,
                self.actor(db, owner),
                office_id,
                practitioner_id=owner.user_id,
                patient_id=patient_id,
                service_id=service_id,
                starts_at=local_instant(day, 10 * 60, zone),
            )
            return booked.id  # type: ignore[return-value]

    def time_off(self, owner: Account, office_id: int, tags: Tags) -> int:
        starts = datetime.now(UTC) + timedelta(days=3)
        with self.transaction() as db:
            row = time_off_module.add_time_off(
                db,
                self.actor(db, owner),
                office_id,
                owner.user_id,
                starts,
                starts + timedelta(hours=2),
                f"{tags.title()} {tags.word()}",
            )
            return row.id  # type: ignore[return-value]

    def proposal(self, holder: Account, patient_id: int, tags: Tags) -> list[int]:
        """The holder proposes a new address and phone for the record; returns the proposal ids."""
        with self.transaction() as db:
            portal.propose_changes(
                db,
                self.actor(db, holder),
                patient_id,
                {"address": f"{secrets.randbelow(900) + 100} {tags.title()} Road"},
            )
            pending = select(ProfileProposal.id).where(
                ProfileProposal.patient_id == patient_id, ProfileProposal.status == ProposalStatus.pending
            )
            return list(db.exec(pending).all())  # type: ignore[arg-type]

    # ---- checks ------------------------------------------------------------------------

    def office_name(self, office_id: int) -> str:
        with self.transaction() as db:
            office = db.get(Office, office_id)
            return office.name if office else ""

    def age_sessions(self, user_id: int, minutes: int) -> None:
        """Move the user's sessions' last activity back (as if they had been idle that long)."""
        with self.transaction() as db:
            db.execute(
                text("UPDATE auth_sessions SET last_seen_at = :then WHERE user_id = :user AND ended_at IS NULL"),
                {"then": datetime.now(UTC) - timedelta(minutes=minutes), "user": user_id},
            )

    def share_pins(self, office_id: int, people: list[Account]) -> list[str]:
        """The office's Share PIN and its people's (they are for sharing, not for strangers)."""
        with self.transaction() as db:
            office = db.get(Office, office_id)
            pins = [office.share_pin] if office else []
            for person in people:
                user = db.get(User, person.user_id)
                if user is not None and user.share_pin:
                    pins.append(user.share_pin)
            return pins

    def service_names(self, service_id: int) -> list[str]:
        with self.transaction() as db:
            service = db.get(Service, service_id)
            return service.name.split() if service else []

    def snapshot(self, skip: tuple[str, ...] = BOOKKEEPING_TABLES) -> dict[str, set[tuple]]:
        """Every row of every table (but the bookkeeping ones), as comparable tuples."""
        found: dict[str, set[tuple]] = {}
        with self.engine.connect() as connection:
            for table in sorted(inspect(connection).get_table_names()):
                if table in skip or table.startswith("alembic"):
                    continue
                rows = connection.execute(text(f'SELECT * FROM "{table}"')).all()
                found[table] = {tuple(row) for row in rows}
        return found

    def columns(self, table: str) -> list[str]:
        if table not in self._columns:
            with self.engine.connect() as connection:
                self._columns[table] = list(connection.execute(text(f'SELECT * FROM "{table}" LIMIT 0')).keys())
        return self._columns[table]

    def table_rows(self, table: str) -> list[dict]:
        with self.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(text(f'SELECT * FROM "{table}"'))]

    def restore_rows(self, table: str, rows: list[dict]) -> None:
        """Put a table back as it was (for bookkeeping tables a test filled, e.g. throttles)."""
        with self.transaction() as db:
            db.execute(text(f'DELETE FROM "{table}"'))
            for row in rows:
                names = ", ".join(f'"{name}"' for name in row)
                values = ", ".join(f":{name}" for name in row)
                db.execute(text(f'INSERT INTO "{table}" ({names}) VALUES ({values})'), row)


def row_changes(before: dict[str, set[tuple]], after: dict[str, set[tuple]]) -> list[tuple[str, str, tuple]]:
    """(table, "gone" or "new", row) for every row that differs between two snapshots
    (a changed row shows as its old version gone and its new one new)."""
    changes = []
    for table in sorted(set(before) | set(after)):
        old, new = before.get(table, set()), after.get(table, set())
        changes += [(table, "gone", row) for row in sorted(old - new, key=repr)]
        changes += [(table, "new", row) for row in sorted(new - old, key=repr)]
    return changes
