"""Pushed live updates (issue 16): the worker's registry of followed topics, and its watcher's pass."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import pytest
from reflex.utils.token_manager import RedisTokenManager

from app.live import watcher
from app.live.registry import Registry


def test_a_tab_is_sent_its_event_once_per_move_of_a_followed_topic() -> None:
    registry = Registry()
    registry.subscribe("tab-a", "watch", {"calendar:1": 3})
    registry.subscribe("tab-b", "watch", {"calendar:2": 0})
    assert registry.due({"calendar:1": 3, "calendar:2": 0}) == []
    assert registry.due({"calendar:1": 4, "calendar:2": 0}) == [("tab-a", "watch")]
    assert registry.due({"calendar:1": 4, "calendar:2": 0}) == []  # not again for the same move
    assert registry.due({"calendar:1": 5, "calendar:2": 1}) == [("tab-a", "watch"), ("tab-b", "watch")]


def test_an_older_version_read_later_sends_nothing() -> None:
    """A tab that subscribed with a newer version than a slow read saw is not sent anything."""
    registry = Registry()
    registry.subscribe("tab", "watch", {"calendar:1": 7})
    assert registry.due({"calendar:1": 6}) == []


def test_a_tab_follows_several_topics_with_several_events() -> None:
    registry = Registry()
    registry.subscribe("tab", "heartbeat", {"user:1": 0, "office:1": 0})
    registry.subscribe("tab", "watch", {"calendar:1": 0})
    assert registry.topics() == {"user:1", "office:1", "calendar:1"}
    assert registry.due({"office:1": 1}) == [("tab", "heartbeat")]
    # subscribing again replaces the event's topics
    registry.subscribe("tab", "heartbeat", {"user:1": 0})
    assert registry.topics() == {"user:1", "calendar:1"}
    registry.unsubscribe("tab", "watch")
    assert registry.topics() == {"user:1"}
    registry.unsubscribe("tab", "heartbeat")
    assert len(registry) == 0


def test_a_deadline_sends_the_event_once_without_a_change() -> None:
    registry = Registry()
    registry.subscribe("tab", "heartbeat", {"user:1": 0}, recheck_in=10)
    deadline = registry.tabs["tab"]["heartbeat"].deadline
    assert deadline is not None
    assert registry.due({"user:1": 0}, now=deadline - 1) == []
    assert registry.due({"user:1": 0}, now=deadline) == [("tab", "heartbeat")]
    assert registry.due({"user:1": 0}, now=deadline + 100) == []


def test_tabs_no_longer_connected_are_forgotten() -> None:
    registry = Registry()
    for token in ("a", "b", "c"):
        registry.subscribe(token, "heartbeat", {f"user:{token}": 0})
    registry.keep_only(["b"])
    assert set(registry.tabs) == {"b"}
    registry.drop("b")
    assert len(registry) == 0
    registry.subscribe("", "heartbeat", {"user:1": 0})  # no token: nothing to send it to
    assert len(registry) == 0


# --- the watcher's pass ---------------------------------------------------------------------


@dataclass
class Record:
    instance_id: str
    sid: str = "sid"


@dataclass
class FakeTokens:
    instance_id: str = "here"
    token_to_socket: dict[str, Record] = field(default_factory=dict)


@dataclass
class FakeNamespace:
    _token_manager: FakeTokens = field(default_factory=FakeTokens)
    sent: list[tuple[str, Any]] = field(default_factory=list)

    async def emit_update(self, update: Any, token: str) -> None:
        self.sent.append((token, update))


@dataclass
class FakeApp:
    event_namespace: FakeNamespace = field(default_factory=FakeNamespace)


def test_a_pass_reads_once_and_sends_each_concerned_local_tab_its_event(monkeypatch: pytest.MonkeyPatch) -> None:
    app = FakeApp()
    app.event_namespace._token_manager.token_to_socket = {
        "here-1": Record("here"),
        "here-2": Record("here"),
        "elsewhere": Record("other worker"),
    }
    registry = Registry()
    registry.subscribe("here-1", "calendar.watch", {"calendar:1": 0})
    registry.subscribe("here-2", "calendar.watch", {"calendar:2": 0})
    registry.subscribe("elsewhere", "calendar.watch", {"calendar:1": 0})
    registry.subscribe("gone", "calendar.watch", {"calendar:1": 0})
    reads: list[set[str]] = []

    def read(topics: set[str]) -> dict[str, int]:
        reads.append(set(topics))
        return {"calendar:1": 1, "calendar:2": 0}

    monkeypatch.setattr(watcher, "read_versions", read)
    sent = asyncio.run(watcher.tick(app, registry))  # type: ignore[arg-type]
    assert sent == 1
    assert reads == [{"calendar:1", "calendar:2"}]  # one read for every tab of the worker
    token, update = app.event_namespace.sent[0]
    assert token == "here-1"
    assert [event.name for event in update.events] == ["calendar.watch"]
    assert set(registry.tabs) == {"here-1", "here-2"}  # the other worker's tab and the closed one are dropped


def test_a_pass_with_no_tab_reads_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def read(topics: set[str]) -> dict[str, int]:
        raise AssertionError("no read without tabs")

    monkeypatch.setattr(watcher, "read_versions", read)
    assert asyncio.run(watcher.tick(FakeApp(), Registry())) == 0  # type: ignore[arg-type]


class SharedRedis:
    """What RedisTokenManager asks of Redis to link a socket and look up another worker's."""

    def __init__(self) -> None:
        self.values: dict[str, bytes] = {}

    async def exists(self, key: str) -> int:
        return int(key in self.values)

    async def set(self, key: str, value: bytes, ex: int | None = None, nx: bool = False) -> bool:
        if nx and key in self.values:
            return False
        self.values[key] = value
        return True

    async def get(self, key: str) -> bytes | None:
        return self.values.get(key)

    async def delete(self, key: str) -> int:
        return int(self.values.pop(key, None) is not None)


