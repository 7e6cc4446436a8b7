"""When a dialog closes, focus goes back to what opened it (or to the page's main content).

Radix returns focus to a dialog's own trigger; most of Praxis's dialogs are opened by the server
(a calendar cell, "Generate access code", the invitation that arrives live, a menu item), so they
have none, and focus fell to the page body: a keyboard user started again from the top.

A compiled React effect on every page (part of the bundle: nothing is eval'd, so the CSP allows
it). It remembers the last element focused outside any dialog, alert dialog, menu, list box or
popover; when a
portal holding a dialog leaves the page and focus is left on the body, it focuses that element
again (Radix removes a dialog's content before its overlay, so the whole body is watched); when
that is the calendar's free time just booked (taken now), the new appointment on it; when it
is gone, the main landmark. A dialog
whose closing moves focus on purpose (Radix's trigger, a new row) is left alone: focus is then not
on the body.
"""

from __future__ import annotations

import reflex as rx
from reflex.utils.imports import ImportDict, ImportVar
from reflex.vars.base import Var

from app.components.calendar.grid_script import SLOT_ID
from app.components.layout import MAIN_ID

_EFFECT = (
    "useEffect(() => { "
    "const layered = (node) => node instanceof Element && "
    "node.closest('[role=dialog], [role=alertdialog], [role=menu], [role=listbox], "
    "[data-radix-popper-content-wrapper]') !== null; "
    "let last = null; "
    "const remember = (event) => { if (!layered(event.target)) { last = event.target; } }; "
    "const holdsDialog = (node) => node instanceof Element && (node.matches('[role=dialog], [role=alertdialog]') "
    "|| node.querySelector('[role=dialog], [role=alertdialog]') !== null); "
    "const restore = () => { const active = document.activeElement; "
    "if (active && active !== document.body) { return; } "
    # The calendar's free time that was just booked is taken now: the new appointment on it instead.
    f"const lane = last && last.isConnected && last.id === '{SLOT_ID}' && last.dataset.lane !== undefined "
    "? document.querySelectorAll('.cal-lane')[Number(last.dataset.lane)] : null; "
    "const row = last ? Number(last.dataset.row) : -1; "
    "if (lane && (lane.dataset.busy || '')[row] === '1') { "
    # By the row, not the button's box: the button is hidden on a taken row (grid_script.py).
    "const y = row * lane.clientHeight / lane.dataset.busy.length + 1; "
    "const made = [...lane.querySelectorAll('.cal-appt')].find((block) => { "
    "const top = parseFloat(block.style.top) || 0; "
    "return top <= y && y < top + (parseFloat(block.style.height) || 0); }); "
    "if (made) { made.focus(); } } "
    "else if (last && last.isConnected && !last.disabled) { last.focus(); } "
    "if (document.activeElement === document.body || !document.activeElement) { "
    f"document.getElementById('{MAIN_ID}')?.focus(); }} }}; "
    "const watcher = new MutationObserver((changes) => { "
    "if (changes.some((change) => [...change.removedNodes].some(holdsDialog))) { setTimeout(restore, 0); } }); "
    "document.addEventListener('focusin', remember); "
    "watcher.observe(document.body, { childList: true, subtree: true }); "
    "return () => { document.removeEventListener('focusin', remember); watcher.disconnect(); }; "
    "}, []);"
)


class _ReturnFocus(rx.Fragment):
    def add_imports(self) -> ImportDict:
        return {"react": [ImportVar(tag="useEffect")]}

    def add_hooks(self) -> list[str | Var]:
        return [Var(_EFFECT)]


@rx.memo
def focus_returner() -> rx.Component:
    return rx.fragment(_ReturnFocus.create())


def focus_return() -> rx.Component:
    """For `rx.App(extra_app_wraps=...)`: memoized, once per page."""
    return rx.fragment(focus_returner())
