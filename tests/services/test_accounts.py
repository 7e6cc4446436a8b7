"""Accounts: sign-up with confirmation, sign-in, throttling, password reset and change (SPEC §1)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, func, select

from app.db import fail
from app.models import (
    AccountKind,
    AuditEntry,
    OutboxMessage,
    PasswordResetToken,
    SignInTicket,
    SignupRequest,
    Throttle,
    User,
)
from app.services import sessions, throttle
from app.services.accounts import passwords, share_pin
from app.services.accounts import sign_in as account_sign_in
from app.services.accounts import sign_up as account_sign_up
from app.services.errors import AuthenticationFailed, DomainError, Invalid, PermissionDenied, Throttled
from app.services.passwords import check_password
from app.settings import Settings
from tests.factories import PASSWORD, make_user, open_session, sign_in_as

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
NEW_PASSWORD = "a brand new clinic passphrase"
WRONG_PASSWORD = "not the right password"
CLIENT = "198.51.100.7"
PIN = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


def act(db: Session, service: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run one service call the way app.db.unit_of_work does: commit, or roll back keeping keep_on_failure writes."""
    try:
        result = service(db, *args, **kwargs)
    except DomainError:
        fail(db)
        raise
    db.commit()
    return result


def count(db: Session, model: type) -> int:
    return db.exec(select(func.count()).select_from(model)).one()


def outbox(db: Session) -> list[OutboxMessage]:
    return list(db.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())  # type: ignore[arg-type]


def link_token(body: str, path: str) -> str:
    match = re.search(rf"http://praxis\.test{re.escape(path)}\?token=([A-Za-z0-9_-]+)", body)
    assert match, body
    return match.group(1)


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def sign_up(db: Session, settings: Settings, email: str = "grace@example.com", **overrides: Any) -> None:
    fields: dict[str, Any] = {
        "email": email,
        "full_name": "Grace Hopper",
        "kind": "practitioner",
        "password": PASSWORD,
        "client_ip": CLIENT,
        "now": T0,
    }
    fields.update(overrides)
    act(db, account_sign_up.request_sign_up, settings, **fields)


def sign_in(db: Session, settings: Settings, email: str = "ada@example.com", password: str = PASSWORD, **kw: Any):
    return act(db, account_sign_in.sign_in, settings, email=email, password=password, **kw)


def throttle_row(db: Session, policy: throttle.ThrottlePolicy, key: str) -> Throttle | None:
    return db.exec(select(Throttle).where(Throttle.scope == policy.scope, Throttle.key == key)).first()


# --- sign-up ---------------------------------------------------------------


def test_sign_up_sends_a_confirmation_link_and_creates_no_account(db: Session, settings: Settings) -> None:
    sign_up(db, settings, email="Grace@Example.com", full_name="  Grace   Hopper ")

    assert count(db, User) == 0
    [message] = outbox(db)
    assert message.to_address == "Grace@Example.com"
    assert message.subject == "Confirm your e-mail address for Praxis"
    assert message.body_text.startswith("Hello Grace Hopper,")
    token = link_token(message.body_text, "/confirm-email")
    request = db.exec(select(SignupRequest)).one()
    assert request.email_normalized == "grace@example.com"
    assert request.token_hash == sha256(token)  # only the hash of the link's token is stored
    assert request.expires_at == T0 + timedelta(hours=24)
    assert request.used_at is None
    assert check_password(PASSWORD, request.password_hash)


def test_confirming_creates_the_account_and_signs_in(db: Session, settings: Settings) -> None:
    sign_up(db, settings, email="Grace@Example.com", full_name="  Grace   Hopper ")
    token = link_token(outbox(db)[0].body_text, "/confirm-email")
    confirmed_at = T0 + timedelta(hours=2)

    signed_in = act(db, account_sign_up.confirm_sign_up, token, CLIENT, confirmed_at)

    assert signed_in.kind == AccountKind.practitioner
    user = db.exec(select(User)).one()
    assert (user.email, user.email_normalized, user.full_name) == (
        "Grace@Example.com",
        "grace@example.com",
        "Grace Hopper",
    )
    assert user.kind == AccountKind.practitioner
    assert user.created_at == confirmed_at
    assert PIN.match(user.share_pin or "")
    assert check_password(PASSWORD, user.password_hash)
    actor = sessions.resolve(
        db, open_session(db, signed_in, CLIENT, confirmed_at), CLIENT, confirmed_at + timedelta(minutes=1)
    )
    assert actor is not None
    assert (actor.user_id, actor.kind, actor.email) == (user.id, AccountKind.practitioner, "Grace@Example.com")
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "account.created")).one()
    assert (entry.actor_user_id, entry.target_id, entry.client_ip) == (user.id, user.id, CLIENT)
    # The new account signs in with the password chosen at sign-up.
    assert sign_in(db, settings, email="grace@example.com", now=confirmed_at).kind == AccountKind.practitioner


