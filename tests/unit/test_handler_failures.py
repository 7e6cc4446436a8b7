"""Every event handler, whatever goes wrong behind it, leaves no busy flag on (issue 9).

A handler that sets a busy, answering, generating or loading flag must reset it on every error
path, and must not let an error escape after the page has seen the flag on (Reflex then sends no
further delta, and the button spins for ever). The sweep enumerates every handler of every state
of the app, makes the database layer fail in three ways (a refusal, a signed-out session, a bug),
calls each handler with plausible arguments and checks the flags afterwards.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest
import reflex as rx

import app.app  # noqa: F401  (registers the pages, and with them the route vars)
from app.services.errors import Invalid, NotSignedIn
from app.state.session import SessionState, app_state_classes

# name → the value it has at rest
FLAGS: dict[str, Any] = {
    "busy": False,
    "answering": False,
    "generating": False,
    "loading_slots": False,
    "searching": False,
    "loading": False,
    "inviting": "",
}
FAILURES = {
    "refused": lambda: Invalid("Refused for the test."),
    "signed-out": lambda: NotSignedIn(),
    "bug": lambda: RuntimeError("a bug for the test"),
}


def _argument(annotation: Any) -> Any:
    text = str(annotation)
    if "dict" in text:
        return {}
    if text in ("bool", "<class 'bool'>"):
        return True
    return "1"


def _handlers() -> list[tuple[type[SessionState], str]]:
    found = []
    for state_class in app_state_classes():
        for name, handler in state_class.event_handlers.items():
            if handler.fn.__qualname__.split(".")[0] == state_class.__name__:
                found.append((state_class, name))
    return sorted(found, key=lambda pair: (pair[0].__name__, pair[1]))


HANDLERS = _handlers()


def _flags(state: Any) -> dict[str, Any]:
    return {name: getattr(state, name) for name in FLAGS if name in type(state).__fields__}


# What a hand-made event may send in place of any argument: not the type the handler expects.
ODD_ARGUMENT = ["²", {"a\nb": None}]


async def _call(state: Any, name: str, odd: bool) -> tuple[list[dict[str, Any]], BaseException | None]:
    """Run the handler to its end; the flags the page saw at each yield, and what escaped."""
    handler = getattr(state, name)
    parameters = list(inspect.signature(type(state).event_handlers[name].fn).parameters.values())[1:]
    arguments = [ODD_ARGUMENT if odd else _argument(p.annotation) for p in parameters]
    seen: list[dict[str, Any]] = []
    try:
        result = handler(*arguments)
        if inspect.isasyncgen(result):
            async for _ in result:
                seen.append(_flags(state))
        elif inspect.iscoroutine(result):
            await result
    except Exception as error:
        return seen, error
    return seen, None


def test_the_sweep_finds_the_handlers() -> None:
    names = {f"{cls.__name__}.{name}" for cls, name in HANDLERS}
    assert len(names) > 50
    assert {"PortalProfileState.save", "WorkspaceAccessState.generate_code", "InvitationState.approve"} <= names


@pytest.mark.parametrize("arguments", ["plausible", "odd"])
@pytest.mark.parametrize("failure", sorted(FAILURES))
@pytest.mark.parametrize(("state_class", "name"), HANDLERS, ids=[f"{c.__name__}.{n}" for c, n in HANDLERS])
def test_no_flag_stays_on_when_the_work_fails(
    state_class: type[SessionState], name: str, failure: str, arguments: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    injected: list[BaseException] = []

    async def failing_run(self, work, *, read_only: bool = False):  # type: ignore[no-untyped-def]
        injected.append(FAILURES[failure]())
        raise injected[-1]

    monkeypatch.setattr(SessionState, "_run", failing_run)
    monkeypatch.setattr(SessionState, "_session_hash", lambda self: "a-session-hash")
    root = rx.State(_reflex_internal_init=True)

    async def run() -> tuple[Any, list[dict[str, Any]], BaseException | None]:
        state = await root.get_state(state_class)
        if "page_status" in type(state).__fields__:
            state.page_status = "ready"
        seen, escaped = await _call(state, name, odd=arguments == "odd")
        return state, seen, escaped

    state, seen, escaped = asyncio.run(run())
    at_rest = {flag: FLAGS[flag] for flag in _flags(state)}
    assert _flags(state) == at_rest, f"{state_class.__name__}.{name} left a flag on after a {failure}"
    if any(flags != at_rest for flags in seen):
        # The page saw a flag on: only a delta sent after the error turns it off again.
        assert escaped is None, f"{state_class.__name__}.{name} showed a flag, then let {escaped!r} escape"
    if escaped is not None:
        # What escapes goes to the app's exception handler; it must be the failure itself, not a new one.
        assert escaped in injected, repr(escaped)
    if failure != "signed-out" and "page_status" in type(state).__fields__:
        assert state.page_status != "loading", f"{state_class.__name__}.{name} left its page loading"
