"""Security headers for every HTTP response of the app.

Two Content-Security-Policies:

- HTML documents (the prerendered pages, the SPA/404 fallback) get the page
  policy. Scripts come from this origin only, plus exactly the inline
  <script>s of the build (theme, scroll restoration, the React Router context
  and route imports, React's streaming helpers), allowed by their SHA-256
  hashes: no 'unsafe-inline', no 'unsafe-eval'. The hashes are read from the
  built HTML files (and their precompressed copies, which are what is served)
  when the first page is answered, and read again after a rebuild.
- Every other response (scripts, styles, images, API answers, redirects) gets
  a policy that allows nothing: should one of them ever be opened as a
  document (an SVG, a JSON answer), it cannot run or load anything. It is
  short, so the 1.7 kB page policy is not repeated on every asset.

See the README's security notes for why each allowance exists.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import logging
import os
import re
import threading
from base64 import b64encode
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from app.settings import get_settings

log = logging.getLogger("praxis.web")

# An inline script's text runs from its start tag to the first "</script" (HTML raw text).
_SCRIPT = re.compile(rb"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_SRC_ATTRIBUTE = re.compile(rb"(?:^|\s)src\s*=", re.IGNORECASE)

PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), midi=(), display-capture=(), browsing-topics=()"
)
# For anything that is not an HTML page: nothing may run, load, frame it or be posted from it.
RESOURCE_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# Suffixes of files that are never pages, for answers that name no content type (304 Not Modified).
_NOT_PAGES = (".js", ".mjs", ".css", ".map", ".json", ".svg", ".png", ".ico", ".jpg", ".webp", ".woff2", ".txt")


def script_hash(source: bytes) -> str:
    return "'sha256-" + b64encode(hashlib.sha256(source).digest()).decode() + "'"


def inline_script_hashes(html: bytes) -> set[str]:
    """CSP hash sources for every inline <script> of an HTML document (scripts with src= need none).

    Browsers hash a script's text as parsed: after the HTML parser turned CR LF and CR into LF."""
    text = html.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return {script_hash(body) for attributes, body in _SCRIPT.findall(text) if not _SRC_ATTRIBUTE.search(attributes)}


def _page_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def built_script_hashes(client_dir: Path) -> frozenset[str]:
    """The hashes of every inline script of every built page: each .html and its .html.gz copy."""
    hashes: set[str] = set()
    for path in sorted(client_dir.rglob("*.html")) + sorted(client_dir.rglob("*.html.gz")):
        hashes |= inline_script_hashes(_page_bytes(path))
    return frozenset(hashes)


def client_build_dir() -> Path:
    """Where the production build's pages are, as Reflex finds them (reflex/utils/exec.py get_frontend_mount)."""
    from reflex.config import get_config
    from reflex.utils import prerequisites
    from reflex_base import constants

    return prerequisites.get_web_dir() / constants.Dirs.STATIC / get_config().frontend_path.strip("/")


def websocket_origin(base_url: str) -> str:
    """The public address's websocket origin (ws://host:port or wss://host), or "" when there is none."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return ("wss" if parts.scheme == "https" else "ws") + "://" + parts.netloc


def page_policy(script_hashes: Iterable[str], base_url: str = "") -> str:
    """The Content-Security-Policy of the app's HTML pages."""
    # 'self' covers this origin's ws:/wss: in CSP 3 (Chromium, Firefox, Safari 15.4+); the public
    # address's websocket origin is named too, for browsers that do not.
    ws = websocket_origin(base_url)
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(["script-src 'self'", *sorted(script_hashes)]),
            # Measured: the prerendered <style data-emotion> blocks, and the <style>s Emotion (Reflex's
            # CSS-in-JS) and sonner add at run time; state-dependent, so no hashes.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",  # QR codes are data: images
            "font-src 'self'",
            "connect-src 'self'" + (f" {ws}" if ws else ""),
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",  # the session hand-off form posts to /_session/* here
            "frame-ancestors 'none'",
        ]
    )


def common_headers(base_url: str) -> list[tuple[str, str]]:
    """The headers every response gets, whatever it is."""
    headers = [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
        ("permissions-policy", PERMISSIONS_POLICY),
        ("cross-origin-opener-policy", "same-origin"),
    ]
    if base_url.startswith("https://"):
        headers.append(("strict-transport-security", "max-age=31536000; includeSubDomains"))
    return headers


def is_page(content_type: str, path: str) -> bool:
    """Whether a response is (or revalidates) an HTML page, which gets the page policy.

    Answers without a content type (304 Not Modified, redirects) count as pages unless their
    path names a file that is never one: the big policy on a redirect costs little, the small
    one on a revalidated page would break it."""
    if content_type:
        return content_type.split(";", 1)[0].strip().lower() == "text/html"
    return not path.lower().endswith(_NOT_PAGES)


def _encode(headers: Iterable[tuple[str, str]]) -> tuple[tuple[bytes, bytes], ...]:
    return tuple((name.encode(), value.encode()) for name, value in headers)


def build_fingerprint(client_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Cheap to take on every page answer: the top-level pages' names, times and sizes (a rebuild changes them)."""
    try:
        with os.scandir(client_dir) as entries:
            pages = [entry for entry in entries if entry.name.endswith((".html", ".html.gz"))]
            return tuple(sorted((page.name, page.stat().st_mtime_ns, page.stat().st_size) for page in pages))
    except OSError:
        return ()


class SecurityHeaders:
    """The header sets; the page set is built from the build's pages, again whenever they change."""

    def __init__(self, base_url: str, client_dir: Path | None = None) -> None:
        self.base_url = base_url
        self._client_dir = client_dir
        self._lock = threading.Lock()
        self._page: tuple[tuple[bytes, bytes], ...] = ()
        self._fingerprint: tuple[tuple[str, int, int], ...] = ()
        self.resource = _encode([("content-security-policy", RESOURCE_POLICY), *common_headers(base_url)])

    def page(self) -> tuple[tuple[bytes, bytes], ...]:
        client_dir = self._client_dir or client_build_dir()
        fingerprint = build_fingerprint(client_dir)
        if self._page and fingerprint == self._fingerprint:
            return self._page
        with self._lock:
            if not self._page or fingerprint != self._fingerprint:
                hashes = built_script_hashes(client_dir) if fingerprint else frozenset()
                if not hashes:
                    log.warning("No built pages in %s: the page policy allows no inline script", client_dir)
                else:
                    log.info("Page CSP: %d inline-script hashes from %s", len(hashes), client_dir)
                headers = _encode([("content-security-policy", page_policy(hashes, self.base_url))])
                self._page = headers + _encode(common_headers(self.base_url))
                self._fingerprint = fingerprint
        return self._page

    def for_response(self, content_type: str, path: str) -> tuple[tuple[bytes, bytes], ...]:
        return self.page() if is_page(content_type, path) else self.resource


@functools.cache
def security_headers() -> SecurityHeaders:
    return SecurityHeaders(get_settings().base_url)