def test_patient_sign_up_makes_a_patient_account_without_share_pin(db: Session, settings: Settings) -> None:
    sign_up(db, settings, kind="patient")
    signed_in = act(db, account_sign_up.confirm_sign_up, link_token(outbox(db)[0].body_text, "/confirm-email"), "", T0)
    assert signed_in.kind == AccountKind.patient
    user = db.exec(select(User)).one()
    assert user.kind == AccountKind.patient
    assert user.share_pin is None


def test_sign_up_refuses_other_kinds(db: Session, settings: Settings) -> None:
    with pytest.raises(Invalid) as refused:
        sign_up(db, settings, kind="staff")
    assert refused.value.field == "kind"
    assert count(db, SignupRequest) == 0
    assert outbox(db) == []


def test_confirmation_link_works_once(db: Session, settings: Settings) -> None:
    sign_up(db, settings)
    token = link_token(outbox(db)[0].body_text, "/confirm-email")
    act(db, account_sign_up.confirm_sign_up, token, "", T0 + timedelta(minutes=5))

    with pytest.raises(Invalid) as refused:
        act(db, account_sign_up.confirm_sign_up, token, "", T0 + timedelta(minutes=6))
    assert refused.value.message == account_sign_up.LINK_FAILED
    assert count(db, User) == 1
    assert count(db, SignInTicket) == 1  # one sign-in, whose ticket the page then spends


def test_expired_confirmation_link_refused(db: Session, settings: Settings) -> None:
    sign_up(db, settings)
    token = link_token(outbox(db)[0].body_text, "/confirm-email")

    with pytest.raises(Invalid) as refused:
        act(db, account_sign_up.confirm_sign_up, token, "", T0 + timedelta(hours=25))
    assert refused.value.message == account_sign_up.LINK_FAILED
    assert count(db, User) == 0
    # The same link inside its 24 hours works: the refusal above was the expiry.
    act(db, account_sign_up.confirm_sign_up, token, "", T0 + timedelta(hours=23))
    assert count(db, User) == 1


def test_unknown_confirmation_token_refused(db: Session, settings: Settings) -> None:
    sign_up(db, settings)
    for token in ("", "not-a-token"):
        with pytest.raises(Invalid, match="expired or was already used"):
            act(db, account_sign_up.confirm_sign_up, token, "", T0)
    assert count(db, User) == 0


def test_only_the_first_of_two_sign_ups_for_one_address_can_be_confirmed(db: Session, settings: Settings) -> None:
    sign_up(db, settings, full_name="First Grace")
    sign_up(db, settings, full_name="Second Grace", now=T0 + timedelta(minutes=1))
    first, second = (link_token(message.body_text, "/confirm-email") for message in outbox(db))
    act(db, account_sign_up.confirm_sign_up, second, "", T0 + timedelta(minutes=2))

    with pytest.raises(AuthenticationFailed) as refused:
        act(db, account_sign_up.confirm_sign_up, first, "", T0 + timedelta(minutes=3))
    assert refused.value.message == account_sign_up.LINK_FAILED
    assert [user.full_name for user in db.exec(select(User)).all()] == ["Second Grace"]
    # The refused link is spent (that bookkeeping is kept) and stays refused.
    assert all(request.used_at is not None for request in db.exec(select(SignupRequest)).all())


