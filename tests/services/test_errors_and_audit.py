"""The unit of work keeps the bookkeeping of a failed sign-in and rolls back other failures."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.db import unit_of_work
from app.models import AuditEntry, Throttle
from app.services import audit, throttle
from app.services.accounts import sign_in
from app.services.errors import AuthenticationFailed, Invalid, NotFound, PermissionDenied, Throttled
from app.settings import Settings
from tests.factories import PASSWORD, make_user

CLIENT = "198.51.100.7"


def entries(engine: Engine, action: str) -> list[AuditEntry]:
    with Session(engine) as db:
        return list(db.exec(select(AuditEntry).where(AuditEntry.action == action)).all())


def test_a_failed_sign_in_is_audited_and_the_entry_survives(db: Session, engine: Engine, settings: Settings) -> None:
    user = make_user(db)

    with pytest.raises(AuthenticationFailed), unit_of_work(engine) as work:
        sign_in.sign_in(work, settings, email="ada@example.com", password="not the right password", client_ip=CLIENT)

    [entry] = entries(engine, "sign-in.failed")
    assert (entry.actor_user_id, entry.client_ip, entry.detail) == (user.id, CLIENT, "")
    with Session(engine) as check:
        counters = {row.scope: row.failures for row in check.exec(select(Throttle)).all()}
    assert counters == {throttle.SIGN_IN_ACCOUNT.scope: 1, throttle.SIGN_IN_CLIENT.scope: 1}


def test_a_failed_sign_in_for_an_unknown_address_is_audited(engine: Engine, settings: Settings) -> None:
    with pytest.raises(AuthenticationFailed), unit_of_work(engine) as work:
        sign_in.sign_in(work, settings, email="nobody@example.com", password=PASSWORD, client_ip=CLIENT)

    [entry] = entries(engine, "sign-in.failed")
    assert (entry.actor_user_id, entry.client_ip) == (None, CLIENT)
    assert audit.detail_of(entry) == {"unknown_address": True}


def test_a_successful_sign_in_is_audited(db: Session, engine: Engine, settings: Settings) -> None:
    user = make_user(db)
    with unit_of_work(engine) as work:
        sign_in.sign_in(work, settings, email="ada@example.com", password=PASSWORD, client_ip=CLIENT)
    [entry] = entries(engine, "sign-in")
    assert (entry.actor_user_id, entry.target_type, entry.target_id) == (user.id, "user", user.id)
    assert entries(engine, "sign-in.failed") == []


def test_other_errors_roll_the_whole_action_back(engine: Engine) -> None:
    with pytest.raises(Invalid), unit_of_work(engine) as work:
        audit.record(work, None, audit.AuditAction.office_created)
        work.flush()
        raise Invalid("Bad input.", "name")
    assert entries(engine, audit.AuditAction.office_created) == []


def test_audit_actions_are_typed_and_details_structured(db: Session) -> None:
    with pytest.raises(ValueError):
        audit.record(db, None, "half.done")  # type: ignore[arg-type]
    audit.record(db, None, audit.AuditAction.office_updated, detail={"fields": ["name", "phone"]})
    db.flush()
    [entry] = db.exec(select(AuditEntry).where(AuditEntry.action == "office.updated")).all()
    assert audit.detail_of(entry) == {"fields": ["name", "phone"]}


def test_every_action_has_words_for_the_screens() -> None:
    assert set(audit.ACTION_WORDS) == set(audit.AuditAction)


def test_permission_denied_reads_like_not_found() -> None:
    assert PermissionDenied().message == NotFound().message
    assert not hasattr(AuthenticationFailed, "keeps_writes")  # failure writes use db.keep_on_failure


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(1, "1 second"), (15, "15 seconds"), (59, "59 seconds"), (60, "1 minute"), (61, "2 minutes"), (900, "15 minutes")],
)
def test_throttled_says_how_long_to_wait(seconds: int, words: str) -> None:
    error = Throttled(seconds)
    assert error.retry_after_seconds == seconds
    assert error.message == f"Too many attempts. Please wait {words} and try again."
