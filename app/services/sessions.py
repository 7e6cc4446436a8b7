"""Server-side sign-in sessions.

The browser holds a random token in an HttpOnly cookie; the database holds its
SHA-256. A session dies after 30 idle minutes, 12 hours in all, or at sign-out,
and every action re-checks it.

Sign-in is checked over the websocket, which cannot set an HttpOnly cookie: it
ends with a one-time ticket that the page posts to an HTTP route, and the
session (and its cookie) is opened there (`issue_ticket` → `open_ticket`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select, update

from app.models import AccountKind, AuthSession, Membership, Office, Patient, PortalAccess, SignInTicket, User
from app.services import audit, live_versions
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.ids import saved_id
from app.services.tokens import hash_token, new_token

IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_LIFETIME = timedelta(hours=12)
# Writing last_seen on every click costs a write per event; a minute's slack is harmless.
LAST_SEEN_GRANULARITY = timedelta(seconds=60)
# A tab's events within this long of its last check take its session as still live (state/tab_guard.py):
# a session can then end only by its timeouts, which the trust never outlasts, or by being ended,
# which bumps the account's live version and sends the tab a checking heartbeat within a tick.
BINDING_TRUST = timedelta(seconds=30)
# Long enough for a slow page to post it, short enough to be worthless in a log or a state file.
TICKET_LIFETIME = timedelta(minutes=2)


@dataclass(frozen=True)
class OpenedSession:
    token: str
    user_id: int
    kind: AccountKind
    next_path: str


def issue_ticket(db: Session, user_id: int, next_path: str = "", now: datetime | None = None) -> str:
    """A verified sign-in's one-time ticket (the raw value; only its hash is kept)."""
    now = now_or(now)
    ticket = new_token()
    db.add(
        SignInTicket(
            user_id=user_id,
            ticket_hash=hash_token(ticket),
            created_at=now,
            expires_at=now + TICKET_LIFETIME,
            next_path=next_path[:500],
        )
    )
    return ticket


def open_ticket(db: Session, ticket: str, client_ip: str = "", now: datetime | None = None) -> OpenedSession | None:
    """Spend a ticket: open the session it stands for. None for an unknown, used or stale ticket."""
    now = now_or(now)
    if not ticket:
        return None
    row = db.exec(select(SignInTicket).where(SignInTicket.ticket_hash == hash_token(ticket)).with_for_update()).first()
    if row is None or row.used_at is not None or now >= row.expires_at:
        return None
    row.used_at = now
    db.add(row)
    user = db.get(User, row.user_id)
    if user is None:
        return None
    token = start(db, user, client_ip, now)
    return OpenedSession(token=token, user_id=row.user_id, kind=user.kind, next_path=row.next_path)


def start(db: Session, user: User, client_ip: str = "", now: datetime | None = None) -> str:
    """Open a new session (a fresh token at every sign-in) and return the raw token."""
    now = now_or(now)
    token = new_token()
    db.add(
        AuthSession(
            user_id=saved_id(user),
            token_hash=hash_token(token),
            created_at=now,
            last_seen_at=now,
            expires_at=now + ABSOLUTE_LIFETIME,
            client_ip=client_ip[:64],
        )
    )
    db.flush()
    return token


def _live_session(db: Session, token_hash: str, now: datetime) -> tuple[AuthSession, User] | None:
    if not token_hash:
        return None
    row = db.exec(
        select(AuthSession, User)
        .join(User, col(User.id) == AuthSession.user_id)
        .where(AuthSession.token_hash == token_hash)
    ).first()
    if row is None:
        return None
    session, user = row
    if session.ended_at is not None or now >= session.expires_at or now - session.last_seen_at >= IDLE_TIMEOUT:
        return None
    return session, user


def resolve(
    db: Session, token: str, client_ip: str = "", now: datetime | None = None, *, touch: bool = True
) -> Actor | None:
    """The actor behind a cookie token, or None when it is unknown, ended or expired.

    Resolving counts as activity and pushes the idle timeout back, unless
    `touch` is False (a page's background heartbeat is not a person's action).
    """
    return resolve_hashed(db, hash_token(token) if token else "", client_ip, now, touch=touch)


def resolve_hashed(
    db: Session, token_hash: str, client_ip: str = "", now: datetime | None = None, *, touch: bool = True
) -> Actor | None:
    """`resolve` for a connection that carries the token's hash (the websocket; see app/web)."""
    now = now_or(now)
    found = _live_session(db, token_hash, now)
    if found is None:
        return None
    session, user = found
    if touch and now - session.last_seen_at >= LAST_SEEN_GRANULARITY:
        session.last_seen_at = now
        db.add(session)
    return Actor(
        user_id=saved_id(user),
        session_id=saved_id(session),
        kind=user.kind,
        email=user.email,
        full_name=user.full_name,
        current_office_id=session.current_office_id,
        current_patient_id=session.current_patient_id,
        client_ip=client_ip,
    )


