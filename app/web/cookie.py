"""The session cookie and what the websocket carries in its place.

The browser keeps the session token in an HttpOnly cookie that page scripts
cannot read. When the page opens its websocket, the gateway (app/web/asgi.py)
takes the cookie out of the handshake, keeps the token's hash in this
process's memory for as long as the connection is open, and gives the
connection a random key instead, in its `authorization` header (which Reflex
never sends to the page). Reflex's state (pickled to disk or Redis, and partly
sent to the browser) therefore holds neither the token nor its hash: only a
key that means nothing once the connection closes. States resolve the actor
through `session_hash`. An `authorization` header sent by the client is dropped.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping

COOKIE_NAME = "praxis_session"
CONNECTION_HEADER = "authorization"
CONNECTION_SCHEME = "PraxisConnection "
COOKIE_MAX_AGE_SECONDS = 12 * 3600  # the session's absolute lifetime
# Open websockets of this process: connection key → the session token's SHA-256 ("" when signed out).
_connections: dict[str, str] = {}


def open_connection(token_hash: str) -> str:
    """A new connection's key (the gateway calls this at the handshake)."""
    key = secrets.token_urlsafe(24)
    _connections[key] = token_hash
    return key


def close_connection(key: str) -> None:
    _connections.pop(key, None)


def token_from_cookie_header(header: str) -> str:
    """The session token in a Cookie header, or "".

    Split by hand rather than with http.cookies, which gives up on the whole header at the
    first malformed cookie: someone else's cookie must not sign a person out."""
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE_NAME:
            return value.strip()
    return ""


def without_session_cookie(header: str) -> str:
    """The Cookie header with our cookie removed (other cookies kept as they were)."""
    parts = [part.strip() for part in header.split(";")]
    return "; ".join(part for part in parts if part and part.partition("=")[0].strip() != COOKIE_NAME)


def set_cookie_header(token: str, *, secure: bool) -> str:
    attributes = [
        f"{COOKIE_NAME}={token}",
        "Path=/",
        f"Max-Age={COOKIE_MAX_AGE_SECONDS}",
        "HttpOnly",
        "SameSite=Strict",
    ]
    if secure:
        attributes.append("Secure")
    return "; ".join(attributes)


def clear_cookie_header(*, secure: bool) -> str:
    attributes = [f"{COOKIE_NAME}=", "Path=/", "Max-Age=0", "HttpOnly", "SameSite=Strict"]
    if secure:
        attributes.append("Secure")
    return "; ".join(attributes)


def session_hash(headers: Mapping[str, str]) -> str:
    """The session token hash of the connection these headers came with ("" when signed out, or
    when the connection is closed or belongs to another process)."""
    value = headers.get(CONNECTION_HEADER, "")
    if not value.startswith(CONNECTION_SCHEME):
        return ""
    return _connections.get(value[len(CONNECTION_SCHEME) :], "")
