"""A browser tab's server-side state outlives its user: nothing of them may come back (issue 9).

Over the real websocket (tests/e2e/socket_client.py): a person loads pages
full of tagged data on a tab, then signs out, goes idle past the timeout, or
is removed from the office; the tab reconnects with the SAME tab token (a
reload) and the first hydrate — and the next person's pages on that tab —
must carry none of the tagged words. Each test first checks that the words
did reach the tab while they were allowed to, so a pass is not vacuous.

Also: the session cookie as the browser holds it (HttpOnly, SameSite=Strict,
not in `document.cookie`), and the tab states on disk (no raw session token,
files 0600 in a 0700 folder).
"""

from __future__ import annotations

import json
import os
import re
import stat
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Page, expect

import app.app  # noqa: F401  (registers every state class, as the server does)
from app.models import AccountKind
from app.state.auth import SignInState
from app.state.patient_workspace import PatientWorkspaceState
from app.state.session import SessionState
from app.state.team import OfficeTeamState
from app.state.workspace_tabs import WorkspaceAccessState
from tests.e2e.harness import RunningApp
from tests.e2e.office_data import Account, AppDatabase, Tags
from tests.e2e.socket_client import HYDRATE, NAMESPACE, ROOT, SocketClient, contains_any, event_name, var
from tests.e2e.steps import open_page, sign_in

IDLE_MINUTES = 31  # the idle timeout is 30 minutes
WORKSPACE_STATE = PatientWorkspaceState.get_full_name()
ACCESS_TAB_STATE = WorkspaceAccessState.get_full_name()
SESSION_STATE = SessionState.get_full_name()


@dataclass
class World:
    """Office X with its owner, a staff member, two records (one held by patient B), a
    schedule, a pending invitation; patient A with a record at office W; the owner of office Y."""

    db: AppDatabase
    x: Tags  # office X's own words: name, address, service, time off, invitation, proposal
    owner: Account
    staff: Account
    removed: Account  # a second staff member, removed in the removal test
    p1: int  # B's record
    p2: int
    p1_tags: Tags
    p2_tags: Tags
    b: Account
    b_tags: Tags
    a: Account
    a_tags: Tags
    y_owner: Account
    y_tags: Tags
    tokens: list[str] = field(default_factory=list)  # every raw session token seen in this module

    def office_x_words(self) -> list[str]:
        """Everything of office X a person outside it must never see."""
        people = [*self.owner_words, *self.staff_words, *self.removed_words]
        return [*self.x.words, *self.p1_tags.words, *self.p2_tags.words, *self.b_tags.words, *people]

    def b_words(self) -> list[str]:
        """Patient B and B's record (with the clinic's name)."""
        return [*self.b_tags.words, *self.p1_tags.words, *self.x.words]

    owner_words: list[str] = field(default_factory=list)
    staff_words: list[str] = field(default_factory=list)
    removed_words: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def world(app: RunningApp) -> Iterator[World]:
    db = AppDatabase.of(app)
    x, owner_tags, staff_tags, removed_tags = Tags(), Tags(), Tags(), Tags()
    owner = db.account(owner_tags)
    office_x = db.office(owner, x)
    staff = db.account(staff_tags)
    db.join(owner, office_x, staff, "staff")
    removed = db.account(removed_tags)
    db.join(owner, office_x, removed, "staff")
    p1_tags, p2_tags = Tags(), Tags()
    p1, p2 = db.patient(owner, office_x, p1_tags), db.patient(owner, office_x, p2_tags)
    b_tags = Tags()
    b = db.account(b_tags, AccountKind.patient)
    db.give_record(owner, p1, b)
    db.proposal(b, p1, x)
    service = db.service(owner, office_x, x)
    db.appointment(owner, office_x, p1, service)
    db.appointment(owner, office_x, p2, service, days_ahead=2)
    db.time_off(owner, office_x, x)
    db.invitation(owner, office_x, x.email())
    db.access_code(owner, p1)  # an unused code in the workspace's list
    # Patient A holds a record at office W; the owner of office Y is "someone else" for staff tabs.
    w, w_owner_tags, a_tags, pa_tags, y_tags = Tags(), Tags(), Tags(), Tags(), Tags()
    w_owner = db.account(w_owner_tags)
    office_w = db.office(w_owner, w)
    a = db.account(a_tags, AccountKind.patient)
    db.give_record(w_owner, db.patient(w_owner, office_w, pa_tags), a)
    y_owner = db.account(y_tags)
    db.office(y_owner, y_tags)
    yield World(
        db=db,
        x=x,
        owner=owner,
        staff=staff,
        removed=removed,
        p1=p1,
        p2=p2,
        p1_tags=p1_tags,
        p2_tags=p2_tags,
        b=b,
        b_tags=b_tags,
        a=a,
        a_tags=a_tags,
        y_owner=y_owner,
        y_tags=y_tags,
        owner_words=owner_tags.words,
        staff_words=staff_tags.words,
        removed_words=removed_tags.words,
    )
    db.close()


