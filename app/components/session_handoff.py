"""The hidden form that carries a sign-in or sign-out to the cookie routes.

The websocket cannot set an HttpOnly cookie. When a handler sets
`SessionState.handoff_action` (after a verified sign-in, or at sign-out), this
component's effect submits a plain POST form to that route; the browser follows
the route's redirect with a full page load, and the new websocket carries the
new cookie (or none). Compiled into the page's bundle: no eval, CSP-friendly.
"""

from __future__ import annotations

import reflex as rx
from reflex.utils.imports import ImportDict
from reflex.vars.base import Var, VarData

from app.state.session import SessionState

FORM_ID = "praxis-session-handoff"


class _SubmitWhenSet(rx.Fragment):
    """Submits the handoff form as soon as the state names a route for it."""

    def add_imports(self) -> ImportDict:
        return {"react": ["useEffect"]}

    def add_hooks(self) -> list[str | Var]:
        action = SessionState.handoff_action
        code = (
            f"useEffect(() => {{ if ({action!s}) {{ "
            f"document.getElementById({FORM_ID!r})?.submit(); }} }}, [{action!s}]);"
        )
        return [Var(code, _var_data=VarData.merge(action._get_all_var_data()))]


@rx.memo
def session_handoff_form() -> rx.Component:
    return rx.fragment(
        rx.el.form(
            rx.el.input(type="hidden", name="ticket", value=SessionState.handoff_ticket),
            id=FORM_ID,
            method="post",
            action=SessionState.handoff_action,
            hidden=True,
            aria_hidden="true",
        ),
        _SubmitWhenSet.create(),
    )


def session_handoff() -> rx.Component:
    """For `rx.App(extra_app_wraps=...)`: memoized, so its hooks run inside the state provider."""
    return rx.fragment(session_handoff_form())
