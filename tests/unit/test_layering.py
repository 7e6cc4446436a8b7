"""States hold no queries, and their worker threads assign no state (ARCHITECTURE.md, issue 10).

Read from the source of every module of app/state, so a new state cannot slip by. The rules:

1. No query building: a state module imports nothing from SQLAlchemy, and from sqlmodel only
   `Session` (the type of the `db` its work receives). No `select`, `update`, `delete`, `func`,
   `col`, `text`, …
2. No database calls: inside app/state nothing calls a session method (`get`, `exec`,
   `execute`, `scalar(s)`, `query`, `add`, `add_all`, `delete`, `merge`, `flush`, `commit`,
   `rollback`, `refresh`, `begin`, `begin_nested`, `get_bind`) on a name that is a session: a
   parameter annotated `Session`, or one named `db` or `session`. States call services, which
   take the `db` and the actor.
3. Models only for their enum types: `from app.models import X` (or a submodule) is allowed only
   when X is an Enum (AppointmentStatus, to name a status); a table class there would be the
   first step of a query. `import app.models` as a module is refused for the same reason.
4. Closures assign nothing: a function defined inside a state's method (the work handed to
   `_as_actor`, `_run`, `_submit`, `_load_page`, `asyncio.to_thread`) never mentions `self`.
   It runs in a worker thread: it captures what it needs before and returns data, and the
   handler assigns after the `await`, so a failure leaves no half-updated vars.

The clock and time zones (no `datetime.now`, no `zoneinfo` in app/state) are ruff's banned-api
rule (TID251) in pyproject.toml.
"""

from __future__ import annotations

import ast
import enum
import importlib
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STATE_DIR = ROOT / "app" / "state"
SESSION_METHODS = frozenset(
    {
        "get",
        "exec",
        "execute",
        "scalar",
        "scalars",
        "query",
        "add",
        "add_all",
        "delete",
        "merge",
        "flush",
        "commit",
        "rollback",
        "refresh",
        "begin",
        "begin_nested",
        "get_bind",
    }
)
SESSION_NAMES = frozenset({"db", "session"})
SQLMODEL_ALLOWED = frozenset({"Session"})
# Closures that may mention `self`, each with its reason.
SELF_IN_CLOSURE_ALLOWED: set[str] = set()
# Modules being rewritten elsewhere (issue 10, the patient pages). Each must still break a rule:
# once it keeps them all, its entry goes (the test says so).
PENDING: set[str] = set()


@dataclass(frozen=True)
class Breach:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def _state_modules() -> list[Path]:
    return sorted(path for path in STATE_DIR.glob("*.py") if path.name != "__init__.py")


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _is_enum(module_name: str, name: str) -> bool:
    value = getattr(importlib.import_module(module_name), name, None)
    return isinstance(value, type) and issubclass(value, enum.Enum)


def _import_breaches(name: str, tree: ast.Module) -> list[Breach]:
    found = []
    for node in ast.walk(tree):
        where = f"{name}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in ("sqlalchemy", "sqlmodel") or alias.name.startswith("app.models"):
                    found.append(Breach(where, f"imports {alias.name}"))
        elif isinstance(node, ast.ImportFrom) and node.module:
            top = node.module.split(".")[0]
            for alias in node.names:
                if top == "sqlalchemy":
                    found.append(Breach(where, f"imports {alias.name} from {node.module}"))
                elif top == "sqlmodel" and alias.name not in SQLMODEL_ALLOWED:
                    found.append(Breach(where, f"imports {alias.name} from sqlmodel (only Session)"))
                elif node.module.startswith("app.models") and not _is_enum(node.module, alias.name):
                    found.append(Breach(where, f"imports {alias.name} from {node.module} (only enum types)"))
                elif node.module == "app" and alias.name == "models":
                    found.append(Breach(where, "imports app.models"))
    return found


def _session_names(function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> set[str]:
    names = set(SESSION_NAMES)
    for argument in [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]:
        annotation = getattr(argument, "annotation", None)
        if annotation is not None and "Session" in ast.unparse(annotation):
            names.add(argument.arg)
    return names


def _query_breaches(name: str, tree: ast.Module) -> list[Breach]:
    found = []
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)]
    for function in functions:
        sessions = _session_names(function)
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in sessions
                and node.func.attr in SESSION_METHODS
            ):
                where = f"{name}:{node.lineno}"
                found.append(Breach(where, f"calls {node.func.value.id}.{node.func.attr}(…)"))
    return sorted(set(found), key=str)


def _closure_breaches(name: str, tree: ast.Module) -> list[Breach]:
    found = []
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        for method in (n for n in cls.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)):
            for inner in ast.walk(method):
                if inner is method or not isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                    continue
                qualified = f"{name}:{cls.name}.{method.name}.{getattr(inner, 'name', '<lambda>')}"
                if qualified in SELF_IN_CLOSURE_ALLOWED:
                    continue
                if any(isinstance(n, ast.Name) and n.id == "self" for n in ast.walk(inner)):
                    found.append(Breach(f"{name}:{inner.lineno}", f"{qualified} uses self"))
    return found


def _breaches(source: str, name: str) -> list[Breach]:
    tree = ast.parse(source, filename=name)
    return _import_breaches(name, tree) + _query_breaches(name, tree) + _closure_breaches(name, tree)


MODULES = _state_modules()


def test_every_state_module_is_checked() -> None:
    names = {_relative(path) for path in MODULES}
    assert {"app/state/clinic.py", "app/state/calendar.py", "app/state/booking.py"} <= names
    assert names >= PENDING, "a pending module was renamed or removed: update PENDING"


@pytest.mark.parametrize("path", MODULES, ids=[p.name for p in MODULES])
def test_a_state_module_holds_no_queries_and_assigns_nothing_in_worker_threads(path: Path) -> None:
    found = _breaches(path.read_text(encoding="utf-8"), _relative(path))
    if _relative(path) in PENDING:
        assert found, f"{_relative(path)} keeps every rule now: remove it from PENDING"
        pytest.skip(f"being rewritten: {len(found)} breaches left")
    assert found == [], "\n".join(str(b) for b in found)


def _probe(source: str) -> list[str]:
    return [breach.what for breach in _breaches(source, "probe.py")]


def test_the_rules_catch_what_they_are_about() -> None:
    """The checker itself: each kind of breach is seen, and what states do is not."""
    caught = _probe(
        """
from sqlmodel import Session, select
from sqlalchemy import func
from app.models import Office, AppointmentStatus
import app.models

class SomeState:
    def _fill(self, db: Session) -> None:
        self.zone = db.get(Office, 1).time_zone

    async def load(self):
        def work(conn: Session, actor):
            self.rows = conn.exec(select(Office)).all()
            return actor

        return await self._as_actor(work)
""",
    )
    assert "imports select from sqlmodel (only Session)" in caught
    assert "imports func from sqlalchemy" in caught
    assert "imports Office from app.models (only enum types)" in caught
    assert "imports app.models" in caught
    assert "calls db.get(…)" in caught and "calls conn.exec(…)" in caught
    assert any(what.endswith("SomeState.load.work uses self") for what in caught)
    assert not any("AppointmentStatus" in what or "Session from" in what for what in caught)
    assert (
        _probe(
            """
from sqlmodel import Session
from app.services import offices

class FineState:
    async def load(self):
        office_id = self.office_id

        def work(db: Session, actor):
            return offices.office_details(db, actor, office_id)

        details = await self._as_actor(work)
        self.details = {"name": details.name}
""",
        )
        == []
    )
