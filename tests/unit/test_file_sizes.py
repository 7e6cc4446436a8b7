"""Files that do one job (ARCHITECTURE.md "Data", issue 10 item 11): no Python module of app/ is
longer than 300 lines. One that grows past it is split by what its parts do (a service area
becomes a package; a page keeps its layout and its pieces go to app/components/)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 300
MODULES = sorted((ROOT / "app").rglob("*.py"))


def test_the_modules_are_found() -> None:
    assert len(MODULES) > 50


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_no_module_of_the_app_is_longer_than_300_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= LIMIT, f"{path.relative_to(ROOT)} has {lines} lines: split it by what its parts do"
