"""POST /_documents/upload?office=3&patient=12: one file, streamed in, checked, stored, thumbnailed.

The page's uploader (components/document_uploads.jsx) sends each file on its
own (multipart/form-data, one part named "file") so the browser can show its
progress. The route
1. refuses other sites (Sec-Fetch-Site / Origin, as the cookie routes do);
2. resolves the actor from the session cookie and asks documents/uploads.py
   where they may upload — before it reads a byte of the body;
3. streams the body through python-multipart's parser into an IncomingFile:
   size checked as it arrives (nothing kept once over PRAXIS_MAX_UPLOAD_MB),
   type judged from the first bytes, hashed, written to a temp file;
4. stores the file through the storage interface (named by its hash, once),
   records the document (the target asked again) and makes its thumbnail and
   preview in a worker thread.
Answers are small JSON objects: {"id", "name"} or {"error"}.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from python_multipart.multipart import MultipartParser, parse_options_header
from sqlalchemy.engine import Engine
from starlette.types import Receive, Scope, Send

from app.db import unit_of_work
from app.services import sessions
from app.services.documents import derivatives, uploads
from app.services.documents.receiving import IncomingFile, Received, Refusal, too_big
from app.services.documents.storage import FileStore, get_store, put_bytes
from app.services.errors import DomainError, Invalid, NotSignedIn, TwoFactorRequired
from app.settings import Settings, get_settings
from app.web.cookie import token_from_cookie_header
from app.web.document_routes import answer, header
from app.web.session_routes import client_ip, same_origin

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks
    from sqlmodel import Session

    from app.services.actor import Actor

UPLOAD_PATH = "/_documents/upload"
SIGNED_OUT = "Your session has ended. Please sign in again."
FAILED = "Something went wrong on our side. Please try again."
MALFORMED = "The upload did not arrive as expected. Please try again."
OVERHEAD = 64 * 1024  # multipart headers and boundaries around the file
log = logging.getLogger("praxis.web")


async def _json(send: Send, status: int, value: dict[str, Any]) -> None:
    await answer(send, status, json.dumps(value).encode(), [(b"content-type", b"application/json")])


class _Form:
    """python-multipart callbacks: the one part named "file" goes to an IncomingFile."""

    def __init__(self, settings: Settings, store: FileStore) -> None:
        self.settings, self.store = settings, store
        self.incoming: IncomingFile | None = None
        self.filename = ""
        self.problem: Refusal | None = None
        self._field, self._value, self._headers = b"", b"", {}
        self._in_file = False

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda data, start, end: self._add("_field", data[start:end]),
            "on_header_value": lambda data, start, end: self._add("_value", data[start:end]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._data,
            "on_part_end": self._part_end,
        }

    def _add(self, name: str, piece: bytes) -> None:
        setattr(self, name, getattr(self, name) + piece[:4096])

    def _part_begin(self) -> None:
        self._headers, self._in_file = {}, False

    def _header_end(self) -> None:
        self._headers[self._field.lower()] = self._value
        self._field, self._value = b"", b""

    def _headers_finished(self) -> None:
        raw = self._headers.get(b"content-disposition", b"").decode("latin-1")  # bytes as they came: UTF-8 below
        _kind, options = parse_options_header(raw)
        if options.get(b"name") != b"file":
            return  # other fields are ignored
        if self.incoming is not None:
            self.problem = Refusal(400, "Send one file per upload.")
            return
        self.filename = options.get(b"filename", b"").decode("utf-8", "replace")
        self.incoming = IncomingFile(self.store.incoming, self.settings.max_upload_bytes)
        self._in_file = True

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self._in_file and self.incoming is not None and self.problem is None:
            self.incoming.write(data[start:end])

    def _part_end(self) -> None:
        self._in_file = False

    @property
    def refusal(self) -> Refusal | None:
        return self.problem or (self.incoming.refusal if self.incoming else None)


def _actor(db: Session, token: str, address: str) -> Actor:
    actor = sessions.resolve(db, token, address)
    if actor is None:
        raise NotSignedIn(SIGNED_OUT)
    return actor


def _refusal_status(error: DomainError) -> int:
    if isinstance(error, NotSignedIn):
        return 401
    if isinstance(error, TwoFactorRequired):
        return 403
    return 400 if isinstance(error, Invalid) else 404


async def handle(
    scope: Scope,
    receive: Receive,
    send: Send,
    trusted_proxy_hops: int,
    engine: Engine | None = None,
    store: FileStore | None = None,
    settings: Settings | None = None,
) -> None:
    if scope.get("method") != "POST":
        await answer(send, 405, b"Method Not Allowed", [(b"allow", b"POST"), (b"content-type", b"text/plain")])
        return
    settings, store = settings or get_settings(), store or get_store()
    if not same_origin(scope):
        await _json(send, 403, {"error": "Uploads come from Praxis's own pages only."})
        return
    token = token_from_cookie_header(header(scope, b"cookie"))
    if not token:
        await _json(send, 401, {"error": SIGNED_OUT})
        return
    query = {k: v[0] for k, v in parse_qs(bytes(scope.get("query_string", b""))[:256].decode("latin-1")).items()}
    office, patient = query.get("office", ""), query.get("patient", "")
    kind, options = parse_options_header(header(scope, b"content-type"))
    boundary = options.get(b"boundary", b"")
    if kind != b"multipart/form-data" or not boundary:
        await _json(send, 400, {"error": MALFORMED})
        return
    length = header(scope, b"content-length")
    if length.isdigit() and int(length) > settings.max_upload_bytes + OVERHEAD:
        await _json(send, 413, {"error": too_big(settings.max_upload_bytes)})
        return
    address = client_ip(scope, trusted_proxy_hops)

    def may_upload() -> uploads.UploadTarget:
        with unit_of_work(engine) as db:
            return uploads.upload_target(db, _actor(db, token, address), office, patient)

    try:
        target = await asyncio.to_thread(may_upload)
    except DomainError as error:
        await _json(send, _refusal_status(error), {"error": error.message})
        return
    form = _Form(settings, store)
    try:
        received = await _receive(receive, form, boundary, settings)
        if received is None:
            return  # the browser went away
        if isinstance(received, Refusal):
            await _json(send, received.status, {"error": received.message})
            return
        if uploads.refusal_for(target, received.file_type):  # before anything is stored
            await _json(send, 415, {"error": uploads.refusal_for(target, received.file_type)})
            return
        document = await _store(engine, store, (token, address), (office, patient), form.filename, received)
    except DomainError as error:
        await _json(send, _refusal_status(error), {"error": error.message})
        return
    except Exception:
        log.exception("An upload failed")
        await _json(send, 500, {"error": FAILED})
        return
    finally:
        if form.incoming is not None:
            form.incoming.discard()
    await _json(send, 200, document)


async def _receive(receive: Receive, form: _Form, boundary: bytes, settings: Settings) -> Received | Refusal | None:
    """Feed the body to the parser as it arrives. After a refusal the rest is read and dropped (up to twice
    the limit), so the browser hears the answer instead of a broken connection."""
    parser = MultipartParser(boundary, form.callbacks())
    seen, cap = 0, 2 * settings.max_upload_bytes + OVERHEAD
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        body = message.get("body", b"")
        seen += len(body)
        if form.refusal is None:
            try:
                parser.write(body)
            except Exception:
                form.problem = Refusal(400, MALFORMED)
        if not message.get("more_body") or seen > cap:
            break
    if form.refusal is not None:
        return form.refusal
    try:
        parser.finalize()
    except Exception:
        return Refusal(400, MALFORMED)
    if form.incoming is None:
        return Refusal(400, "Choose a file to upload.")
    return await asyncio.to_thread(form.incoming.finish)


async def _store(
    engine: Engine | None,
    store: FileStore,
    who: tuple[str, str],
    where: tuple[object, object],
    filename: str,
    received: Received,
) -> dict[str, Any]:
    """Store the bytes, record the document (the session and the target asked again: an upload takes a
    while), then make its thumbnail and preview; all off the event loop."""
    await asyncio.to_thread(store.put_file, received.path, received.sha256, received.size)

    def record() -> tuple[int, str]:
        with unit_of_work(engine) as db:
            document = uploads.record_upload(db, _actor(db, *who), *where, filename, received)
            return document.id or 0, document.name

    document_id, name = await asyncio.to_thread(record)

    def derive() -> None:
        made = derivatives.derive(received.path, received.file_type)
        thumbnail = put_bytes(store, made.thumbnail) if made.thumbnail else None
        preview = put_bytes(store, made.preview) if made.preview else None
        with unit_of_work(engine) as db:
            uploads.attach_derivatives(db, document_id, made, thumbnail, preview)

    try:
        await asyncio.to_thread(derive)
    except Exception:  # the upload stands without a thumbnail
        log.exception("No thumbnail or preview for document %s", document_id)
    return {"id": document_id, "name": name}
