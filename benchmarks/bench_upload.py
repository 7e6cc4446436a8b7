"""Upload benchmark (issue 12): a 20 MB PDF through the upload route, to stored + thumbnail, and memory.

    .venv/bin/python -m benchmarks.bench_upload

Makes a real 20 MB PDF (three A4 pages of photographic noise, JPEG-encoded: PDFium has to
decode a 7-megapixel image to draw the first page), then, in a fresh child process per
run (so that its memory high-water mark is its own), sends it to `POST /_documents/upload`
exactly as the gateway hands a request to the route: a multipart body arriving in 64 KB
pieces read from disk as it goes, against a migrated SQLite database, with the disk store
and with the database store. Per run it reports
- the time until the bytes were stored (linked under their hash / written to the tables),
  until the document was recorded, and until the answer (thumbnail and first-page preview made);
- the child's peak memory: the growth of its resident high-water mark (VmHWM) during the
  upload, and the peak of Python's own allocations (tracemalloc), against the file's size.
The upload must not hold the whole file even once: the parser, hash and temp file work on
pieces, and the database store writes and reads 1 MB chunks.

Prints a table and writes benchmarks/out/upload.json.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out" / "upload.json"
TARGET_BYTES = 20_000_000  # "20 MB", within the default 20 MiB limit
PIECE = 64 * 1024
BOUNDARY = "----praxis-bench"


def make_pdf(path: Path) -> int:
    """A PDF of noise pages (incompressible) just under TARGET_BYTES."""
    import random

    rng = random.Random(1)
    side = 2600
    while True:
        pages = [Image.frombytes("RGB", (side, int(side * 1.414)), rng.randbytes(side * int(side * 1.414) * 3))]
        pages += [pages[0].rotate(180), pages[0].transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
        pages[0].save(path, "PDF", save_all=True, append_images=pages[1:], resolution=280, quality=85)
        size = path.stat().st_size
        if size <= TARGET_BYTES:
            return size
        side = int(side * (TARGET_BYTES / size) ** 0.5) - 10


def _high_water_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def one_upload(pdf: str, store_kind: str, queue: Any) -> None:
    """In a fresh process: a migrated database, an office, its staff member's session, one upload."""
    from app.services.documents import storage, uploads
    from app.settings import Settings
    from app.web import upload_route
    from benchmarks.bench_scheduling import fresh_engine
    from tests.factories import make_office, make_user, sign_in_as

    with tempfile.TemporaryDirectory() as folder:
        engine = fresh_engine(None, Path(folder))
        from sqlmodel import Session

        with Session(engine) as db:
            owner, token = sign_in_as(db, make_user(db, email="owner@bench.test"))
            office = make_office(db, owner).id
        settings = Settings(Path(folder), str(engine.url), b"k" * 32, "http://bench", "x", None, 4, 20, store_kind)
        store = storage.make_store(settings, engine)
        marks: dict[str, float] = {}
        put, record = store.put_file, uploads.record_upload

        def timed_put(*args: Any) -> bool:
            done = put(*args)
            marks.setdefault("stored", time.perf_counter())  # the upload; thumbnails come through here later
            return done

        def timed_record(*args: Any, **kwargs: Any) -> Any:
            found = record(*args, **kwargs)
            marks["recorded"] = time.perf_counter()
            marks["hwm_recorded"] = _high_water_kb()  # before the thumbnail: receiving and storing only
            return found

        store.put_file, uploads.record_upload = timed_put, timed_record  # type: ignore[method-assign]
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="scan.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        size = Path(pdf).stat().st_size
        scope = {
            "type": "http",
            "method": "POST",
            "path": upload_route.UPLOAD_PATH,
            "query_string": f"office={office}".encode(),
            "headers": [
                (b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode()),
                (b"content-length", str(len(head) + size + len(tail)).encode()),
                (b"cookie", f"praxis_session={token}".encode()),
                (b"sec-fetch-site", b"same-origin"),
            ],
            "client": ("127.0.0.1", 5000),
        }
        source = open(pdf, "rb")  # noqa: SIM115
        pending = [head]
        answers: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            piece = pending.pop() if pending else source.read(PIECE)
            if not piece:
                return {"type": "http.request", "body": tail, "more_body": False}
            return {"type": "http.request", "body": piece, "more_body": True}

        async def send(message: dict[str, Any]) -> None:
            answers.append(message)

        before = _high_water_kb()
        tracemalloc.start()
        started = time.perf_counter()
        asyncio.run(upload_route.handle(scope, receive, send, 0, engine, store, settings))
        ended = time.perf_counter()
        python_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        after = _high_water_kb()
        source.close()
        body = json.loads(b"".join(m.get("body", b"") for m in answers[1:]))
        from app.models import Document

        with Session(engine) as db:
            document = db.get(Document, body["id"])
            assert document is not None and document.thumbnail_sha256 and document.page_count == 3
        queue.put(
            {
                "status": answers[0]["status"],
                "stored_ms": (marks["stored"] - started) * 1000,
                "recorded_ms": (marks["recorded"] - started) * 1000,
                "answered_ms": (ended - started) * 1000,
                "rss_growth_mb": (after - before) / 1024,
                "rss_growth_to_recorded_mb": (marks["hwm_recorded"] - before) / 1024,
                "python_peak_mb": python_peak / 2**20,
            }
        )


def run(pdf: Path, store_kind: str, runs: int) -> list[dict[str, Any]]:
    context = multiprocessing.get_context("spawn")
    found = []
    for _ in range(runs):
        queue = context.Queue()
        child = context.Process(target=one_upload, args=(str(pdf), store_kind, queue))
        child.start()
        found.append(queue.get(timeout=300))
        child.join()
    return found


def summary(rows: list[dict[str, Any]]) -> dict[str, float]:
    keys = ("stored_ms", "recorded_ms", "answered_ms", "rss_growth_to_recorded_mb", "rss_growth_mb", "python_peak_mb")
    return {key: round(statistics.median(r[key] for r in rows), 1) for key in keys} | {
        f"max_{key}": round(max(r[key] for r in rows), 1) for key in ("answered_ms", "rss_growth_mb")
    }


def main() -> None:
    import argparse

    from benchmarks.bench_scheduling import machine

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "scan.pdf"
        size = make_pdf(pdf)
        results = {kind: summary(run(pdf, kind, args.runs)) for kind in ("disk", "database")}
    print(f"PDF: {size / 1e6:.1f} MB ({size / 2**20:.1f} MiB), 3 pages; {args.runs} uploads per store (medians)")
    print("| store | stored | recorded | answered (thumbnail made) | RSS growth to recorded | to answered |", end="")
    print(" Python peak |")
    for kind, r in results.items():
        print(
            f"| {kind} | {r['stored_ms']} ms | {r['recorded_ms']} ms | {r['answered_ms']} ms | "
            f"{r['rss_growth_to_recorded_mb']} MB | {r['rss_growth_mb']} MB | {r['python_peak_mb']} MB |"
        )
    OUT.parent.mkdir(exist_ok=True)
    found = {"machine": machine(), "pdf_bytes": size, "runs": args.runs, "results": results}
    OUT.write_text(json.dumps(found, indent=2))


if __name__ == "__main__":
    main()
