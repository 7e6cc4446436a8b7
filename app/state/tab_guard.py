"""The tab guard: nothing a previous person loaded survives in a browser tab's state.

A tab's server-side state outlives its user (a shared computer, a family
tablet). Before every event of a tab (the reconnect's hydrate included) the
guard compares the session on the tab's connection with the session the
tab's state was loaded for; when they differ (signed out, expired, someone
else signed in, a cookie-less reconnect) it resets every state of the tab
before the event runs, so the answer carries none of it. On a (re)connect it
also checks the offices and records the account can still reach: losing one
(removed from an office, record access revoked) wipes the tab too.

The database is asked only when the tab holds something or the connection
carries a session, so signed-out visitors (the public booking page) cost nothing.
Nor is it asked again for a click within seconds of the last check with the same
cookie (sessions.BINDING_TRUST): that read was a tenth of a busy worker's time. Every
handler still resolves its actor from the session row and wipes the tab when the session
is gone (SessionState._as_actor), and a session that ends pushes a checking heartbeat to
its tabs within a tick of the live watcher (app/live/watcher.py).

A signed-in tab that (re)connects also follows its live topics again on the worker that now
holds its socket (app/live/): those its state recorded, and its `heartbeat` about a second later,
which re-checks invitations and access and follows the account's topics afresh.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reflex.event import Event
from reflex.middleware.middleware import Middleware
from reflex.state import BaseState, OnLoadInternalState, StateUpdate

from app.db import unit_of_work
from app.live.registry import REGISTRY
from app.services import sessions
from app.state.invitations import HEARTBEAT
from app.state.notices import notify
from app.state.session import SessionState

if TYPE_CHECKING:
    from reflex.app import App

HYDRATE_EVENTS = ("hydrate", "hydrate_and_load")
# The live re-check (state/invitations.py) also re-checks what the account can reach.
ACCESS_CHECK_EVENTS = (*HYDRATE_EVENTS, "heartbeat")
RECHECK_AFTER_CONNECT_SECONDS = 1.0


@dataclass(frozen=True)
class Wiped:
    signed_out: bool
    lost: tuple[str, ...]  # names of the offices or records no longer reachable


def _handler_name(event: Event) -> str:
    return event.name.rsplit(".", 1)[-1]


async def guard_tab(root: BaseState, *, check_access: bool, hydrating: bool = False) -> Wiped | None:
    """Wipe the tab when its connection's session (or what it can reach) has changed."""
    tab = await root.get_state(SessionState)
    if hydrating and tab.handoff_action:
        # A (re)connect comes after the handoff's page load: the form was used once, never again.
        tab.handoff_action = tab.handoff_ticket = ""
    token_hash = tab._session_hash()
    if not token_hash and not tab._bound_session:
        return None
    fingerprint = sessions.binding_fingerprint(token_hash)
    trusted = tab._bound_session and fingerprint == tab._bound_cookie and sessions.binding_trusted(tab._bound_until)
    if trusted and not check_access:
        return None
    bound_session, bound_access = tab._bound_session, frozenset(tab._bound_access)

    def read_binding() -> tuple[sessions.TabBinding, tuple[str, ...]]:
        with unit_of_work(read_only=True) as db:
            binding = sessions.tab_binding(db, token_hash, with_access=check_access)
            lost = bound_access - binding.access if check_access and binding.session_id == bound_session else ()
            return binding, tuple(sessions.access_names(db, lost)) if lost else ()

    binding, lost = await asyncio.to_thread(read_binding)
    changed = binding.session_id != bound_session or bool(lost)
    if changed:
        await tab._wipe_tab()
    tab._bound_session = binding.session_id
    tab._bound_cookie, tab._bound_until = fingerprint, binding.trusted_until
    if check_access or binding.session_id == 0:
        tab._bound_access = sorted(binding.access)
    if hydrating and binding.session_id:
        follow_again(tab)
    return Wiped(signed_out=binding.session_id == 0, lost=lost) if changed else None


def follow_again(tab: SessionState) -> None:
    """After a (re)connect: what the tab followed (a change missed meanwhile is sent at once, its
    versions being older), and the heartbeat, soon, to follow the account's topics afresh."""
    token = tab._tab_token()
    for event, seen in tab._live.items():
        if event != HEARTBEAT:
            REGISTRY.subscribe(token, event, seen)
    REGISTRY.subscribe(token, HEARTBEAT, tab._live.get(HEARTBEAT, {}), recheck_in=RECHECK_AFTER_CONNECT_SECONDS)


class TabGuard(Middleware):
    """Runs before every event of every tab (see the module's docstring)."""

    async def preprocess(self, app: App, state: BaseState, event: Event) -> StateUpdate | None:
        name = _handler_name(event)
        wiped = await guard_tab(state, check_access=name in ACCESS_CHECK_EVENTS, hydrating=name in HYDRATE_EVENTS)
        if wiped is None or name in HYDRATE_EVENTS:
            return None  # a hydrate goes on, and sends the wiped state
        # Any other event was meant for what is gone: send the wiped state instead, and load the
        # page afresh (its on_load sends a signed-out person to sign in).
        root = state._get_root_state()
        delta = await root._get_resolved_delta()
        root._clean()
        follow_up: list = [OnLoadInternalState.on_load_internal]
        if wiped.lost:
            follow_up.append(notify.warning(f"You no longer have access to {', '.join(wiped.lost)}."))
        return StateUpdate(delta=delta, events=Event.from_event_type(follow_up))
