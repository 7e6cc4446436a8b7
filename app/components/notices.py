"""Shows the server's notices (state/notices.py) as sonner toasts.

A compiled React effect, part of the page's bundle: when NoticeState's `key`
changes and it holds a text, it calls sonner's `toast` (the same module
instance as Reflex's toaster) with the notice's kind and id. Nothing is
eval'd, so it works under a CSP without 'unsafe-eval'.
"""

from __future__ import annotations

import reflex as rx
from reflex.utils.imports import ImportDict, ImportVar
from reflex.vars.base import Var, VarData
from reflex_components_sonner.toast import Toaster

from app.state.notices import NoticeState


class _ToastOnNotice(rx.Fragment):
    def add_imports(self) -> ImportDict:
        assert Toaster.library is not None  # sonner, which the Toaster itself imports
        return {"react": [ImportVar(tag="useEffect")], Toaster.library: [ImportVar(tag="toast", install=False)]}

    def add_hooks(self) -> list[str | Var]:
        kind, text, toast_id, key = NoticeState.kind, NoticeState.text, NoticeState.toast_id, NoticeState.key
        code = (
            f"useEffect(() => {{ const text = {text!s}; if (!text) {{ return; }} "
            f"const kind = {kind!s}; const id = {toast_id!s}; "
            "const show = { success: toast.success, error: toast.error, info: toast.info, "
            "warning: toast.warning }[kind] ?? toast; "
            f"show(text, id ? {{ id }} : undefined); }}, [{key!s}]);"
        )
        var_data = VarData.merge(*(var._get_all_var_data() for var in (kind, text, toast_id, key)))
        return [Var(code, _var_data=var_data)]


@rx.memo
def notice_toaster() -> rx.Component:
    return rx.fragment(_ToastOnNotice.create())


def notices() -> rx.Component:
    """For `rx.App(extra_app_wraps=...)`: memoized, so its hook runs inside the state provider."""
    return rx.fragment(notice_toaster())
