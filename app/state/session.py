"""The signed-in session every other state builds on.

The cookie holds a random token; everything else is looked up on the server
on every action, so sign-out, expiry and lost access bite on the next click.
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
from app.services import sessions
from app.services.actor import Actor
from app.services.errors import DomainError, NotSignedIn, PermissionDenied

log = logging.getLogger("praxis.state")
T = TypeVar("T")
SESSION_COOKIE = "praxis_session"


def home_path(kind: str) -> str:
    return "/portal" if kind == "patient" else "/clinic"


def initials(full_name: str) -> str:
    parts = [part for part in full_name.split() if part]
    if not parts:
        return "?"
    letters = parts[0][0] + (parts[-1][0] if len(parts) > 1 else "")
    return letters.upper()


class SessionState(rx.State):
    session_token: str = rx.Cookie("", name=SESSION_COOKIE, same_site="strict", max_age=12 * 3600)
    user_name: str = ""
    user_email: str = ""
    user_initials: str = ""
    user_kind: str = ""
    # "loading" until the page's data arrives, then "ready", or "denied" when
    # the server refused this page to this account.
    page_status: str = "loading"
    page_message: str = ""  # why a page was refused

    def _client_ip(self) -> str:
        return self.router.session.client_ip or ""

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
        token, client_ip = self.session_token, self._client_ip()

        def with_actor(db: Session) -> T:
            actor = sessions.resolve(db, token, client_ip, touch=touch)
            if actor is None:
                raise NotSignedIn()
            return work(db, actor)

        return await self._run(with_actor, read_only=poll)

    def _remember_user(self, actor: Actor) -> None:
        self.user_name = actor.full_name
        self.user_email = actor.email
        self.user_initials = initials(actor.full_name)
        self.user_kind = actor.kind.value

    def _forget_user(self) -> None:
        self.session_token = ""
        self.user_name = self.user_email = self.user_initials = self.user_kind = ""

    def _to_sign_in(self, message: str = "Please sign in to continue."):  # type: ignore[no-untyped-def]
        self._forget_user()
        self.page_status = "loading"
        query = self.router.url.query
        target = (self.router.url.path or "/") + (f"?{query}" if query else "")
        return [
            rx.redirect(f"/sign-in?next={quote(target)}"),
            rx.toast.info(message, id="session"),
        ]

    def _handle(self, error: DomainError):  # type: ignore[no-untyped-def]
        """The common response to a domain error that no field owns."""
        if isinstance(error, NotSignedIn):
            return self._to_sign_in(error.message)
        if isinstance(error, PermissionDenied):
            return rx.toast.error(error.message)
        return rx.toast.error(error.message)

    @rx.event
    async def sign_out(self):  # type: ignore[no-untyped-def]
        token = self.session_token

        def end(db: Session) -> None:
            sessions.end(db, token)

        if token:
            await self._run(end)
        self._forget_user()
        return [rx.redirect("/sign-in"), rx.toast.success("You are signed out.", id="session")]

    @rx.event
    async def route_home(self):  # type: ignore[no-untyped-def]
        """`/`: the workspace for staff, the portal for patients, else sign-in."""

        def who(db: Session, actor: Actor) -> Actor:
            return actor

        try:
            actor = await self._as_actor(who)
        except NotSignedIn:
            return rx.redirect("/sign-in")
        return rx.redirect(home_path(actor.kind.value))


def safe_next_path(value: str) -> str:
    """Only local paths are followed after sign-in (no open redirects)."""
    if value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return ""