def test_sign_up_for_an_existing_address_tells_its_owner_and_nothing_else(
    db: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(db, email="ada@example.com")
    hashed: list[str] = []
    real_hash = account_sign_up.hash_password

    def counting_hash(password: str, rounds: int) -> str:
        hashed.append(password)
        return real_hash(password, rounds)

    monkeypatch.setattr(account_sign_up, "hash_password", counting_hash)

    assert sign_up(db, settings, email="ADA@example.com") is None

    assert count(db, SignupRequest) == 0
    assert count(db, User) == 1
    [message] = outbox(db)
    assert message.to_address == "ada@example.com"  # the address on the account, not the one typed
    assert message.subject == "You already have a Praxis account"
    assert "http://praxis.test/forgot-password" in message.body_text
    assert "confirm-email" not in message.body_text
    # A new address has the same outcome for the caller, and costs the same bcrypt work.
    assert sign_up(db, settings, email="new@example.com") is None
    assert count(db, SignupRequest) == 1
    assert len(outbox(db)) == 2
    assert hashed == [PASSWORD, PASSWORD]


def test_73_byte_password_refused_at_sign_up_and_nothing_written(db: Session, settings: Settings) -> None:
    with pytest.raises(Invalid) as refused:
        account_sign_up.request_sign_up(
            db, settings, email="grace@example.com", full_name="Grace Hopper", kind="patient", password="é" * 36 + "a"
        )
    assert refused.value.field == "password"
    assert "too long" in refused.value.message
    # Checked before the rollback: not even a pending write is left in the session.
    assert (count(db, SignupRequest), count(db, OutboxMessage), count(db, Throttle), count(db, User)) == (0, 0, 0, 0)
    db.rollback()


def test_sign_up_requests_per_address_are_rate_limited(db: Session, settings: Settings) -> None:
    for minute in range(5):
        sign_up(db, settings, now=T0 + timedelta(minutes=minute))
    with pytest.raises(Throttled):
        sign_up(db, settings, now=T0 + timedelta(minutes=5))
    assert count(db, SignupRequest) == 5


# --- sign-in ---------------------------------------------------------------


def test_sign_in_opens_a_session(db: Session, settings: Settings) -> None:
    user = make_user(db)
    signed_in = sign_in(db, settings, client_ip=CLIENT, now=T0)
    assert signed_in.kind == AccountKind.practitioner
    actor = sessions.resolve(db, open_session(db, signed_in, CLIENT, T0), CLIENT, T0)
    assert actor is not None and actor.user_id == user.id
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "sign-in")).one()
    assert (entry.actor_user_id, entry.client_ip) == (user.id, CLIENT)


def test_wrong_password_and_unknown_address_fail_with_the_same_message(db: Session, settings: Settings) -> None:
    make_user(db)
    with pytest.raises(AuthenticationFailed) as wrong_password:
        sign_in(db, settings, password=WRONG_PASSWORD)
    with pytest.raises(AuthenticationFailed) as unknown_address:
        sign_in(db, settings, email="nobody@example.com")

    assert wrong_password.value.message == account_sign_in.SIGN_IN_FAILED
    assert unknown_address.value.message == account_sign_in.SIGN_IN_FAILED
    assert str(wrong_password.value) == str(unknown_address.value)
    assert wrong_password.value.field is None and unknown_address.value.field is None
    assert type(wrong_password.value) is type(unknown_address.value)


