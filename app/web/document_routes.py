"""GET /_documents/<id>/download, /preview and /thumbnail: a document's bytes, for whoever may open it.

The route resolves the actor from the HttpOnly session cookie (never from the
URL) and asks documents/access.py, the same rule as every list. Anything it
refuses — no cookie, an ended session, another office's or account's
document, a revoked record, an unshared or deleted document, a malformed id —
gets the same 404, so an id tells nothing. Downloads are attachments;
previews (images, and PDF pages rendered to PNG: the browser's PDF viewer is
never used) and thumbnails are inline images under a sandboxing CSP. Every
answer is `no-store` and `nosniff` (the gateway adds the common headers);
downloads and previews are audited once each (a thumbnail is not).
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote

from sqlalchemy.engine import Engine
from starlette.types import Scope, Send

from app.db import unit_of_work
from app.services import audit, sessions
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.documents.access import access_document
from app.services.documents.derivatives import MAX_PREVIEW_PAGES, render_page
from app.services.documents.filetypes import SHOWN_AS_IS, download_name, type_of
from app.services.documents.storage import FileStore, get_store
from app.services.errors import DomainError
from app.web.cookie import token_from_cookie_header
from app.web.session_routes import client_ip

ROUTE = re.compile(r"^/_documents/([0-9]{1,19})/(download|preview|thumbnail)$")
NOT_FOUND = b"Not found."
# An image opened as a document can run and load nothing, is sandboxed, and cannot be framed.
PREVIEW_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'"
log = logging.getLogger("praxis.web")


def header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return ""


async def answer(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    own = headers or [(b"content-type", b"text/plain; charset=utf-8")]
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [*own, (b"cache-control", b"no-store"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def disposition(kind: str, name: str) -> bytes:
    """`attachment; filename="…"; filename*=UTF-8''…`: an ASCII name for old browsers, the real one for the rest."""
    ascii_name = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\;' else "_" for ch in name) or "document"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}".encode("latin-1")


@dataclass(frozen=True)
class Served:
    sha256: str | None  # stored bytes to send, or
    body: bytes | None  # bytes made now (a PDF page)
    content_type: str
    headers: list[tuple[bytes, bytes]]


def _choose(db, actor: Actor, document_id: str, what: str, page: int, store: FileStore) -> Served | None:
    """What to send, after the access check (None: nothing to send, a 404)."""
    document = access_document(db, actor, document_id).document
    file_type = type_of(document.content_type)
    image = [(b"content-security-policy", PREVIEW_POLICY.encode()), (b"cross-origin-resource-policy", b"same-origin")]
    where = {"office_id": document.office_id, "target_type": "document", "target_id": document.id}
    if what == "thumbnail":
        return Served(document.thumbnail_sha256, None, "image/jpeg", image) if document.thumbnail_sha256 else None
    if what == "download":
        audit.record(db, actor, AuditAction.document_downloaded, patient_id=document.patient_id, **where)
        content_type = "text/plain; charset=utf-8" if file_type.kind == "text" else document.content_type
        name = disposition("attachment", download_name(document.name, file_type))
        headers = [(b"content-disposition", name), (b"cross-origin-resource-policy", b"same-origin")]
        return Served(document.sha256, None, content_type, headers)
    if not file_type.previewable:
        return None
    if page == 1:
        audit.record(db, actor, AuditAction.document_viewed, patient_id=document.patient_id, **where)
    inline = [(b"content-disposition", disposition("inline", document.name)), *image]
    if document.content_type in SHOWN_AS_IS and page == 1:
        return Served(document.sha256, None, document.content_type, inline)
    if file_type.kind == "pdf" and 1 < page <= min(document.page_count or 0, MAX_PREVIEW_PAGES):
        with store.local_copy(document.sha256) as path:
            return Served(None, render_page(path, page - 1), "image/png", inline)
    if page == 1 and document.preview_sha256:
        content_type = "image/png" if file_type.kind == "pdf" else "image/jpeg"
        return Served(document.preview_sha256, None, content_type, inline)
    return None


def _page(scope: Scope) -> int:
    query = bytes(scope.get("query_string", b""))[:64].decode("latin-1")
    value = (parse_qs(query).get("page") or ["1"])[0]
    return int(value) if value.isascii() and value.isdigit() and len(value) < 4 else 0


async def handle(
    scope: Scope, send: Send, trusted_proxy_hops: int, engine: Engine | None = None, store: FileStore | None = None
) -> None:
    matched = ROUTE.match(str(scope.get("path", "")))
    if scope.get("method") != "GET" or matched is None:
        await answer(send, 405 if matched else 404, b"Method Not Allowed" if matched else NOT_FOUND)
        return
    document_id, what = matched.groups()
    token, page = token_from_cookie_header(header(scope, b"cookie")), _page(scope)
    if not token or page < 1:
        await answer(send, 404, NOT_FOUND)
        return
    address, files = client_ip(scope, trusted_proxy_hops), store or get_store()

    def look() -> Served | None:
        with unit_of_work(engine) as db:
            actor = sessions.resolve(db, token, address)
            return None if actor is None else _choose(db, actor, document_id, what, page, files)

    try:
        served = await asyncio.to_thread(look)
    except (DomainError, FileNotFoundError, IndexError):
        served = None
    except Exception:
        log.exception("A document could not be served")
        await answer(send, 500, b"Something went wrong on our side. Please try again.")
        return
    if served is None:
        await answer(send, 404, NOT_FOUND)
        return
    await _send(send, served, files)


async def _send(send: Send, served: Served, store: FileStore) -> None:
    headers = [
        (b"content-type", served.content_type.encode()),
        (b"cache-control", b"private, no-store"),
        *served.headers,
    ]
    if served.body is not None:
        headers.append((b"content-length", str(len(served.body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": served.body})
        return
    assert served.sha256 is not None
    pieces = store.chunks(served.sha256)
    try:
        first = await asyncio.to_thread(next, pieces, b"")
    except FileNotFoundError:
        log.error("Stored bytes missing for %s", served.sha256)
        await answer(send, 404, NOT_FOUND)
        return
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    piece = first
    while piece:
        following = await asyncio.to_thread(next, pieces, b"")
        await send({"type": "http.response.body", "body": piece, "more_body": bool(following)})
        piece = following
    if not first:
        await send({"type": "http.response.body", "body": b""})
