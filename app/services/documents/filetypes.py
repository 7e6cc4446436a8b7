"""What may be uploaded, judged from the file's content, never from its name or the browser's word.

The first bytes decide (the `filetype` package reads the magic numbers, and
the first entries of a ZIP for DOCX/XLSX/ODT). A file with no known signature
counts as plain text only if it is UTF-8 without control characters, checked
as the whole file streams in (`TextCheck`), not only its start.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import filetype

SNIFF_BYTES = 8192  # what filetype reads; the first chunks are gathered until there are this many


@dataclass(frozen=True)
class FileType:
    mime: str
    label: str  # what the lists say: "PDF", "JPEG image"
    extensions: tuple[str, ...]
    kind: str  # "pdf", "image", "text", "office": what can be previewed and how

    @property
    def previewable(self) -> bool:
        return self.kind in ("pdf", "image")


ALLOWED: dict[str, FileType] = {
    t.mime: t
    for t in (
        FileType("application/pdf", "PDF", ("pdf",), "pdf"),
        FileType("image/jpeg", "JPEG image", ("jpg", "jpeg"), "image"),
        FileType("image/png", "PNG image", ("png",), "image"),
        FileType("image/heic", "HEIC photo", ("heic", "heif"), "image"),
        FileType("image/gif", "GIF image", ("gif",), "image"),
        FileType("image/webp", "WebP image", ("webp",), "image"),
        FileType("text/plain", "Text", ("txt",), "text"),
        FileType(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word document",
            ("docx",),
            "office",
        ),
        FileType(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel spreadsheet",
            ("xlsx",),
            "office",
        ),
        FileType("application/vnd.oasis.opendocument.text", "OpenDocument text", ("odt",), "office"),
    )
}
# Images browsers show as they are; a HEIC photo is previewed through a JPEG made from it.
SHOWN_AS_IS = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
ALLOWED_WORDS = (
    "PDF, JPEG, PNG, HEIC/HEIF, GIF, WebP, plain text, Word (DOCX), Excel (XLSX) and OpenDocument text (ODT)"
)
NOT_ALLOWED = f"This kind of file can't be uploaded. Allowed: {ALLOWED_WORDS}."
UNKNOWN = FileType("application/octet-stream", "File", (), "other")
# Control characters that no text file has (tab, line feed, form feed and carriage return are fine).
_TEXT_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def type_of(mime: str) -> FileType:
    return ALLOWED.get(mime, UNKNOWN)


def judge(head: bytes) -> FileType | None:
    """The allowed type the first bytes show, or None (refused). Text is only a first opinion here."""
    if not head:
        return None
    found = filetype.guess(head[:SNIFF_BYTES])
    if found is not None:
        return ALLOWED.get(found.mime)
    return ALLOWED["text/plain"] if TextCheck().feed(head, final=False) else None


class TextCheck:
    """UTF-8 without control characters (a byte order mark is fine), fed chunk by chunk."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()

    def feed(self, chunk: bytes, *, final: bool = False) -> bool:
        try:
            text = self._decoder.decode(chunk, final=final)
        except UnicodeDecodeError:
            return False
        return _TEXT_CONTROLS.search(text) is None


def download_name(name: str, file_type: FileType) -> str:
    """The name a download is saved under, ending in the extension its content has ("scan.jpg" of a PDF
    becomes "scan.jpg.pdf"), so the computer opens it with the right program."""
    if not file_type.extensions:
        return name
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return name if suffix in file_type.extensions else f"{name}.{file_type.extensions[0]}"
