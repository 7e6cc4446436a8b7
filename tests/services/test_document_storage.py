"""The storage interface: the disk store and the database store pass the same tests (on SQLite and,
with PRAXIS_TEST_DATABASE_URL, on PostgreSQL), and uploads are judged, limited and deduplicated."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from app.models import Document, StoredFile, StoredFileChunk
from app.services.documents import derivatives, filetypes, storage
from app.services.documents.receiving import NOT_ALLOWED, Received, Refusal, clean_name
from app.services.documents.storage import DatabaseStore, DiskStore, FileStore, put_bytes
from tests.documents_support import docx_bytes, image_bytes, pdf_bytes, receive, upload
from tests.world import World


@pytest.fixture(params=["disk", "database"])
def store(request: pytest.FixtureRequest, tmp_path: Path, engine: Engine) -> FileStore:
    if request.param == "disk":
        return DiskStore(tmp_path / "files")
    return DatabaseStore(engine, tmp_path / "files" / ".incoming")


def stored(store: FileStore, sha256: str) -> bytes:
    return b"".join(store.chunks(sha256))


def incoming_files(store: FileStore) -> list[Path]:
    return list(store.incoming.glob("*")) if store.incoming.exists() else []


def test_a_file_is_stored_once_under_its_hash_and_read_back_a_piece_at_a_time(store: FileStore) -> None:
    data = pdf_bytes(text_size=3 * 1024 * 1024 + 17)  # several chunks, the last one short
    first = receive(store, data)
    assert isinstance(first, Received)
    assert first.sha256 == hashlib.sha256(data).hexdigest() and first.size == len(data)
    assert store.put_file(first.path, first.sha256, first.size) is True
    first.path.unlink()
    second = receive(store, data)
    assert isinstance(second, Received)
    assert store.put_file(second.path, second.sha256, second.size) is False  # deduplicated
    second.path.unlink()
    assert store.exists(first.sha256)
    assert stored(store, first.sha256) == data
    assert max(len(piece) for piece in store.chunks(first.sha256)) <= storage.CHUNK_BYTES
    with store.local_copy(first.sha256) as path:
        assert path.read_bytes() == data
    assert incoming_files(store) == []


def test_temp_files_a_crash_left_behind_are_cleared(store: FileStore) -> None:
    import os

    old, fresh = storage.new_incoming_path(store.incoming), storage.new_incoming_path(store.incoming)
    old.write_bytes(b"half of someone's scan")
    fresh.write_bytes(b"an upload still arriving")
    os.utime(old, (1_000_000_000, 1_000_000_000))
    assert storage.clear_stale_incoming(store) == 1
    assert not old.exists() and fresh.exists()


def test_made_bytes_go_through_the_same_door(store: FileStore) -> None:
    sha = put_bytes(store, b"thumbnail bytes")
    assert sha == hashlib.sha256(b"thumbnail bytes").hexdigest()
    assert put_bytes(store, b"thumbnail bytes") == sha
    assert stored(store, sha) == b"thumbnail bytes"


def test_only_a_hash_names_a_stored_file(store: FileStore) -> None:
    for name in ("../../etc/passwd", "A" * 64, "abc", ""):
        with pytest.raises(ValueError):
            store.exists(name)
    with pytest.raises(FileNotFoundError):
        list(store.chunks("0" * 64))


def test_the_disk_store_keeps_files_outside_the_web_root_read_only(tmp_path: Path) -> None:
    store = DiskStore(tmp_path / "files")
    received = receive(store, b"plain words\n")
    assert isinstance(received, Received)
    store.put_file(received.path, received.sha256, received.size)
    path = store.path(received.sha256)
    assert path.parent.parent.parent == tmp_path / "files"
    assert oct(path.stat().st_mode & 0o777) == "0o400"


def test_the_database_store_writes_a_file_whole_or_not_at_all(engine: Engine, db: Session, tmp_path: Path) -> None:
    store = DatabaseStore(engine, tmp_path / "in")
    received = receive(store, pdf_bytes(text_size=2 * storage.CHUNK_BYTES))
    assert isinstance(received, Received)
    store.put_file(received.path, received.sha256, received.size)
    row = db.get(StoredFile, received.sha256)
    assert row is not None and row.size == received.size and row.chunks == 3
    count = db.exec(select(func.count()).select_from(StoredFileChunk)).one()
    assert count == 3


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (pdf_bytes(), "application/pdf"),
        (image_bytes("JPEG"), "image/jpeg"),
        (image_bytes("PNG"), "image/png"),
        (image_bytes("GIF"), "image/gif"),
        (image_bytes("WEBP"), "image/webp"),
        ("Blood pressure 120/80, café ☕\r\n".encode(), "text/plain"),
        (docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_allowed_types_are_judged_from_the_content(store: FileStore, data: bytes, mime: str) -> None:
    received = receive(store, data)
    assert isinstance(received, Received) and received.file_type.mime == mime
    received.path.unlink()


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00" + b"\x00" * 200,  # a Windows program
        b"PK\x03\x04" + b"\x00" * 200,  # a plain ZIP archive
        b"\x7fELF" + b"\x00" * 100,
        b"plain text, then a NUL\x00 byte",
        "A" * 9000 + "\x1b[31m",  # text whose control character comes after the first 8 KB
        b"\xff\xfe\x00\x00not utf-8",
    ],
)
def test_anything_else_is_refused_with_the_list_and_nothing_is_kept(store: FileStore, data: bytes | str) -> None:
    raw = data.encode() if isinstance(data, str) else data
    refused = receive(store, raw)
    assert refused == Refusal(415, NOT_ALLOWED)
    assert "PDF, JPEG, PNG, HEIC/HEIF" in refused.message
    assert incoming_files(store) == []


def test_the_size_is_checked_while_the_file_streams_in(store: FileStore) -> None:
    refused = receive(store, pdf_bytes(text_size=300_000), max_bytes=100_000)
    assert isinstance(refused, Refusal) and refused.status == 413
    assert "100 KB" not in refused.message and "larger than" in refused.message
    assert incoming_files(store) == []
    assert receive(store, b"") == Refusal(400, "This file is empty.")


def test_a_refused_upload_stores_nothing_and_records_nothing(world: World, db: Session, tmp_path: Path) -> None:
    store = DiskStore(tmp_path / "files")
    refused = receive(store, b"\x7fELF" + b"\x00" * 100)
    assert isinstance(refused, Refusal)
    assert [p for p in (tmp_path / "files").rglob("*") if p.is_file()] == []
    assert db.exec(select(func.count()).select_from(Document)).one() == 0


def test_uploading_the_same_bytes_twice_makes_two_documents_and_one_stored_file(
    world: World, db: Session, tmp_path: Path
) -> None:
    store = DiskStore(tmp_path / "files")
    data = pdf_bytes()
    one = upload(db, store, world.maple.staff, data, "a.pdf", office=world.maple.office_id)
    two = upload(db, store, world.maple.owner, data, "b.pdf", office=world.maple.office_id)
    assert one.id != two.id and one.sha256 == two.sha256
    assert len([p for p in (tmp_path / "files").rglob("*") if p.is_file()]) == 1


def test_thumbnails_and_previews_are_made_for_images_and_pdfs(tmp_path: Path) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(pdf_bytes(pages=3))
    made = derivatives.derive(pdf, filetypes.ALLOWED["application/pdf"])
    assert made.page_count == 3 and made.thumbnail and made.preview
    assert made.preview.startswith(b"\x89PNG") and made.thumbnail.startswith(b"\xff\xd8")
    assert derivatives.render_page(pdf, 2).startswith(b"\x89PNG")
    with pytest.raises(IndexError):
        derivatives.render_page(pdf, 3)
    photo = tmp_path / "a.png"
    photo.write_bytes(image_bytes("PNG", (4000, 3000)))
    made = derivatives.derive(photo, filetypes.ALLOWED["image/png"])
    assert made.thumbnail and made.preview is None  # a PNG is previewed as it is
    heic = tmp_path / "photo.heic"
    heic.write_bytes(image_bytes("HEIF", (1600, 1200)))
    assert filetypes.judge(heic.read_bytes()[:8192]) == filetypes.ALLOWED["image/heic"]
    made = derivatives.derive(heic, filetypes.ALLOWED["image/heic"])
    assert made.thumbnail and made.preview and made.preview.startswith(b"\xff\xd8")  # browsers get a JPEG
    broken = tmp_path / "b.pdf"
    broken.write_bytes(b"%PDF-1.7 nothing else")
    assert derivatives.derive(broken, filetypes.ALLOWED["application/pdf"]) == derivatives.Derived()


def test_names_are_cleaned_for_people_and_downloads_carry_the_real_extension() -> None:
    assert clean_name("C:\\Users\\ana\\scan\x00 01.pdf") == "scan 01.pdf"
    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name("   ") == "Untitled"
    long = clean_name("x" * 300 + ".pdf")
    assert len(long) == 200 and long.endswith(".pdf")
    pdf = filetypes.ALLOWED["application/pdf"]
    assert filetypes.download_name("scan.jpg", pdf) == "scan.jpg.pdf"
    assert filetypes.download_name("scan.PDF", pdf) == "scan.PDF"
