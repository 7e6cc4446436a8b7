"""The tab guard trusts a checked session for a few seconds (sessions.BINDING_TRUST), never longer.

A click sent with the cookie the tab was just checked with skips the database; a hydrate, a
heartbeat, another cookie, or a trust that ran out checks again, and a handler that finds the
session gone drops the trust. The session rows are faked here: what the guard decides is the test.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import reflex as rx

import app.app  # noqa: F401  (the app's states, registered as Reflex expects)
import app.state.session as session_module
import app.state.tab_guard as tab_guard
from app.services import sessions
from app.services.errors import NotSignedIn
from app.state.session import SessionState

SESSION_OF = {"cookie-a": 7, "cookie-b": 9}


@dataclass
class FakeSessions:
    cookie: str = "cookie-a"
    trust_seconds: float = 30.0
    checks: list[str] = field(default_factory=list)

    def tab_binding(self, _db: object, token_hash: str, *, with_access: bool) -> sessions.TabBinding:
        self.checks.append(token_hash)
        session_id = SESSION_OF.get(token_hash, 0)
        until = time.time() + self.trust_seconds if session_id else 0.0
        return sessions.TabBinding(session_id, frozenset(), until)


@contextlib.contextmanager
def _no_database(read_only: bool = False) -> Iterator[None]:
    yield None


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeSessions:
    fake = FakeSessions()
    monkeypatch.setattr(SessionState, "_session_hash", lambda self: fake.cookie)
    monkeypatch.setattr(tab_guard.sessions, "tab_binding", fake.tab_binding)
    monkeypatch.setattr(tab_guard, "unit_of_work", _no_database)
    return fake


def _guard(root: rx.State, event: str) -> tab_guard.Wiped | None:
    checks = tab_guard.ACCESS_CHECK_EVENTS
    return asyncio.run(tab_guard.guard_tab(root, check_access=event in checks, hydrating=event == "hydrate"))


def _tab() -> tuple[rx.State, SessionState]:
    root = rx.State(_reflex_internal_init=True)
    return root, asyncio.run(root.get_state(SessionState))  # type: ignore[return-value]


def test_clicks_right_after_a_check_skip_the_database_but_hydrates_and_heartbeats_never_do(fake: FakeSessions) -> None:
    root, _tab_state = _tab()
    _guard(root, "hydrate")  # a fresh tab is bound to the session
    assert fake.checks == ["cookie-a"]
    assert _guard(root, "move") is None and _guard(root, "save") is None
    assert fake.checks == ["cookie-a"]
    _guard(root, "heartbeat")
    _guard(root, "hydrate")
    assert fake.checks == ["cookie-a"] * 3


def test_another_cookie_on_the_connection_is_checked_at_once_and_wipes_the_tab(fake: FakeSessions) -> None:
    root, tab = _tab()
    _guard(root, "hydrate")
    tab.user_name = "Ann Private"
    fake.cookie = "cookie-b"  # someone else's session on the same tab
    wiped = _guard(root, "move")
    assert fake.checks == ["cookie-a", "cookie-b"]
    assert wiped is not None and not wiped.signed_out
    assert tab.user_name == "" and tab._bound_session == 9
    fake.cookie = ""  # signed out: no cookie at all
    wiped = _guard(root, "move")
    assert wiped is not None and wiped.signed_out and tab._bound_until == 0.0


def test_a_trust_that_ran_out_is_checked_again(fake: FakeSessions) -> None:
    root, _tab_state = _tab()
    fake.trust_seconds = -1.0  # the session's idle end has come (the service never trusts past it)
    _guard(root, "hydrate")
    _guard(root, "move")
    assert fake.checks == ["cookie-a", "cookie-a"]


def test_a_handler_that_finds_the_session_gone_wipes_the_tab_and_drops_the_trust(
    fake: FakeSessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, tab = _tab()
    _guard(root, "hydrate")
    assert sessions.binding_trusted(tab._bound_until)
    tab.user_name = "Ann Private"
    monkeypatch.setattr(session_module, "unit_of_work", _no_database)
    monkeypatch.setattr(session_module.sessions, "resolve_hashed", lambda *args, **kwargs: None)
    with pytest.raises(NotSignedIn):
        asyncio.run(tab._as_actor(lambda db, actor: actor))
    assert tab._bound_until == 0.0 and tab.user_name == ""
    _guard(root, "move")
    assert fake.checks == ["cookie-a", "cookie-a"]


def test_a_signed_out_visitor_asking_whether_they_are_signed_in_keeps_their_tab(
    fake: FakeSessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.cookie = ""
    root, tab = _tab()
    _guard(root, "hydrate")
    tab.page_message = "half a booking typed in"
    monkeypatch.setattr(session_module, "unit_of_work", _no_database)
    with pytest.raises(NotSignedIn):
        asyncio.run(tab._as_actor(lambda db, actor: actor))
    assert tab.page_message == "half a booking typed in"
