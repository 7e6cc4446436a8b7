"""Moves keyboard focus to an element named by a state var, once the page has rendered the change.

`rx.set_focus` reaches only elements with a static id (a ref); the builder's buttons are made per
question, with ids like "move-up-q1a2b3c4". This compiled effect (part of the bundle: nothing is
eval'd, so it works under the page's CSP) focuses the element whose id the state names, each time
the state's key changes, after the browser has painted the new rows.
"""

from __future__ import annotations

import reflex as rx
from reflex.utils.imports import ImportDict, ImportVar
from reflex.vars.base import Var, VarData


class _FocusOnChange(rx.Fragment):
    target: Var[str]
    key_var: Var[int | str]

    def add_imports(self) -> ImportDict:
        return {"react": [ImportVar(tag="useEffect")]}

    def add_hooks(self) -> list[str | Var]:
        target, key = self.target, self.key_var
        code = (
            f"useEffect(() => {{ const id = {target!s}; if (!id) {{ return; }} "
            "const frame = requestAnimationFrame(() => { const found = document.getElementById(id); "
            "if (found) { found.focus(); } }); return () => cancelAnimationFrame(frame); "
            f"}}, [{key!s}]);"
        )
        var_data = VarData.merge(target._get_all_var_data(), key._get_all_var_data())
        return [Var(code, _var_data=var_data)]


def focus_effect(target: Var[str], key: Var[int] | Var[str]) -> rx.Component:
    return _FocusOnChange.create(target=target, key_var=key)
