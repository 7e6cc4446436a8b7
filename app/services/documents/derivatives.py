"""Thumbnails and previews: small JPEGs for the lists, page images for previewing PDFs in the browser.

Made after an upload, in a worker thread (never on the event loop), at most
two at a time; a file that cannot be read this way (a damaged PDF, an image
of a billion pixels) simply gets none: the upload stands. PDF pages are
rendered to PNG by PDFium (pypdfium2) — the browser's PDF viewer is never
involved, so a PDF previews the same in every browser and its scripts never
run. HEIC photos (which browsers do not show) get a JPEG preview.
"""

from __future__ import annotations

import io
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import pillow_heif
import pypdfium2
from PIL import Image, ImageOps

from app.services.documents.filetypes import FileType

THUMBNAIL_BOX = (160, 160)
PREVIEW_WIDTH = 1400
MAX_PIXELS = 80_000_000  # an image larger than this gets no thumbnail (a decompression bomb costs nothing)
MAX_PREVIEW_PAGES = 30
log = logging.getLogger("praxis.documents")
_cpu = threading.BoundedSemaphore(2)
_pdfium = threading.Lock()  # PDFium is not thread-safe

pillow_heif.register_heif_opener()


@dataclass(frozen=True)
class Derived:
    thumbnail: bytes | None = None
    preview: bytes | None = None  # PDF: the first page (PNG); HEIC: the photo as JPEG
    page_count: int | None = None


def derive(path: Path, file_type: FileType) -> Derived:
    """The thumbnail and preview of a stored file (none for text and office files, or when it cannot be read)."""
    try:
        with _cpu:
            if file_type.kind == "pdf":
                return _pdf(path)
            if file_type.kind == "image":
                return _image(path, file_type.mime)
    except Exception:
        log.warning("No thumbnail for a %s upload", file_type.mime, exc_info=True)
    return Derived()


def render_page(path: Path, index: int) -> bytes:
    """Page `index` (0-based) of a PDF as a PNG, PREVIEW_WIDTH wide (IndexError past the last page)."""
    with _cpu, _pdfium:
        document = pypdfium2.PdfDocument(str(path))
        try:
            if not 0 <= index < min(len(document), MAX_PREVIEW_PAGES):
                raise IndexError(index)
            return _png(_render(document, index))
        finally:
            document.close()


def _render(document: pypdfium2.PdfDocument, index: int) -> Image.Image:
    page = document[index]
    try:
        width = page.get_width() or 1
        scale = min(PREVIEW_WIDTH / width, 4.0)
        # pypdfium2 has no annotations: its `scale=1` default reads as int, but the scale is a float (its docs).
        bitmap = page.render(scale=scale)  # pyright: ignore[reportArgumentType]
        return bitmap.to_pil().convert("RGB")
    finally:
        page.close()


def _pdf(path: Path) -> Derived:
    with _pdfium:
        document = pypdfium2.PdfDocument(str(path))
        try:
            pages = len(document)
            first = _render(document, 0) if pages else None
        finally:
            document.close()
    if first is None:
        return Derived(page_count=0)
    return Derived(thumbnail=_thumbnail(first), preview=_png(first), page_count=pages)


def _image(path: Path, mime: str) -> Derived:
    with Image.open(path) as image:
        if image.width * image.height > MAX_PIXELS:
            return Derived()
        image.draft("RGB", (PREVIEW_WIDTH, PREVIEW_WIDTH))  # JPEG decodes at a fraction of its size
        shown = _flatten(ImageOps.exif_transpose(image) or image)
    preview = None
    if mime == "image/heic":
        large = shown.copy()
        large.thumbnail((PREVIEW_WIDTH, PREVIEW_WIDTH))
        preview = _jpeg(large, 85)
    return Derived(thumbnail=_thumbnail(shown), preview=preview)


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white (transparent PNGs and GIFs would turn black as JPEG)."""
    if image.mode in ("RGBA", "LA", "P", "PA"):
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")


def _thumbnail(image: Image.Image) -> bytes:
    small = image.copy()
    small.thumbnail(THUMBNAIL_BOX)
    return _jpeg(small, 80)


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False, compress_level=6)
    return out.getvalue()
