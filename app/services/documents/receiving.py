"""An upload as it streams in: counted, judged, hashed and written to a temp file, piece by piece.

Nothing holds the whole file: each piece is checked against the size limit,
added to the hash and written to `data/files/.incoming/` as it arrives. The
first 8 KB decide the type (filetypes.judge) before a byte is written; text
is checked to the end. On any refusal the temp file is removed and nothing is
stored; `finish` fsyncs the file, and the storage interface then links it
under its hash.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from app.models.documents import DOCUMENT_NAME_LIMIT
from app.services.documents.filetypes import NOT_ALLOWED, SNIFF_BYTES, FileType, TextCheck, judge
from app.services.documents.storage import new_incoming_path

EMPTY = "This file is empty."


def too_big(max_bytes: int) -> str:
    return f"This file is larger than {max_bytes // (1024 * 1024)} MB, the most that can be uploaded."


@dataclass(frozen=True)
class Refusal:
    status: int  # 413 too large, 415 not an allowed type, 400 anything else
    message: str


@dataclass(frozen=True)
class Received:
    path: Path
    sha256: str
    size: int
    file_type: FileType


class IncomingFile:
    def __init__(self, incoming: Path, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.path = new_incoming_path(incoming)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._handle = os.fdopen(fd, "wb")
        self._hash = hashlib.sha256()
        self._head = bytearray()
        self._text: TextCheck | None = None
        self.size = 0
        self.file_type: FileType | None = None
        self.refusal: Refusal | None = None

    def write(self, data: bytes) -> None:
        if self.refusal is not None or not data:
            return
        self.size += len(data)
        if self.size > self.max_bytes:
            self._refuse(413, too_big(self.max_bytes))
            return
        if self.file_type is None:
            self._head += data
            if len(self._head) >= SNIFF_BYTES:
                self._decide()
            return
        self._keep(data)

    def _decide(self) -> None:
        self.file_type = judge(bytes(self._head))
        if self.file_type is None:
            self._refuse(415, NOT_ALLOWED)
            return
        if self.file_type.kind == "text":
            self._text = TextCheck()
        head, self._head = bytes(self._head), bytearray()
        self._keep(head)

    def _keep(self, data: bytes) -> None:
        if self._text is not None and not self._text.feed(data):
            self._refuse(415, NOT_ALLOWED)
            return
        self._hash.update(data)
        self._handle.write(data)

    def _refuse(self, status: int, message: str) -> None:
        self.refusal = Refusal(status, message)
        self.discard()

    def finish(self) -> Received | Refusal:
        """The finished file (written and fsync'd), or why it was refused (nothing kept)."""
        if self.refusal is None and self.file_type is None:
            if not self._head:
                self._refuse(400, EMPTY)
            else:
                self._decide()
        if self.refusal is None and self._text is not None and not self._text.feed(b"", final=True):
            self._refuse(415, NOT_ALLOWED)
        if self.refusal is not None:
            return self.refusal
        assert self.file_type is not None
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        return Received(self.path, self._hash.hexdigest(), self.size, self.file_type)

    def discard(self) -> None:
        if not self._handle.closed:
            self._handle.close()
        self.path.unlink(missing_ok=True)


def clean_name(raw: str) -> str:
    """A file name as people see it: the last part of a path, no control characters, at most 200 characters
    (the extension kept)."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = " ".join(name.split()).strip(" .")
    if len(name) > DOCUMENT_NAME_LIMIT:
        stem, dot, suffix = name.rpartition(".")
        keep = suffix if dot and len(suffix) <= 10 else ""
        name = (stem if keep else name)[: DOCUMENT_NAME_LIMIT - len(keep) - 1].rstrip() + (f".{keep}" if keep else "")
    return name or "Untitled"
