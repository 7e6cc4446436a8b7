"""GET /_export/audit-log.csv (app/web/export_routes.py): the owner's CSV, and a plain refusal for everyone else.

The route is called as the gateway calls it (an ASGI scope, the session cookie in
the Cookie header), against the test database.
"""

from __future__ import annotations

import asyncio
import csv
import io
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.models import AuditEntry, User
from app.services import sessions
from app.services.actor import Actor
from app.services.patients import records
from app.web import export_routes
from app.web.asgi import PraxisGateway
from app.web.cookie import COOKIE_NAME
from tests.world import CLIENT, World


def token_of(db: Session, actor: Actor) -> str:
    """A fresh session (cookie token) for a clinic person of the world."""
    user = db.get(User, actor.user_id)
    assert user is not None
    token = sessions.start(db, user, CLIENT)
    db.commit()
    return token


def scope(query: dict[str, Any] | str = "", token: str = "", method: str = "GET") -> dict[str, Any]:
    headers = [(b"host", b"praxis.test")]
    if token:
        headers.append((b"cookie", f"theme=dark; {COOKIE_NAME}={token}".encode()))
    text = query if isinstance(query, str) else urlencode(query)
    return {
        "type": "http",
        "method": method,
        "path": export_routes.AUDIT_LOG_PATH,
        "query_string": text.encode(),
        "headers": headers,
        "client": (CLIENT, 5000),
    }


def call(engine: Engine | None, request: dict[str, Any]) -> tuple[int, dict[bytes, bytes], bytes]:
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(export_routes.handle(request, send, 0, engine))
    start, body = sent
    return start["status"], dict(start["headers"]), body["body"]


def rows_of(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_owner_downloads_what_the_filter_matches_as_an_attachment(
    world: World, db: Session, engine: Engine
) -> None:
    records.get_patient(db, world.maple.practitioner, world.ben.id)  # type: ignore[arg-type]
    db.commit()
    token = token_of(db, world.maple.owner)
    office = world.maple.office_id

    status, headers, body = call(engine, scope({"office": office, "patient": world.ben.id}, token))
    assert status == 200
    assert headers[b"content-type"] == b"text/csv; charset=utf-8"
    assert headers[b"content-disposition"] == b'attachment; filename="audit-log.csv"'
    assert headers[b"cache-control"] == b"no-store"
    assert body.startswith("\ufeff".encode())  # spreadsheets read it as UTF-8
    rows = rows_of(body)
    assert rows and {row["patient"] for row in rows} == {"Ben Souza"}
    assert ("Priya Maple", "patient.viewed") in {(row["person"], row["action"]) for row in rows}
    assert all(row["time (office)"] for row in rows)

    # The export is itself in the log: who exported, with what filter, how many entries.
    exported = db.exec(select(AuditEntry).where(AuditEntry.action == "audit-log.exported")).one()
    assert (exported.actor_user_id, exported.office_id) == (world.maple.owner.user_id, office)
    assert f'"patient":{world.ben.id}' in exported.detail
    assert f'"entries":{len(rows)}' in exported.detail
    db.rollback()  # every transaction here is BEGIN IMMEDIATE (app/db.py): let the route's next one in

    # Every other filter reaches the service: one action only.
    status, _, body = call(engine, scope({"office": office, "action": "patient.created"}, token))
    assert status == 200
    assert {row["what"] for row in rows_of(body)} == {"Created the record"}


def test_no_cookie_an_unknown_or_ended_session_are_refused(world: World, db: Session, engine: Engine) -> None:
    office = {"office": world.maple.office_id}
    status, headers, body = call(engine, scope(office))
    assert (status, body) == (403, export_routes.SIGN_IN_FIRST.encode())
    assert headers[b"content-type"].startswith(b"text/plain")
    assert b"content-disposition" not in headers

    assert call(engine, scope(office, "tok_" + "x" * 40))[0] == 403
    token = token_of(db, world.maple.owner)
    sessions.end(db, token)
    db.commit()
    status, _, body = call(engine, scope(office, token))
    assert (status, body) == (403, export_routes.SIGN_IN_FIRST.encode())


def test_a_practitioner_staff_a_patient_and_another_office_s_owner_are_refused(
    world: World, db: Session, engine: Engine
) -> None:
    office = {"office": world.maple.office_id}
    for actor in (world.maple.practitioner, world.maple.staff, world.birch.owner):
        status, headers, body = call(engine, scope(office, token_of(db, actor)))
        assert status == 403, actor.full_name
        assert b"content-disposition" not in headers
        assert b"Souza" not in body and b"time (UTC)" not in body
    status, _, body = call(engine, scope(office, world.parent.token))  # a portal account holding Maple records
    assert status == 403 and b"Souza" not in body
    # Nothing was exported, and no export was written to the log.
    assert db.exec(select(AuditEntry).where(AuditEntry.action == "audit-log.exported")).all() == []


def test_another_office_s_id_reads_like_a_missing_one_and_malformed_ids_are_not_found(
    world: World, db: Session, engine: Engine
) -> None:
    token = token_of(db, world.maple.owner)
    other = call(engine, scope({"office": world.birch.office_id}, token))
    missing = call(engine, scope({"office": 987_654}, token))
    assert other[0] == missing[0] == 403
    assert other[2] == missing[2]
    for query in ({}, {"office": "²"}, {"office": "1e3"}, {"office": world.maple.office_id, "patient": "-1"}):
        status, _, body = call(engine, scope(query, token))
        assert (status, body) == (404, b"Not found."), query


def test_bad_filters_and_other_methods_get_a_plain_answer(world: World, db: Session, engine: Engine) -> None:
    token = token_of(db, world.maple.owner)
    office = world.maple.office_id
    status, _, body = call(engine, scope({"office": office, "start": "2026-02-01", "end": "2026-01-01"}, token))
    assert (status, body) == (400, b"The end date is before the start date.")
    assert call(engine, scope({"office": office, "action": "patient.deleted"}, token))[0] == 400
    assert call(engine, scope({"office": office, "start": "0001-01-01"}, token))[0] == 400
    assert call(engine, scope("&".join(f"f{i}=1" for i in range(20)), token))[0] == 400
    status, headers, _ = call(engine, scope({"office": office}, token, method="POST"))
    assert status == 405 and headers[b"allow"] == b"GET"


def test_the_gateway_routes_it_and_adds_the_security_headers() -> None:
    async def inner(scope: Any, receive: Any, send: Any) -> None:  # never reached
        raise AssertionError("the export route answers itself")

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(PraxisGateway(inner)(scope({"office": 1}), receive, send))
    headers = dict(sent[0]["headers"])
    assert sent[0]["status"] == 403
    assert headers[b"x-content-type-options"] == b"nosniff"
    assert headers[b"content-security-policy"].startswith(b"default-src 'none'")
