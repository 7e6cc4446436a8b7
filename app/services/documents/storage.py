"""The one storage interface for uploaded files (and the thumbnails and previews made from them).

Files are named by the SHA-256 of their content: the same bytes are stored
once, however often they are uploaded, and a stored file never changes.

- `DiskStore` (one machine, the default): `data/files/ab/cd/<sha256>`, outside
  the web root, 0400. A file arrives as a temp file already written and
  fsync'd in `data/files/.incoming/` (same file system) and is hard-linked to
  its name: atomic, and a second writer of the same content finds it there.
- `DatabaseStore` (several app machines sharing PostgreSQL): the bytes in
  `stored_file_chunks`, 1 MB a row, written in one transaction with their
  `stored_files` row, so a reader sees all of a file or none of it. Reads go a
  chunk at a time: a download never holds the whole file in memory.

Both are chosen by PRAXIS_FILE_STORE and pass the same tests.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from app.models import StoredFile, StoredFileChunk
from app.models.types import utcnow
from app.settings import Settings, get_settings

CHUNK_BYTES = 1024 * 1024
READ_BYTES = 256 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")


class FileStore(Protocol):
    kind: str
    incoming: Path  # where uploads are written first (a local folder, also for the database store)

    def put_file(self, source: Path, sha256: str, size: int) -> bool:
        """Store a finished temp file under its hash; False when those bytes were stored already.
        The caller removes `source` afterwards."""
        ...

    def exists(self, sha256: str) -> bool: ...

    def chunks(self, sha256: str) -> Iterator[bytes]:
        """The file's bytes, a piece at a time (FileNotFoundError when it is not stored)."""
        ...

    def local_copy(self, sha256: str) -> contextlib.AbstractContextManager[Path]:
        """A path to read the file from (Pillow and pypdfium2 want one), for the duration of a with-block."""
        ...


def check_hash(sha256: str) -> str:
    """A stored file's name is its hash and nothing else (never a path from outside)."""
    if not _SHA256.fullmatch(sha256 or ""):
        raise ValueError("not a SHA-256 hex digest")
    return sha256


def new_incoming_path(incoming: Path) -> Path:
    incoming.mkdir(mode=0o700, parents=True, exist_ok=True)
    return incoming / f"upload-{secrets.token_hex(12)}.part"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def put_bytes(store: FileStore, data: bytes) -> str:
    """Store bytes made here (a thumbnail) through the same door as uploads; returns their hash."""
    sha256 = hashlib.sha256(data).hexdigest()
    if store.exists(sha256):
        return sha256
    temp = new_incoming_path(store.incoming)
    try:
        with temp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        store.put_file(temp, sha256, len(data))
    finally:
        temp.unlink(missing_ok=True)
    return sha256


class DiskStore:
    kind = "disk"

    def __init__(self, root: Path) -> None:
        self.root = root
        self.incoming = root / ".incoming"

    def path(self, sha256: str) -> Path:
        check_hash(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put_file(self, source: Path, sha256: str, size: int) -> bool:
        final = self.path(sha256)
        if final.exists():
            return False
        final.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            os.link(source, final)
        except FileExistsError:
            return False
        except OSError:  # another file system: copy beside it, then link (still atomic)
            temp = final.parent / f".{sha256}.{secrets.token_hex(6)}.part"
            try:
                with source.open("rb") as src, temp.open("wb") as dst:
                    shutil.copyfileobj(src, dst, READ_BYTES)
                    dst.flush()
                    os.fsync(dst.fileno())
                try:
                    os.link(temp, final)
                except FileExistsError:
                    return False
            finally:
                temp.unlink(missing_ok=True)
        final.chmod(0o400)
        _fsync_dir(final.parent)
        return True

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).exists()

    def chunks(self, sha256: str) -> Iterator[bytes]:
        with self.path(sha256).open("rb") as handle:
            while piece := handle.read(READ_BYTES):
                yield piece

    @contextlib.contextmanager
    def local_copy(self, sha256: str) -> Iterator[Path]:
        path = self.path(sha256)
        if not path.exists():
            raise FileNotFoundError(sha256)
        yield path


class DatabaseStore:
    kind = "database"

    def __init__(self, engine: Engine, incoming: Path) -> None:
        self.engine = engine
        self.incoming = incoming

    def put_file(self, source: Path, sha256: str, size: int) -> bool:
        check_hash(sha256)
        if self.exists(sha256):
            return False
        count = max(1, -(-size // CHUNK_BYTES))
        try:
            with self.engine.begin() as connection, source.open("rb") as handle:
                connection.execute(
                    insert(StoredFile).values(sha256=sha256, size=size, chunks=count, created_at=utcnow())
                )
                for seq in range(count):
                    piece = handle.read(CHUNK_BYTES)
                    connection.execute(insert(StoredFileChunk).values(sha256=sha256, seq=seq, data=piece))
        except IntegrityError:  # stored by another upload of the same bytes a moment ago
            if self.exists(sha256):
                return False
            raise
        return True

    def exists(self, sha256: str) -> bool:
        check_hash(sha256)
        with self.engine.connect() as connection:
            found = connection.execute(select(col(StoredFile.sha256)).where(col(StoredFile.sha256) == sha256)).first()
        return found is not None

    def chunks(self, sha256: str) -> Iterator[bytes]:
        check_hash(sha256)
        with self.engine.connect() as connection:
            count = connection.execute(select(col(StoredFile.chunks)).where(col(StoredFile.sha256) == sha256)).scalar()
        if count is None:
            raise FileNotFoundError(sha256)
        for seq in range(count):
            with self.engine.connect() as connection:
                piece = connection.execute(
                    select(col(StoredFileChunk.data)).where(
                        col(StoredFileChunk.sha256) == sha256, col(StoredFileChunk.seq) == seq
                    )
                ).scalar()
            if piece is None:
                raise FileNotFoundError(sha256)
            yield bytes(piece)

    @contextlib.contextmanager
    def local_copy(self, sha256: str) -> Iterator[Path]:
        pieces = self.chunks(sha256)
        temp = new_incoming_path(self.incoming)
        try:
            with temp.open("wb") as handle:
                for piece in pieces:
                    handle.write(piece)
            yield temp
        finally:
            temp.unlink(missing_ok=True)


def clear_stale_incoming(store: FileStore, older_than_seconds: float = 3600) -> int:
    """Remove temp files that uploads interrupted by a crash left behind (part of someone's document);
    returns how many. Files of uploads still running are younger than this."""
    if not store.incoming.exists():
        return 0
    cutoff, removed = time.time() - older_than_seconds, 0
    for path in store.incoming.glob("upload-*.part"):
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
    return removed


def make_store(settings: Settings, engine: Engine | None = None) -> FileStore:
    root = settings.data_dir / "files"
    if settings.file_store == "database":
        from app.db import get_engine

        return DatabaseStore(engine or get_engine(), root / ".incoming")
    return DiskStore(root)


@functools.cache
def get_store() -> FileStore:
    return make_store(get_settings())
