"""After start-up the worker leaves what it loaded out of later garbage collections (app/heap.py)."""

from __future__ import annotations

import asyncio
import gc
import weakref

from app.heap import YOUNG_THRESHOLD, settle_the_heap


class _Node:
    me: object = None


def test_after_start_up_the_loaded_heap_is_frozen_and_young_collections_are_rarer() -> None:
    threshold = gc.get_threshold()
    try:
        asyncio.run(settle_the_heap())
        assert gc.get_freeze_count() > 10_000  # Reflex, SQLAlchemy and the app, at least
        assert gc.get_threshold() == (YOUNG_THRESHOLD, threshold[1], threshold[2])
        # Cycles made afterwards are still collected.
        cycle = _Node()
        cycle.me = cycle
        gone = weakref.ref(cycle)
        del cycle
        gc.collect()
        assert gone() is None
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
