"""Invite by e-mail (issue 14 item 7): an access code that leaves as a single-use link."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from app.models import AccessCode, OutboxMessage, PortalAccess
from app.services import access_codes, portal_invitations
from app.services.errors import AuthenticationFailed, Invalid, NotFound, PermissionDenied
from app.settings import Settings
from tests.world import World

NOW = datetime.now(UTC).replace(microsecond=0)


def invite(world: World, settings: Settings, email: str = "ana.family@example.com", actor=None) -> OutboxMessage:  # type: ignore[no-untyped-def]
    patient = world.add_patient(world.maple, "Ana", email="ana@example.com")
    portal_invitations.invite_by_email(world.db, settings, actor or world.maple.staff, patient.id, email, now=NOW)  # type: ignore[arg-type]
    world.db.commit()
    [mail] = world.new_rows(OutboxMessage)
    return mail


def link_code(mail: OutboxMessage) -> str:
    match = re.search(r"/portal/redeem\?code=([a-z-]+)", mail.body_text)
    assert match, mail.body_text
    return match.group(1)


def test_the_invitation_mails_a_link_that_unlocks_the_record_once(
    db: Session, settings: Settings, world: World
) -> None:
    mail = invite(world, settings)
    assert mail.to_address == "ana.family@example.com"
    assert "portal invitation" in mail.subject and "Ana Smith" in mail.body_text
    assert f"{settings.base_url}/portal/redeem?code=" in mail.body_text
    code = link_code(mail)
    # Only a keyed hash is kept; the mail is the only place the code exists.
    [row] = world.new_rows(AccessCode)
    assert code not in (row.code_hash or "") and row.expires_at == NOW + timedelta(days=5)
    [entry] = world.audit_since_built("access-code.emailed")
    assert json.loads(entry.detail) == {"to": "ana.family@example.com"}
    assert world.audit_since_built("access-code.generated") == []  # one action, one entry

    family = world.actor(world.parent)
    patient = access_codes.redeem(db, settings, family, code, now=NOW + timedelta(days=1))
    db.commit()
    assert db.exec(select(PortalAccess).where(PortalAccess.patient_id == patient.id)).first() is not None
    with pytest.raises(AuthenticationFailed):
        access_codes.redeem(db, settings, family, code, now=NOW + timedelta(days=1))


def test_an_invitation_is_listed_with_the_unused_codes_and_can_be_revoked(
    db: Session, settings: Settings, world: World
) -> None:
    mail = invite(world, settings)
    [row] = world.new_rows(AccessCode)
    [listed] = access_codes.unused_codes(db, world.maple.staff, row.patient_id, now=NOW)
    assert listed.id == row.id
    access_codes.revoke_code(db, world.maple.staff, row.id, now=NOW)  # type: ignore[arg-type]
    db.commit()
    with pytest.raises(AuthenticationFailed):
        access_codes.redeem(db, settings, world.actor(world.parent), link_code(mail), now=NOW)


def test_an_expired_invitation_no_longer_works(db: Session, settings: Settings, world: World) -> None:
    mail = invite(world, settings)
    with pytest.raises(AuthenticationFailed):
        access_codes.redeem(
            db, settings, world.actor(world.parent), link_code(mail), now=NOW + timedelta(days=5, seconds=1)
        )


@pytest.mark.parametrize("typed", ["", "   ", "not an address", "a@b", "x" * 250 + "@example.com"])
def test_a_bad_address_is_refused_beside_the_field_and_nothing_is_made(
    db: Session, settings: Settings, world: World, typed: str
) -> None:
    patient = world.add_patient(world.maple, "Ana")
    with pytest.raises(Invalid) as refused:
        portal_invitations.invite_by_email(db, settings, world.maple.staff, patient.id, typed, now=NOW)  # type: ignore[arg-type]
    assert refused.value.field == portal_invitations.FIELD
    db.rollback()
    assert world.count_new(AccessCode) == 0 and world.count_new(OutboxMessage) == 0


def test_only_the_records_office_may_invite(db: Session, settings: Settings, world: World) -> None:
    patient = world.add_patient(world.maple, "Ana")
    for refused in (world.birch.staff, world.birch.owner, world.actor(world.parent)):
        with pytest.raises((NotFound, PermissionDenied)):
            portal_invitations.invite_by_email(db, settings, refused, patient.id, "x@example.com", now=NOW)  # type: ignore[arg-type]
        db.rollback()
    with pytest.raises(NotFound):
        portal_invitations.invite_by_email(db, settings, world.maple.staff, 999_999, "x@example.com", now=NOW)
    db.rollback()
    assert world.count_new(AccessCode) == 0 and world.count_new(OutboxMessage) == 0
