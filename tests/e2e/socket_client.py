"""A small client for Reflex 0.10.1's event websocket, for tests that send hand-made events.

It speaks what the browser's `utils/state.js` speaks (recorded from Chromium
with Playwright's `page.on("websocket")`):

    ws://host:port/_event/?token=<tab token>&EIO=4&transport=websocket
    < 0{"sid":…,"pingInterval":25000,…}                      Engine.IO open
    > 40/_event,{"event":{<hydrate_and_load>},"state_schema":…} socket.io CONNECT; the hydrate rides in it
    < 40/_event,{"sid":…}                                      connected
    > 42/_event,["event",{"name":"<state path>.<handler>","payload":{…},"router_data":{…}}]
    < 42/_event,["event",{"delta":{<state path>:{<var>_rx_state_:…}},"events":[…]}]
    < 2  /  > 3                                                 Engine.IO ping / pong

The tab token names the tab's server-side state (it is not a secret: a
reload reuses it). The session travels only as the HttpOnly cookie on the
handshake; this client sends whatever Cookie header it is given, so it can
act as a browser context's session, or sign in itself (`sign_in`: the
websocket sign-in hands out a one-time ticket, which is posted to
/_session/open like the page's hidden form does).

Reflex sends no "done" marker for an event, and backend events a handler
returns (e.g. a page's on_load after a hydrate) run after anything already
queued for the tab. So `call` follows each event with sync events — a no-op
(`update_vars_internal` with no vars) whose router data carries a counter
that the answer echoes — until a sync comes back with nothing else before it.

Every frame's text is recorded (`frames`), in both directions, with the time it was sent or
received. With `follow_pushed`, the client sends back the backend events the server pushes (the
live updates' re-checks, app/live/, and what they chain), as the page does.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import websocket
from reflex.state import State, UpdateVarsInternalState
from reflex_base.constants import Reflex as ReflexConstants
from reflex_base.event import EventHandler
from reflex_base.utils.format import format_event_handler

NAMESPACE = "/_event"
COOKIE_NAME = "praxis_session"
OPEN_SESSION_PATH = "/_session/open"
FIELD = "_rx_state_"  # the suffix Reflex puts on every var name in a delta
ROOT = State.get_full_name()
HYDRATE = f"{ROOT}.hydrate_and_load"
SYNC = format_event_handler(UpdateVarsInternalState.update_vars_internal)  # type: ignore[arg-type]
SYNC_PARAM = "praxis_sync"
DEFAULT_TIMEOUT = 20.0


def event_name(handler: str | EventHandler) -> str:
    """The full name Reflex dispatches on: "<state path>.<handler>"."""
    return handler if isinstance(handler, str) else format_event_handler(handler)


def new_tab_token() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Frame:
    direction: str  # ">" sent, "<" received
    text: str
    at: float = field(default_factory=time.monotonic)

    def update(self) -> dict[str, Any] | None:
        """The state update this frame carries (`{"delta": …, "events": …}`), if it is one."""
        prefix = f"42{NAMESPACE},"
        if self.direction != "<" or not self.text.startswith(prefix):
            return None
        try:
            name, *args = json.loads(self.text[len(prefix) :])
        except (ValueError, TypeError):
            return None
        return args[0] if name == "event" and args and isinstance(args[0], dict) else None


def var(update: dict[str, Any], state: str, name: str, default: Any = None) -> Any:
    """A var's value in an update's delta (state = full state name, name without the suffix)."""
    return update.get("delta", {}).get(state, {}).get(name + FIELD, default)


def _router_data(pathname: str, query: dict[str, str] | None) -> dict[str, Any]:
    data: dict[str, Any] = {"pathname": pathname, "asPath": pathname}
    if query:
        data["query"] = dict(query)
        data["asPath"] = pathname + "?" + urllib.parse.urlencode(query)
    return data


class SocketClient:
    """One browser tab's websocket: a tab token, an optional session cookie, the frames seen."""

    def __init__(self, base_url: str, *, token: str = "", cookie: str = "", origin: bool = True) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token or new_tab_token()
        self.cookie = cookie  # the raw session token, or ""
        self.origin = origin
        self.frames: list[Frame] = []
        self.pathname = "/"
        self.query: dict[str, str] = {}
        self._ws: websocket.WebSocket | None = None
        self._reader: threading.Thread | None = None
        self._arrived = threading.Condition()
        self._send_lock = threading.Lock()
        self._sync_counter = itertools.count(1)
        self._closed_by_server = False
        # Send back the events the server pushes in an update, as the page does (utils/state.js
        # queues them): every backend event, i.e. any name not starting with "_" (those are the
        # page's own, like "_redirect"). Off by default: `call` drives a tab event by event.
        self.follow_pushed = False

    # ---- connection ---------------------------------------------------------------

    @property
    def ws_url(self) -> str:
        parts = urllib.parse.urlsplit(self.base_url)
        # 127.0.0.1 rather than "localhost": the server listens on IPv4 only, and the
        # websocket library tries just the first address a name resolves to.
        host = "127.0.0.1" if parts.hostname == "localhost" else parts.hostname
        query = urllib.parse.urlencode({"token": self.token, "EIO": "4", "transport": "websocket"})
        return f"ws://{host}:{parts.port}{NAMESPACE}/?{query}"

    def connect(
        self,
        pathname: str = "/",
        query: dict[str, str] | None = None,
        *,
        hydrate: bool = True,
        client_storage: dict[str, Any] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> list[dict[str, Any]]:
        """Open the websocket as a page load of `pathname` does; returns the updates of the hydrate
        and everything it chains (the page's on_load handlers).

        The server gives a tab token that is still linked to another socket a new one (the
        browser's duplicate-tab rule), which would make a "same tab" test vacuous: a reconnect
        right after a close can race the server's clean-up, so it is retried a few times."""
        for attempt in itertools.count(1):
            mark = self._open(pathname, query, hydrate=hydrate, client_storage=client_storage, timeout=timeout)
            updates = self.settle(mark, timeout=timeout)
            if not any(f.text.startswith(f'42{NAMESPACE},["new_token"') for f in self.frames[mark:]):
                return updates
            if attempt >= 5:
                raise AssertionError(f"The server kept giving tab {self.token} a new token")
            self.close()
            time.sleep(0.2 * attempt)
        raise AssertionError("unreachable")

    def _open(
        self,
        pathname: str,
        query: dict[str, str] | None,
        *,
        hydrate: bool,
        client_storage: dict[str, Any] | None,
        timeout: float,
    ) -> int:
        """Connect and send the CONNECT packet (with the hydrate); returns the frame index it began at."""
        if self._ws is not None:
            self.close()
        self.pathname, self.query = pathname, dict(query or {})
        headers = [f"Cookie: {COOKIE_NAME}={self.cookie}"] if self.cookie else []
        mark = len(self.frames)
        self._closed_by_server = False
        self._ws = websocket.create_connection(
            self.ws_url,
            header=headers,
            subprotocols=[ReflexConstants.VERSION],
            origin=self.base_url if self.origin else None,
            suppress_origin=not self.origin,
            enable_multithread=True,
            timeout=timeout,
        )
        self._ws.settimeout(None)  # the reader thread blocks until a frame or the close
        self._reader = threading.Thread(target=self._read, name=f"socket-client-{self.token[:8]}", daemon=True)
        self._reader.start()
        self._wait(lambda frame: frame.text.startswith("0{"), mark, timeout, "the Engine.IO open packet")
        auth: dict[str, Any] = {}
        if hydrate:
            payload: dict[str, Any] = {}
            if client_storage:
                payload["vars"] = client_storage
            auth["event"] = {"name": HYDRATE, "payload": payload, "router_data": _router_data(pathname, query)}
        self._send(f"40{NAMESPACE}," + json.dumps(auth))
        self._wait(lambda frame: frame.text.startswith(f"40{NAMESPACE},"), mark, timeout, "the socket.io connect")
        return mark

    def close(self) -> None:
        ws, self._ws = self._ws, None
        if ws is None:
            return
        with contextlib.suppress(Exception):
            self._send_raw(ws, f"41{NAMESPACE},")
        with contextlib.suppress(Exception):
            ws.close()
        if self._reader is not None:
            self._reader.join(timeout=5)

    def reconnect(
        self, pathname: str | None = None, query: dict[str, str] | None = None, *, cookie: str | None = None
    ) -> list[dict[str, Any]]:
        """A reload of the tab: the same tab token, a new websocket (with `cookie` if given)."""
        if cookie is not None:
            self.cookie = cookie
        return self.connect(pathname or self.pathname, query if query is not None else self.query)

    def __enter__(self) -> SocketClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ---- events ---------------------------------------------------------------------

    def emit(
        self,
        handler: str | EventHandler,
        payload: dict[str, Any] | None = None,
        *,
        pathname: str | None = None,
        query: dict[str, str] | None = None,
    ) -> int:
        """Send one event as the page would; returns the frame index it was sent at."""
        if pathname is not None:
            self.pathname, self.query = pathname, dict(query or {})
        elif query is not None:
            self.query = dict(query)
        mark = len(self.frames)
        self._send_event(event_name(handler), payload or {}, _router_data(self.pathname, self.query))
        return mark

    def call(
        self,
        handler: str | EventHandler,
        payload: dict[str, Any] | None = None,
        *,
        pathname: str | None = None,
        query: dict[str, str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> list[dict[str, Any]]:
        """Send an event and return every update it (and what it chains) produced."""
        mark = self.emit(handler, payload, pathname=pathname, query=query)
        return self.settle(mark, timeout=timeout)

    def settle(self, mark: int, *, timeout: float = DEFAULT_TIMEOUT) -> list[dict[str, Any]]:
        """Sync until the tab is quiet; the updates received since frame `mark`, syncs left out."""
        deadline = time.monotonic() + timeout
        rounds, since = 0, mark
        while True:
            rounds += 1
            marker = str(next(self._sync_counter))
            sent_at = len(self.frames)
            self._send_event(SYNC, {"vars": {}}, _router_data(self.pathname, {**self.query, SYNC_PARAM: marker}))
            answer = self._wait(
                lambda frame, marker=marker: _is_sync_answer(frame, marker),
                sent_at,
                max(0.1, deadline - time.monotonic()),
                f"the sync answer {marker} (after {rounds} rounds)",
            )
            others = self.updates(since, answer)
            since = answer + 1
            if rounds >= 2 and not others:
                break
        return self.updates(mark)

    def updates(self, mark: int = 0, end: int | None = None) -> list[dict[str, Any]]:
        """The state updates received between frame indexes `mark` and `end`, syncs left out."""
        found = []
        for frame in self.frames[mark:end]:
            update = frame.update()
            if update is not None and not _is_sync_answer(frame, None):
                found.append(update)
        return found

    def wait_update(
        self, matches: Callable[[dict[str, Any]], bool], start: int, *, timeout: float = DEFAULT_TIMEOUT, what: str = ""
    ) -> Frame:
        """The first update received from frame index `start` on that `matches` (waiting for it)."""

        def frame_matches(frame: Frame) -> bool:
            update = frame.update()
            return update is not None and matches(update)

        return self.frames[self._wait(frame_matches, start, timeout, what or "a matching update")]

    def received_text(self, mark: int = 0, end: int | None = None) -> str:
        """The text of every frame received from `mark` on (to search for strings that must not be there)."""
        return "\n".join(f.text for f in self.frames[mark:end] if f.direction == "<")

    # ---- sessions ---------------------------------------------------------------------

    def sign_in(self, sign_in_handler: str | EventHandler, email: str, password: str) -> str:
        """Sign in over this websocket (on /sign-in) and open the session like the page's form does.

        Returns the raw session token (the cookie's value) and keeps it as this client's cookie;
        the websocket stays connected with its old headers, as in the browser until the reload."""
        updates = self.call(
            sign_in_handler, {"form": {"email": email, "password": password}}, pathname="/sign-in", query={}
        )
        ticket = next(
            (
                value
                for update in updates
                for state in update.get("delta", {}).values()
                if (value := state.get("handoff_ticket" + FIELD))
            ),
            "",
        )
        if not ticket:
            raise AssertionError(f"Signing in as {email} gave no handoff ticket; updates: {updates}")
        self.cookie = open_session(self.base_url, ticket)
        return self.cookie

    # ---- internals ---------------------------------------------------------------------

    def _send_event(self, name: str, payload: dict[str, Any], router_data: dict[str, Any]) -> None:
        message = {"name": name, "payload": payload, "router_data": router_data}
        self._send(f"42{NAMESPACE}," + json.dumps(["event", message]))

    def _send(self, text: str) -> None:
        if self._ws is None:
            raise RuntimeError("The socket is not connected.")
        self._send_raw(self._ws, text)

    def _send_raw(self, ws: websocket.WebSocket, text: str) -> None:
        with self._send_lock:
            ws.send(text)
        with self._arrived:
            self.frames.append(Frame(">", text))

    def _read(self) -> None:
        ws = self._ws
        while ws is not None:
            try:
                text = ws.recv()
            except (websocket.WebSocketException, OSError):
                break
            if not text:
                if not ws.connected:
                    break
                continue
            if isinstance(text, bytes):
                text = text.decode("utf-8", "replace")
            if self.follow_pushed:  # sent before the frame is recorded, so a waiter sees it sent
                self._send_pushed(ws, text)
            with self._arrived:
                self.frames.append(Frame("<", text))
                self._arrived.notify_all()
            if text == "2":  # Engine.IO ping
                with contextlib.suppress(Exception):
                    self._send_raw(ws, "3")
            elif text.startswith("1") or text.startswith(f"41{NAMESPACE}"):
                break
        with self._arrived:
            self._closed_by_server = True
            self._arrived.notify_all()

    def _send_pushed(self, ws: websocket.WebSocket, text: str) -> None:
        update = Frame("<", text).update()
        for event in (update or {}).get("events") or []:
            name = event.get("name", "") if isinstance(event, dict) else ""
            if name and not name.startswith("_"):
                router_data = _router_data(self.pathname, self.query)
                message = {"name": name, "payload": event.get("payload") or {}, "router_data": router_data}
                with contextlib.suppress(Exception):
                    self._send_raw(ws, f"42{NAMESPACE}," + json.dumps(["event", message]))

    def _wait(self, matches: Callable[[Frame], bool], start: int, timeout: float, what: str) -> int:
        """Wait for a received frame from index `start` on that `matches`; returns its index."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            index = start
            while True:
                while index < len(self.frames):
                    frame = self.frames[index]
                    if frame.direction == "<" and matches(frame):
                        return index
                    index += 1
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closed_by_server:
                    tail = "\n".join(f"{f.direction} {f.text[:300]}" for f in self.frames[-8:])
                    state = "the server closed the socket" if self._closed_by_server else "timed out"
                    raise AssertionError(f"Waiting for {what}: {state}. Last frames:\n{tail}")
                self._arrived.wait(remaining)


def _is_sync_answer(frame: Frame, marker: str | None) -> bool:
    """Is this the answer to a sync event (to the one with `marker`, or to any)?"""
    if SYNC_PARAM not in frame.text:
        return False
    update = frame.update()
    if update is None:
        return False
    page = var(update, ROOT, "rx_router_page") or {}
    params = page.get("params", {}) if isinstance(page, dict) else {}
    if marker is None:
        return SYNC_PARAM in params
    return params.get(SYNC_PARAM) == marker


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def open_session(base_url: str, ticket: str) -> str:
    """POST a sign-in ticket to /_session/open as the page's form does; the session token it set."""
    request = urllib.request.Request(
        base_url.rstrip("/") + OPEN_SESSION_PATH,
        data=urllib.parse.urlencode({"ticket": ticket}).encode(),
        headers={"Origin": base_url.rstrip("/"), "Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        response = opener.open(request, timeout=10)
        status, headers = response.status, response.headers
    except urllib.error.HTTPError as answer:  # the 303 arrives as an "error" without redirect handling
        status, headers = answer.code, answer.headers
    if status != 303:
        raise AssertionError(f"POST {OPEN_SESSION_PATH} answered {status}, not 303")
    for header in headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        if name.strip() == COOKIE_NAME:
            token = rest.split(";", 1)[0].strip()
            if token:
                return token
    raise AssertionError(f"POST {OPEN_SESSION_PATH} set no session cookie (ticket refused?)")


def contains_any(text: str, needles: Iterable[str]) -> list[str]:
    """The needles found in the text (case-insensitive; JSON escapes of non-ASCII are undone first)."""
    haystack = _unescaped(text).lower()
    return [needle for needle in needles if needle.lower() in haystack]


def _unescaped(text: str) -> str:
    if "\\u" not in text:
        return text
    with contextlib.suppress(UnicodeDecodeError):
        return text.encode("latin-1", "backslashreplace").decode("unicode_escape")
    return text
