"""The security headers (issue 9): the page CSP's script hashes, which policy a response gets, HSTS."""

from __future__ import annotations

import asyncio
import gzip
from pathlib import Path
from typing import Any

from app.web.asgi import PraxisGateway
from app.web.headers import (
    RESOURCE_POLICY,
    SecurityHeaders,
    built_script_hashes,
    common_headers,
    inline_script_hashes,
    is_page,
    page_policy,
    websocket_origin,
)

# The well-known CSP hash of `alert(1)`, as browsers compute it (and print it in their console).
ALERT_HASH = "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"

PAGE = b"""<!DOCTYPE html><html><head>
<script>alert(1)</script>
<script type="module" async="">import "/assets/manifest.js";</script>
<script src="/assets/entry.js"></script>
<SCRIPT id="_R_">requestAnimationFrame(function(){$RT=performance.now()});</SCRIPT >
<style data-emotion="css x">.css-x{width:100%}</style>
</head><body><p>text</p></body></html>"""


def directive(policy: str, name: str) -> str:
    found = [part.strip() for part in policy.split(";") if part.strip().split(" ", 1)[0] == name]
    assert len(found) == 1, f"{name} in {policy!r}"
    return found[0]


def test_every_inline_script_is_hashed_as_browsers_hash_it_and_external_ones_are_not() -> None:
    hashes = inline_script_hashes(PAGE)
    assert ALERT_HASH in hashes
    assert len(hashes) == 3  # alert, the inline module, the upper-case one; not the src= one, not the style
    assert inline_script_hashes(b"<p>no scripts</p>") == set()
    # Hashed as the browser parses it: line ends normalised to LF.
    assert inline_script_hashes(b"<script>a()\r\nb()\rc()</script>") == inline_script_hashes(
        b"<script>a()\nb()\nc()</script>"
    )


def test_the_build_is_read_with_its_precompressed_copies(tmp_path: Path) -> None:
    (tmp_path / "sign-in").mkdir()
    (tmp_path / "sign-in" / "index.html").write_bytes(b"<script>alert(1)</script>")
    # A precompressed copy is what is served to browsers that accept gzip: it counts too.
    (tmp_path / "404.html.gz").write_bytes(gzip.compress(b"<script>window.x = 2</script>"))
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "app.js").write_bytes(b"<script>not a page</script>")
    hashes = built_script_hashes(tmp_path)
    assert ALERT_HASH in hashes
    assert hashes == inline_script_hashes(b"<script>alert(1)</script><script>window.x = 2</script>")


def test_the_page_policy_allows_no_eval_and_no_inline_script_but_the_hashed_ones() -> None:
    policy = page_policy({ALERT_HASH}, "http://localhost:3000")
    assert directive(policy, "script-src") == f"script-src 'self' {ALERT_HASH}"
    assert "unsafe-eval" not in policy
    assert directive(policy, "connect-src") == "connect-src 'self' ws://localhost:3000"
    assert directive(policy, "img-src") == "img-src 'self' data:"
    assert directive(policy, "frame-ancestors") == "frame-ancestors 'none'"
    assert directive(policy, "form-action") == "form-action 'self'"
    assert directive(policy, "base-uri") == "base-uri 'self'"
    assert directive(policy, "object-src") == "object-src 'none'"
    assert directive(policy, "default-src") == "default-src 'self'"
    assert "connect-src 'self' wss://clinic.example" in page_policy([], "https://clinic.example")
    assert directive(page_policy([], ""), "connect-src") == "connect-src 'self'"


def test_websocket_origin() -> None:
    assert websocket_origin("https://clinic.example/") == "wss://clinic.example"
    assert websocket_origin("http://localhost:3000") == "ws://localhost:3000"
    assert websocket_origin("") == ""
    assert websocket_origin("ftp://clinic.example") == ""


def test_hsts_only_when_the_public_address_is_https() -> None:
    assert "strict-transport-security" in dict(common_headers("https://clinic.example"))
    assert "strict-transport-security" not in dict(common_headers("http://localhost:3000"))
    secure = dict(SecurityHeaders("https://clinic.example", Path("/nonexistent")).resource)
    assert secure[b"strict-transport-security"].startswith(b"max-age=")
    assert b"strict-transport-security" not in dict(SecurityHeaders("http://localhost:3000").resource)


def test_which_responses_are_pages() -> None:
    assert is_page("text/html; charset=utf-8", "/clinic")
    assert not is_page("text/javascript; charset=utf-8", "/assets/root.js")
    assert not is_page("application/json", "/ping")
    assert not is_page("image/svg+xml", "/favicon.svg")  # opened on its own, it may run nothing
    # 304 Not Modified and redirects carry no content type: by the path.
    assert is_page("", "/clinic/office/")
    assert is_page("", "/sign-in")
    assert not is_page("", "/assets/root-yAvGMxdI.js")
    assert not is_page("", "/calendar.css")


def test_page_headers_come_from_the_build_wait_for_it_and_follow_a_rebuild(tmp_path: Path) -> None:
    headers = SecurityHeaders("http://localhost:3000", tmp_path / "client")
    before = dict(headers.page())[b"content-security-policy"].decode()
    assert directive(before, "script-src") == "script-src 'self'"
    (tmp_path / "client").mkdir()
    (tmp_path / "client" / "index.html").write_bytes(b"<script>alert(1)</script>")
    page = dict(headers.for_response("text/html", "/"))
    assert directive(page[b"content-security-policy"].decode(), "script-src") == f"script-src 'self' {ALERT_HASH}"
    for name in (b"x-content-type-options", b"x-frame-options", b"referrer-policy", b"permissions-policy"):
        assert name in page
    # A rebuild (new pages) is seen on the next page answer.
    (tmp_path / "client" / "index.html").write_bytes(b"<script>window.rebuilt = true</script>")
    rebuilt = dict(headers.page())[b"content-security-policy"].decode()
    assert ALERT_HASH not in rebuilt
    assert inline_script_hashes(b"<script>window.rebuilt = true</script>").pop() in rebuilt
    resource = dict(headers.for_response("text/javascript", "/assets/a.js"))
    assert resource[b"content-security-policy"].decode() == RESOURCE_POLICY
    assert resource[b"x-content-type-options"] == b"nosniff"


def _answer(content_type: bytes, own: list[tuple[bytes, bytes]] | None = None) -> Any:
    async def inner(scope: Any, receive: Any, send: Any) -> None:
        headers = [(b"content-type", content_type), *(own or [])] if content_type else list(own or [])
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b""})

    return inner


def _headers(app: Any, path: str) -> dict[bytes, bytes]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "headers": [], "client": ("127.0.0.1", 1)}
    asyncio.run(PraxisGateway(app)(scope, receive, send))
    return dict(sent[0]["headers"])


def test_the_gateway_gives_pages_the_page_policy_and_everything_else_the_locked_one() -> None:
    page = _headers(_answer(b"text/html; charset=utf-8"), "/sign-in/")
    assert b"script-src 'self'" in page[b"content-security-policy"]
    assert page[b"x-frame-options"] == b"DENY"
    asset = _headers(_answer(b"text/javascript"), "/assets/root.js")
    assert asset[b"content-security-policy"] == RESOURCE_POLICY.encode()
    assert asset[b"referrer-policy"] == b"same-origin"
    # A header the answer set itself is kept, not doubled.
    own = _headers(_answer(b"text/html", [(b"x-frame-options", b"SAMEORIGIN")]), "/x")
    assert own[b"x-frame-options"] == b"SAMEORIGIN"