def seconds_until_idle(db: Session, actor: Actor, now: datetime | None = None) -> float:
    """How long the actor's session lives without another action (its idle timeout, or its end)."""
    now = now_or(now)
    session = db.get(AuthSession, actor.session_id)
    if session is None or session.ended_at is not None:
        return 0.0
    ends = min(session.last_seen_at + IDLE_TIMEOUT, session.expires_at)
    return max(0.0, (ends - now).total_seconds())


def end(db: Session, token: str, now: datetime | None = None) -> None:
    """Sign-out: the token stops working everywhere at once."""
    end_hashed(db, hash_token(token) if token else "", now)


def end_hashed(db: Session, token_hash: str, now: datetime | None = None, client_ip: str = "") -> None:
    now = now_or(now)
    if not token_hash:
        return
    session = db.exec(
        select(AuthSession).where(AuthSession.token_hash == token_hash, col(AuthSession.ended_at).is_(None))
    ).first()
    if session is None:
        return
    session.ended_at = now
    db.add(session)
    live_versions.bump_user(db, session.user_id)  # the account's other open tabs go to sign-in
    audit.record(
        db,
        None,
        AuditAction.session_ended,
        user_id=session.user_id,
        target_type="user",
        target_id=session.user_id,
        client_ip=client_ip,
    )


def end_all_for_user(
    db: Session, user_id: int, keep_session_id: int | None = None, now: datetime | None = None
) -> None:
    """End every session of an account (password change or reset), but the one kept."""
    now = now_or(now)
    statement = update(AuthSession).where(
        col(AuthSession.user_id) == user_id,
        col(AuthSession.ended_at).is_(None),
    )
    if keep_session_id is not None:
        statement = statement.where(col(AuthSession.id) != keep_session_id)
    db.exec(statement.values(ended_at=now))
    live_versions.bump_user(db, user_id)


def set_current_office(db: Session, actor: Actor, office_id: int | None) -> None:
    session = db.get(AuthSession, actor.session_id)
    if session is not None:
        session.current_office_id = office_id
        db.add(session)


def set_current_patient(db: Session, actor: Actor, patient_id: int | None) -> None:
    session = db.get(AuthSession, actor.session_id)
    if session is not None:
        session.current_patient_id = patient_id
        db.add(session)


@dataclass(frozen=True)
class TabBinding:
    """What a browser tab's state was loaded for: a session, and the offices and records it reached.

    When a tab's connection shows another binding (signed out, expired, someone else signed
    in, an office or record lost), the tab's state is wiped before anything is sent (state/tab_guard.py).
    """

    session_id: int
    access: frozenset[str]
    # Until when (a POSIX timestamp) the tab may take the session as still live without asking
    # again (BINDING_TRUST, never past the session's idle or absolute end); 0 for no session.
    trusted_until: float = 0.0


def tab_binding(db: Session, token_hash: str, *, with_access: bool, now: datetime | None = None) -> TabBinding:
    now = now_or(now)
    found = _live_session(db, token_hash, now)
    if found is None:
        return TabBinding(0, frozenset())
    session, user = found
    ends = min(session.last_seen_at + IDLE_TIMEOUT, session.expires_at)
    trust = min(now + BINDING_TRUST, ends).timestamp()
    if not with_access:
        return TabBinding(session.id or 0, frozenset(), trust)
    if user.kind == AccountKind.patient:
        held = db.exec(
            select(PortalAccess.patient_id).where(
                PortalAccess.user_id == user.id,
                col(PortalAccess.revoked_at).is_(None),
            )
        ).all()
        return TabBinding(session.id or 0, frozenset(f"patient:{p}" for p in held), trust)
    offices = db.exec(select(Membership.office_id).where(Membership.user_id == user.id)).all()
    return TabBinding(session.id or 0, frozenset(f"office:{o}" for o in offices), trust)


def binding_fingerprint(token_hash: str) -> str:
    """What a tab's state keeps of the cookie it was checked with: enough to tell another cookie,
    never the token nor its stored hash (a tab's state may sit in Redis)."""
    return hashlib.sha256(f"tab-binding:{token_hash}".encode()).hexdigest()[:32] if token_hash else ""


def binding_trusted(trusted_until: float, now: datetime | None = None) -> bool:
    return now_or(now).timestamp() < trusted_until


def access_names(db: Session, keys: frozenset[str] | set[str]) -> list[str]:
    """Readable names for `TabBinding.access` entries (offices by name, records by patient name)."""
    office_ids = [int(k.split(":")[1]) for k in keys if k.startswith("office:")]
    patient_ids = [int(k.split(":")[1]) for k in keys if k.startswith("patient:")]
    names = list(db.exec(select(Office.name).where(col(Office.id).in_(office_ids))).all()) if office_ids else []
    if patient_ids:
        rows = db.exec(select(Patient.first_name, Patient.last_name).where(col(Patient.id).in_(patient_ids))).all()
        names += [f"{first} {last}'s record" for first, last in rows]
    return sorted(names)
