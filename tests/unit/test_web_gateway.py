"""The HTTP layer in front of Reflex: the cookie bridge, the cookie routes' checks, the headers (issue 9)."""

from __future__ import annotations

import asyncio
from typing import Any

from app.services.tokens import hash_token
from app.web import session_routes
from app.web.asgi import PraxisGateway, bridge_session_cookie
from app.web.cookie import (
    SESSION_HASH_HEADER,
    clear_cookie_header,
    session_hash,
    set_cookie_header,
    token_from_cookie_header,
    without_session_cookie,
)

TOKEN = "tok_" + "a" * 40


def test_the_token_is_read_from_a_cookie_header() -> None:
    assert token_from_cookie_header(f"theme=dark; praxis_session={TOKEN}; other=1") == TOKEN
    assert token_from_cookie_header("theme=dark") == ""
    assert token_from_cookie_header("") == ""
    # A malformed neighbour does not hide it.
    assert token_from_cookie_header(f'bad="unterminated; praxis_session={TOKEN}') == TOKEN


def test_the_bridge_replaces_the_cookie_by_its_hash_and_drops_a_forged_hash() -> None:
    forged = "f" * 64
    headers = [
        (b"host", b"localhost:3000"),
        (b"cookie", f"theme=dark; praxis_session={TOKEN}".encode()),
        (SESSION_HASH_HEADER.encode(), forged.encode()),
    ]
    bridged = dict(bridge_session_cookie(headers))
    assert bridged[b"cookie"] == b"theme=dark"
    assert bridged[SESSION_HASH_HEADER.encode()] == hash_token(TOKEN).encode()
    assert TOKEN.encode() not in b"".join(value for _, value in bridge_session_cookie(headers))
    # No cookie: no hash, and the forged one is gone too.
    bridged = dict(bridge_session_cookie([(SESSION_HASH_HEADER.encode(), forged.encode())]))
    assert SESSION_HASH_HEADER.encode() not in bridged


def test_only_a_well_formed_hash_counts() -> None:
    assert session_hash({SESSION_HASH_HEADER: hash_token(TOKEN)}) == hash_token(TOKEN)
    for odd in ("", "abc", "G" * 64, hash_token(TOKEN).upper(), hash_token(TOKEN) + "0"):
        assert session_hash({SESSION_HASH_HEADER: odd}) == ""


def test_cookie_attributes() -> None:
    plain = set_cookie_header(TOKEN, secure=False)
    assert plain.startswith(f"praxis_session={TOKEN}; ")
    for attribute in ("HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"):
        assert attribute in plain
    assert "Secure" not in plain
    assert "Secure" in set_cookie_header(TOKEN, secure=True)
    assert "Max-Age=0" in clear_cookie_header(secure=False)
    assert without_session_cookie(f"praxis_session={TOKEN}") == ""


def scope(headers: dict[str, str], method: str = "POST") -> dict[str, Any]:
    return {
        "type": "http",
        "method": method,
        "path": session_routes.OPEN_PATH,
        "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
        "client": ("203.0.113.9", 5000),
    }


def test_cross_site_posts_are_refused() -> None:
    assert session_routes.same_origin(scope({"host": "clinic.example", "sec-fetch-site": "same-origin"}))
    assert not session_routes.same_origin(scope({"host": "clinic.example", "sec-fetch-site": "cross-site"}))
    assert not session_routes.same_origin(scope({"host": "clinic.example", "sec-fetch-site": "same-site"}))
    assert session_routes.same_origin(scope({"host": "clinic.example", "origin": "https://clinic.example"}))
    assert not session_routes.same_origin(scope({"host": "clinic.example", "origin": "https://evil.example"}))
    assert not session_routes.same_origin(scope({"host": "clinic.example", "origin": "null"}))
    # Not a browser (no Origin, no Fetch metadata): no cross-site form to fear.
    assert session_routes.same_origin(scope({"host": "clinic.example"}))


def test_client_address_through_trusted_proxies_only() -> None:
    forwarded = scope({"x-forwarded-for": "198.51.100.1, 192.0.2.7"})
    assert session_routes.client_ip(forwarded, 0) == "203.0.113.9"
    assert session_routes.client_ip(forwarded, 1) == "192.0.2.7"
    assert session_routes.client_ip(forwarded, 2) == "198.51.100.1"


def test_only_local_paths_are_followed() -> None:
    assert session_routes.safe_local_path("/clinic/patients?x=1") == "/clinic/patients?x=1"
    for unsafe in ("//evil.example", "https://evil.example", "/\\evil.example", "clinic"):
        assert session_routes.safe_local_path(unsafe) == ""


def call(app: PraxisGateway, request: dict[str, Any], body: bytes = b"") -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(request, receive, send))
    return sent


def test_every_http_response_gets_the_security_headers_and_a_get_on_a_cookie_route_is_refused() -> None:
    async def inner(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]})
        await send({"type": "http.response.body", "body": b"<html></html>"})

    app = PraxisGateway(inner)
    page = call(app, dict(scope({}, "GET"), path="/clinic"))
    headers = dict(page[0]["headers"])
    assert headers[b"x-content-type-options"] == b"nosniff"
    assert b"frame-ancestors 'none'" in headers[b"content-security-policy"]
    assert headers[b"referrer-policy"] == b"same-origin"
    assert b"camera=()" in headers[b"permissions-policy"]

    refused = call(app, scope({}, "GET"))
    assert refused[0]["status"] == 405
    assert dict(refused[0]["headers"])[b"x-content-type-options"] == b"nosniff"


def test_a_cross_site_post_to_a_cookie_route_sets_no_cookie() -> None:
    async def inner(scope: Any, receive: Any, send: Any) -> None:  # never reached
        raise AssertionError("the cookie routes answer themselves")

    app = PraxisGateway(inner)
    for path in session_routes.PATHS:
        answer = call(app, dict(scope({"sec-fetch-site": "cross-site"}), path=path), b"ticket=whatever")
        assert answer[0]["status"] == 303
        assert all(name != b"set-cookie" for name, _ in answer[0]["headers"])
