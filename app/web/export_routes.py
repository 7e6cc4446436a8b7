"""GET /_export/audit-log.csv: the owner's Audit log as a CSV download.

    /_export/audit-log.csv?office=3&patient=12&person=&action=patient.viewed&start=2026-11-01&end=2026-11-30

The file can hold tens of thousands of entries, so it is an HTTP download, not
a websocket message. The route resolves the actor from the HttpOnly session
cookie (never from the query) and asks `audit_log.export_csv`, which checks
that the actor owns the office and validates every filter, exactly as the
Audit log screen's own handler does. Anything else gets a short plain-text
answer: 403 without a live session or without the right, 404 for an id that
names nothing (the same for another office's), 400 for a bad filter. The
gateway adds the security headers to every answer (app/web/asgi.py); the CSV
is `Content-Disposition: attachment`, never cached.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import parse_qs

from sqlalchemy.engine import Engine
from starlette.types import Scope, Send

from app.db import unit_of_work
from app.services import audit_log, sessions
from app.services.errors import DomainError, Invalid, NotFound, NotSignedIn
from app.services.ids import optional_id, parse_id
from app.web.cookie import token_from_cookie_header
from app.web.session_routes import client_ip

AUDIT_LOG_PATH = "/_export/audit-log.csv"
PATHS = (AUDIT_LOG_PATH,)
MAX_QUERY_BYTES = 2048
SIGN_IN_FIRST = "Sign in as the office owner to export the audit log."
NOT_FOUND = "Not found."
FAILED = "Something went wrong on our side. Please try again."
log = logging.getLogger("praxis.web")


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return ""


def log_filter(query: dict[str, str]) -> tuple[int, audit_log.LogFilter]:
    """The office and the filter a query string asks for; a malformed id is NotFound."""
    office_id = parse_id(query.get("office", ""), NOT_FOUND)
    wanted = audit_log.LogFilter(
        patient_id=optional_id(query.get("patient", ""), NOT_FOUND),
        person_id=optional_id(query.get("person", ""), NOT_FOUND),
        action=query.get("action", "")[:80],
        start=query.get("start", "")[:20],
        end=query.get("end", "")[:20],
    )
    return office_id, wanted


async def _answer(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    own = headers or [(b"content-type", b"text/plain; charset=utf-8")]
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [*own, (b"cache-control", b"no-store"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def handle(scope: Scope, send: Send, trusted_proxy_hops: int, engine: Engine | None = None) -> None:
    if scope.get("method") != "GET":
        await _answer(send, 405, b"Method Not Allowed", [(b"allow", b"GET"), (b"content-type", b"text/plain")])
        return
    token = token_from_cookie_header(_header(scope, b"cookie"))
    if not token:
        await _answer(send, 403, SIGN_IN_FIRST.encode())
        return
    raw_query = bytes(scope.get("query_string", b""))[:MAX_QUERY_BYTES].decode("latin-1")
    try:
        query = {name: values[0] for name, values in parse_qs(raw_query, max_num_fields=8).items() if values}
    except ValueError:  # more fields than any filter has
        await _answer(send, 400, b"Too many fields.")
        return
    address = client_ip(scope, trusted_proxy_hops)

    def export() -> str:
        office_id, wanted = log_filter(query)
        with unit_of_work(engine) as db:
            actor = sessions.resolve(db, token, address)
            if actor is None:
                raise NotSignedIn()
            return audit_log.export_csv(db, actor, office_id, wanted)

    try:
        text = await asyncio.to_thread(export)
    except NotSignedIn:
        await _answer(send, 403, SIGN_IN_FIRST.encode())
        return
    except NotFound:
        await _answer(send, 404, NOT_FOUND.encode())
        return
    except Invalid as error:
        await _answer(send, 400, error.message.encode())
        return
    except DomainError as error:  # PermissionDenied (another office's id reads like a missing one), TwoFactorRequired
        await _answer(send, 403, error.message.encode())
        return
    except Exception:
        log.exception("The audit log export failed")
        await _answer(send, 500, FAILED.encode())
        return
    await _answer(
        send,
        200,
        text.encode("utf-8-sig"),  # with a byte order mark, so that spreadsheets read the names as UTF-8
        [
            (b"content-type", b"text/csv; charset=utf-8"),
            (b"content-disposition", b'attachment; filename="audit-log.csv"'),
        ],
    )
