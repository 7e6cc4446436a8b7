"""Toasts from the server without eval (issue 9): `notify.*` events, NoticeState, the replay guard.

The page's CSP has no 'unsafe-eval'; a `rx.toast` returned from a backend
handler is a string Reflex's frontend evals, so the app's states must not use it.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from types import SimpleNamespace

import reflex as rx

from app.state.notices import MAX_TEXT, NoticeReplayGuard, NoticeState, notify

APP = Path(__file__).resolve().parents[2] / "app"


def _arguments(spec: rx.event.EventSpec) -> dict[str, object]:
    return {name._js_expr: value._var_value for name, value in spec.args}  # type: ignore[attr-defined]


def test_notify_returns_the_event_that_sets_the_notice() -> None:
    spec = notify.success("Office details saved.")
    assert spec.handler.fn.__qualname__ == "NoticeState.show"
    assert _arguments(spec) == {"kind": "success", "text": "Office details saved.", "toast_id": ""}
    assert _arguments(notify.info("Please sign in.", id="session"))["toast_id"] == "session"
    assert _arguments(notify.error("x"))["kind"] == "error"
    assert _arguments(notify.warning("x"))["kind"] == "warning"


def test_show_sets_a_new_key_every_time_and_bounds_what_a_hand_made_event_sends() -> None:
    root = rx.State(_reflex_internal_init=True)

    async def run() -> None:
        notices = await root.get_state(NoticeState)
        notices.show("success", "Saved.", "")
        first = notices.key
        notices.show("success", "Saved.", "")
        assert notices.key and notices.key != first  # the same text shows again
        notices.show("<script>", "x" * 10_000, "i" * 500)
        assert notices.kind == "info"
        assert len(notices.text) == MAX_TEXT
        assert len(notices.toast_id) <= 40

    asyncio.run(run())


def test_a_reconnect_does_not_show_the_last_notice_again() -> None:
    root = rx.State(_reflex_internal_init=True)

    async def run() -> None:
        notices = await root.get_state(NoticeState)
        notices.show("success", "Saved.", "")
        guard = NoticeReplayGuard()
        await guard.preprocess(None, root, SimpleNamespace(name="reflex___state____state.nothing_special"))  # type: ignore[arg-type]
        assert notices.text == "Saved."
        await guard.preprocess(None, root, SimpleNamespace(name="reflex___state____state.hydrate"))  # type: ignore[arg-type]
        assert notices.text == ""

    asyncio.run(run())


def test_no_backend_toast_and_no_eval_d_script_in_the_app() -> None:
    """rx.toast is fine in a component's on_click (compiled to a function), never from a handler."""
    backend = [APP / "app.py", *sorted((APP / "state").glob("*.py"))]
    toasts = [str(path) for path in backend if re.search(r"\brx\.toast\.\w+\(", path.read_text())]
    assert toasts == [], f"backend toasts are eval'd in the browser; use notify: {toasts}"
    scripts = [str(path) for path in APP.rglob("*.py") if re.search(r"\bcall_script\(", path.read_text())]
    assert scripts == [], f"call_script evals a string; use rx.run_script / a compiled function: {scripts}"
