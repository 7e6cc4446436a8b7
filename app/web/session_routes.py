"""The two HTTP routes that set and clear the HttpOnly session cookie.

POST /_session/open   ticket=…  → opens the session the ticket stands for, sets
                                   the cookie, 303 to where the person was going.
POST /_session/close            → ends the cookie's session, clears the cookie,
                                   303 to /sign-in.

The page posts to them with a plain form (components/session_handoff.py), so
the browser follows the redirect with a full page load and the new websocket
carries the new cookie. Both refuse cross-site requests (login CSRF, sign-out
CSRF): a browser says where a form came from in Sec-Fetch-Site and Origin.
"""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs, urlsplit

from starlette.types import Receive, Scope, Send

from app.db import unit_of_work
from app.services import sessions
from app.services.tokens import hash_token
from app.settings import get_settings
from app.web.cookie import clear_cookie_header, set_cookie_header, token_from_cookie_header

OPEN_PATH = "/_session/open"
CLOSE_PATH = "/_session/close"
PATHS = (OPEN_PATH, CLOSE_PATH)
MAX_FORM_BYTES = 4096


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return ""


def same_origin(scope: Scope) -> bool:
    """True unless the browser says the request came from another site."""
    fetch_site = _header(scope, b"sec-fetch-site")
    if fetch_site:
        return fetch_site in ("same-origin", "none")
    origin = _header(scope, b"origin")
    if not origin or origin == "null":
        return not origin  # no Origin at all: not a browser's cross-site form
    return urlsplit(origin).netloc == _header(scope, b"host")


def client_ip(scope: Scope, trusted_proxy_hops: int) -> str:
    """The client's address, through as many trusted proxies as configured (as Reflex does)."""
    address = (scope.get("client") or ("",))[0] or ""
    if trusted_proxy_hops:
        forwarded = [ip.strip() for ip in _header(scope, b"x-forwarded-for").split(",") if ip.strip()]
        if len(forwarded) >= trusted_proxy_hops:
            address = forwarded[-trusted_proxy_hops]
    return address


def safe_local_path(value: str) -> str:
    """Only local paths are followed (no open redirects)."""
    if value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return ""


async def _read_form(receive: Receive) -> dict[str, str]:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if len(body) > MAX_FORM_BYTES:
            return {}
        if not message.get("more_body"):
            break
    fields = parse_qs(body.decode("latin-1"), max_num_fields=8)
    return {name: values[0] for name, values in fields.items() if values}


async def _redirect(send: Send, location: str, cookie: str = "") -> None:
    headers = [(b"location", location.encode("latin-1")), (b"cache-control", b"no-store")]
    if cookie:
        headers.append((b"set-cookie", cookie.encode("latin-1")))
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


async def _not_allowed(send: Send) -> None:
    await send({"type": "http.response.start", "status": 405, "headers": [(b"allow", b"POST")]})
    await send({"type": "http.response.body", "body": b"Method Not Allowed"})


def _home(kind: str) -> str:
    return "/portal" if kind == "patient" else "/clinic"


def _within(path: str, area: str) -> bool:
    bare = path.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    return bare == area or bare.startswith(area + "/")


def landing_path(kind: str, next_path: str) -> str:
    """Where a signed-in account goes: the local page it was going to, unless that page is the other
    kind of account's area or a sign-in page again; then its own home. So the address bar always shows
    a page this account can open."""
    path = safe_local_path(next_path)
    other = "/clinic" if kind == "patient" else "/portal"
    if not path or _within(path, other) or any(_within(path, p) for p in ("/sign-in", "/sign-up", "/_session")):
        return _home(kind)
    return path


async def handle(scope: Scope, receive: Receive, send: Send, trusted_proxy_hops: int) -> None:
    if scope.get("method") != "POST":
        await _not_allowed(send)
        return
    settings = get_settings()
    secure = settings.base_url.startswith("https://")
    if not same_origin(scope):
        await _redirect(send, "/")
        return
    if scope["path"] == OPEN_PATH:
        form = await _read_form(receive)
        ticket, address = form.get("ticket", ""), client_ip(scope, trusted_proxy_hops)

        def open_session() -> sessions.OpenedSession | None:
            with unit_of_work() as db:
                return sessions.open_ticket(db, ticket, address)

        opened = await asyncio.to_thread(open_session)
        if opened is None:
            await _redirect(send, "/sign-in", clear_cookie_header(secure=secure))
            return
        target = landing_path(opened.kind.value, opened.next_path)
        await _redirect(send, target, set_cookie_header(opened.token, secure=secure))
        return
    token = token_from_cookie_header(_header(scope, b"cookie"))
    address = client_ip(scope, trusted_proxy_hops)

    def end_session() -> None:
        with unit_of_work() as db:
            sessions.end_hashed(db, hash_token(token), client_ip=address)

    if token:
        await asyncio.to_thread(end_session)
    await _redirect(send, "/sign-in", clear_cookie_header(secure=secure))
