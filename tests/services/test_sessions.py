"""Server-side sessions: idle and absolute expiry, sign-out, fresh tokens, hashed storage (SPEC §1)."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session, select

from app.models import AuthSession
from app.services import sessions
from app.services.accounts import sign_in
from app.settings import Settings
from tests.factories import PASSWORD, make_user, open_session

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
CLIENT = "203.0.113.9"


def minutes(count: float) -> datetime:
    return T0 + timedelta(minutes=count)


def resolve(db: Session, token: str, at: datetime, *, touch: bool = True):
    actor = sessions.resolve(db, token, CLIENT, at, touch=touch)
    db.commit()
    return actor


def start(db: Session) -> str:
    token = sessions.start(db, make_user(db), CLIENT, T0)
    db.commit()
    return token


def test_a_session_resolves_to_its_user(db: Session) -> None:
    user = make_user(db)
    token = sessions.start(db, user, CLIENT, T0)
    db.commit()
    actor = resolve(db, token, minutes(1))
    assert actor is not None
    assert (actor.user_id, actor.kind, actor.email, actor.client_ip) == (user.id, user.kind, user.email, CLIENT)
    row = db.get(AuthSession, actor.session_id)
    assert row is not None
    assert (row.created_at, row.expires_at, row.client_ip) == (T0, T0 + timedelta(hours=12), CLIENT)


def test_unknown_or_empty_token_resolves_to_nobody(db: Session) -> None:
    start(db)
    assert resolve(db, "", minutes(1)) is None
    assert resolve(db, "no-such-token", minutes(1)) is None


def test_idle_timeout_is_30_minutes(db: Session) -> None:
    token = start(db)
    assert resolve(db, token, minutes(29)) is not None
    # Activity at +29 pushed the idle limit back: +58 is only 29 idle minutes.
    assert resolve(db, token, minutes(58)) is not None
    # 31 minutes after the last activity: gone.
    assert resolve(db, token, minutes(58 + 31)) is None
    # And it stays gone.
    assert resolve(db, token, minutes(58 + 32)) is None


def test_an_untouched_session_dies_after_30_idle_minutes(db: Session) -> None:
    token = start(db)
    assert resolve(db, token, minutes(29), touch=False) is not None
    assert resolve(db, token, minutes(30)) is None


def test_a_background_heartbeat_does_not_keep_the_session_alive(db: Session) -> None:
    token = start(db)
    assert resolve(db, token, minutes(20), touch=False) is not None
    assert resolve(db, token, minutes(31)) is None


def test_absolute_lifetime_is_12_hours_even_with_activity(db: Session) -> None:
    token = start(db)
    for elapsed in range(20, 12 * 60, 20):
        assert resolve(db, token, minutes(elapsed)) is not None, f"refused after {elapsed} minutes"
    assert resolve(db, token, minutes(12 * 60 - 1)) is not None
    assert resolve(db, token, minutes(12 * 60)) is None


def test_sign_out_ends_the_session(db: Session) -> None:
    user = make_user(db)
    token = sessions.start(db, user, CLIENT, T0)
    other_browser = sessions.start(db, user, CLIENT, T0)
    db.commit()
    assert resolve(db, token, minutes(1)) is not None

    sessions.end(db, token, minutes(2))
    db.commit()

    assert resolve(db, token, minutes(3)) is None
    row = db.exec(select(AuthSession).where(AuthSession.token_hash == hashlib.sha256(token.encode()).hexdigest())).one()
    assert row.ended_at == minutes(2)
    # Only that browser: the account's other session lives on.
    assert resolve(db, other_browser, minutes(3)) is not None


def test_a_new_token_at_every_sign_in(db: Session, settings: Settings) -> None:
    user = make_user(db)
    first = open_session(db, sign_in.sign_in(db, settings, email=user.email, password=PASSWORD, now=T0), now=T0)
    second = open_session(db, sign_in.sign_in(db, settings, email=user.email, password=PASSWORD, now=T0), now=T0)

    assert first != second
    for token in (first, second):
        assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) >= 16  # 128 bits or more
    first_actor = resolve(db, first, minutes(1))
    second_actor = resolve(db, second, minutes(1))
    assert first_actor is not None and second_actor is not None
    assert first_actor.user_id == second_actor.user_id == user.id
    assert first_actor.session_id != second_actor.session_id


def test_only_the_sha256_of_the_token_is_stored(db: Session, settings: Settings) -> None:
    user = make_user(db)
    token = open_session(
        db, sign_in.sign_in(db, settings, email=user.email, password=PASSWORD, client_ip=CLIENT, now=T0), now=T0
    )

    rows = db.connection().execute(text("SELECT * FROM auth_sessions")).all()
    assert len(rows) == 1
    stored = " ".join(str(value) for value in rows[0])
    assert token not in stored
    assert rows[0]._mapping["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    db.commit()
