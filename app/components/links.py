"""A link that looks like a button: one element, role "link", client-side navigation.

Wrapping a button in a link nests two interactive elements (two tab stops, a confusing
name for screen readers); here the button's look is given to the link itself."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_components_core.react_router.dom import ReactRouterLink


def link_button(
    label: str | rx.Var, href: str | rx.Var, *, aria_label: str | rx.Var | None = None, **button: Any
) -> rx.Component:
    link_props: dict[str, Any] = {"to": href}
    if aria_label is not None:
        link_props["aria_label"] = aria_label
    return rx.button(ReactRouterLink.create(label, **link_props), as_child=True, **button)
