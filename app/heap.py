"""The worker's garbage collector, tuned for a server that holds every open tab's state.

Python's full collections walk every tracked object. In a worker that is the whole of Reflex,
SQLAlchemy and the compiled app, plus each open tab's states: under the mixed load test
(benchmarks/load_mixed.py, 100 tabs) a full collection stopped the event loop for 30–155 ms,
every tab's click waiting behind it (benchmarks/RESULTS.md). Once the worker has started, what
it loaded lives as long as the process does: freezing it takes it out of every later collection,
and fewer young collections mean fewer full ones. Reference cycles are still collected.
"""

from __future__ import annotations

import gc

# Young objects before a collection (Python's default is 700): a single event allocates thousands.
YOUNG_THRESHOLD = 20_000


async def settle_the_heap() -> None:
    """After start-up: collect once, then keep what start-up loaded out of later collections."""
    gc.collect()
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