# ---- helpers -------------------------------------------------------------------------


def signed_in(app: RunningApp, world: World, account: Account, client: SocketClient | None = None) -> SocketClient:
    """A tab (new, or the one given) on /sign-in that signs in as the account over its websocket."""
    if client is None:
        client = SocketClient(app.base_url)
        client.connect("/sign-in")
    else:
        client.reconnect("/sign-in", {}, cookie="")
    world.tokens.append(client.sign_in(SignInState.sign_in, account.email, account.password))
    return client


def workspace(patient_id: int) -> tuple[str, dict[str, str]]:
    return f"/clinic/patients/{patient_id}", {"record_id": str(patient_id)}


def assert_none_of(text: str, words: list[str], what: str) -> None:
    found = contains_any(text, words)
    if found:
        where = text.lower().find(found[0].lower())
        excerpt = text[max(0, where - 300) : where + 300]
        raise AssertionError(f"{what}: found {found} in what the server sent:\n…{excerpt}…")


def assert_all_of(text: str, words: list[str], what: str) -> None:
    missing = [w for w in words if w not in contains_any(text, words)]
    assert not missing, f"{what}: expected {missing} in what the server sent (the test would prove nothing)"


def assert_same_tab(client: SocketClient, updates: list[dict]) -> None:
    """The reconnect really reached the old tab state (the server did not hand out a new token)."""
    sessions = [var(u, ROOT, "rx_router_session") for u in updates]
    tokens = {s.get("client_token") for s in sessions if isinstance(s, dict)}
    assert tokens == {client.token}, f"the hydrate was for tab {tokens}, not {client.token}"


def assert_full_snapshot(updates: list[dict]) -> None:
    """The hydrate sent every state of the tab (so the search covered all of it)."""
    states = {name for update in updates for name in update.get("delta", {})}
    assert WORKSPACE_STATE in states and SESSION_STATE in states, f"not a full snapshot: {sorted(states)}"


def reload_without_cookie(client: SocketClient, pathname: str, query: dict[str, str] | None = None) -> int:
    """What the browser does after sign-out: the cookie is gone, the same tab loads a page."""
    mark = len(client.frames)
    updates = client.reconnect(pathname, query or {}, cookie="")
    assert_same_tab(client, updates)
    assert_full_snapshot(updates)
    return mark


def close_session(app: RunningApp, token: str) -> None:
    """POST /_session/close with the cookie, as the hidden form does after sign-out (here: another tab)."""
    request = urllib.request.Request(
        app.url("/_session/close"),
        data=b"",
        headers={"Origin": app.base_url, "Cookie": f"praxis_session={token}"},
        method="POST",
    )
    try:
        urllib.request.urlopen(request, timeout=10).close()  # follows the 303 to /sign-in
    except urllib.error.HTTPError as error:
        raise AssertionError(f"/_session/close answered {error.code}") from error


# ---- sign-out ----------------------------------------------------------------------------


def test_after_sign_out_the_same_tab_shows_nothing_of_patient_b_not_even_to_patient_a(
    app: RunningApp, world: World
) -> None:
    with signed_in(app, world, world.b) as tab:
        before = len(tab.frames)
        tab.reconnect("/portal", {})
        tab.reconnect("/portal/appointments", {})
        tab.reconnect("/portal/profile", {})
        assert_all_of(tab.received_text(before), world.p1_tags.words[:3] + world.b_tags.words[:2], "B's portal")

        mark = len(tab.frames)
        answer = tab.call(SessionState.sign_out)
        assert any(var(u, SESSION_STATE, "handoff_action") == "/_session/close" for u in answer)
        close_session(app, tab.cookie)
        reload_mark = reload_without_cookie(tab, "/portal/profile")
        assert_none_of(tab.received_text(mark), world.b_words(), "sign-out and a cookie-less reload")
        assert_none_of(tab.received_text(reload_mark), world.b_words(), "the first hydrate after sign-out")

        mark = len(tab.frames)
        signed_in(app, world, world.a, tab)
        updates = tab.reconnect("/portal/profile", {})
        assert_same_tab(tab, updates)
        tab.reconnect("/portal", {})
        text = tab.received_text(mark)
        assert_all_of(text, world.a_tags.words[:2], "A's portal")
        assert_none_of(text, world.b_words(), "patient A's sign-in and pages on B's old tab")


