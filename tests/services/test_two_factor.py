"""Two-factor sign-in for clinic accounts (issue 9, item 8): enrolment, codes, recovery codes,
the sign-in challenge, throttling, turning it off, and an office's requirement for its team."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
import pytest
from sqlmodel import Session, select

from app.db import fail
from app.models import (
    AccountKind,
    AuditEntry,
    Membership,
    Office,
    OfficeRole,
    RecoveryCode,
    SignInChallenge,
    SignInTicket,
    TwoFactorCredential,
    User,
)
from app.services import offices, permissions, secret_box, sessions
from app.services.accounts import sign_in
from app.services.actor import Actor
from app.services.audit import detail_of
from app.services.errors import (
    AuthenticationFailed,
    Conflict,
    DomainError,
    Invalid,
    PermissionDenied,
    SignInExpired,
    Throttled,
    TwoFactorRequired,
)
from app.services.patients import records, search
from app.services.permissions import OfficeAction
from app.services.two_factor import codes as two_factor_codes
from app.services.two_factor import enrolment as two_factor_enrolment
from app.services.two_factor import requirement, status
from app.settings import Settings
from tests.factories import PASSWORD, make_office, make_user, open_session, sign_in_as

T0 = datetime(2026, 3, 3, 9, 0, 10, tzinfo=UTC)  # 10 s into a 30-second step
CLIENT = "203.0.113.9"
RECOVERY = re.compile(r"^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$")


def act(db: Session, service: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """One service call as app.db.unit_of_work runs it: commit, or roll back keeping only keep_on_failure writes."""
    try:
        result = service(db, *args, **kwargs)
    except DomainError:
        fail(db)
        raise
    db.commit()
    return result


def code_at(secret: str, when: datetime) -> str:
    return pyotp.TOTP(secret).at(when)


def audit(db: Session, action: str) -> list[AuditEntry]:
    return list(db.exec(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)).all())  # type: ignore[arg-type]


def enrol(db: Session, settings: Settings, actor: Actor, now: datetime = T0) -> tuple[str, list[str]]:
    """Turn two-factor sign-in on for the actor; returns the secret and the recovery codes."""
    enrolment = act(db, two_factor_enrolment.start_enrolment, settings, actor, now=now)
    codes = act(
        db,
        two_factor_enrolment.confirm_enrolment,
        settings,
        actor,
        code=code_at(enrolment.secret, now),
        password=PASSWORD,
        now=now,
    )
    return enrolment.secret, codes


def password_step(db: Session, settings: Settings, user: User, now: datetime, next_path: str = "") -> int:
    result = act(db, sign_in.sign_in, settings, email=user.email, password=PASSWORD, next_path=next_path, now=now)
    assert isinstance(result, sign_in.SecondFactorNeeded)
    return result.challenge_id


def code_step(
    db: Session, settings: Settings, challenge_id: int, code: str, now: datetime, *, recovery: bool = False
) -> sign_in.SignedIn:
    return act(
        db,
        sign_in.complete_sign_in,
        settings,
        challenge_id=challenge_id,
        code=code,
        recovery=recovery,
        client_ip=CLIENT,
        now=now,
    )


@pytest.fixture
def ada(db: Session) -> tuple[User, Actor]:
    user = make_user(db)
    actor, _ = sign_in_as(db, user, T0)
    return user, actor


# ---- sealing the secret ------------------------------------------------------------------


def test_a_sealed_secret_opens_only_with_its_key_and_context() -> None:
    sealed = secret_box.seal(b"key one", "JBSWY3DPEHPK3PXP", "totp:1")
    assert "JBSWY3DPEHPK3PXP" not in sealed and sealed.startswith("v2.")
    assert secret_box.unseal(b"key one", sealed, "totp:1") == "JBSWY3DPEHPK3PXP"
    assert secret_box.seal(b"key one", "JBSWY3DPEHPK3PXP", "totp:1") != sealed  # a fresh nonce each time
    for key, context, value in (
        (b"key two", "totp:1", sealed),
        (b"key one", "totp:2", sealed),  # copied to another account's row
        (b"key one", "totp:1", sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")),
    ):
        with pytest.raises(ValueError):
            secret_box.unseal(key, value, context)


# ---- enrolment -----------------------------------------------------------------------------


def test_enrolment_shows_the_secret_once_and_stores_it_sealed(
    db: Session, settings: Settings, ada: tuple[User, Actor]
) -> None:
    user, actor = ada
    enrolment = act(db, two_factor_enrolment.start_enrolment, settings, actor, now=T0)
    assert re.fullmatch(r"[A-Z2-7]{32}", enrolment.secret)
    assert enrolment.uri.startswith("otpauth://totp/Praxis:ada%40example.com?")
    assert f"secret={enrolment.secret}" in enrolment.uri and "issuer=Praxis" in enrolment.uri
    assert enrolment.qr.startswith("data:image/svg+xml;base64,")
    credential = db.exec(select(TwoFactorCredential)).one()
    assert enrolment.secret not in credential.secret_sealed
    assert credential.enabled_at is None
    # Not on until confirmed: the password alone still signs in.
    assert isinstance(act(db, sign_in.sign_in, settings, email=user.email, password=PASSWORD, now=T0), sign_in.SignedIn)
    assert status.status(db, actor).enabled is False


def test_confirming_needs_a_right_code_and_the_password_and_returns_ten_recovery_codes(
    db: Session, settings: Settings, ada: tuple[User, Actor]
) -> None:
    _, actor = ada
    enrolment = act(db, two_factor_enrolment.start_enrolment, settings, actor, now=T0)
    right = code_at(enrolment.secret, T0)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    with pytest.raises(AuthenticationFailed) as refused:
        act(db, two_factor_enrolment.confirm_enrolment, settings, actor, code=wrong, password=PASSWORD, now=T0)
    assert refused.value.field == "code"
    assert [detail_of(e) for e in audit(db, "two-factor.failed")] == [{"during": "enrolment"}]
    with pytest.raises(AuthenticationFailed) as refused:
        act(db, two_factor_enrolment.confirm_enrolment, settings, actor, code=right, password="not my password", now=T0)
    assert refused.value.field == "password"
    assert status.status(db, actor).enabled is False

    codes = act(db, two_factor_enrolment.confirm_enrolment, settings, actor, code=right, password=PASSWORD, now=T0)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(RECOVERY.match(code) for code in codes)
    stored = db.exec(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)
    state = status.status(db, actor)
    assert (state.enabled, state.enabled_at, state.recovery_codes_left) == (True, T0, 10)
    assert len(audit(db, "two-factor.enabled")) == 1
    with pytest.raises(Conflict):
        act(db, two_factor_enrolment.start_enrolment, settings, actor, now=T0)


def test_patients_cannot_enrol(db: Session, settings: Settings) -> None:
    patient, _ = sign_in_as(db, make_user(db, "pat@example.com", AccountKind.patient), T0)
    with pytest.raises(PermissionDenied):
        act(db, two_factor_enrolment.start_enrolment, settings, patient, now=T0)
    with pytest.raises(PermissionDenied):
        status.status(db, patient)
    assert db.exec(select(TwoFactorCredential)).all() == []


def test_staff_accounts_can_enrol(db: Session, settings: Settings) -> None:
    staff, _ = sign_in_as(db, make_user(db, "sam@example.com", AccountKind.staff), T0)
    enrol(db, settings, staff)
    assert status.is_enabled(db, staff.user_id)


# ---- the sign-in challenge ----------------------------------------------------------------------


def test_the_password_alone_gives_no_ticket_the_code_does(
    db: Session, settings: Settings, ada: tuple[User, Actor]
) -> None:
    user, actor = ada
    secret, _ = enrol(db, settings, actor)
    later = T0 + timedelta(minutes=1)
    challenge_id = password_step(db, settings, user, later, next_path="/clinic/patients")
    assert db.exec(select(SignInTicket)).all() == []
    challenge = db.get(SignInChallenge, challenge_id)
    assert challenge is not None and challenge.expires_at == later + timedelta(minutes=5)

    signed_in = code_step(db, settings, challenge_id, code_at(secret, later), later)
    assert signed_in.next_path == "/clinic/patients"
    token = open_session(db, signed_in, now=later)
    resolved = sessions.resolve(db, token, CLIENT, later)
    assert resolved is not None and resolved.user_id == user.id
    assert [detail_of(e) for e in audit(db, "sign-in") if e.actor_user_id == user.id] == [
        {"second_factor": "authenticator code"}
    ]
    # The challenge is spent: it does not give a second ticket.
    with pytest.raises(SignInExpired):
        code_step(db, settings, challenge_id, code_at(secret, later + timedelta(seconds=30)), later)


def test_an_unknown_or_expired_challenge_is_refused(db: Session, settings: Settings, ada: tuple[User, Actor]) -> None:
    user, actor = ada
    secret, _ = enrol(db, settings, actor)
    with pytest.raises(SignInExpired):
        code_step(db, settings, 999_999, code_at(secret, T0 + timedelta(minutes=1)), T0 + timedelta(minutes=1))
    challenge_id = password_step(db, settings, user, T0 + timedelta(minutes=1))
    too_late = T0 + timedelta(minutes=6)
    with pytest.raises(SignInExpired):
        code_step(db, settings, challenge_id, code_at(secret, too_late), too_late)
    assert db.exec(select(SignInTicket)).all() == []


def test_a_challenge_allows_five_wrong_codes(db: Session, settings: Settings, ada: tuple[User, Actor]) -> None:
    user, actor = ada
    secret, _ = enrol(db, settings, actor)
    now = T0 + timedelta(minutes=1)
    challenge_id = password_step(db, settings, user, now)
    for _ in range(5):
        with pytest.raises(AuthenticationFailed) as refused:
            code_step(db, settings, challenge_id, "000000" if code_at(secret, now) != "000000" else "111111", now)
        assert refused.value.field == "code" and refused.value.message == two_factor_codes.CODE_FAILED
    assert len(audit(db, "two-factor.failed")) == 5
    with pytest.raises((SignInExpired, Throttled)):
        code_step(db, settings, challenge_id, code_at(secret, now), now)


# ---- codes: the window and replays ----------------------------------------------------------------


def test_codes_of_the_step_before_and_after_are_accepted_but_not_further(
    db: Session, settings: Settings, ada: tuple[User, Actor]
) -> None:
    user, actor = ada
    secret, _ = enrol(db, settings, actor)
    now = T0 + timedelta(minutes=10)
    # The earlier step first: once a step is used, earlier ones are replays.
    challenge_id = password_step(db, settings, user, now)
    code_step(db, settings, challenge_id, code_at(secret, now - timedelta(seconds=30)), now)
    challenge_id = password_step(db, settings, user, now)
    code_step(db, settings, challenge_id, code_at(secret, now + timedelta(seconds=30)), now)

    later = now + timedelta(minutes=10)
    challenge_id = password_step(db, settings, user, later)
    for offset in (-60, 60, -90):
        with pytest.raises(AuthenticationFailed):
            code_step(db, settings, challenge_id, code_at(secret, later + timedelta(seconds=offset)), later)
    # Spaces are fine; anything but six ASCII digits is simply wrong.
    right = code_at(secret, later)
    for odd in ("", "12345", "1234567", "١٢٣٤٥٦", "abcdef"):
        assert not two_factor_codes.looks_like_code(odd)
    code_step(db, settings, challenge_id, f"{right[:3]} {right[3:]}", later)


def test_a_code_works_once(db: Session, settings: Settings, ada: tuple[User, Actor]) -> None:
    user, actor = ada
    secret, _ = enrol(db, settings, actor)
    now = T0 + timedelta(minutes=1)
    code = code_at(secret, now)
    code_step(db, settings, password_step(db, settings, user, now), code, now)
    # The same code again, within its 90 seconds: refused (someone who saw it cannot reuse it).
    with pytest.raises(AuthenticationFailed):
        code_step(db, settings, password_step(db, settings, user, now), code, now + timedelta(seconds=5))
    # A code of the step before the used one, still inside the window: refused too.
    with pytest.raises(AuthenticationFailed):
        code_step(
            db,
            settings,
            password_step(db, settings, user, now),
            code_at(secret, now - timedelta(seconds=30)),
            now + timedelta(seconds=5),
        )
    # The next step's code works.
    nxt = now + timedelta(seconds=30)
    code_step(db, settings, password_step(db, settings, user, nxt), code_at(secret, nxt), nxt)


def test_the_enrolment_code_cannot_be_replayed_at_sign_in(
    db: Session, settings: Settings, ada: tuple[User, Actor]
) -> None:
    user, actor = ada
    secret, _ = enrol(db, settings, actor, now=T0)
    with pytest.raises(AuthenticationFailed):
        code_step(db, settings, password_step(db, settings, user, T0), code_at(secret, T0), T0 + timedelta(seconds=1))


# ---- recovery codes -----------------------------------------------------------------------------


def test_each_recovery_code_works_once(db: Session, settings: Settings, ada: tuple[User, Actor]) -> None:
    user, actor = ada
    _, codes = enrol(db, settings, actor)
    now = T0 + timedelta(minutes=1)
    signed_in = code_step(db, settings, password_step(db, settings, user, now), codes[0], now, recovery=True)
    assert signed_in.ticket
    used = audit(db, "two-factor.recovery-code-used")
    assert [detail_of(e) for e in used] == [{"recovery_codes_left": 9}]
    with pytest.raises(AuthenticationFailed) as refused:
        code_step(db, settings, password_step(db, settings, user, now), codes[0], now, recovery=True)
    assert refused.value.message == two_factor_codes.RECOVERY_FAILED and refused.value.field == "code"
    # Typed in capitals and without the hyphen: the same code.
    code_step(
        db, settings, password_step(db, settings, user, now), codes[1].upper().replace("-", ""), now, recovery=True
    )
    assert status.status(db, actor).recovery_codes_left == 8
    # Another account's code is no code of this one.
    other = make_user(db, "bo@example.com", full_name="Bo Chen")
    other_actor, _ = sign_in_as(db, other, T0)
    _, other_codes = enrol(db, settings, other_actor)
    with pytest.raises(AuthenticationFailed):
        code_step(db, settings, password_step(db, settings, user, now), other_codes[0], now, recovery=True)


def test_new_recovery_codes_replace_the_old_ones(db: Session, settings: Settings, ada: tuple[User, Actor]) -> None:
    user, actor = ada
    secret, old = enrol(db, settings, actor)
    now = T0 + timedelta(minutes=1)
    with pytest.raises(AuthenticationFailed) as refused:
        act(db, two_factor_enrolment.regenerate_recovery_codes, settings, actor, proof="a wrong password here", now=now)
    assert refused.value.field == "proof"
    new = act(db, two_factor_enrolment.regenerate_recovery_codes, settings, actor, proof=code_at(secret, now), now=now)
    assert len(new) == 10 and not set(new) & set(old)
    with pytest.raises(AuthenticationFailed):
        code_step(db, settings, password_step(db, settings, user, now), old[2], now, recovery=True)
    code_step(db, settings, password_step(db, settings, user, now), new[2], now, recovery=True)
    assert len(audit(db, "two-factor.recovery-codes-renewed")) == 1


# ---- throttling ----------------------------------------------------------------------------------


def test_wrong_codes_are_throttled_per_account_across_sign_ins(
    db: Session, settings: Settings, ada: tuple[User, Actor]
) -> None:
    user, actor = ada
    secret, codes = enrol(db, settings, actor)
    now = T0 + timedelta(minutes=1)
    wrong = "000000" if code_at(secret, now) != "000000" else "111111"
    first = password_step(db, settings, user, now)
    for _ in range(3):
        with pytest.raises(AuthenticationFailed):
            code_step(db, settings, first, wrong, now)
    second = password_step(db, settings, user, now)  # a new challenge does not reset the count
    for _ in range(2):
        with pytest.raises(AuthenticationFailed):
            code_step(db, settings, second, "bad-recovery", now, recovery=True)
    # Five failures: the right code is refused for a while, the recovery codes too.
    with pytest.raises(Throttled):
        code_step(db, settings, second, code_at(secret, now), now)
    with pytest.raises(Throttled):
        code_step(db, settings, second, codes[0], now, recovery=True)
    later = now + timedelta(seconds=16)
    code_step(db, settings, second, code_at(secret, later), later)


# ---- turning it off -----------------------------------------------------------------------------


def test_turning_off_needs_the_password_or_a_current_code(
    db: Session, settings: Settings, ada: tuple[User, Actor]
) -> None:
    user, actor = ada
    secret, _ = enrol(db, settings, actor)
    now = T0 + timedelta(minutes=1)
    for proof in ("not the password at all", "123456" if code_at(secret, now) != "123456" else "654321", ""):
        with pytest.raises(AuthenticationFailed) as refused:
            act(db, two_factor_enrolment.turn_off, settings, actor, proof=proof, now=now)
        assert refused.value.field == "proof"
    assert status.is_enabled(db, user.id)  # type: ignore[arg-type]
    act(db, two_factor_enrolment.turn_off, settings, actor, proof=PASSWORD, now=now)
    assert not status.is_enabled(db, user.id)  # type: ignore[arg-type]
    assert db.exec(select(RecoveryCode)).all() == []
    assert len(audit(db, "two-factor.disabled")) == 1
    assert isinstance(
        act(db, sign_in.sign_in, settings, email=user.email, password=PASSWORD, now=now), sign_in.SignedIn
    )
    with pytest.raises(Invalid):
        act(db, two_factor_enrolment.turn_off, settings, actor, proof=PASSWORD, now=now)

    # On again, then off with a code from the app.
    secret, _ = enrol(db, settings, actor, now=now)
    later = now + timedelta(minutes=1)
    act(db, two_factor_enrolment.turn_off, settings, actor, proof=code_at(secret, later), now=later)
    assert not status.is_enabled(db, user.id)  # type: ignore[arg-type]


def test_a_challenge_dies_when_two_factor_is_turned_off(
    db: Session, settings: Settings, ada: tuple[User, Actor]
) -> None:
    user, actor = ada
    secret, _ = enrol(db, settings, actor)
    now = T0 + timedelta(minutes=1)
    challenge_id = password_step(db, settings, user, now)
    act(db, two_factor_enrolment.turn_off, settings, actor, proof=PASSWORD, now=now)
    with pytest.raises(SignInExpired):
        code_step(db, settings, challenge_id, code_at(secret, now), now)


# ---- required for the team --------------------------------------------------------------------------


def add_member(db: Session, office: Office, email: str, kind: AccountKind, role: OfficeRole) -> Actor:
    actor, _ = sign_in_as(db, make_user(db, email, kind, full_name=email.split("@")[0].title()), T0)
    db.add(Membership(office_id=office.id, user_id=actor.user_id, role=role))  # type: ignore[arg-type]
    db.commit()
    return actor


def test_only_the_owner_may_require_two_factor_for_the_team(
    db: Session, settings: Settings, ada: tuple[User, Actor]
) -> None:
    _, owner = ada
    office = make_office(db, owner)
    practitioner = add_member(db, office, "pia@example.com", AccountKind.practitioner, OfficeRole.practitioner)
    staff = add_member(db, office, "sam@example.com", AccountKind.staff, OfficeRole.staff)
    patient, _ = sign_in_as(db, make_user(db, "pat@example.com", AccountKind.patient), T0)
    enrol(db, settings, practitioner)
    enrol(db, settings, staff)
    for actor in (practitioner, staff, patient):
        with pytest.raises(PermissionDenied):
            act(db, requirement.set_office_requirement, actor, office.id, True)
    # The owner turns it on for themselves first.
    with pytest.raises(Invalid) as refused:
        act(db, requirement.set_office_requirement, owner, office.id, True)
    assert refused.value.field == "require_two_factor"
    enrol(db, settings, owner)
    act(db, requirement.set_office_requirement, owner, office.id, True)
    db.refresh(office)
    assert office.require_two_factor is True
    entries = audit(db, "two-factor.required-for-team")
    assert [(e.actor_user_id, e.office_id, detail_of(e)) for e in entries] == [
        (owner.user_id, office.id, {"required": True})
    ]
    act(db, requirement.set_office_requirement, owner, office.id, False)
    assert [detail_of(e) for e in audit(db, "two-factor.required-for-team")] == [
        {"required": True},
        {"required": False},
    ]


def test_a_member_without_two_factor_is_refused_the_office_until_enrolled(
    db: Session, settings: Settings, ada: tuple[User, Actor]
) -> None:
    _, owner = ada
    office = make_office(db, owner)
    other_office = make_office(db, owner, "Birch Lane Clinic")
    staff = add_member(db, office, "sam@example.com", AccountKind.staff, OfficeRole.staff)
    db.add(Membership(office_id=other_office.id, user_id=staff.user_id, role=OfficeRole.staff))  # type: ignore[arg-type]
    db.commit()
    act(db, records.create_patient, staff, office.id, records.PatientInput(first_name="Bea", last_name="Ray"))
    assert search.search_patients(db, staff, office.id).total == 1

    enrol(db, settings, owner)
    act(db, requirement.set_office_requirement, owner, office.id, True)
    assert requirement.missing_for_office(db, staff, office.id)
    assert status.status(db, staff).required_by == ("Maple Street Clinic",)
    # Refused in the services, whatever the page shows: the data, and every action of every role.
    with pytest.raises(TwoFactorRequired):
        search.search_patients(db, staff, office.id)
    with pytest.raises(TwoFactorRequired):
        offices.office_details(db, staff, office.id)
    for action in (OfficeAction.view_office, OfficeAction.view_schedule, OfficeAction.edit_demographics):
        with pytest.raises(TwoFactorRequired):
            permissions.require(db, staff, office.id, action)
        assert not permissions.can(db, staff, office.id, action)
    # The other office, which does not require it, is not affected; the owner (enrolled) is not either.
    assert offices.office_details(db, staff, other_office.id).name == "Birch Lane Clinic"
    assert search.search_patients(db, owner, office.id).total == 1
    # The member can still reach their account and enrol; then the office opens again.
    enrol(db, settings, staff)
    assert not requirement.missing_for_office(db, staff, office.id)
    assert search.search_patients(db, staff, office.id).total == 1
    # Turning it off again locks them out again until they set it up anew.
    act(db, two_factor_enrolment.turn_off, settings, staff, proof=PASSWORD, now=T0 + timedelta(minutes=2))
    with pytest.raises(TwoFactorRequired):
        search.search_patients(db, staff, office.id)


def test_the_audit_log_holds_no_secret(db: Session, settings: Settings, ada: tuple[User, Actor]) -> None:
    user, actor = ada
    secret, codes = enrol(db, settings, actor)
    now = T0 + timedelta(minutes=1)
    with pytest.raises(AuthenticationFailed):
        code_step(db, settings, password_step(db, settings, user, now), "000000", now)
    code_step(db, settings, password_step(db, settings, user, now), codes[0], now, recovery=True)
    text = " ".join(f"{e.action} {e.detail}" for e in db.exec(select(AuditEntry)).all())
    assert secret not in text and not any(code in text for code in codes)
    actions = {e.action for e in db.exec(select(AuditEntry)).all()}
    assert {"two-factor.enabled", "two-factor.failed", "two-factor.recovery-code-used", "sign-in"} <= actions


def test_a_secret_sealed_under_another_key_is_a_clear_refusal(
    db: Session, settings: Settings, ada: tuple[User, Actor]
) -> None:
    user, actor = ada
    secret, _ = enrol(db, settings, actor)
    now = T0 + timedelta(minutes=1)
    challenge_id = password_step(db, settings, user, now)
    moved = replace(settings, secret_key=b"another key")
    with pytest.raises(Conflict) as refused:
        code_step(db, moved, challenge_id, code_at(secret, now), now)
    assert refused.value.message == two_factor_codes.UNREADABLE
