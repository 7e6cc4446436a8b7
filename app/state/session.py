"""The signed-in session every other state builds on.

The browser holds the session token in an HttpOnly cookie; the websocket
carries only its hash (app/web/cookie.py), and the actor is looked up from it
on every action, so sign-out, expiry and lost access bite on the next click.

Every state of the app derives from SessionState, so `_wipe_tab` can reset a
browser tab's whole tree: the tab guard (state/tab_guard.py) does it whenever
the tab's connection no longer belongs to the session it was loaded for.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import quote

import reflex as rx
from sqlmodel import Session

from app.db import unit_of_work
from app.live.registry import REGISTRY
from app.services import sessions
from app.services.actor import Actor
from app.services.errors import NotSignedIn
from app.services.formatting import initials
from app.web.cookie import session_hash
from app.web.session_routes import CLOSE_PATH, OPEN_PATH

log = logging.getLogger("praxis.state")
T = TypeVar("T")


def home_path(actor: Actor) -> str:
    return "/portal" if actor.is_patient else "/clinic"


class SessionState(rx.State):
    user_name: rx.Field[str] = rx.field("")
    user_email: rx.Field[str] = rx.field("")
    user_initials: rx.Field[str] = rx.field("")
    # shown as a label ("Account type"); what pages offer comes from the flags below
    user_kind: rx.Field[str] = rx.field("")
    patient_account: rx.Field[bool] = rx.field(False)  # a portal account (Actor.is_patient)
    clinic_account: rx.Field[bool] = rx.field(False)  # a practitioner or staff account (Actor.is_clinic)
    # "loading" until the page's data arrives, then "ready", or "denied" when
    # the server refused this page to this account.
    page_status: rx.Field[str] = rx.field("loading")
    page_message: rx.Field[str] = rx.field("")  # why a page was refused
    # A plain form the page posts to set or clear the HttpOnly cookie (components/session_handoff.py).
    handoff_action: rx.Field[str] = rx.field("")
    handoff_ticket: rx.Field[str] = rx.field("")
    # What this tab's state was loaded for (sessions.TabBinding); never sent to the browser.
    _bound_session: int = 0
    _bound_access: list[str] = []
    # The cookie the binding was last checked with (sessions.binding_fingerprint), and until when an
    # event sent with it may skip the check (sessions.TabBinding.trusted_until; hydrates and heartbeats never do).
    _bound_cookie: str = ""
    _bound_until: float = 0.0
    # What this tab follows for pushed live updates: event name → topic → version seen (app/live/).
    # Kept in the tab's state so that a reconnect, to any worker, follows the same (state/tab_guard.py).
    _live: dict[str, dict[str, int]] = {}

    def _client_ip(self) -> str:
        return self.router.session.client_ip or ""

    def _session_hash(self) -> str:
        """The hash of the session cookie on this tab's connection ("" when there is none)."""
        return session_hash(self.router.headers.raw_headers)

    async def _wipe_tab(self) -> None:
        """Reset every state of this browser tab to its defaults (all derive from SessionState)."""
        root = self._get_root_state()
        session = await root.get_state(SessionState)
        for state_class in app_state_classes():
            await root.get_state(state_class)  # loads it when the state manager has not yet
        session.reset()
        REGISTRY.drop(self._tab_token())

    def _tab_token(self) -> str:
        return self.router.session.client_token

    async def _follow(self, event: str, seen: dict[str, int], *, recheck_in: float | None = None) -> None:
        """Have `event` (full name) sent to this tab when one of `seen`'s topics moves (app/live/).
        `seen` comes from services/live_versions.py, which decides what the actor may follow."""
        tab = await self.get_state(SessionState)
        tab._live = {**tab._live, event: dict(seen)}
        REGISTRY.subscribe(self._tab_token(), event, seen, recheck_in=recheck_in)

    async def _unfollow(self, event: str) -> None:
        tab = await self.get_state(SessionState)
        if event in tab._live:
            tab._live = {name: seen for name, seen in tab._live.items() if name != event}
        REGISTRY.unsubscribe(self._tab_token(), event)

    def _hand_off(self, ticket: str) -> None:
        """Let the page post the sign-in ticket to the cookie route (a full page load follows)."""
        self.handoff_ticket, self.handoff_action = ticket, OPEN_PATH

    def _hand_off_sign_out(self) -> None:
        self.handoff_ticket, self.handoff_action = "", CLOSE_PATH

    async def _run(self, work: Callable[[Session], T], *, read_only: bool = False) -> T:
        """One transaction, off the event loop."""

        def in_transaction() -> T:
            with unit_of_work(read_only=read_only) as db:
                return work(db)

        return await asyncio.to_thread(in_transaction)

    async def _as_actor(self, work: Callable[[Session, Actor], T], *, touch: bool = True, poll: bool = False) -> T:
        """Resolve the signed-in actor from the session row, then do the work, in one transaction.

        A `poll` is a page's background check: it is not the person's activity (no touch) and only
        reads, so it never waits for or holds up a writer."""
        if poll:
            touch = False
        token_hash, client_ip = self._session_hash(), self._client_ip()

        def with_actor(db: Session) -> T:
            actor = sessions.resolve_hashed(db, token_hash, client_ip, touch=touch)
            if actor is None:
                raise NotSignedIn()
            return work(db, actor)

        try:
            return await self._run(with_actor, read_only=poll)
        except NotSignedIn:
            # The session ended since the tab guard last checked it (it trusts a check for seconds):
            # nothing of it stays in the tab, as if the guard had seen it (state/tab_guard.py). A tab
            # bound to no session (a signed-out visitor asking whether they are signed in) keeps its own.
            if (await self.get_state(SessionState))._bound_session:
                await self._wipe_tab()
            raise

    def _remember_user(self, actor: Actor) -> None:
        """Who is signed in, for the page: call it after the work's `await`, with the actor it returned."""
        self.user_name = actor.full_name
        self.user_email = actor.email
        self.user_initials = initials(actor.full_name)
        self.user_kind = actor.kind.value
        self.patient_account, self.clinic_account = actor.is_patient, actor.is_clinic

    def _to_sign_in(self, message: str = "Please sign in to continue."):
        from app.state.notices import notify  # notices.py builds on this module

        self.page_status = "loading"
        query = self.router.url.query
        target = (self.router.url.path or "/") + (f"?{query}" if query else "")
        return [
            rx.redirect(f"/sign-in?next={quote(target)}"),
            notify.info(message, id="session"),
        ]

    @rx.event
    async def sign_out(self) -> None:
        """End the session at once, wipe the tab, then let the page clear the cookie (→ /sign-in)."""
        token_hash, client_ip = self._session_hash(), self._client_ip()

        def end(db: Session) -> None:
            sessions.end_hashed(db, token_hash, client_ip=client_ip)

        if token_hash:
            await self._run(end)
        await self._wipe_tab()
        self._hand_off_sign_out()

    @rx.event
    async def route_home(self):
        """`/`: the workspace for staff, the portal for patients, else sign-in."""

        def who(db: Session, actor: Actor) -> Actor:
            return actor

        try:
            actor = await self._as_actor(who)
        except NotSignedIn:
            return rx.redirect("/sign-in")
        return rx.redirect(home_path(actor))


def safe_next_path(value: str) -> str:
    """Only local paths are followed after sign-in (no open redirects)."""
    if value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return ""


def app_state_classes() -> list[type[SessionState]]:
    """SessionState and every state below it: the whole of a tab's app state."""
    found: list[type[SessionState]] = []
    pending: list[type[SessionState]] = [SessionState]
    while pending:
        state_class = pending.pop()
        found.append(state_class)
        pending.extend(sub for sub in state_class.get_substates() if issubclass(sub, SessionState))
    return found