def test_a_tab_whose_session_ended_in_another_tab_shows_nothing_on_reload(app: RunningApp, world: World) -> None:
    with signed_in(app, world, world.b) as tab:
        before = len(tab.frames)
        tab.reconnect("/portal/profile", {})
        assert_all_of(tab.received_text(before), world.p1_tags.words[:2], "B's profile")
        close_session(app, tab.cookie)  # the other tab's sign-out

        mark = len(tab.frames)
        updates = tab.reconnect("/portal/profile", {})  # still sending the ended session's cookie
        assert_same_tab(tab, updates)
        assert_full_snapshot(updates)
        assert_none_of(tab.received_text(mark), world.b_words(), "a reload after the session ended elsewhere")


def test_after_sign_out_with_the_access_code_dialog_open_the_tab_shows_nothing_of_the_office(
    app: RunningApp, world: World
) -> None:
    path, query = workspace(world.p1)
    with signed_in(app, world, world.owner) as tab:
        before = len(tab.frames)
        tab.reconnect("/clinic/calendar", {})
        tab.reconnect("/clinic/patients", {})
        tab.reconnect(path, query)
        tab.call(WorkspaceAccessState.load_tab)  # the Patient Portal Access tab: holders and codes
        answer = tab.call(WorkspaceAccessState.generate_code)
        generated = next(g for u in answer if (g := var(u, ACCESS_TAB_STATE, "generated")))
        code_words, code = generated["words"], generated["code"]
        seen = tab.received_text(before)
        assert_all_of(seen, [code_words, world.b.email, *world.p1_tags.words, *world.p2_tags.words[:2]], "staff pages")

        mark = len(tab.frames)
        tab.call(SessionState.sign_out)
        close_session(app, tab.cookie)
        reload_mark = reload_without_cookie(tab, path, query)
        secrets_ = [code_words, code, *world.office_x_words()]
        assert_none_of(tab.received_text(mark), secrets_, "sign-out and a cookie-less reload")
        assert_none_of(tab.received_text(reload_mark), secrets_, "the first hydrate after sign-out")

        # Someone else (the owner of office Y) signs in on that tab and opens the same address.
        mark = len(tab.frames)
        signed_in(app, world, world.y_owner, tab)
        updates = tab.reconnect(path, query)
        assert_same_tab(tab, updates)
        tab.reconnect("/clinic/patients", {})
        text = tab.received_text(mark)
        assert_all_of(text, world.y_tags.words[:1], "Y's pages")
        assert_none_of(text, secrets_, "another office's owner on the old tab")


# ---- expiry and lost access ------------------------------------------------------------------


def test_after_the_idle_timeout_the_same_tab_and_cookie_show_nothing_of_the_user(app: RunningApp, world: World) -> None:
    path, query = workspace(world.p2)
    with signed_in(app, world, world.staff) as tab:
        before = len(tab.frames)
        tab.reconnect("/clinic/patients", {})
        tab.reconnect(path, query)
        assert_all_of(tab.received_text(before), [*world.p2_tags.words, world.staff.email], "the staff member's pages")

        world.db.age_sessions(world.staff.user_id, IDLE_MINUTES)
        mark = len(tab.frames)
        updates = tab.reconnect(path, query)  # the same cookie, the same tab
        assert_same_tab(tab, updates)
        assert_full_snapshot(updates)
        assert_none_of(
            tab.received_text(mark), [*world.office_x_words(), world.staff.email], "the reload after the idle timeout"
        )


