"""Sign-in tickets (websocket sign-in → HTTP cookie), tab bindings and sign-out audit (issue 9)."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from app.models import AccountKind, AuditEntry, AuthSession, SignInTicket
from app.services import access_codes, errors, sessions
from app.services.accounts import sign_in
from app.services.patients import records
from app.services.tokens import hash_token
from app.settings import Settings
from tests.factories import PASSWORD, make_office, make_user, sign_in_as

T0 = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
CLIENT = "203.0.113.9"


def test_a_verified_sign_in_gives_a_ticket_not_a_session(db: Session, settings: Settings) -> None:
    user = make_user(db)
    signed_in = sign_in.sign_in(db, settings, email=user.email, password=PASSWORD, next_path="/clinic/patients", now=T0)
    db.commit()
    assert db.exec(select(AuthSession)).all() == []
    ticket_row = db.exec(select(SignInTicket)).one()
    assert ticket_row.ticket_hash == hash_token(signed_in.ticket)  # only the hash is kept
    assert signed_in.ticket not in ticket_row.ticket_hash
    assert ticket_row.expires_at == T0 + timedelta(minutes=2)
    assert ticket_row.next_path == "/clinic/patients"


def test_a_ticket_opens_one_session_once(db: Session, settings: Settings) -> None:
    user = make_user(db)
    signed_in = sign_in.sign_in(db, settings, email=user.email, password=PASSWORD, now=T0)
    opened = sessions.open_ticket(db, signed_in.ticket, CLIENT, T0 + timedelta(seconds=1))
    db.commit()
    assert opened is not None
    assert (opened.user_id, opened.kind) == (user.id, AccountKind.practitioner)
    actor = sessions.resolve(db, opened.token, CLIENT, T0 + timedelta(seconds=2))
    assert actor is not None and actor.user_id == user.id
    # Spent: a second post of the same ticket (a replayed form, a copied log line) opens nothing.
    assert sessions.open_ticket(db, signed_in.ticket, CLIENT, T0 + timedelta(seconds=3)) is None
    db.commit()
    assert len(db.exec(select(AuthSession)).all()) == 1


def test_a_stale_or_unknown_ticket_opens_nothing(db: Session, settings: Settings) -> None:
    user = make_user(db)
    signed_in = sign_in.sign_in(db, settings, email=user.email, password=PASSWORD, now=T0)
    db.commit()
    assert sessions.open_ticket(db, signed_in.ticket, CLIENT, T0 + timedelta(minutes=2)) is None
    assert sessions.open_ticket(db, "", CLIENT, T0) is None
    assert sessions.open_ticket(db, "not-a-ticket", CLIENT, T0) is None
    db.commit()
    assert db.exec(select(AuthSession)).all() == []


def test_a_failed_sign_in_gives_no_ticket(db: Session, settings: Settings) -> None:
    user = make_user(db)
    with contextlib.suppress(errors.AuthenticationFailed):
        sign_in.sign_in(db, settings, email=user.email, password="wrong password here", now=T0)
    db.commit()
    assert db.exec(select(SignInTicket)).all() == []


def test_sign_out_by_hash_ends_the_session_and_is_audited(db: Session) -> None:
    user = make_user(db)
    _actor, token = sign_in_as(db, user, T0)
    sessions.end_hashed(db, hash_token(token), T0 + timedelta(minutes=1), client_ip=CLIENT)
    db.commit()
    assert sessions.resolve(db, token, CLIENT, T0 + timedelta(minutes=2)) is None
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "session.ended")).one()
    assert (entry.actor_user_id, entry.client_ip) == (user.id, CLIENT)
    # Ending it again (a second click, a replayed form) writes nothing more.
    sessions.end_hashed(db, hash_token(token), T0 + timedelta(minutes=3))
    db.commit()
    assert len(db.exec(select(AuditEntry).where(AuditEntry.action == "session.ended")).all()) == 1


def test_tab_binding_names_the_session_and_what_it_reaches(db: Session, settings: Settings) -> None:
    owner, owner_token = sign_in_as(db, make_user(db), T0)
    office = make_office(db, owner)
    binding = sessions.tab_binding(db, hash_token(owner_token), with_access=True, now=T0)
    assert binding == sessions.TabBinding(
        owner.session_id, frozenset({f"office:{office.id}"}), (T0 + sessions.BINDING_TRUST).timestamp()
    )
    assert sessions.tab_binding(db, hash_token(owner_token), with_access=False, now=T0).access == frozenset()
    assert sessions.access_names(db, binding.access) == [office.name]
    # Signed out, unknown or expired: session 0, reaching nothing.
    assert sessions.tab_binding(db, "", with_access=True, now=T0) == sessions.TabBinding(0, frozenset())
    expired_at = T0 + timedelta(hours=13)
    assert sessions.tab_binding(db, hash_token(owner_token), with_access=True, now=expired_at).session_id == 0


def test_tab_binding_of_a_portal_account_lists_its_held_records(db: Session, settings: Settings) -> None:

    owner, _ = sign_in_as(db, make_user(db), T0)
    office = make_office(db, owner)
    patient = records.create_patient(
        db,
        owner,
        office.id,  # type: ignore[arg-type]
        records.PatientInput(first_name="Bea", last_name="Holder", date_of_birth="1990-01-02"),
    )
    code = access_codes.generate(db, settings, owner, patient.id)  # type: ignore[arg-type]
    db.commit()
    portal_user = make_user(db, "bea@example.com", AccountKind.patient, full_name="Bea Holder")
    portal_actor, portal_token = sign_in_as(db, portal_user)
    access_codes.redeem(db, settings, portal_actor, code.code)
    db.commit()
    binding = sessions.tab_binding(db, hash_token(portal_token), with_access=True)
    assert binding.access == frozenset({f"patient:{patient.id}"})
    assert sessions.access_names(db, binding.access) == ["Bea Holder's record"]


def test_a_tab_trusts_its_session_for_seconds_and_never_past_its_idle_or_absolute_end(db: Session) -> None:
    _owner, token = sign_in_as(db, make_user(db), T0)
    token_hash = hash_token(token)
    binding = sessions.tab_binding(db, token_hash, with_access=False, now=T0)
    assert binding.trusted_until == (T0 + timedelta(seconds=30)).timestamp()
    assert sessions.binding_trusted(binding.trusted_until, T0 + timedelta(seconds=29))
    assert not sessions.binding_trusted(binding.trusted_until, T0 + timedelta(seconds=30))
    # Ten seconds before the idle timeout: trusted for those ten seconds only.
    near_idle = T0 + sessions.IDLE_TIMEOUT - timedelta(seconds=10)
    assert (
        sessions.tab_binding(db, token_hash, with_access=False, now=near_idle).trusted_until
        == (T0 + sessions.IDLE_TIMEOUT).timestamp()
    )
    # Kept busy up to its absolute lifetime: never trusted past it.
    session = db.exec(select(AuthSession)).one()
    near_end = T0 + sessions.ABSOLUTE_LIFETIME - timedelta(seconds=5)
    session.last_seen_at = near_end
    db.add(session)
    db.commit()
    assert (
        sessions.tab_binding(db, token_hash, with_access=False, now=near_end).trusted_until
        == (T0 + sessions.ABSOLUTE_LIFETIME).timestamp()
    )
    # Signed out, unknown or expired: nothing to trust.
    sessions.end_hashed(db, token_hash, T0 + timedelta(minutes=1))
    assert sessions.tab_binding(db, token_hash, with_access=False, now=T0 + timedelta(minutes=2)).trusted_until == 0.0


def test_a_tab_keeps_a_fingerprint_of_its_cookie_never_the_token_or_its_stored_hash(db: Session) -> None:
    _owner, token = sign_in_as(db, make_user(db), T0)
    token_hash = hash_token(token)
    fingerprint = sessions.binding_fingerprint(token_hash)
    assert fingerprint == sessions.binding_fingerprint(token_hash) != sessions.binding_fingerprint(hash_token("other"))
    assert token not in fingerprint and fingerprint not in token_hash and token_hash[:32] != fingerprint
    assert sessions.binding_fingerprint("") == ""
