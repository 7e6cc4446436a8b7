"""The worker's live-update loop: about twice a second, one read of the versions of every topic
its connected tabs follow, then the event each concerned tab subscribed, sent to that tab.

One query per worker and tick, however many tabs are open; nothing at all while no tab follows
anything. It works the same with several workers: each one watches the database for the tabs
whose socket it holds, so a change made through any worker reaches every screen.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from reflex.state import StateUpdate
from reflex_base.event import Event

from app.db import unit_of_work
from app.live.registry import REGISTRY, Registry
from app.services import live_versions

if TYPE_CHECKING:
    from reflex.app import App

log = logging.getLogger("praxis.live")
TICK_SECONDS = 0.5


def read_versions(topics: set[str]) -> dict[str, int]:
    with unit_of_work(read_only=True) as db:
        return live_versions.versions(db, topics)


def local_tokens(app: App) -> list[str]:
    """The tab tokens whose socket this worker holds."""
    namespace = app.event_namespace
    if namespace is None:
        return []
    manager: Any = getattr(namespace, "_token_manager", None)
    records: dict[str, Any] = getattr(manager, "token_to_socket", {}) or {}
    instance = getattr(manager, "instance_id", None)
    return [token for token, record in records.items() if getattr(record, "instance_id", instance) == instance]


async def tick(app: App, registry: Registry) -> int:
    """One pass; returns how many tabs were sent their event."""
    registry.keep_only(local_tokens(app))
    if not registry:
        return 0
    topics = registry.topics()
    current = await asyncio.to_thread(read_versions, topics) if topics else {}
    namespace = app.event_namespace
    sent = 0
    for token, event in registry.due(current):
        if namespace is None:
            break
        try:
            await namespace.emit_update(StateUpdate(events=[Event(name=event)]), token)
            sent += 1
        except Exception:  # one tab's closed socket does not stop the others
            log.exception("Could not send %s to a tab", event)
    return sent


async def run_live_updates(app: App) -> None:
    """The lifespan task (app/app.py)."""
    while True:
        try:
            await tick(app, REGISTRY)
        except asyncio.CancelledError:
            raise
        except Exception:  # a database hiccup: try again on the next tick
            log.exception("Live updates: a pass failed")
        await asyncio.sleep(TICK_SECONDS)
