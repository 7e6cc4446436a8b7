"""Pushed live updates (issue 16): which topics a change bumps, and who may follow which topic."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.models import LiveVersion, PortalAccess
from app.services import access_codes, live_versions, sessions
from app.services.errors import PermissionDenied
from app.services.live_versions import calendar_topic, office_topic, user_topic
from app.services.scheduling.calendar_changes import bump_calendar
from app.services.team import invitations, members
from app.settings import Settings
from tests.factories import make_user
from tests.world import World


def version(db: Session, topic: str) -> int:
    return live_versions.versions(db, {topic})[topic]


# --- following: what an actor may follow --------------------------------------------------


def test_a_member_follows_the_calendar_of_their_office(world: World) -> None:
    for actor in (world.maple.owner, world.maple.practitioner, world.maple.staff):
        assert live_versions.calendar_topics(world.db, actor, world.maple.office_id) == {
            calendar_topic(world.maple.office_id): 0
        }


def test_nobody_follows_the_calendar_of_an_office_they_are_not_in(world: World) -> None:
    """A hand-made event cannot subscribe a tab to another office's calendar."""
    with pytest.raises(PermissionDenied):
        live_versions.calendar_topics(world.db, world.birch.owner, world.maple.office_id)
    with pytest.raises(PermissionDenied):
        live_versions.calendar_topics(world.db, world.actor(world.parent), world.maple.office_id)
    with pytest.raises(PermissionDenied):
        live_versions.calendar_topics(world.db, world.maple.owner, 0)
    with pytest.raises(PermissionDenied):
        live_versions.calendar_topics(world.db, world.maple.owner, 10_000)


def test_a_removed_member_no_longer_follows_the_calendar(world: World) -> None:
    members.remove_member(world.db, world.maple.owner, world.maple.office_id, world.maple.staff.user_id)
    world.db.commit()
    with pytest.raises(PermissionDenied):
        live_versions.calendar_topics(world.db, world.maple.staff, world.maple.office_id)


def test_every_page_follows_the_account_and_its_own_offices_only(world: World) -> None:
    topics = live_versions.page_topics(world.db, world.maple.staff)
    assert set(topics) == {user_topic(world.maple.staff.user_id), office_topic(world.maple.office_id)}
    parent = world.actor(world.parent)
    assert set(live_versions.page_topics(world.db, parent)) == {user_topic(parent.user_id)}


# --- bumping: each change moves its topics ---------------------------------------------------


def test_a_schedule_change_moves_the_office_calendar_and_nothing_else(world: World) -> None:
    db, maple, birch = world.db, world.maple.office_id, world.birch.office_id
    before = live_versions.versions(db, {calendar_topic(maple), calendar_topic(birch), office_topic(maple)})
    world.set_hours(world.maple, world.maple.practitioner)  # a real change through a service
    bump_calendar(db, maple)
    db.commit()
    after = live_versions.versions(db, set(before))
    assert after[calendar_topic(maple)] == before[calendar_topic(maple)] + 2
    assert after[calendar_topic(birch)] == before[calendar_topic(birch)]
    assert after[office_topic(maple)] == before[office_topic(maple)]


def test_removing_a_member_moves_the_office_topic(world: World) -> None:
    topic = office_topic(world.maple.office_id)
    before = version(world.db, topic)
    members.remove_member(world.db, world.maple.owner, world.maple.office_id, world.maple.staff.user_id)
    world.db.commit()
    assert version(world.db, topic) == before + 1


def test_an_invitation_moves_the_invited_account_topic(world: World, settings: Settings) -> None:
    invitee = make_user(world.db, email="newcomer@example.com")
    world.db.commit()
    topic = user_topic(invitee.id or 0)
    invitation = invitations.invite(
        world.db, settings, world.maple.owner, world.maple.office_id, "Newcomer@Example.com", "staff"
    )
    world.db.commit()
    assert version(world.db, topic) == 1
    invitations.revoke_invitation(world.db, world.maple.owner, invitation.id or 0)
    world.db.commit()
    assert version(world.db, topic) == 2


def test_an_invitation_to_an_address_without_account_moves_nothing(world: World, settings: Settings) -> None:
    before = world.db.exec(select(LiveVersion)).all()
    invitations.invite(world.db, settings, world.maple.owner, world.maple.office_id, "nobody@example.com", "staff")
    world.db.commit()
    assert world.db.exec(select(LiveVersion)).all() == before


def test_revoking_a_record_moves_the_holder_topic(world: World) -> None:
    parent = world.actor(world.parent)
    access = world.db.exec(
        select(PortalAccess).where(PortalAccess.user_id == parent.user_id, PortalAccess.patient_id == world.ana.id)
    ).one()
    before = version(world.db, user_topic(parent.user_id))
    access_codes.revoke_access(world.db, world.maple.staff, access.id)
    world.db.commit()
    assert version(world.db, user_topic(parent.user_id)) == before + 1


def test_signing_out_moves_the_account_topic(world: World) -> None:
    staff = world.maple.staff
    before = version(world.db, user_topic(staff.user_id))
    sessions.end(world.db, world.token(staff))
    world.db.commit()
    assert version(world.db, user_topic(staff.user_id)) == before + 1


def test_a_rolled_back_change_moves_nothing(world: World) -> None:
    topic = office_topic(world.maple.office_id)
    before = version(world.db, topic)
    members.remove_member(world.db, world.maple.owner, world.maple.office_id, world.maple.staff.user_id)
    world.db.rollback()
    assert version(world.db, topic) == before


def test_versions_of_topics_never_bumped_are_zero(db: Session) -> None:
    assert live_versions.versions(db, {"calendar:404", "user:404"}) == {"calendar:404": 0, "user:404": 0}
    assert live_versions.versions(db, set()) == {}


def test_many_topics_are_read_in_a_few_queries(db: Session) -> None:
    topics = {f"user:{i}" for i in range(live_versions.MAX_TOPICS_PER_READ * 2 + 7)}
    for topic in ("user:3", "user:900"):
        live_versions.bump(db, topic)
    db.commit()
    found = live_versions.versions(db, topics)
    assert len(found) == len(topics)
    assert found["user:3"] == 1 and found["user:900"] == 1 and found["user:4"] == 0


def test_seconds_until_idle_follow_the_session(world: World) -> None:
    staff = world.maple.staff
    left = sessions.seconds_until_idle(world.db, staff)
    assert 0 < left <= sessions.IDLE_TIMEOUT.total_seconds()
    sessions.end(world.db, world.token(staff))
    world.db.commit()
    assert sessions.seconds_until_idle(world.db, staff) == 0
