"""Summarise py-spy's raw (folded) profiles: where a worker's samples went.

    .venv/bin/python -m benchmarks.pyspy_summary benchmarks/out/pyspy-*.txt [--top 25]

Each line of a raw profile is `frame;frame;...;leaf count`. Printed: the busy share (samples
not idle in the event loop's selector), the functions holding the most samples on their own
(self) and, among the app's and Reflex's frames, the most samples below them (inclusive).
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

IDLE = ("select (selectors.py", "epoll", "_run_once (asyncio/base_events.py", "wait (threading.py")


def short(frame: str) -> str:
    """`func (path/to/file.py:12)` → `func (file.py)`; the line number and folders dropped."""
    name, _, where = frame.partition(" (")
    file = where.rsplit("/", 1)[-1].split(":", 1)[0].rstrip(")")
    return f"{name} ({file})" if file else name


def read(paths: list[Path]) -> list[tuple[list[str], int]]:
    stacks = []
    for path in paths:
        for line in path.read_text(errors="replace").splitlines():
            stack, _, count = line.rpartition(" ")
            if stack and count.isdigit():
                stacks.append((stack.split(";"), int(count)))
    return stacks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", type=Path, nargs="+")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    stacks = read(args.paths)
    total = sum(count for _, count in stacks)
    busy = [(frames, count) for frames, count in stacks if not any(idle in frames[-1] for idle in IDLE)]
    busy_total = sum(count for _, count in busy) or 1
    print(f"{total} samples, {busy_total} busy ({100 * busy_total / max(total, 1):.0f}%)")
    own: Counter[str] = Counter()
    below: Counter[str] = Counter()
    for frames, count in busy:
        own[short(frames[-1])] += count
        for frame in {short(f) for f in frames if "(app/" in f or "reflex/" in f or "sqlalchemy/" in f}:
            below[frame] += count
    print("\nself (share of busy samples):")
    for name, count in own.most_common(args.top):
        print(f"  {100 * count / busy_total:5.1f}%  {name}")
    print("\ninclusive, app / Reflex / SQLAlchemy frames (share of busy samples):")
    for name, count in below.most_common(args.top):
        print(f"  {100 * count / busy_total:5.1f}%  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
