"""What Praxis puts in front of Reflex's ASGI app (`rx.App(api_transformer=...)`).

One wrapper, so `make run` serves it on its single port without a proxy:
- websocket handshakes to /_event: the session cookie becomes a connection key
  (app/web/cookie.py), so neither the token nor its hash reaches Reflex's state;
- POST /_session/open and /_session/close set and clear the HttpOnly cookie
  (app/web/session_routes.py);
- GET /_export/audit-log.csv downloads the owner's Audit log as CSV, for the
  actor of the session cookie (app/web/export_routes.py);
- POST /_documents/upload takes one uploaded file as it streams in, and
  GET /_documents/<id>/download|preview|thumbnail serves a document's bytes,
  both for the actor of the session cookie (app/web/upload_route.py,
  app/web/document_routes.py);
- every HTTP response (the built pages, the assets, the API routes, 404s) gets
  the security headers (app/web/headers.py): the page policy on HTML pages, a
  policy that allows nothing on everything else.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.services.tokens import hash_token
from app.web import document_routes, export_routes, session_routes, upload_route
from app.web.cookie import (
    CONNECTION_HEADER,
    CONNECTION_SCHEME,
    close_connection,
    open_connection,
    token_from_cookie_header,
    without_session_cookie,
)
from app.web.headers import security_headers

_CONNECTION_HEADER = CONNECTION_HEADER.encode()


def bridge_session_cookie(headers: list[tuple[bytes, bytes]]) -> tuple[list[tuple[bytes, bytes]], str]:
    """Handshake headers with the session cookie replaced by a connection key, and that key.

    The key maps to the token's hash in this process's memory (app/web/cookie.py) until
    the connection closes. An `authorization` header the client sent is dropped."""
    token = ""
    kept: list[tuple[bytes, bytes]] = []
    for name, value in headers:
        if name == _CONNECTION_HEADER:
            continue
        if name == b"cookie":
            text = value.decode("latin-1")
            token = token or token_from_cookie_header(text)
            rest = without_session_cookie(text)
            if rest:
                kept.append((name, rest.encode("latin-1")))
            continue
        kept.append((name, value))
    key = open_connection(hash_token(token) if token else "")
    kept.append((_CONNECTION_HEADER, (CONNECTION_SCHEME + key).encode()))
    return kept, key


def _without_cookie(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    return [(n, v) for n, v in headers if n not in (b"cookie", _CONNECTION_HEADER)]


class PraxisGateway:
    def __init__(self, app: ASGIApp, trusted_proxy_hops: int = 0) -> None:
        self.app = app
        self.trusted_proxy_hops = trusted_proxy_hops

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            headers, key = bridge_session_cookie(list(scope.get("headers", [])))
            try:
                await self.app(dict(scope, headers=headers), receive, send)
            finally:
                close_connection(key)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope.get("path") == "/_event" or str(scope.get("path", "")).startswith("/_event/"):
            # Socket.IO's HTTP polling fallback is off (websocket only): it never sees the cookie either.
            scope = dict(scope, headers=_without_cookie(list(scope.get("headers", []))))
        headers = security_headers()
        path = str(scope.get("path", ""))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                own = list(message.get("headers", []))
                present = {name.lower() for name, _ in own}
                content_type = next((value for name, value in own if name.lower() == b"content-type"), b"")
                extra = headers.for_response(content_type.decode("latin-1"), path)
                message = dict(
                    message, headers=[*own, *((name, value) for name, value in extra if name not in present)]
                )
            await send(message)

        if scope.get("path") in session_routes.PATHS:
            await session_routes.handle(scope, receive, send_with_headers, self.trusted_proxy_hops)
            return
        if scope.get("path") in export_routes.PATHS:
            await export_routes.handle(scope, send_with_headers, self.trusted_proxy_hops)
            return
        if path == upload_route.UPLOAD_PATH:
            await upload_route.handle(scope, receive, send_with_headers, self.trusted_proxy_hops)
            return
        if path.startswith("/_documents/"):
            await document_routes.handle(scope, send_with_headers, self.trusted_proxy_hops)
            return
        await self.app(scope, receive, send_with_headers)


def gateway(app: ASGIApp) -> ASGIApp:
    """The api_transformer: reads the proxy setting the same way Reflex does."""
    from reflex.config import get_config

    return PraxisGateway(app, trusted_proxy_hops=get_config().trusted_proxy_hops)
