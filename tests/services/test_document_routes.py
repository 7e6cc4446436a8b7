"""The document routes as the gateway calls them: POST /_documents/upload and GET /_documents/<id>/…

No cookie, another account, a revoked record, an unshared or deleted document and a missing one all get
the same 404; downloads are attachments, previews inline images under a sandboxing CSP; every answer
carries the gateway's security headers.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from app.models import AuditEntry, Document, User
from app.services import access_codes, sessions
from app.services.actor import Actor
from app.services.documents import shares
from app.services.documents.storage import DiskStore
from app.settings import Settings
from app.web import document_routes, upload_route
from app.web.asgi import PraxisGateway
from app.web.cookie import COOKIE_NAME
from tests.documents_support import image_bytes, pdf_bytes, upload
from tests.world import CLIENT, World

BOUNDARY = "----praxis-test-boundary"


def token_of(db: Session, user_id: int) -> str:
    user = db.get(User, user_id)
    assert user is not None
    token = sessions.start(db, user, CLIENT)
    db.commit()
    return token


def scope(path: str, token: str = "", method: str = "GET", query: dict[str, Any] | None = None, **extra: str) -> dict:
    headers = [(b"host", b"praxis.test")]
    if token:
        headers.append((b"cookie", f"{COOKIE_NAME}={token}".encode()))
    headers += [(name.replace("_", "-").encode(), value.encode()) for name, value in extra.items()]
    return {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": urlencode(query or {}).encode(),
        "headers": headers,
        "client": (CLIENT, 5000),
    }


def multipart(data: bytes, name: str = "scan.pdf") -> bytes:
    return (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


def run(handler: Any, request: dict, body: bytes = b"") -> tuple[int, dict[bytes, bytes], bytes]:
    sent: list[dict[str, Any]] = []
    pieces = [body[i : i + 65536] for i in range(0, len(body), 65536)] or [b""]
    messages = [{"type": "http.request", "body": p, "more_body": i < len(pieces) - 1} for i, p in enumerate(pieces)]

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(handler(request, receive, send))
    start = sent[0]
    return start["status"], dict(start["headers"]), b"".join(m.get("body", b"") for m in sent[1:])


@pytest.fixture
def routes(engine: Engine, tmp_path: Path, settings: Settings):  # type: ignore[no-untyped-def]
    """The gateway in front of nothing, with the document routes bound to the test database and store."""
    store = DiskStore(tmp_path / "files")
    small = Settings(**{**settings.__dict__, "max_upload_mb": 1})

    async def documents(request: dict, receive: Any, send: Any) -> None:
        async def inner(scope_: dict, receive_: Any, send_: Any) -> None:
            raise AssertionError("the app behind the gateway was reached")

        gateway = PraxisGateway(inner)
        # The gateway's own routing, with the test's engine, store and settings.
        original = (upload_route.handle, document_routes.handle)

        async def upload_handle(s, r, se, hops):  # type: ignore[no-untyped-def]
            await original[0](s, r, se, hops, engine, store, small)

        async def document_handle(s, se, hops):  # type: ignore[no-untyped-def]
            await original[1](s, se, hops, engine, store)

        upload_route.handle, document_routes.handle = upload_handle, document_handle  # type: ignore[assignment]
        try:
            await gateway(request, receive, send)
        finally:
            upload_route.handle, document_routes.handle = original  # type: ignore[assignment]

    documents.store = store  # type: ignore[attr-defined]
    return documents


def post(routes: Any, token: str, data: bytes, name: str = "scan.pdf", **query: Any) -> tuple[int, dict]:
    request = scope(
        upload_route.UPLOAD_PATH,
        token,
        "POST",
        query,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        sec_fetch_site="same-origin",
    )
    status, headers, body = run(routes, request, multipart(data, name))
    assert headers[b"x-content-type-options"] == b"nosniff"
    return status, json.loads(body)


def test_an_upload_is_stored_recorded_and_thumbnailed(routes: Any, world: World, db: Session) -> None:
    token = token_of(db, world.maple.staff.user_id)
    status, answer = post(routes, token, pdf_bytes(2), "Lab résultats.pdf", office=world.maple.office_id)
    assert status == 200 and answer["name"] == "Lab résultats.pdf"
    document = db.get(Document, answer["id"])
    assert document is not None and document.page_count == 2 and document.thumbnail_sha256
    assert document.preview_sha256 and routes.store.exists(document.preview_sha256)
    assert list(routes.store.incoming.glob("*")) == []


@pytest.mark.parametrize(
    ("who", "query", "status"),
    [
        ("nobody", {"office": "maple"}, 401),
        ("birch owner", {"office": "maple"}, 404),
        ("maple staff", {"office": "maple", "patient": "cleo"}, 404),
        ("maple staff", {"office": "1e3"}, 404),
        ("parent", {"patient": "cleo"}, 404),
        ("stranger", {}, 400),
    ],
)
def test_uploads_where_the_actor_may_not_are_refused_before_the_body(
    routes: Any, world: World, db: Session, who: str, query: dict, status: int
) -> None:
    users = {
        "birch owner": world.birch.owner.user_id,
        "maple staff": world.maple.staff.user_id,
        "parent": world.parent.user_id,
        "stranger": world.stranger.user_id,
    }
    token = token_of(db, users[who]) if who in users else ""
    ids = {"maple": world.maple.office_id, "cleo": world.cleo.id}
    code, answer = post(routes, token, pdf_bytes(), **{k: ids.get(v, v) for k, v in query.items()})
    assert code == status and answer["error"]
    assert db.exec(select(func.count()).select_from(Document)).one() == 0


def test_too_large_or_the_wrong_type_stores_nothing(routes: Any, world: World, db: Session, tmp_path: Path) -> None:
    token = token_of(db, world.maple.staff.user_id)
    office = world.maple.office_id
    code, answer = post(routes, token, pdf_bytes(text_size=1_100_000), office=office)
    assert code == 413 and "larger than 1 MB" in answer["error"]
    code, answer = post(routes, token, b"MZ" + b"\x00" * 5000, "invoice.pdf", office=office)
    assert code == 415 and "Allowed: PDF" in answer["error"]
    assert [p for p in (tmp_path / "files").rglob("*") if p.is_file()] == []
    assert db.exec(select(func.count()).select_from(Document)).one() == 0
    cross_site = scope(upload_route.UPLOAD_PATH, token, "POST", {"office": office}, sec_fetch_site="cross-site")
    assert run(routes, cross_site, multipart(pdf_bytes()))[0] == 403


def test_patients_send_photos_and_pdfs_only(routes: Any, world: World, db: Session, tmp_path: Path) -> None:
    parent = token_of(db, world.parent.user_id)
    code, answer = post(routes, parent, b"Dear doctor,\n", "letter.txt", patient=world.ana.id)
    assert code == 415 and "photos" in answer["error"]
    assert [p for p in (tmp_path / "files").rglob("*") if p.is_file()] == []
    code, answer = post(routes, parent, image_bytes("JPEG"), "IMG_0001.jpg", patient=world.ana.id)
    assert code == 200
    document = db.get(Document, answer["id"])
    assert document is not None and document.origin == "patient" and document.patient_id == world.ana.id


def shared_photo(routes: Any, world: World, db: Session) -> Document:
    doc = upload(db, routes.store, world.maple.staff, image_bytes("PNG"), "rash.png", office=world.maple.office_id)
    shares.apply_labels(db, world.maple.staff, world.maple.office_id, [doc.id], {f"patient:{world.ana.id}": True})
    db.commit()
    return doc


def get(routes: Any, document_id: int | str, what: str, token: str = "", page: str = "") -> tuple[int, dict, bytes]:
    query = {"page": page} if page else None
    return run(routes, scope(f"/_documents/{document_id}/{what}", token, query=query))


def test_downloads_are_attachments_and_previews_sandboxed_images(routes: Any, world: World, db: Session) -> None:
    doc = shared_photo(routes, world, db)
    parent = token_of(db, world.parent.user_id)
    status, headers, body = get(routes, doc.id, "download", parent)  # type: ignore[arg-type]
    assert status == 200 and body == image_bytes("PNG")
    assert headers[b"content-disposition"].startswith(b'attachment; filename="rash.png"')
    assert headers[b"content-type"] == b"image/png" and headers[b"cache-control"] == b"private, no-store"
    assert headers[b"x-content-type-options"] == b"nosniff" and headers[b"x-frame-options"] == b"DENY"
    status, headers, body = get(routes, doc.id, "preview", parent)  # type: ignore[arg-type]
    assert status == 200 and headers[b"content-disposition"].startswith(b"inline")
    policy = headers[b"content-security-policy"].decode()
    assert "sandbox" in policy and "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert headers[b"cross-origin-resource-policy"] == b"same-origin"
    actions = [e.action for e in db.exec(select(AuditEntry).where(AuditEntry.target_id == doc.id)).all()]
    assert actions.count("document.downloaded") == 1 and actions.count("document.viewed") == 1


def test_pdf_pages_preview_as_png(routes: Any, world: World, db: Session) -> None:
    token = token_of(db, world.maple.staff.user_id)
    status, answer = post(routes, token, pdf_bytes(3), office=world.maple.office_id)
    assert status == 200
    for page in ("", "2", "3"):
        status, headers, body = get(routes, answer["id"], "preview", token, page)
        assert status == 200 and headers[b"content-type"] == b"image/png" and body.startswith(b"\x89PNG")
    for page in ("4", "0", "x", "²"):
        assert get(routes, answer["id"], "preview", token, page)[0] == 404
    status, headers, _ = get(routes, answer["id"], "thumbnail", token)
    assert status == 200 and headers[b"content-type"] == b"image/jpeg"


def assert_same_404(answer: tuple[int, dict, bytes]) -> None:
    status, headers, body = answer
    assert (status, body) == (404, b"Not found."), answer
    assert headers[b"x-content-type-options"] == b"nosniff"
    assert headers[b"content-security-policy"].startswith(b"default-src 'none'")


def test_no_cookie_another_account_and_revoked_access_all_read_not_found(
    routes: Any, world: World, db: Session
) -> None:
    doc = shared_photo(routes, world, db)
    stranger, birch = token_of(db, world.stranger.user_id), token_of(db, world.birch.owner.user_id)
    for what in ("download", "preview", "thumbnail"):
        assert_same_404(get(routes, doc.id, what))  # type: ignore[arg-type]
        assert_same_404(get(routes, doc.id, what, stranger))  # type: ignore[arg-type]
        assert_same_404(get(routes, doc.id, what, birch))  # type: ignore[arg-type]
        assert_same_404(get(routes, doc.id, what, "not-a-session"))  # type: ignore[arg-type]
    parent = token_of(db, world.parent.user_id)
    assert get(routes, doc.id, "download", parent)[0] == 200  # type: ignore[arg-type]
    staff: Actor = world.maple.staff
    access_id = next(h.access_id for h in access_codes.holders(db, staff, world.ana.id) if h.name == "Pat Parent")  # type: ignore[arg-type]
    access_codes.revoke_access(db, staff, access_id)
    db.commit()
    assert_same_404(get(routes, doc.id, "download", parent))  # type: ignore[arg-type]
    for missing in ("999999", "0", "01", "99999999999999999999"):
        assert_same_404(get(routes, missing, "download", parent))
    assert_same_404(run(routes, scope(f"/_documents/{doc.id}/secret", parent)))
