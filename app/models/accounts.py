"""Accounts, sign-in sessions, throttles and one-time tokens."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import BigInteger, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, enum_type, utcnow


class AccountKind(StrEnum):
    practitioner = "practitioner"
    staff = "staff"  # administrative staff: a practitioner account converted by a staff invitation
    patient = "patient"


class User(SQLModel, table=True):
    __tablename__: ClassVar[Any] = "users"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254)
    # Lower-cased address: e-mail addresses are compared without case.
    email_normalized: str = Field(max_length=254, unique=True, index=True)
    full_name: str = Field(max_length=120)
    kind: AccountKind = Field(sa_type=enum_type(AccountKind))
    password_hash: str = Field(max_length=100)
    # Practitioner Share PIN (staff and practitioner accounts only).
    share_pin: str | None = Field(default=None, max_length=16, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    password_changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SignupRequest(SQLModel, table=True):
    """A sign-up waiting for its e-mail address to be confirmed.

    The account only exists once the link is opened, so nobody can claim an
    address they do not read (invitations and booking policies rely on it).
    """

    __tablename__: ClassVar[Any] = "signup_requests"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254)
    email_normalized: str = Field(max_length=254, index=True)
    full_name: str = Field(max_length=120)
    kind: AccountKind = Field(sa_type=enum_type(AccountKind))
    password_hash: str = Field(max_length=100)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Where to go once confirmed (for example an access-code redemption started before sign-up).
    next_path: str = Field(default="", max_length=500)


class AuthSession(SQLModel, table=True):
    """A signed-in browser. Only the SHA-256 of the cookie token is stored."""

    __tablename__: ClassVar[Any] = "auth_sessions"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)  # absolute lifetime
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The office a clinic user is working in; checked against membership on use.
    current_office_id: int | None = Field(default=None, foreign_key="offices.id", ondelete="SET NULL")
    client_ip: str = Field(default="", max_length=64)
    # The family record a portal account is looking at; checked against its access on every read.
    current_patient_id: int | None = Field(default=None, foreign_key="patients.id", ondelete="SET NULL")


class SignInTicket(SQLModel, table=True):
    """A one-time, minute-long pass from a verified sign-in to the HTTP route that sets the cookie.

    Sign-in runs over the websocket, but an HttpOnly cookie can only be set by an
    HTTP response: the page posts the ticket to /_session/open, which opens the
    session there. Only the ticket's SHA-256 is stored.
    """

    __tablename__: ClassVar[Any] = "sign_in_tickets"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    ticket_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # A local path to open once signed in (checked when the ticket is made).
    next_path: str = Field(default="", max_length=500)


class TwoFactorCredential(SQLModel, table=True):
    """A clinic account's TOTP authenticator (RFC 6238): pending until confirmed with one code.

    The secret is stored sealed with a key derived from the app's secret key
    (services/secret_box.py), never in plain text.
    """

    __tablename__: ClassVar[Any] = "two_factor_credentials"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", unique=True, ondelete="CASCADE")
    secret_sealed: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # None while the enrolment waits for its first code.
    enabled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The 30-second time-step of the last code accepted: no code of it, or of an earlier step, works again.
    last_used_step: int = Field(default=0, sa_type=BigInteger)


class RecoveryCode(SQLModel, table=True):
    """One of an account's single-use recovery codes; only its keyed hash (HMAC) is stored."""

    __tablename__: ClassVar[Any] = "two_factor_recovery_codes"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    code_hash: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SignInChallenge(SQLModel, table=True):
    """A sign-in whose password was right, waiting for the second factor (5 minutes, a few tries).

    The browser tab's server state holds only this row's id (a backend var): the
    id is no secret, the code is. No ticket is issued until the code is right.
    """

    __tablename__: ClassVar[Any] = "sign_in_challenges"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    failed_attempts: int = 0
    next_path: str = Field(default="", max_length=500)
    client_ip: str = Field(default="", max_length=64)


class PasswordResetToken(SQLModel, table=True):
    __tablename__: ClassVar[Any] = "password_reset_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Throttle(SQLModel, table=True):
    """Failure counter for one (scope, key): an account address or a client address.

    Kept in the database so every worker sees the same count.
    """

    __tablename__: ClassVar[Any] = "throttles"
    __table_args__ = (UniqueConstraint("scope", "key", name="uq_throttles_scope_key"),)

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=40)
    key: str = Field(max_length=300)
    failures: int = 0
    first_failure_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_failure_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    blocked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
