"""Server-side sign-in sessions.

The browser holds a random token in a cookie; the database holds its SHA-256.
A session dies after 30 idle minutes, 12 hours in all, or at sign-out, and
every action re-checks it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select, update

from app.models import AuthSession, User
from app.services.actor import Actor
from app.services.clock import now_or
from app.services.tokens import hash_token, new_token

IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_LIFETIME = timedelta(hours=12)
# Writing last_seen on every click costs a write per event; a minute's slack is harmless.
LAST_SEEN_GRANULARITY = timedelta(seconds=60)


def start(db: Session, user: User, client_ip: str = "", now: datetime | None = None) -> str:
    """Open a new session (a fresh token at every sign-in) and return the raw token."""
    now = now_or(now)
    token = new_token()
    db.add(
        AuthSession(
            user_id=user.id,  # type: ignore[arg-type]
            token_hash=hash_token(token),
            created_at=now,
            last_seen_at=now,
            expires_at=now + ABSOLUTE_LIFETIME,
            client_ip=client_ip[:64],
        )
    )
    db.flush()
    return token


def _live_session(db: Session, token: str, now: datetime) -> tuple[AuthSession, User] | None:
    if not token:
        return None
    row = db.exec(
        select(AuthSession, User)
        .join(User, User.id == AuthSession.user_id)  # type: ignore[arg-type]
        .where(AuthSession.token_hash == hash_token(token))
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
    now = now_or(now)
    found = _live_session(db, token, now)
    if found is None:
        return None
    session, user = found
    if touch and now - session.last_seen_at >= LAST_SEEN_GRANULARITY:
        session.last_seen_at = now
        db.add(session)
    return Actor(
        user_id=user.id,  # type: ignore[arg-type]
        session_id=session.id,  # type: ignore[arg-type]
        kind=user.kind,
        email=user.email,
        full_name=user.full_name,
        current_office_id=session.current_office_id,
        current_patient_id=session.current_patient_id,
        client_ip=client_ip,
    )


def end(db: Session, token: str, now: datetime | None = None) -> None:
    """Sign-out: the token stops working everywhere at once."""
    now = now_or(now)
    db.exec(
        update(AuthSession)
        .where(AuthSession.token_hash == hash_token(token), AuthSession.ended_at.is_(None))  # type: ignore[union-attr]
        .values(ended_at=now)
    )


def end_all_for_user(
    db: Session, user_id: int, keep_session_id: int | None = None, now: datetime | None = None
) -> None:
    """End every session of an account (password change or reset), but the one kept."""
    now = now_or(now)
    statement = update(AuthSession).where(
        AuthSession.user_id == user_id,
        AuthSession.ended_at.is_(None),  # type: ignore[union-attr]
    )
    if keep_session_id is not None:
        statement = statement.where(AuthSession.id != keep_session_id)
    db.exec(statement.values(ended_at=now))


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