def test_after_removal_from_the_office_the_same_tab_shows_nothing_of_it(app: RunningApp, world: World) -> None:
    path, query = workspace(world.p1)
    with signed_in(app, world, world.removed) as tab, signed_in(app, world, world.owner) as owner_tab:
        before = len(tab.frames)
        tab.reconnect("/clinic/calendar", {})
        tab.reconnect("/clinic/patients", {})
        tab.reconnect(path, query)
        tab.call(WorkspaceAccessState.load_tab)  # the Patient Portal Access tab: the holders' e-mails
        assert_all_of(tab.received_text(before), [*world.p1_tags.words[:3], world.b.email], "the member's pages")

        owner_tab.reconnect("/clinic/office", {})
        owner_tab.call(OfficeTeamState.ask, {"action": "remove", "user_id": str(world.removed.user_id), "name": "x"})
        owner_tab.call(OfficeTeamState.confirm)
        members = world.db.table_rows("memberships")
        assert not any(m["user_id"] == world.removed.user_id for m in members), "the owner's removal did not happen"

        mark = len(tab.frames)
        updates = tab.reconnect(path, query)  # the same cookie (still a live session), the same tab
        assert_same_tab(tab, updates)
        assert_full_snapshot(updates)
        office_words = [w for w in world.office_x_words() if w not in world.removed_words]
        assert_none_of(tab.received_text(mark), office_words, "the reload after removal from the office")


# ---- the cookie and the state files ------------------------------------------------------------


def assert_socket_client_speaks_like_the_browser(sent: list[str]) -> None:
    """The frames Chromium sent have the shape tests/e2e/socket_client.py sends."""
    connects = [json.loads(f.split(",", 1)[1]) for f in sent if f.startswith(f"40{NAMESPACE},")]
    assert connects, f"no socket.io CONNECT among the browser's frames: {sent[:5]}"
    boot = connects[0]["event"]
    assert boot["name"] == HYDRATE and set(boot) >= {"name", "payload", "router_data"}, boot
    assert boot["router_data"]["pathname"].startswith("/"), boot
    events = [json.loads(f.split(",", 1)[1]) for f in sent if f.startswith(f"42{NAMESPACE},")]
    assert events and all(e[0] == "event" and set(e[1]) >= {"name", "router_data"} for e in events), events[:3]
    sign_in_event = next(e[1] for e in events if e[1]["name"] == event_name(SignInState.sign_in))
    assert set(sign_in_event["payload"]) == {"form"}, sign_in_event


def test_the_session_cookie_is_http_only_and_strict_and_no_tab_state_is_written_to_disk(
    app: RunningApp, world: World, new_page: Callable[[], Page]
) -> None:
    page = new_page()
    sent: list[str] = []
    page.on("websocket", lambda socket: socket.on("framesent", lambda frame: sent.append(str(frame))))
    sign_in(page, world.b.email, world.b.password)
    expect(page).to_have_url(re.compile(r"/portal/?$"))
    open_page(page, "/portal/profile")
    first_name = world.p1_tags.words[0].capitalize()
    expect(page.get_by_role("button", name="Send changes to the clinic")).to_be_visible()
    expect(page.get_by_label("First name")).to_have_value(first_name)

    cookies = [c for c in page.context.cookies() if c["name"] == "praxis_session"]
    assert len(cookies) == 1, page.context.cookies()
    cookie = cookies[0]
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/"
    assert cookie["secure"] is False  # plain http here; Secure whenever PRAXIS_BASE_URL is https
    script_sees = page.evaluate("document.cookie")
    assert "praxis_session" not in script_sees and cookie["value"] not in script_sees
    world.tokens.append(cookie["value"])
    assert_socket_client_speaks_like_the_browser(sent)

    # A websocket client with the browser's cookie is that browser's session; what the server keeps
    # for a tab (every state, the connection's headers) reaches it in the hydrate: no token there.
    tokens = sorted(set(world.tokens))
    assert len(tokens) >= 2
    with SocketClient(app.base_url, cookie=cookie["value"]) as tab:
        tab.connect("/portal/profile")
        assert_all_of(tab.received_text(), world.p1_tags.words[:2], "the browser session's profile")
        assert_none_of(tab.received_text(), tokens, "the tab's state as the server sends it (raw session tokens)")

    # On disk: nothing. With one worker (`make run`) tabs' states live in the server's memory
    # (rxconfig.py); the folder a disk store would use stays private (0700) and empty.
    states = app.data_dir / "states"
    assert stat.S_IMODE(states.stat().st_mode) == 0o700, oct(states.stat().st_mode)
    time.sleep(3)  # the disk store wrote a couple of seconds after a change
    files = [p for p in states.rglob("*") if p.is_file()]
    assert not files, f"tab states written to disk: {[p.name for p in files][:5]}"
    assert os.stat(app.data_dir).st_mode & 0o077 == 0
