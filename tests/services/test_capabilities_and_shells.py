"""What the pages show comes from one answer: `permissions.capabilities`, carried by the clinic shell;
the portal's frame comes from `portal.portal_shell` (issue 10, item 5).

The expected flags are written out by hand per role, and each is also checked against
`permissions.can` (what the services enforce), so the page can never offer what the service refuses.
"""

from __future__ import annotations

import dataclasses

import pytest

from app.models import Office
from app.services import offices, permissions, portal
from app.services.actor import Actor
from app.services.errors import PermissionDenied, TwoFactorRequired
from app.services.permissions import Capabilities, OfficeAction
from tests.world import World

EVERYTHING = {action.value for action in OfficeAction}
PRACTITIONER = EVERYTHING - {"edit_office", "manage_team", "view_audit_log"}
STAFF = {
    "view_office",
    "view_schedule",
    "manage_schedule",
    "view_patients",
    "edit_demographics",
    "manage_access_codes",
    "manage_documents",
    "administer_forms",  # the front desk assigns forms and reads its patients' submissions (issue 13)
}


def flags_on(can: Capabilities) -> set[str]:
    return {name for name, value in dataclasses.asdict(can).items() if value}


def test_there_is_a_flag_for_every_office_action_and_for_creating_an_office() -> None:
    names = {f.name for f in dataclasses.fields(Capabilities)}
    assert names == EVERYTHING | {"create_office"}
    assert flags_on(Capabilities()) == set()  # all off until the shell says otherwise


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("owner", EVERYTHING | {"create_office"}),
        ("practitioner", PRACTITIONER | {"create_office"}),
        ("staff", STAFF),  # a staff account creates no office, and sees no charts or team management
    ],
)
def test_each_role_may_do_what_its_row_of_the_table_says(world: World, who: str, expected: set[str]) -> None:
    actor: Actor = getattr(world.maple, who)
    can = permissions.capabilities(world.db, actor, world.maple.office_id)
    assert flags_on(can) == expected
    for action in OfficeAction:  # and exactly what the services will allow
        assert getattr(can, action.value) == permissions.can(world.db, actor, world.maple.office_id, action)


def test_another_office_no_office_and_portal_accounts_may_do_nothing_there(world: World) -> None:
    maple = world.maple.office_id
    assert flags_on(permissions.capabilities(world.db, world.birch.owner, maple)) == {"create_office"}
    assert flags_on(permissions.capabilities(world.db, world.maple.owner, None)) == {"create_office"}
    assert flags_on(permissions.capabilities(world.db, world.maple.staff, None)) == set()
    assert flags_on(permissions.capabilities(world.db, world.actor(world.parent), maple)) == set()
    assert flags_on(permissions.capabilities(world.db, world.maple.owner, 987_654)) == {"create_office"}


def test_a_member_without_the_required_two_factor_sign_in_may_do_nothing_in_that_office(world: World) -> None:
    office = world.db.get(Office, world.maple.office_id)
    assert office is not None
    office.require_two_factor = True
    world.db.add(office)
    world.db.commit()
    for actor in (world.maple.owner, world.maple.practitioner, world.maple.staff):
        assert flags_on(permissions.capabilities(world.db, actor, world.maple.office_id)) <= {"create_office"}
    with pytest.raises(TwoFactorRequired) as refused:
        offices.clinic_shell(world.db, world.maple.staff)
    assert "Maple Street Clinic requires two-factor sign-in" in refused.value.message


def test_only_a_practitioner_account_may_create_an_office(world: World) -> None:
    permissions.require_office_creator(world.maple.practitioner)
    for actor in (world.maple.staff, world.actor(world.parent)):
        with pytest.raises(PermissionDenied):
            permissions.require_office_creator(actor)
    with pytest.raises(PermissionDenied) as refused:
        offices.create_office(
            world.db, world.maple.staff, offices.OfficeInput("Desk Clinic", "1 Main St", "+1 416 555 0100", "UTC")
        )
    assert refused.value.message == permissions.ONLY_PRACTITIONERS_CREATE


def test_the_clinic_shell_is_the_offices_the_current_one_and_what_may_be_done_there(world: World) -> None:
    shell = offices.clinic_shell(world.db, world.maple.staff)
    assert [(o.name, o.role.value, o.time_zone) for o in shell.offices] == [
        ("Maple Street Clinic", "staff", "America/Toronto")
    ]
    assert shell.current is not None and shell.office_id == world.maple.office_id
    assert flags_on(shell.can) == STAFF
    owner = offices.clinic_shell(world.db, world.maple.owner)
    assert owner.can.edit_office and owner.can.manage_team and owner.can.create_office


def test_the_clinic_shell_of_someone_in_no_office_and_of_a_portal_account(world: World) -> None:
    from tests.factories import make_user, sign_in_as

    newcomer, _ = sign_in_as(world.db, make_user(world.db, email="new@example.com", full_name="Nia New"))
    shell = offices.clinic_shell(world.db, newcomer)
    assert shell.offices == [] and shell.current is None and shell.office_id == 0
    assert flags_on(shell.can) == {"create_office"}
    with pytest.raises(PermissionDenied):
        offices.clinic_shell(world.db, world.actor(world.parent))


def test_the_portal_shell_is_the_held_records_and_the_one_shown(world: World) -> None:
    parent = world.actor(world.parent)
    shell = portal.portal_shell(world.db, parent)
    assert [r.name for r in shell.records] == ["Ana Souza", "Ben Souza"]
    assert shell.current == world.ben.id and not shell.several_clinics  # the record unlocked last
    portal.choose_record(world.db, parent, world.ana.id)  # type: ignore[arg-type]
    world.db.commit()
    assert portal.portal_shell(world.db, world.actor(world.parent)).current == world.ana.id
    with pytest.raises(PermissionDenied):
        portal.portal_shell(world.db, world.maple.staff)
    stranger = portal.portal_shell(world.db, world.actor(world.stranger))
    assert stranger.records == [] and stranger.current is None