def test_an_unknown_address_still_costs_one_bcrypt_check(
    db: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(db)
    checked: list[str] = []
    real_check = account_sign_in.check_password

    def counting_check(password: str, password_hash: str) -> bool:
        checked.append(password_hash)
        return real_check(password, password_hash)

    monkeypatch.setattr(account_sign_in, "check_password", counting_check)

    with pytest.raises(AuthenticationFailed):
        sign_in(db, settings, email="nobody@example.com")
    assert len(checked) == 1
    assert checked[0].startswith(f"$2b$0{settings.bcrypt_rounds}$")  # a real hash at the configured cost

    with pytest.raises(AuthenticationFailed):
        sign_in(db, settings, password=WRONG_PASSWORD)
    assert len(checked) == 2


def test_sign_in_compares_the_address_without_case(db: Session, settings: Settings) -> None:
    user = make_user(db, email="Ada.Lovelace@Example.com")
    signed_in = sign_in(db, settings, email="  ADA.LOVELACE@example.COM ", now=T0)
    actor = sessions.resolve(db, open_session(db, signed_in, "", T0), "", T0)
    assert actor is not None and actor.user_id == user.id
    # Failures under any spelling count against the one account.
    with pytest.raises(AuthenticationFailed):
        sign_in(db, settings, email="ADA.lovelace@EXAMPLE.com", password=WRONG_PASSWORD, now=T0)
    row = throttle_row(db, throttle.SIGN_IN_ACCOUNT, "ada.lovelace@example.com")
    assert row is not None and row.failures == 1


def test_empty_fields_refused(db: Session, settings: Settings) -> None:
    with pytest.raises(Invalid, match="Enter your e-mail address and password"):
        sign_in(db, settings, email="  ", password=PASSWORD)
    with pytest.raises(Invalid, match="Enter your e-mail address and password"):
        sign_in(db, settings, password="")


def test_sixth_attempt_is_throttled_even_with_the_right_password(db: Session, settings: Settings) -> None:
    make_user(db)
    for second in range(5):
        with pytest.raises(AuthenticationFailed):
            sign_in(db, settings, password=WRONG_PASSWORD, client_ip=CLIENT, now=T0 + timedelta(seconds=second))

    # The fifth failure (at T0+4s) blocks for 15 seconds.
    with pytest.raises(Throttled) as blocked:
        sign_in(db, settings, client_ip=CLIENT, now=T0 + timedelta(seconds=4.5))
    assert blocked.value.retry_after_seconds == 15
    assert blocked.value.message == "Too many attempts. Please wait 15 seconds and try again."
    with pytest.raises(Throttled):
        sign_in(db, settings, client_ip=CLIENT, now=T0 + timedelta(seconds=18))
    # Attempts while blocked do not count as failures.
    assert throttle_row(db, throttle.SIGN_IN_ACCOUNT, "ada@example.com").failures == 5  # type: ignore[union-attr]

    signed_in = sign_in(db, settings, client_ip=CLIENT, now=T0 + timedelta(seconds=19))
    assert (
        sessions.resolve(
            db, open_session(db, signed_in, CLIENT, T0 + timedelta(seconds=20)), CLIENT, T0 + timedelta(seconds=20)
        )
        is not None
    )


def test_the_throttle_survives_in_the_database(db: Session, settings: Settings, engine) -> None:
    make_user(db)
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            sign_in(db, settings, password=WRONG_PASSWORD, now=T0)
    db.close()
    # Another worker, another session: it sees the same block.
    with Session(engine) as other_worker, pytest.raises(Throttled):
        account_sign_in.sign_in(other_worker, settings, email="ada@example.com", password=PASSWORD, now=T0)


def test_the_delay_doubles_up_to_15_minutes(db: Session) -> None:
    expected_delays = [15, 30, 60, 120, 240, 480, 900, 900]
    for failure in range(1, 13):
        throttle.strike(db, throttle.SIGN_IN_ACCOUNT, "ada@example.com", T0)
        row = throttle_row(db, throttle.SIGN_IN_ACCOUNT, "ada@example.com")
        assert row is not None and row.failures == failure
        if failure < 5:
            assert row.blocked_until is None
            throttle.check(db, throttle.SIGN_IN_ACCOUNT, "ada@example.com", T0)
        else:
            assert row.blocked_until == T0 + timedelta(seconds=expected_delays[failure - 5])
    with pytest.raises(Throttled):
        throttle.check(db, throttle.SIGN_IN_ACCOUNT, "ada@example.com", T0 + timedelta(seconds=899))
    throttle.check(db, throttle.SIGN_IN_ACCOUNT, "ada@example.com", T0 + timedelta(seconds=900))


def test_the_wait_announced_is_the_wait_imposed(db: Session) -> None:
    """The longest block is 15 minutes, and the message must not tell people to wait longer."""
    for _ in range(11):
        throttle.strike(db, throttle.SIGN_IN_ACCOUNT, "ada@example.com", T0)
    with pytest.raises(Throttled) as blocked:
        throttle.check(db, throttle.SIGN_IN_ACCOUNT, "ada@example.com", T0)
    assert blocked.value.retry_after_seconds == 900
    assert blocked.value.message == "Too many attempts. Please wait 15 minutes and try again."


def test_failures_are_forgotten_after_a_quiet_hour(db: Session) -> None:
    for _ in range(4):
        throttle.strike(db, throttle.SIGN_IN_ACCOUNT, "ada@example.com", T0)
    throttle.strike(db, throttle.SIGN_IN_ACCOUNT, "ada@example.com", T0 + timedelta(hours=1, seconds=1))
    row = throttle_row(db, throttle.SIGN_IN_ACCOUNT, "ada@example.com")
    assert row is not None and row.failures == 1 and row.blocked_until is None


def fail_sign_ins_from(db: Session, settings: Settings, failures: int, now: datetime = T0) -> None:
    """`failures` wrong passwords from CLIENT, for as many different (unknown) addresses."""
    for number in range(failures):
        with pytest.raises(AuthenticationFailed):
            sign_in(db, settings, email=f"guess{number}@x.test", password=WRONG_PASSWORD, client_ip=CLIENT, now=now)


def test_the_address_throttle_numbers() -> None:
    assert (throttle.SIGN_IN_CLIENT.free_failures, throttle.SIGN_IN_CLIENT.window) == (50, timedelta(hours=1))
    assert (throttle.SIGN_IN_ACCOUNT.free_failures, throttle.SIGN_IN_ACCOUNT.window) == (5, timedelta(hours=1))


def test_a_blocked_address_never_refuses_an_account_without_failures_of_its_own(
    db: Session, settings: Settings
) -> None:
    user = make_user(db)
    fail_sign_ins_from(db, settings, throttle.SIGN_IN_CLIENT.free_failures)
    row = throttle_row(db, throttle.SIGN_IN_CLIENT, CLIENT)
    assert row is not None and row.failures == 50 and row.blocked_until is not None
    # Ada has not failed: her right password works from that address.
    signed_in = sign_in(db, settings, client_ip=CLIENT, now=T0 + timedelta(seconds=1))
    actor = sessions.resolve(
        db, open_session(db, signed_in, CLIENT, T0 + timedelta(seconds=1)), CLIENT, T0 + timedelta(seconds=1)
    )
    assert actor is not None and actor.user_id == user.id


def test_a_blocked_address_stops_an_account_that_failed_there_whatever_the_password(
    db: Session, settings: Settings
) -> None:
    make_user(db)
    with pytest.raises(AuthenticationFailed):
        sign_in(db, settings, password=WRONG_PASSWORD, client_ip=CLIENT, now=T0)
    fail_sign_ins_from(db, settings, throttle.SIGN_IN_CLIENT.free_failures - 1)
    # One failure of her own and a blocked address: refused before the password is looked at, so
    # the right and the wrong password get the same answer, and neither counts as a failure.
    with pytest.raises(Throttled) as right:
        sign_in(db, settings, client_ip=CLIENT, now=T0 + timedelta(seconds=1))
    with pytest.raises(Throttled) as wrong:
        sign_in(db, settings, password=WRONG_PASSWORD, client_ip=CLIENT, now=T0 + timedelta(seconds=1))
    assert right.value.message == wrong.value.message
    assert throttle_row(db, throttle.SIGN_IN_ACCOUNT, "ada@example.com").failures == 1  # type: ignore[union-attr]
    assert throttle_row(db, throttle.SIGN_IN_CLIENT, CLIENT).failures == 50  # type: ignore[union-attr]
    # From another address she signs in.
    sign_in(db, settings, client_ip="198.51.100.8", now=T0 + timedelta(seconds=1))


def test_49_failures_from_an_address_block_nobody(db: Session, settings: Settings) -> None:
    make_user(db)
    with pytest.raises(AuthenticationFailed):
        sign_in(db, settings, password=WRONG_PASSWORD, client_ip=CLIENT, now=T0)
    fail_sign_ins_from(db, settings, throttle.SIGN_IN_CLIENT.free_failures - 2)
    assert throttle_row(db, throttle.SIGN_IN_CLIENT, CLIENT).blocked_until is None  # type: ignore[union-attr]
    sign_in(db, settings, client_ip=CLIENT, now=T0 + timedelta(seconds=1))


def test_an_address_counts_failures_only(db: Session, settings: Settings) -> None:
    make_user(db)
    for second in range(60):
        sign_in(db, settings, client_ip=CLIENT, now=T0 + timedelta(seconds=second))
    assert throttle_row(db, throttle.SIGN_IN_CLIENT, CLIENT) is None


def test_an_unknown_address_still_costs_one_password_check(db: Session, settings: Settings, monkeypatch) -> None:
    checked: list[str] = []
    real = account_sign_in.check_password

    def counting(password: str, password_hash: str) -> bool:
        checked.append(password_hash)
        return real(password, password_hash)

    monkeypatch.setattr(account_sign_in, "check_password", counting)
    make_user(db)
    with pytest.raises(AuthenticationFailed) as unknown:
        sign_in(db, settings, email="nobody@example.com", password=WRONG_PASSWORD, client_ip=CLIENT, now=T0)
    with pytest.raises(AuthenticationFailed) as known:
        sign_in(db, settings, password=WRONG_PASSWORD, client_ip=CLIENT, now=T0)
    assert len(checked) == 2 and unknown.value.message == known.value.message


def test_a_few_failures_from_a_shared_address_do_not_lock_out_its_other_users(db: Session, settings: Settings) -> None:
    user = make_user(db)
    for number in range(5):
        with pytest.raises(AuthenticationFailed):
            sign_in(db, settings, email=f"typo{number}@example.com", password=WRONG_PASSWORD, client_ip=CLIENT, now=T0)
    signed_in = sign_in(db, settings, client_ip=CLIENT, now=T0 + timedelta(seconds=1))
    assert (
        sessions.resolve(
            db, open_session(db, signed_in, CLIENT, T0 + timedelta(seconds=1)), CLIENT, T0 + timedelta(seconds=1)
        ).user_id
        == user.id
    )  # type: ignore[union-attr]


def test_a_success_clears_the_account_counter(db: Session, settings: Settings) -> None:
    make_user(db)
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            sign_in(db, settings, password=WRONG_PASSWORD, now=T0)
    sign_in(db, settings, now=T0)
    assert throttle_row(db, throttle.SIGN_IN_ACCOUNT, "ada@example.com") is None

    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            sign_in(db, settings, password=WRONG_PASSWORD, now=T0)
    # Eight failures in all, but only four since the success: not blocked.
    assert throttle_row(db, throttle.SIGN_IN_ACCOUNT, "ada@example.com").failures == 4  # type: ignore[union-attr]
    sign_in(db, settings, now=T0)


# --- password reset -------------------------------------------------------


def request_reset(db: Session, settings: Settings, email: str = "ada@example.com", now: datetime = T0) -> None:
    act(db, passwords.request_password_reset, settings, email=email, client_ip=CLIENT, now=now)


def reset(db: Session, settings: Settings, token: str, password: str = NEW_PASSWORD, now: datetime = T0) -> None:
    act(db, passwords.reset_password, settings, token=token, new_password=password, now=now)


def test_reset_link_is_emailed_and_sets_a_new_password(db: Session, settings: Settings) -> None:
    user = make_user(db)
    request_reset(db, settings, email="  ADA@Example.com ")

    [message] = outbox(db)
    assert message.to_address == "ada@example.com"
    assert message.subject == "Reset your Praxis password"
    token = link_token(message.body_text, "/reset-password")
    row = db.exec(select(PasswordResetToken)).one()
    assert (row.user_id, row.token_hash, row.expires_at) == (user.id, sha256(token), T0 + timedelta(hours=1))

    reset(db, settings, token, now=T0 + timedelta(minutes=59))

    assert sign_in(db, settings, password=NEW_PASSWORD, now=T0 + timedelta(hours=1)).kind == AccountKind.practitioner
    with pytest.raises(AuthenticationFailed):
        sign_in(db, settings, password=PASSWORD, now=T0 + timedelta(hours=1))
    assert db.exec(select(AuditEntry).where(AuditEntry.action == "password.reset")).one().actor_user_id == user.id


def test_a_used_reset_link_is_refused(db: Session, settings: Settings) -> None:
    make_user(db)
    request_reset(db, settings)
    token = link_token(outbox(db)[0].body_text, "/reset-password")
    reset(db, settings, token, now=T0 + timedelta(minutes=1))

    with pytest.raises(Invalid) as refused:
        reset(db, settings, token, password="yet another passphrase", now=T0 + timedelta(minutes=2))
    assert refused.value.message == account_sign_up.LINK_FAILED
    user = db.exec(select(User)).one()
    assert check_password(NEW_PASSWORD, user.password_hash)


def test_a_reset_link_expires_after_one_hour(db: Session, settings: Settings) -> None:
    make_user(db)
    request_reset(db, settings)
    token = link_token(outbox(db)[0].body_text, "/reset-password")

    with pytest.raises(Invalid) as refused:
        reset(db, settings, token, now=T0 + timedelta(hours=1, seconds=1))
    assert refused.value.message == account_sign_up.LINK_FAILED
    user = db.exec(select(User)).one()
    assert check_password(PASSWORD, user.password_hash)


def test_using_one_reset_link_cancels_the_others(db: Session, settings: Settings) -> None:
    make_user(db)
    request_reset(db, settings)
    request_reset(db, settings, now=T0 + timedelta(minutes=1))
    first, second = (link_token(message.body_text, "/reset-password") for message in outbox(db))
    reset(db, settings, second, now=T0 + timedelta(minutes=2))
    with pytest.raises(Invalid):
        reset(db, settings, first, password="yet another passphrase", now=T0 + timedelta(minutes=3))


def test_a_reset_ends_every_session_of_the_account(db: Session, settings: Settings) -> None:
    user = make_user(db)
    other = make_user(db, email="grace@example.com")
    _, laptop = sign_in_as(db, user)
    _, phone = sign_in_as(db, user)
    _, other_token = sign_in_as(db, other)
    request_reset(db, settings, now=None)  # type: ignore[arg-type]
    reset(db, settings, link_token(outbox(db)[0].body_text, "/reset-password"), now=None)  # type: ignore[arg-type]

    assert sessions.resolve(db, laptop) is None
    assert sessions.resolve(db, phone) is None
    assert sessions.resolve(db, other_token) is not None


def test_a_reset_lifts_the_sign_in_block(db: Session, settings: Settings) -> None:
    make_user(db)
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            sign_in(db, settings, password=WRONG_PASSWORD, now=T0)
    request_reset(db, settings)
    reset(db, settings, link_token(outbox(db)[0].body_text, "/reset-password"), now=T0 + timedelta(seconds=1))
    sign_in(db, settings, password=NEW_PASSWORD, now=T0 + timedelta(seconds=2))


def test_reset_for_an_unknown_address_raises_nothing_and_sends_nothing(db: Session, settings: Settings) -> None:
    make_user(db)
    assert request_reset(db, settings, email="nobody@example.com") is None
    assert outbox(db) == []
    assert count(db, PasswordResetToken) == 0


def test_reset_refuses_a_weak_new_password(db: Session, settings: Settings) -> None:
    make_user(db)
    request_reset(db, settings)
    token = link_token(outbox(db)[0].body_text, "/reset-password")
    with pytest.raises(Invalid, match="too common"):
        reset(db, settings, token, password="password1234")
    # The link was not spent by the refused attempt.
    reset(db, settings, token, now=T0 + timedelta(minutes=1))


# --- change password ------------------------------------------------------


def test_change_password_refuses_a_wrong_current_password(db: Session, settings: Settings) -> None:
    user = make_user(db)
    actor, token = sign_in_as(db, user)
    with pytest.raises(AuthenticationFailed) as refused:
        act(db, passwords.change_password, settings, actor, current_password=WRONG_PASSWORD, new_password=NEW_PASSWORD)
    assert refused.value.field == "current_password"
    db.refresh(user)
    assert check_password(PASSWORD, user.password_hash)
    assert sessions.resolve(db, token) is not None


def test_change_password_ends_other_sessions_and_keeps_this_one(db: Session, settings: Settings) -> None:
    user = make_user(db)
    actor, this_browser = sign_in_as(db, user)
    _, other_browser = sign_in_as(db, user)

    act(db, passwords.change_password, settings, actor, current_password=PASSWORD, new_password=NEW_PASSWORD)

    assert sessions.resolve(db, this_browser) is not None
    assert sessions.resolve(db, other_browser) is None
    db.refresh(user)
    assert check_password(NEW_PASSWORD, user.password_hash)
    assert db.exec(select(AuditEntry).where(AuditEntry.action == "password.changed")).one().actor_user_id == user.id


def test_change_password_refuses_the_same_or_a_weak_password(db: Session, settings: Settings) -> None:
    user = make_user(db)
    actor, _ = sign_in_as(db, user)
    with pytest.raises(Invalid) as same:
        act(db, passwords.change_password, settings, actor, current_password=PASSWORD, new_password=PASSWORD)
    assert same.value.field == "new_password"
    with pytest.raises(Invalid) as weak:
        act(db, passwords.change_password, settings, actor, current_password=PASSWORD, new_password="short")
    assert weak.value.field == "new_password"


# --- share PIN ------------------------------------------------------------


def test_share_pin_is_refused_to_patients(db: Session) -> None:
    actor, _ = sign_in_as(db, make_user(db, email="pat@example.com", kind=AccountKind.patient))
    with pytest.raises(PermissionDenied):
        share_pin.share_pin(db, actor)
