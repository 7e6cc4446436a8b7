"""Sample files and an upload helper for the document tests (service, route and benchmark)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import pypdfium2
from PIL import Image
from sqlmodel import Session

import app.services.documents.derivatives  # noqa: F401  (registers the HEIF opener)
from app.models import Document
from app.services.actor import Actor
from app.services.documents import uploads
from app.services.documents.receiving import IncomingFile, Received, Refusal
from app.services.documents.storage import FileStore

MAX_BYTES = 20 * 1024 * 1024


def pdf_bytes(pages: int = 1, text_size: int = 0) -> bytes:
    """A real PDF with blank pages (and, with `text_size`, that many bytes of padding in a comment)."""
    document = pypdfium2.PdfDocument.new()
    for _ in range(pages):
        document.new_page(595, 842)
    out = io.BytesIO()
    document.save(out)
    document.close()
    data = out.getvalue()
    return data + (b"%" + b"x" * (text_size - 2) + b"\n" if text_size else b"")


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (640, 480), color: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, kind)
    return out.getvalue()


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def pieces(data: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def receive(store: FileStore, data: bytes, max_bytes: int = MAX_BYTES) -> Received | Refusal:
    """What the upload route does with a body's file part: stream it in, piece by piece."""
    incoming = IncomingFile(store.incoming, max_bytes)
    for piece in pieces(data):
        incoming.write(piece)
    return incoming.finish()


def upload(
    db: Session,
    store: FileStore,
    actor: Actor,
    data: bytes,
    name: str = "scan.pdf",
    *,
    office: object = None,
    patient: object = None,
) -> Document:
    """An upload as the route makes it: received, stored by hash, recorded (committed)."""
    received = receive(store, data)
    assert isinstance(received, Received), received
    try:
        store.put_file(received.path, received.sha256, received.size)
        document = uploads.record_upload(db, actor, office, patient, name, received)
        db.commit()
    finally:
        received.path.unlink(missing_ok=True)
    return document
