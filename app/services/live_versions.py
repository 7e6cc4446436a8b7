"""Topics that open pages follow, and their version counters (pushed live updates, app/live/).

A change bumps its topic in the same transaction (so a rolled-back change bumps nothing):

- `calendar:<office>`: an appointment, time off or working hours of the office (services/scheduling);
- `office:<office>`: who belongs to the office or what it requires of them (a member removed,
  ownership handed over, two-factor sign-in required);
- `user:<user>`: what one account sees on every page (an invitation to its address, its sessions
  ended, a family record's access revoked, an invitation answered in another tab).

Each app worker reads the versions of the topics its connected tabs follow, one query about
twice a second (app/live/watcher.py), and asks the tabs whose topic moved to re-check. Which
topics a tab may follow is decided here, with the actor, when the page subscribes; what a tab
then reloads is authorised again by the handler it runs.
"""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select, update

from app.models import LiveVersion, Membership, User
from app.services.actor import Actor
from app.services.errors import PermissionDenied
from app.services.permissions import OfficeAction, can

MAX_TOPICS_PER_READ = 500  # a worker's read is split into queries of this many topics


def calendar_topic(office_id: int) -> str:
    return f"calendar:{office_id}"


def office_topic(office_id: int) -> str:
    return f"office:{office_id}"


def user_topic(user_id: int) -> str:
    return f"user:{user_id}"


def bump(db: Session, topic: str) -> None:
    """Tell every page following the topic that it changed (when this transaction commits)."""
    insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.execute(insert(LiveVersion).values(topic=topic, version=0).on_conflict_do_nothing())
    db.exec(update(LiveVersion).where(col(LiveVersion.topic) == topic).values(version=LiveVersion.version + 1))


def bump_user(db: Session, user_id: int | None) -> None:
    if user_id:
        bump(db, user_topic(user_id))


def bump_address(db: Session, email_normalized: str) -> None:
    """The account with this address, if there is one (an invitation names an address)."""
    user_id = db.exec(select(User.id).where(User.email_normalized == email_normalized)).first()
    bump_user(db, user_id)


def versions(db: Session, topics: set[str] | frozenset[str]) -> dict[str, int]:
    """The current version of each topic (0 for a topic never bumped)."""
    found = dict.fromkeys(topics, 0)
    ordered = sorted(topics)
    for start in range(0, len(ordered), MAX_TOPICS_PER_READ):
        chunk = ordered[start : start + MAX_TOPICS_PER_READ]
        rows = db.exec(select(LiveVersion.topic, LiveVersion.version).where(col(LiveVersion.topic).in_(chunk))).all()
        found.update(dict(rows))
    return found


def page_topics(db: Session, actor: Actor) -> dict[str, int]:
    """What every signed-in tab follows, with the current versions: the account's own topic, and
    (clinic accounts) the topic of each office it belongs to, whichever office the page shows."""
    topics = {user_topic(actor.user_id)}
    if actor.is_clinic:
        offices = db.exec(select(Membership.office_id).where(Membership.user_id == actor.user_id)).all()
        topics.update(office_topic(office_id) for office_id in offices)
    return versions(db, topics)


def calendar_topics(db: Session, actor: Actor, office_id: int) -> dict[str, int]:
    """The calendar of an office, for one who may see its schedule; anyone else is refused."""
    if not office_id or not actor.is_clinic or not can(db, actor, office_id, OfficeAction.view_schedule):
        raise PermissionDenied()
    return versions(db, {calendar_topic(office_id)})