def test_with_reflexs_redis_token_manager_a_worker_sends_only_to_the_sockets_it_holds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two workers share Redis: a worker caches the other's socket records when it looks one up
    (to send it an update through Redis), yet its watcher keeps and sends to its own tabs only."""
    redis = SharedRedis()
    here, there = RedisTokenManager(redis), RedisTokenManager(redis)  # type: ignore[arg-type]
    for manager in (here, there):
        monkeypatch.setattr(manager, "_ensure_socket_record_task", lambda: None)  # no keyspace listener

    async def connect() -> None:
        await here.link_token_to_sid("tab-here", "sid-1")
        await here.link_token_to_sid("tab-moved", "sid-2")
        await here.disconnect_token("tab-moved", "sid-2")  # reloaded onto the other worker
        await there.link_token_to_sid("tab-moved", "sid-3")
        await there.link_token_to_sid("tab-there", "sid-4")
        assert await here.is_token_connected("tab-there") and await here.is_token_connected("tab-moved")

    asyncio.run(connect())
    assert set(here.token_to_socket) == {"tab-here", "tab-moved", "tab-there"}  # the others' records, cached
    app = FakeApp(FakeNamespace(here))  # type: ignore[arg-type]
    assert watcher.local_tokens(app) == ["tab-here"]  # type: ignore[arg-type]
    assert sorted(watcher.local_tokens(FakeApp(FakeNamespace(there)))) == ["tab-moved", "tab-there"]  # type: ignore[arg-type]

    registry = Registry()
    for token in ("tab-here", "tab-moved", "tab-there"):
        registry.subscribe(token, "calendar.watch", {"calendar:1": 0})
    monkeypatch.setattr(watcher, "read_versions", lambda topics: {"calendar:1": 1})
    assert asyncio.run(watcher.tick(app, registry)) == 1  # type: ignore[arg-type]
    assert [token for token, _ in app.event_namespace.sent] == ["tab-here"]
    assert set(registry.tabs) == {"tab-here"}
