"""Medical Records Access Codes (SPEC §4, issue 4): generating, hashing, redeeming, throttling, revoking."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlmodel import Session, SQLModel, func, select

from app.db import fail
from app.models import (
    AccessCode,
    AccountKind,
    AuditEntry,
    Patient,
    PortalAccess,
    Throttle,
)
from app.services import access_codes, portal, sessions
from app.services.actor import Actor
from app.services.errors import AuthenticationFailed, NotFound, PermissionDenied, Throttled
from app.services.patients import records, search
from app.services.patients.records import PatientInput
from app.services.tokens import keyed_hash
from app.settings import Settings
from tests.factories import make_user, sign_in_as
from tests.world import Team, World

NOW = datetime.now(UTC).replace(microsecond=0)
CLIENT = "203.0.113.9"
FIVE_DAYS = timedelta(days=5)


# --- helpers -----------------------------------------------------------------


def add_patient(world: World, team: Team, first: str = "Ana", last: str = "Smith") -> Patient:
    patient = records.create_patient(world.db, team.staff, team.office_id, PatientInput(first, last), now=NOW)
    world.db.commit()
    return patient


def portal_account(db: Session, email: str, name: str = "Pat Parent") -> tuple[Actor, str]:
    return sign_in_as(db, make_user(db, email=email, kind=AccountKind.patient, full_name=name))


def generate(
    db: Session, settings: Settings, actor: Actor, patient: Patient, now: datetime = NOW
) -> access_codes.GeneratedCode:
    generated = access_codes.generate(db, settings, actor, patient.id, now=now)  # type: ignore[arg-type]
    db.commit()
    return generated


def redeem(db: Session, settings: Settings, actor: Actor, code: str, now: datetime = NOW) -> Patient:
    patient = access_codes.redeem(db, settings, actor, code, now=now)
    db.commit()
    return patient


def failed_redeem(db: Session, settings: Settings, actor: Actor, code: str, now: datetime = NOW) -> str:
    """A redeem that must fail as AuthenticationFailed; its throttle strikes are kept (keep_on_failure)."""
    with pytest.raises(AuthenticationFailed) as caught:
        access_codes.redeem(db, settings, actor, code, now=now)
    fail(db)
    assert caught.value.field == "code"
    return caught.value.message


def throttled_redeem(db: Session, settings: Settings, actor: Actor, code: str, now: datetime = NOW) -> None:
    with pytest.raises(Throttled):
        access_codes.redeem(db, settings, actor, code, now=now)
    db.rollback()


def wrong_code(index: int = 0) -> str:
    words = access_codes.word_list()
    return "-".join(words[(index * 4 + k) % 2048] for k in range(4))


def code_row(db: Session, access_code_id: int) -> AccessCode:
    db.expire_all()
    row = db.get(AccessCode, access_code_id)
    assert row is not None
    return row


def count(db: Session, model: type, *where) -> int:  # type: ignore[no-untyped-def]
    return db.exec(select(func.count()).select_from(model).where(*where)).one()


# --- the word list and the code ----------------------------------------------


def test_word_list_has_2048_unique_lowercase_words() -> None:
    words = access_codes.word_list()
    assert len(words) == 2048
    assert len(set(words)) == 2048
    assert all(word.isalpha() and word == word.lower() for word in words)
    assert not any(word.startswith("#") for word in words)


def test_normalize_code() -> None:
    assert access_codes.normalize_code("apple-banana-cherry-dog") == "apple-banana-cherry-dog"
    assert access_codes.normalize_code("  Apple BANANA  cherry\tDog ") == "apple-banana-cherry-dog"
    assert access_codes.normalize_code("apple, banana,cherry - dog") == "apple-banana-cherry-dog"
    assert access_codes.normalize_code("apple--banana") == "apple-banana"


def test_generate_returns_four_listed_words_valid_five_days(db: Session, settings: Settings, world: World) -> None:
    patient = add_patient(world, world.maple)
    generated = generate(db, settings, world.maple.staff, patient)
    words = generated.code.split("-")
    assert len(words) == 4
    assert set(words) <= set(access_codes.word_list())
    assert generated.expires_at == NOW + FIVE_DAYS
    assert generated.patient_name == "Ana Smith"
    assert generated.office_name == "Maple Street Clinic"
    assert generated.redeem_url == f"http://praxis.test/portal/redeem?code={generated.code}"
    row = code_row(db, generated.access_code_id)
    assert row.created_by_user_id == world.maple.staff.user_id
    assert (row.office_id, row.patient_id) == (world.maple.office_id, patient.id)
    assert (row.created_at, row.expires_at, row.used_at, row.revoked_at) == (NOW, NOW + FIVE_DAYS, None, None)
    listed = access_codes.unused_codes(db, world.maple.staff, patient.id, now=NOW)  # type: ignore[arg-type]
    assert [(c.id, c.expires_at) for c in listed] == [(generated.access_code_id, NOW + FIVE_DAYS)]
    [entry] = world.audit_since_built("access-code.generated")
    assert (entry.actor_user_id, entry.patient_id, entry.target_id) == (
        world.maple.staff.user_id,
        patient.id,
        generated.access_code_id,
    )


def test_codes_are_random(db: Session, settings: Settings, world: World) -> None:
    patient = add_patient(world, world.maple)
    codes = {generate(db, settings, world.maple.staff, patient).code for _ in range(5)}
    assert len(codes) == 5


def test_only_a_keyed_hash_of_the_code_is_stored(db: Session, settings: Settings, world: World) -> None:
    patient = add_patient(world, world.maple)
    generated = generate(db, settings, world.maple.staff, patient)
    code, words = generated.code, generated.code.split("-")
    row = code_row(db, generated.access_code_id)
    assert row.code_hash == keyed_hash(settings.secret_key, code)
    assert row.code_hash != hashlib.sha256(code.encode()).hexdigest()  # keyed, not a plain hash
    assert row.code_hash != keyed_hash(b"another-key", code)
    # Neither the code nor any of its words is in the access_codes row.
    raw = db.execute(text("SELECT * FROM access_codes WHERE id > :mark"), {"mark": world.id_marks["access_codes"]})
    raw = raw.mappings().all()
    assert len(raw) == 1 and raw[0]["id"] == generated.access_code_id
    stored = " ".join(str(value) for value in raw[0].values()).lower()
    for word in [code, " ".join(words), *words]:
        assert word not in stored
    # Nor is the code anywhere in the database.
    for table in SQLModel.metadata.sorted_tables:
        for values in db.execute(text(f'SELECT * FROM "{table.name}"')).all():
            dumped = " ".join(str(value) for value in values).lower()
            assert code not in dumped, table.name
            assert " ".join(words) not in dumped, table.name


# --- redeeming ---------------------------------------------------------------


def test_a_code_works_once(db: Session, settings: Settings, world: World) -> None:
    patient = add_patient(world, world.maple)
    generated = generate(db, settings, world.maple.staff, patient)
    parent, _ = portal_account(db, "parent@example.com")
    other, _ = portal_account(db, "other@example.com")
    unlocked = redeem(db, settings, parent, generated.code, now=NOW + timedelta(hours=1))
    assert unlocked.id == patient.id
    row = code_row(db, generated.access_code_id)
    assert (row.used_at, row.used_by_user_id) == (NOW + timedelta(hours=1), parent.user_id)
    [access] = world.new_rows(PortalAccess)
    assert (access.user_id, access.patient_id, access.office_id, access.access_code_id) == (
        parent.user_id,
        patient.id,
        world.maple.office_id,
        generated.access_code_id,
    )
    assert access.revoked_at is None
    assert len(world.audit_since_built("access-code.redeemed")) == 1
    # A second redeem, by another account or by the same one, fails with the generic message.
    assert failed_redeem(db, settings, other, generated.code) == access_codes.REDEEM_FAILED
    assert failed_redeem(db, settings, parent, generated.code) == access_codes.REDEEM_FAILED
    assert world.count_new(PortalAccess, PortalAccess.user_id == other.user_id) == 0
    assert world.count_new(PortalAccess) == 1
    assert code_row(db, generated.access_code_id).used_by_user_id == parent.user_id
    assert access_codes.unused_codes(db, world.maple.staff, patient.id, now=NOW) == []  # type: ignore[arg-type]


def test_redeem_makes_the_record_the_current_one(db: Session, settings: Settings, world: World) -> None:
    patient = add_patient(world, world.maple)
    generated = generate(db, settings, world.maple.staff, patient)
    parent, token = portal_account(db, "parent@example.com")
    redeem(db, settings, parent, generated.code)
    fresh = sessions.resolve(db, token, CLIENT)
    db.commit()
    assert fresh is not None and fresh.current_patient_id == patient.id
    assert [r.patient_id for r in portal.held_records(db, fresh)] == [patient.id]


def test_expired_revoked_used_and_wrong_codes_fail_with_the_same_message(
    db: Session, settings: Settings, world: World
) -> None:
    patient = add_patient(world, world.maple)
    messages = {}

    wrong_actor, _ = portal_account(db, "wrong@example.com")
    messages["wrong"] = failed_redeem(db, settings, wrong_actor, wrong_code())
    messages["garbage"] = failed_redeem(db, settings, wrong_actor, "not even words")

    expired = generate(db, settings, world.maple.staff, patient)
    expired_actor, _ = portal_account(db, "expired@example.com")
    just_after = NOW + FIVE_DAYS + timedelta(seconds=1)
    messages["expired"] = failed_redeem(db, settings, expired_actor, expired.code, now=just_after)
    messages["expired-exactly"] = failed_redeem(db, settings, expired_actor, expired.code, now=NOW + FIVE_DAYS)

    revoked = generate(db, settings, world.maple.staff, patient)
    access_codes.revoke_code(db, world.maple.staff, revoked.access_code_id, now=NOW + timedelta(minutes=1))
    db.commit()
    revoked_actor, _ = portal_account(db, "revoked@example.com")
    messages["revoked"] = failed_redeem(db, settings, revoked_actor, revoked.code, now=NOW + timedelta(minutes=2))

    used = generate(db, settings, world.maple.staff, patient)
    first, _ = portal_account(db, "first@example.com")
    redeem(db, settings, first, used.code)
    used_actor, _ = portal_account(db, "used@example.com")
    messages["used"] = failed_redeem(db, settings, used_actor, used.code)

    assert set(messages.values()) == {access_codes.REDEEM_FAILED}
    for actor in (wrong_actor, expired_actor, revoked_actor, used_actor):
        assert world.count_new(PortalAccess, PortalAccess.user_id == actor.user_id) == 0
    assert code_row(db, expired.access_code_id).used_at is None
    assert code_row(db, revoked.access_code_id).used_at is None
    assert len(world.audit_since_built("access-code.redeem-failed")) == 6


def test_a_code_still_works_just_before_it_expires(db: Session, settings: Settings, world: World) -> None:
    patient = add_patient(world, world.maple)
    generated = generate(db, settings, world.maple.staff, patient)
    parent, _ = portal_account(db, "parent@example.com")
    assert redeem(db, settings, parent, generated.code, now=NOW + FIVE_DAYS - timedelta(seconds=1)).id == patient.id


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code.upper(),
        lambda code: code.replace("-", " "),
        lambda code: "  " + code.upper().replace("-", "   ") + "  ",
        lambda code: code.title().replace("-", ", "),
    ],
)
def test_the_code_may_be_typed_loosely(db: Session, settings: Settings, world: World, typed) -> None:  # type: ignore[no-untyped-def]
    patient = add_patient(world, world.maple)
    generated = generate(db, settings, world.maple.staff, patient)
    parent, _ = portal_account(db, "parent@example.com")
    assert redeem(db, settings, parent, typed(generated.code)).id == patient.id


# --- throttling ----------------------------------------------------------------


def test_wrong_codes_are_throttled_per_account(db: Session, settings: Settings, world: World) -> None:
    patient = add_patient(world, world.maple)
    generated = generate(db, settings, world.maple.staff, patient)
    guesser, _ = portal_account(db, "guesser@example.com")
    # Every attempt from a different client address: only the account counter can stop the 11th.
    for attempt in range(10):
        actor = replace(guesser, client_ip=f"198.51.100.{attempt}")
        assert failed_redeem(db, settings, actor, wrong_code(attempt), now=NOW + timedelta(minutes=attempt))
    eleventh = replace(guesser, client_ip="198.51.100.200")
    throttled_redeem(db, settings, eleventh, generated.code, now=NOW + timedelta(minutes=10))
    assert code_row(db, generated.access_code_id).used_at is None
    assert world.count_new(PortalAccess) == 0
    # Other accounts on other addresses are not affected.
    neighbour, _ = portal_account(db, "neighbour@example.com")
    neighbour = replace(neighbour, client_ip="192.0.2.1")
    failed_redeem(db, settings, neighbour, wrong_code(99), now=NOW + timedelta(minutes=10))
    # After the hour the right code works again.
    later = NOW + timedelta(minutes=9) + timedelta(hours=1, seconds=1)
    assert redeem(db, settings, eleventh, generated.code, now=later).id == patient.id


def test_nine_wrong_codes_do_not_stop_the_right_one(db: Session, settings: Settings, world: World) -> None:
    patient = add_patient(world, world.maple)
    generated = generate(db, settings, world.maple.staff, patient)
    parent, _ = portal_account(db, "parent@example.com")
    for attempt in range(9):
        failed_redeem(db, settings, parent, wrong_code(attempt))
    assert redeem(db, settings, parent, generated.code).id == patient.id


def fail_from_address(db: Session, settings: Settings, failures: int, prefix: str = "typo") -> list[Actor]:
    """`failures` wrong codes from CLIENT, five per portal account (none of them reaches its own limit)."""
    accounts: list[Actor] = []
    for number in range(failures):
        if number % 5 == 0:
            accounts.append(portal_account(db, f"{prefix}{number // 5}@example.com")[0])
        failed_redeem(db, settings, accounts[-1], wrong_code(number))
    return accounts


def test_the_address_allows_49_failures_an_hour(db: Session, settings: Settings, world: World) -> None:
    patient = add_patient(world, world.maple)
    generated = generate(db, settings, world.maple.staff, patient)
    accounts = fail_from_address(db, settings, access_codes.REDEEM_CLIENT.free_failures - 1)
    # Even an account that typed wrong codes from there gets its right code in.
    assert access_codes.REDEEM_CLIENT.free_failures == 50
    assert redeem(db, settings, accounts[0], generated.code).id == patient.id


def test_a_blocked_address_stops_only_the_accounts_that_failed_there(
    db: Session, settings: Settings, world: World
) -> None:
    patient = add_patient(world, world.maple)
    first, second = (
        generate(db, settings, world.maple.staff, patient),
        generate(db, settings, world.maple.staff, patient),
    )
    accounts = fail_from_address(db, settings, 50)  # ten accounts, five failures each
    # An account with failures of its own is stopped there, right code or wrong, with the same answer
    # (the code is not even looked at), and nothing is written.
    audits = count(db, AuditEntry)
    with pytest.raises(Throttled) as right:
        access_codes.redeem(db, settings, accounts[0], first.code, now=NOW)
    db.rollback()
    with pytest.raises(Throttled) as wrong:
        access_codes.redeem(db, settings, accounts[0], wrong_code(500), now=NOW)
    db.rollback()
    assert right.value.message == wrong.value.message
    assert (code_row(db, first.access_code_id).used_at, world.count_new(PortalAccess), count(db, AuditEntry)) == (
        None,
        0,
        audits,
    )
    # The same account from another address is not stopped by this one.
    assert redeem(db, settings, replace(accounts[0], client_ip="192.0.2.7"), first.code).id == patient.id
    # A patient who has not failed is never refused because of the others: the right code works...
    newcomer, _ = portal_account(db, "newcomer@example.com")
    assert newcomer.client_ip == CLIENT
    assert redeem(db, settings, newcomer, second.code).id == patient.id
    # ...and a wrong one is an ordinary failure, after which that account is stopped there too.
    third = generate(db, settings, world.maple.staff, patient)
    careless, _ = portal_account(db, "careless@example.com")
    failed_redeem(db, settings, careless, wrong_code(600))
    throttled_redeem(db, settings, careless, third.code)


def test_throttled_attempts_are_not_failures(db: Session, settings: Settings, world: World) -> None:
    accounts = fail_from_address(db, settings, 50)
    row = db.exec(select(Throttle).where(Throttle.scope == "access-code:client", Throttle.key == CLIENT)).one()
    assert row.failures == 50 and row.blocked_until is not None
    for _ in range(3):
        throttled_redeem(db, settings, accounts[1], wrong_code(700))
    db.refresh(row)
    assert row.failures == 50


# --- office isolation and who may do what ------------------------------------


def test_a_code_of_one_office_reaches_only_its_patient(db: Session, settings: Settings, world: World) -> None:
    mine = add_patient(world, world.maple, "Ana", "Smith")
    sibling = add_patient(world, world.maple, "Ben", "Smith")
    theirs = add_patient(world, world.birch, "Zed", "Other")
    generated = generate(db, settings, world.maple.staff, mine)
    parent, token = portal_account(db, "parent@example.com")
    redeem(db, settings, parent, generated.code)
    actor = sessions.resolve(db, token, CLIENT)
    db.commit()
    assert actor is not None
    assert [(r.patient_id, r.name, r.office_name) for r in portal.held_records(db, actor)] == [
        (mine.id, "Ana Smith", "Maple Street Clinic")
    ]
    assert portal.profile(db, actor, mine.id).patient_id == mine.id
    db.commit()
    with pytest.raises(NotFound) as missing:
        portal.profile(db, actor, 987_654)
    db.rollback()
    for other in (theirs, sibling):
        with pytest.raises(NotFound) as caught:
            portal.profile(db, actor, other.id)
        db.rollback()
        assert caught.value.message == missing.value.message
        with pytest.raises(NotFound):
            portal.choose_record(db, actor, other.id)  # type: ignore[arg-type]
        db.rollback()
    # Nor do the clinic's own services open up to the portal account.
    with pytest.raises(NotFound):
        records.get_patient(db, actor, theirs.id)  # type: ignore[arg-type]
    db.rollback()
    with pytest.raises(PermissionDenied):
        search.search_patients(db, actor, world.birch.office_id, "")  # type: ignore[arg-type]
    db.rollback()
    assert world.count_new(PortalAccess) == 1


def test_generate_needs_manage_access_codes_in_the_patients_office(
    db: Session, settings: Settings, world: World
) -> None:
    patient = add_patient(world, world.maple)
    for allowed in (world.maple.owner, world.maple.practitioner, world.maple.staff):
        assert generate(db, settings, allowed, patient).code
    assert world.count_new(AccessCode) == 3

    stranger, _ = sign_in_as(db, make_user(db, email="stranger@example.com"))
    patient_account = world.actor(world.parent)  # holds two of the office's records
    for refused in (world.birch.staff, world.birch.owner, stranger, patient_account):
        with pytest.raises((NotFound, PermissionDenied)):
            access_codes.generate(db, settings, refused, patient.id, now=NOW)  # type: ignore[arg-type]
        db.rollback()
    assert world.count_new(AccessCode) == 3
    assert len(world.audit_since_built("access-code.generated")) == 3


def test_staff_of_another_office_cannot_manage_the_portal_access_tab(
    db: Session, settings: Settings, world: World
) -> None:
    patient = add_patient(world, world.maple)
    used = generate(db, settings, world.maple.staff, patient)
    unused = generate(db, settings, world.maple.staff, patient)
    parent, _ = portal_account(db, "parent@example.com")
    redeem(db, settings, parent, used.code)
    [holder] = access_codes.holders(db, world.maple.staff, patient.id)  # type: ignore[arg-type]
    outsider = world.birch.staff
    calls = [
        lambda: access_codes.unused_codes(db, outsider, patient.id, now=NOW),  # type: ignore[arg-type]
        lambda: access_codes.holders(db, outsider, patient.id),  # type: ignore[arg-type]
        lambda: access_codes.revoke_code(db, outsider, unused.access_code_id, now=NOW),
        lambda: access_codes.revoke_access(db, outsider, holder.access_id, now=NOW),
    ]
    for call in calls:
        with pytest.raises(NotFound):
            call()
        db.rollback()
    assert code_row(db, unused.access_code_id).revoked_at is None
    assert [h.access_id for h in access_codes.holders(db, world.maple.staff, patient.id)] == [holder.access_id]  # type: ignore[arg-type]


def test_clinic_accounts_cannot_redeem(db: Session, settings: Settings, world: World) -> None:
    patient = add_patient(world, world.maple)
    generated = generate(db, settings, world.maple.staff, patient)
    for clinic_actor in (world.maple.staff, world.maple.owner):
        with pytest.raises(PermissionDenied):
            access_codes.redeem(db, settings, clinic_actor, generated.code, now=NOW)
        db.rollback()
    row = code_row(db, generated.access_code_id)
    assert (row.used_at, row.used_by_user_id) == (None, None)
    assert world.count_new(PortalAccess) == 0
    # The code is still good for a patient.
    parent, _ = portal_account(db, "parent@example.com")
    assert redeem(db, settings, parent, generated.code).id == patient.id


def test_a_second_code_for_a_record_already_held_is_used_up_without_a_duplicate(
    db: Session, settings: Settings, world: World
) -> None:
    patient = add_patient(world, world.maple)
    first, second = (
        generate(db, settings, world.maple.staff, patient),
        generate(db, settings, world.maple.staff, patient),
    )
    parent, _ = portal_account(db, "parent@example.com")
    redeem(db, settings, parent, first.code)
    assert redeem(db, settings, parent, second.code).id == patient.id
    assert world.count_new(PortalAccess) == 1
    assert code_row(db, second.access_code_id).used_by_user_id == parent.user_id
    assert len(access_codes.holders(db, world.maple.staff, patient.id)) == 1  # type: ignore[arg-type]
    assert access_codes.unused_codes(db, world.maple.staff, patient.id, now=NOW) == []  # type: ignore[arg-type]


# --- holders, revoking ---------------------------------------------------------


def test_holders_and_revoke_access(db: Session, settings: Settings, world: World) -> None:
    patient = add_patient(world, world.maple)
    parent, parent_token = portal_account(db, "parent@example.com", "Pat Parent")
    other, _ = portal_account(db, "other@example.com", "Oli Other")
    assert access_codes.holders(db, world.maple.staff, patient.id) == []  # type: ignore[arg-type]
    redeem(db, settings, parent, generate(db, settings, world.maple.staff, patient).code, now=NOW)
    redeem(db, settings, other, generate(db, settings, world.maple.staff, patient).code, now=NOW + timedelta(minutes=5))
    listed = access_codes.holders(db, world.maple.staff, patient.id)  # type: ignore[arg-type]
    assert [(h.name, h.email, h.granted_at) for h in listed] == [
        ("Pat Parent", "parent@example.com", NOW),
        ("Oli Other", "other@example.com", NOW + timedelta(minutes=5)),
    ]

    access_codes.revoke_access(db, world.maple.staff, listed[0].access_id, now=NOW + timedelta(hours=1))
    db.commit()
    assert [h.email for h in access_codes.holders(db, world.maple.staff, patient.id)] == ["other@example.com"]  # type: ignore[arg-type]
    access = db.get(PortalAccess, listed[0].access_id)
    assert access is not None
    assert (access.revoked_at, access.revoked_by_user_id) == (NOW + timedelta(hours=1), world.maple.staff.user_id)
    [entry] = world.audit_since_built("portal-access.revoked")
    assert (entry.actor_user_id, entry.patient_id, entry.target_id) == (
        world.maple.staff.user_id,
        patient.id,
        listed[0].access_id,
    )
    # Takes effect at once: the parent's next action no longer sees the record.
    actor = sessions.resolve(db, parent_token, CLIENT)
    db.commit()
    assert actor is not None
    assert portal.held_records(db, actor) == []
    assert portal.current_record(db, actor) is None
    db.commit()
    with pytest.raises(NotFound):
        portal.profile(db, actor, patient.id)
    db.rollback()
    # Revoking twice is refused.
    with pytest.raises(NotFound):
        access_codes.revoke_access(db, world.maple.staff, listed[0].access_id, now=NOW)
    db.rollback()
    # A new code gives the record back.
    redeem(db, settings, parent, generate(db, settings, world.maple.staff, patient).code, now=NOW + timedelta(hours=2))
    assert [r.patient_id for r in portal.held_records(db, actor)] == [patient.id]
    assert len(access_codes.holders(db, world.maple.staff, patient.id)) == 2  # type: ignore[arg-type]


def test_revoke_code_makes_an_unused_code_fail(db: Session, settings: Settings, world: World) -> None:
    patient = add_patient(world, world.maple)
    kept = generate(db, settings, world.maple.staff, patient, now=NOW)
    revoked = generate(db, settings, world.maple.staff, patient, now=NOW + timedelta(minutes=1))
    listed = access_codes.unused_codes(db, world.maple.staff, patient.id, now=NOW + timedelta(minutes=2))  # type: ignore[arg-type]
    assert [c.id for c in listed] == [kept.access_code_id, revoked.access_code_id]

    access_codes.revoke_code(db, world.maple.staff, revoked.access_code_id, now=NOW + timedelta(minutes=3))
    db.commit()
    assert code_row(db, revoked.access_code_id).revoked_at == NOW + timedelta(minutes=3)
    listed = access_codes.unused_codes(db, world.maple.staff, patient.id, now=NOW + timedelta(minutes=4))  # type: ignore[arg-type]
    assert [c.id for c in listed] == [kept.access_code_id]
    assert len(world.audit_since_built("access-code.revoked")) == 1

    parent, _ = portal_account(db, "parent@example.com")
    message = failed_redeem(db, settings, parent, revoked.code, now=NOW + timedelta(minutes=5))
    assert message == access_codes.REDEEM_FAILED
    assert world.count_new(PortalAccess) == 0
    assert redeem(db, settings, parent, kept.code, now=NOW + timedelta(minutes=6)).id == patient.id


def test_revoking_a_used_code_changes_nothing(db: Session, settings: Settings, world: World) -> None:
    patient = add_patient(world, world.maple)
    generated = generate(db, settings, world.maple.staff, patient)
    parent, _ = portal_account(db, "parent@example.com")
    redeem(db, settings, parent, generated.code)
    access_codes.revoke_code(db, world.maple.staff, generated.access_code_id, now=NOW + timedelta(minutes=1))
    db.commit()
    assert code_row(db, generated.access_code_id).revoked_at is None
    assert world.audit_since_built("access-code.revoked") == []
    assert len(access_codes.holders(db, world.maple.staff, patient.id)) == 1  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        access_codes.revoke_code(db, world.maple.staff, 987_654, now=NOW)
    db.rollback()


def test_expired_codes_leave_the_unused_list(db: Session, settings: Settings, world: World) -> None:
    patient = add_patient(world, world.maple)
    generated = generate(db, settings, world.maple.staff, patient)
    before = access_codes.unused_codes(db, world.maple.staff, patient.id, now=NOW + FIVE_DAYS - timedelta(seconds=1))  # type: ignore[arg-type]
    assert [c.id for c in before] == [generated.access_code_id]
    assert access_codes.unused_codes(db, world.maple.staff, patient.id, now=NOW + FIVE_DAYS) == []  # type: ignore[arg-type]
