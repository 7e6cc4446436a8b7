"""Failure throttling per account and per client address.

Counters live in the database (every worker sees them). The first few failures
are free; after that each failure blocks further attempts for a delay that
doubles, up to a ceiling. A quiet window resets the count.

An account and its client address are checked together (`check_pair`): a
whole clinic or family often shares one address, so the address counts
failures only, allows many of them, and when it is blocked it refuses only
accounts that have failed themselves. An account with no recent failures of
its own is never refused because of other people behind the same address.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from app.models import Throttle
from app.services.clock import now_or
from app.services.errors import Throttled


@dataclass(frozen=True)
class ThrottlePolicy:
    scope: str
    free_failures: int
    first_delay: timedelta
    max_delay: timedelta
    window: timedelta  # failures older than this are forgotten


SIGN_IN_ACCOUNT = ThrottlePolicy("sign-in:account", 5, timedelta(seconds=15), timedelta(minutes=15), timedelta(hours=1))
# A whole clinic (or family) often shares one address. 50 failures an hour is more than a busy
# front desk's typos, and even then the block only stops accounts that have failed themselves
# (`check_pair`): it slows down someone trying many passwords on many accounts, never a colleague.
SIGN_IN_CLIENT = ThrottlePolicy("sign-in:client", 50, timedelta(minutes=15), timedelta(hours=1), timedelta(hours=1))
# Reset e-mails and sign-up e-mails: a handful per hour per address, to stop mail bombing.
MAIL_REQUEST = ThrottlePolicy("mail-request", 5, timedelta(minutes=15), timedelta(minutes=15), timedelta(hours=1))


def _row(db: Session, policy: ThrottlePolicy, key: str, now: datetime) -> Throttle:
    """The counter row, created if missing without racing another worker."""
    insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(Throttle)
        .values(scope=policy.scope, key=key, failures=0, first_failure_at=now, last_failure_at=now)
        .on_conflict_do_nothing(index_elements=["scope", "key"])
    )
    db.execute(statement)
    query = select(Throttle).where(Throttle.scope == policy.scope, Throttle.key == key)
    if db.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    row = db.exec(query).one()
    db.refresh(row)
    return row


def _find(db: Session, policy: ThrottlePolicy, key: str) -> Throttle | None:
    return db.exec(select(Throttle).where(Throttle.scope == policy.scope, Throttle.key == key)).first()


def check(db: Session, policy: ThrottlePolicy, key: str, now: datetime | None = None) -> None:
    """Raise Throttled while the key is blocked."""
    now = now_or(now)
    row = _find(db, policy, key)
    if row is not None and row.blocked_until is not None and row.blocked_until > now:
        raise Throttled(math.ceil((row.blocked_until - now).total_seconds()))


def strike(db: Session, policy: ThrottlePolicy, key: str, now: datetime | None = None) -> None:
    """Count one failure (or one request, for rate limits) against the key."""
    now = now_or(now)
    row = _row(db, policy, key, now)
    if row.failures and now - row.last_failure_at > policy.window:
        row.failures = 0
        row.first_failure_at = now
        row.blocked_until = None
    row.failures += 1
    row.last_failure_at = now
    beyond = row.failures - policy.free_failures
    if beyond >= 0:
        delay = min(policy.first_delay * (2**beyond), policy.max_delay)
        row.blocked_until = now + delay
    db.add(row)
    db.flush()


def clear(db: Session, policy: ThrottlePolicy, key: str) -> None:
    row = _find(db, policy, key)
    if row is not None:
        db.delete(row)
        db.flush()


# Wrong two-factor codes (authenticator or recovery code), per account: the password's numbers.
TWO_FACTOR_ACCOUNT = ThrottlePolicy(
    "two-factor:account", 5, timedelta(seconds=15), timedelta(minutes=15), timedelta(hours=1)
)


def recent_failures(db: Session, policy: ThrottlePolicy, key: str, now: datetime | None = None) -> int:
    """How many failures the key has within the policy's window (0 once it has been quiet that long)."""
    now = now_or(now)
    row = _find(db, policy, key)
    if row is None or now - row.last_failure_at > policy.window:
        return 0
    return row.failures


def check_pair(
    db: Session,
    account: ThrottlePolicy,
    account_key: str,
    client: ThrottlePolicy,
    client_key: str,
    now: datetime | None = None,
) -> None:
    """Raise Throttled while the account is blocked, or while its address is blocked and the
    account itself has failed within its window. Call before the secret is checked, so a refusal
    never depends on (nor tells) whether the secret was right."""
    now = now_or(now)
    check(db, account, account_key, now)
    if client_key and recent_failures(db, account, account_key, now):
        check(db, client, client_key, now)


def strike_pair(
    db: Session,
    account: ThrottlePolicy,
    account_key: str,
    client: ThrottlePolicy,
    client_key: str,
    now: datetime | None = None,
) -> None:
    """Count one failure against the account and against its address (when known)."""
    now = now_or(now)
    strike(db, account, account_key, now)
    if client_key:
        strike(db, client, client_key, now)
