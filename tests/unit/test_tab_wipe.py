"""A browser tab's whole state is wiped in one step, so no state can be forgotten (issue 9).

Every state of the app derives from SessionState; `_wipe_tab` resets SessionState
and everything below it. These tests fill every var of every state with
someone's data, wipe, and check that all of it is gone, so a state added later
is covered without anyone remembering to list it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import importlib
import pkgutil
from typing import Any

import reflex as rx

import app.app
import app.state
from app.state.session import SessionState, app_state_classes

SECRET = "Bea Private-Record 1990-01-02"


def _all_app_states() -> list[type[rx.State]]:
    for module in pkgutil.iter_modules(app.state.__path__):
        importlib.import_module(f"app.state.{module.name}")
    found, pending = [], list(rx.State.get_substates())
    while pending:
        state_class = pending.pop()
        pending.extend(state_class.get_substates())
        if state_class.__module__.startswith("app."):
            found.append(state_class)
    return found


def test_every_state_of_the_app_is_below_session_state() -> None:
    states = _all_app_states()
    assert len(states) > 10
    outside = [s.__name__ for s in states if not issubclass(s, SessionState)]
    assert outside == [], f"states the tab wipe would not reach: {outside}"
    assert set(states) == set(app_state_classes())


def _someone_elses(value: Any) -> Any:
    """A value of the same type as the default, holding the secret."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 4242
    if isinstance(value, str):
        return SECRET
    if isinstance(value, list):
        return [SECRET]
    if isinstance(value, dict):
        return {"secret": SECRET}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):  # e.g. ClinicState.can
        changed = {f.name: _someone_elses(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changed)
    return value


def test_wiping_a_tab_resets_every_var_of_every_state() -> None:
    root = rx.State(_reflex_internal_init=True)

    async def fill_then_wipe() -> list[str]:
        filled: list[tuple[rx.State, str, Any]] = []
        for state_class in app_state_classes():
            state = await root.get_state(state_class)
            for name, field in state_class.__fields__.items():
                if field._owner is not state_class:
                    continue
                default = field.default_value()
                value = _someone_elses(default)
                if value != default:
                    setattr(state, name, value)
                    filled.append((state, name, default))
        assert len(filled) > 50
        session = await root.get_state(SessionState)
        await session._wipe_tab()
        return [f"{type(s).__name__}.{n}" for s, n, default in filled if getattr(s, n) != default]

    left = asyncio.run(fill_then_wipe())
    assert left == [], f"survived the wipe: {left}"
