"""The benchmark's scenarios: every module of this package with a `SCENARIO` (benchmarks.common.Scenario).

Adding one is adding a module: benchmarks/run.py finds it here, offers it to `--only`, and runs it
in a full run in the place its `order` gives it.
"""

from __future__ import annotations

import importlib
import pkgutil

from benchmarks.common import Scenario


def _discover() -> dict[str, Scenario]:
    found = []
    for module in pkgutil.iter_modules(__path__):
        scenario = getattr(importlib.import_module(f"{__name__}.{module.name}"), "SCENARIO", None)
        if isinstance(scenario, Scenario):
            found.append(scenario)
    names = [scenario.name for scenario in found]
    assert len(names) == len(set(names)), f"two scenarios share a name: {sorted(names)}"
    return {scenario.name: scenario for scenario in sorted(found, key=lambda s: s.order)}


SCENARIOS: dict[str, Scenario] = _discover()
