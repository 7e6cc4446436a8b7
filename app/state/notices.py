"""Toasts from the server, without eval: the page's CSP allows no 'unsafe-eval'.

`rx.toast.*` returned from a backend handler reaches the browser as a
`_call_function` event whose function is a string, which Reflex's frontend
evals. Instead, a handler returns (or yields) `notify.success("Saved.")`: an
event that sets this state's notice, and a compiled effect mounted on every
page (components/notices.py) calls sonner's `toast` when a new notice arrives.

    return notify.error(error.message)
    yield notify.success("Office details saved.")
    return [rx.redirect("/clinic"), notify.warning("…", id="access")]

The event goes to the page and back, so it works from anywhere that can
answer with an event: handlers, middleware, the backend exception handler.
A notice is shown once: a reload or reconnect clears it before the page's
state is sent (NoticeReplayGuard), and a wiped tab has none.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, cast

import reflex as rx
from reflex.event import Event, EventSpec
from reflex.middleware.middleware import Middleware
from reflex.state import BaseState, StateUpdate

from app.state.session import SessionState

if TYPE_CHECKING:
    from reflex.app import App

KINDS = ("success", "error", "info", "warning")
MAX_TEXT = 500
MAX_ID = 40
HYDRATE_EVENTS = ("hydrate", "hydrate_and_load")


class NoticeState(SessionState):
    """The newest notice of this tab; `key` is new for every notice, so the same text shows again."""

    kind: rx.Field[str] = rx.field("")
    text: rx.Field[str] = rx.field("")
    # sonner replaces a visible toast with the same id instead of stacking another
    toast_id: rx.Field[str] = rx.field("")
    key: rx.Field[str] = rx.field("")

    @rx.event
    def show(self, kind: str, text: str, toast_id: str = "") -> None:
        self.kind = kind if kind in KINDS else "info"
        self.text = str(text)[:MAX_TEXT]
        self.toast_id = str(toast_id)[:MAX_ID]
        self.key = secrets.token_hex(8)

    def _forget(self) -> None:
        self.kind = self.text = self.toast_id = ""


class _Notify:
    """`notify.success(text, id=...)` and friends: the event that shows a toast (see the module's docstring)."""

    @staticmethod
    def _event(kind: str, text: str, id: str) -> EventSpec:
        # Called on the class, a handler gives an EventSpec; Reflex's stubs call it an EventCallback.
        return cast(EventSpec, NoticeState.show(kind, text, id))

    def success(self, text: str, *, id: str = "") -> EventSpec:
        return self._event("success", text, id)

    def error(self, text: str, *, id: str = "") -> EventSpec:
        return self._event("error", text, id)

    def info(self, text: str, *, id: str = "") -> EventSpec:
        return self._event("info", text, id)

    def warning(self, text: str, *, id: str = "") -> EventSpec:
        return self._event("warning", text, id)


notify = _Notify()


class NoticeReplayGuard(Middleware):
    """A (re)connect's hydrate carries no notice: what was shown before a reload is not shown again."""

    async def preprocess(self, app: App, state: BaseState, event: Event) -> StateUpdate | None:
        if event.name.rsplit(".", 1)[-1] in HYDRATE_EVENTS:
            notices = await state.get_state(NoticeState)
            if notices.text:
                notices._forget()
        return None
