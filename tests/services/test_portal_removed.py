"""The portal says kindly when the clinic removed a record from the account (issue 14 item 9): the
record being looked at, on the next page; every record removed lately, on the overview; and an
action on a removed record says what happened. Nobody else learns anything."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from app.services import access_codes, portal
from app.services.errors import NotFound, PermissionDenied
from app.services.portal_removed import REMEMBERED
from tests.world import NOW, World


def revoke(world: World, db: Session, patient_id: int | None) -> None:
    assert patient_id is not None
    holders = access_codes.holders(db, world.maple.staff, patient_id)
    access = next(h.access_id for h in holders if h.email == "parent@family.test")
    access_codes.revoke_access(db, world.maple.staff, access, now=NOW)
    db.commit()


def look_at(world: World, db: Session, patient_id: int | None) -> None:
    """The family record switcher: the account chooses whose records it sees."""
    portal.choose_record(db, world.actor(world.parent), patient_id or 0)
    db.commit()


def test_the_record_being_looked_at_is_said_removed_once_then_listed_on_the_overview(world: World, db: Session) -> None:
    look_at(world, db, world.ana.id)
    first = portal.portal_shell(db, world.actor(world.parent), now=NOW)
    assert first.current == world.ana.id and first.removed == [] and first.just_removed is None
    revoke(world, db, world.ana.id)
    shell = portal.portal_shell(db, world.actor(world.parent), now=NOW)
    assert [r.name for r in shell.records] == ["Ben Souza"] and shell.current == world.ben.id
    assert shell.just_removed is not None
    message = shell.just_removed.message
    assert message.startswith("Maple Street Clinic removed Ana Souza's record from your portal on ")
    assert "call Maple Street Clinic at" in message
    # Said once: the account now looks at Ben; the overview keeps a note for a while.
    again = portal.portal_shell(db, world.actor(world.parent), now=NOW)
    assert again.just_removed is None
    assert [r.name for r in again.removed] == ["Ana Souza"]
    later = portal.portal_shell(db, world.actor(world.parent), now=NOW + REMEMBERED + timedelta(days=1))
    assert later.removed == []


def test_a_record_removed_while_another_is_shown_is_only_listed(world: World, db: Session) -> None:
    look_at(world, db, world.ana.id)
    revoke(world, db, world.ben.id)
    shell = portal.portal_shell(db, world.actor(world.parent), now=NOW)
    assert shell.just_removed is None and shell.current == world.ana.id
    assert [r.name for r in shell.removed] == ["Ben Souza"]


def test_an_action_on_a_removed_record_says_what_happened(world: World, db: Session) -> None:
    revoke(world, db, world.ana.id)
    with pytest.raises(NotFound) as refused:
        portal.choose_record(db, world.actor(world.parent), world.ana.id or 0)
    assert "removed Ana Souza's record from your portal" in refused.value.message
    with pytest.raises(NotFound) as refused:
        portal.propose_changes(db, world.actor(world.parent), world.ana.id, {"phone": "+1 416 555 0100"})
    assert "removed Ana Souza's record" in refused.value.message


def test_nobody_else_learns_about_a_record_they_never_held(world: World, db: Session) -> None:
    revoke(world, db, world.ana.id)
    stranger = world.actor(world.stranger)
    with pytest.raises(NotFound) as refused:
        portal.choose_record(db, stranger, world.ana.id or 0)
    assert refused.value.message == portal.NOT_HELD
    shell = portal.portal_shell(db, stranger, now=NOW)
    assert shell.removed == [] and shell.just_removed is None
    with pytest.raises(PermissionDenied):
        portal.portal_shell(db, world.maple.staff, now=NOW)


def test_a_record_unlocked_again_is_no_longer_said_removed(world: World, db: Session) -> None:
    revoke(world, db, world.ana.id)
    world.give(world.maple, world.ana, world.parent)
    shell = portal.portal_shell(db, world.actor(world.parent), now=NOW)
    assert "Ana Souza" in [r.name for r in shell.records]
    assert shell.removed == [] and shell.just_removed is None
