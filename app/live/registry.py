"""The tabs connected to this worker and the topics they follow (process-local, no I/O).

A tab subscribes an event handler of its own (e.g. the calendar's `watch`) to topics, with the
versions it has seen. When a topic moves past that, the watcher sends the tab that event: the
tab runs it like any other event (tab guard, actor, authorisation), and the handler subscribes
again with the versions it has just read. A subscription may also carry a deadline (the
session's idle timeout), after which the event is sent once even if nothing moved.

The tab's state keeps a copy (SessionState._live), so a tab that reconnects, to this worker
or another, follows the same topics again (state/tab_guard.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

Versions = Mapping[str, int]


@dataclass
class Subscription:
    seen: dict[str, int]
    deadline: float | None = None  # time.monotonic() after which the event is sent anyway


@dataclass
class Registry:
    # tab token → event name → subscription
    tabs: dict[str, dict[str, Subscription]] = field(default_factory=dict)

    def subscribe(self, token: str, event: str, seen: Versions, *, recheck_in: float | None = None) -> None:
        """Follow `seen`'s topics with `event` (replacing this tab's earlier subscription of `event`)."""
        if not token:
            return
        deadline = None if recheck_in is None else time.monotonic() + max(1.0, recheck_in)
        self.tabs.setdefault(token, {})[event] = Subscription(dict(seen), deadline)

    def unsubscribe(self, token: str, event: str) -> None:
        events = self.tabs.get(token)
        if events is not None:
            events.pop(event, None)
            if not events:
                del self.tabs[token]

    def drop(self, token: str) -> None:
        """The tab is gone (disconnected, wiped): forget it."""
        self.tabs.pop(token, None)

    def keep_only(self, connected: Iterable[str]) -> None:
        """Forget the tabs that are no longer connected to this worker."""
        alive = set(connected)
        for token in [t for t in self.tabs if t not in alive]:
            del self.tabs[token]

    def topics(self) -> set[str]:
        return {topic for events in self.tabs.values() for sub in events.values() for topic in sub.seen}

    def due(self, current: Versions, now: float | None = None) -> list[tuple[str, str]]:
        """(token, event) pairs to send: a followed topic moved, or the deadline passed. Each
        pair is sent once: its subscription takes the new versions and loses its deadline."""
        now = time.monotonic() if now is None else now
        out: list[tuple[str, str]] = []
        for token, events in self.tabs.items():
            for event, sub in events.items():
                moved = [t for t, v in sub.seen.items() if current.get(t, v) > v]
                late = sub.deadline is not None and now >= sub.deadline
                if moved or late:
                    for topic in moved:
                        sub.seen[topic] = current[topic]
                    sub.deadline = None
                    out.append((token, event))
        return out

    def __len__(self) -> int:
        return len(self.tabs)


REGISTRY = Registry()
