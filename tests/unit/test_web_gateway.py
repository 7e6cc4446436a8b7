"""The HTTP layer in front of Reflex: the cookie bridge, the cookie routes' checks, the headers (issue 9)."""

from __future__ import annotations

import asyncio
from typing import Any

from app.services.tokens import hash_token
from app.web import session_routes
from app.web.asgi import PraxisGateway, bridge_session_cookie
from app.web.cookie import (
    clear_cookie_header,
    close_connection,
    open_connection,
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


def test_the_bridge_replaces_the_cookie_by_a_connection_key_and_drops_a_forged_one() -> None:
    headers = [
        (b"host", b"localhost:3000"),
        (b"cookie", f"theme=dark; praxis_session={TOKEN}".encode()),
        (b"authorization", b"PraxisConnection forged-key"),
    ]
    bridged_list, key = bridge_session_cookie(headers)
    bridged = dict(bridged_list)
    assert bridged[b"cookie"] == b"theme=dark"
    assert bridged[b"authorization"] == f"PraxisConnection {key}".encode()
    everything = b"".join(value for _, value in bridged_list)
    assert TOKEN.encode() not in everything and hash_token(TOKEN).encode() not in everything
    as_text = {name.decode(): value.decode() for name, value in bridged_list}
    assert session_hash(as_text) == hash_token(TOKEN)  # looked up in this process's memory
    close_connection(key)
    assert session_hash(as_text) == ""  # the connection is gone: the key means nothing
    # No cookie: a key that stands for no session; a forged key stands for nothing.
    signed_out, other = bridge_session_cookie([(b"authorization", b"PraxisConnection forged-key")])
    assert session_hash({n.decode(): v.decode() for n, v in signed_out}) == ""
    assert session_hash({"authorization": "PraxisConnection forged-key"}) == ""
    close_connection(other)


def test_only_a_connection_key_counts() -> None:
    key = open_connection(hash_token(TOKEN))
    try:
        assert session_hash({"authorization": f"PraxisConnection {key}"}) == hash_token(TOKEN)
        for odd in ("", key, f"Bearer {key}", f"PraxisConnection {key}x", hash_token(TOKEN)):
            assert session_hash({"authorization": odd}) == ""
    finally:
        close_connection(key)


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
