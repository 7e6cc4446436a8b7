"""The browser's "Leave site? Changes you made may not be saved." while autosaved text is not saved yet.

An autosaved field (`data_autosave=""`: the chart editor's, the portal form filler's) is
uncontrolled: its `defaultValue` is the text the server last confirmed (the state sends it back
after each save), its `value` what is typed. Closing or reloading the tab between the two (typing,
a pause not yet over, a save on its way, the connection down) would lose the difference: the
browser asks first. One compiled listener on the document (nothing is eval'd under the CSP).
"""

from __future__ import annotations

import reflex as rx
from reflex.utils.imports import ImportDict, ImportVar
from reflex.vars.base import Var

_EFFECT = """useEffect(() => {
  const unsaved = () => [...document.querySelectorAll('[data-autosave]')].some(
    (field) => 'defaultValue' in field && field.value !== field.defaultValue);
  const onLeave = (event) => {
    if (unsaved()) { event.preventDefault(); event.returnValue = ''; }
  };
  window.addEventListener('beforeunload', onLeave);
  return () => window.removeEventListener('beforeunload', onLeave);
}, []);"""


class _UnsavedGuard(rx.Fragment):
    def add_imports(self) -> ImportDict:
        return {"react": [ImportVar(tag="useEffect")]}

    def add_hooks(self) -> list[str | Var]:
        return [Var(_EFFECT)]


@rx.memo
def unsaved_guard_listener() -> rx.Component:
    return rx.fragment(_UnsavedGuard.create())


def unsaved_guard() -> rx.Component:
    """For `rx.App(extra_app_wraps=...)`: memoized, once per page."""
    return rx.fragment(unsaved_guard_listener())
