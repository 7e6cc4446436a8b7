"""The session cookie and what the websocket carries in its place.

The browser keeps the session token in an HttpOnly cookie that page scripts
cannot read. When the page opens its websocket, `SessionBridge` (app/web/asgi.py)
takes the cookie out of the handshake and puts the token's SHA-256 in a header
of its own, so the raw token never reaches Reflex's state (which is pickled to
disk or Redis); states resolve the actor from that header (`session_hash`).
A header of that name sent by the client is always dropped first.
"""

from __future__ import annotations

from collections.abc import Mapping

COOKIE_NAME = "praxis_session"
SESSION_HASH_HEADER = "x-praxis-session-hash"
COOKIE_MAX_AGE_SECONDS = 12 * 3600  # the session's absolute lifetime


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
    """The token hash the bridge put on this connection ("" when signed out)."""
    value = headers.get(SESSION_HASH_HEADER, "")
    # A SHA-256 in hex, nothing else; anything odd counts as no session.
    if len(value) == 64 and all(c in "0123456789abcdef" for c in value):
        return value
    return ""
