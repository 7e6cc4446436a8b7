"""Sign-up knows where you came from, and an empty account may change its kind (issue 14 item 4)."""

from __future__ import annotations

import pytest

from app.models import AccountKind, User
from app.services.accounts import kind as account_kind
from app.services.errors import Invalid, PermissionDenied
from tests.factories import make_user, sign_in_as
from tests.world import World


@pytest.mark.parametrize(
    ("kind", "next_path", "chosen"),
    [
        ("", "", "practitioner"),
        ("patient", "", "patient"),
        ("practitioner", "/book/3", "practitioner"),  # the link's word wins
        ("", "/book/3?service=1&day=2026-11-25", "patient"),
        ("", "/portal", "patient"),
        ("", "/portal/appointments", "patient"),
        ("", "/portal/redeem?code=apple-brick-cloud-delta", "patient"),  # the QR sheet's link
        ("", "/clinic/calendar", "practitioner"),
        ("", "/portalx", "patient"),
        ("owner", "/clinic", "practitioner"),  # an unknown word is ignored
        ("staff", "/book/1", "patient"),
    ],
)
def test_sign_up_preselects_patient_for_those_coming_from_a_patient_page(
    kind: str, next_path: str, chosen: str
) -> None:
    assert account_kind.sign_up_kind(kind, next_path) == chosen


def test_an_empty_account_switches_its_kind_both_ways(world: World) -> None:
    actor, _ = sign_in_as(world.db, make_user(world.db, "new@example.com", AccountKind.practitioner))
    assert account_kind.may_switch_kind(world.db, actor)
    assert account_kind.switch_kind(world.db, actor, "patient") == AccountKind.patient
    world.db.commit()
    assert world.db.get(User, actor.user_id).kind == AccountKind.patient  # type: ignore[union-attr]
    assert account_kind.switch_kind(world.db, actor, "practitioner") == AccountKind.practitioner
    world.db.commit()
    user = world.db.get(User, actor.user_id)
    assert user.kind == AccountKind.practitioner and user.share_pin  # type: ignore[union-attr]
    assert [e.action for e in world.audit_since_built("account.kind-changed")] == ["account.kind-changed"] * 2


@pytest.mark.parametrize("wanted", ["staff", "owner", "", None, ["patient"], 1])
def test_only_practitioner_or_patient_may_be_chosen(world: World, wanted: object) -> None:
    actor, _ = sign_in_as(world.db, make_user(world.db, "new@example.com", AccountKind.patient))
    with pytest.raises(Invalid):
        account_kind.switch_kind(world.db, actor, wanted)


def test_an_account_of_an_office_or_holding_records_keeps_its_kind(world: World) -> None:
    for actor in (world.maple.owner, world.maple.staff, world.maple.practitioner, world.actor(world.parent)):
        assert not account_kind.may_switch_kind(world.db, actor)
        with pytest.raises(PermissionDenied) as refused:
            account_kind.switch_kind(world.db, actor, "patient" if actor.is_clinic else "practitioner")
        assert refused.value.message == account_kind.NOT_NOW
    world.db.rollback()
    assert world.db.get(User, world.parent.user_id).kind == AccountKind.patient  # type: ignore[union-attr]
    assert world.audit_since_built("account.kind-changed") == []


def test_an_account_that_booked_online_keeps_its_kind(world: World) -> None:
    from datetime import UTC, datetime

    from app.services.scheduling import online_booking

    service = world.add_service(world.maple, "Check-up", 30, world.maple.owner)
    world.set_hours(world.maple, world.maple.owner)
    world.set_booking_options(world.maple)
    stranger = world.actor(world.stranger)
    assert account_kind.may_switch_kind(world.db, stranger)
    online_booking.book_online(
        world.db,
        world.settings,
        stranger,
        world.maple.office_id,
        service_id=service.id,  # type: ignore[arg-type]
        practitioner_id=None,
        starts_at=datetime(2026, 11, 25, 15, tzinfo=UTC),
        now=datetime(2026, 11, 23, 14, tzinfo=UTC),
    )
    world.db.commit()
    assert not account_kind.may_switch_kind(world.db, stranger)
