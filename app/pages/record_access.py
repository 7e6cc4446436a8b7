"""Portal → Who opened my record: which clinic people read, changed or shared the chosen record, and when."""

from __future__ import annotations

from typing import cast

import reflex as rx
from reflex.vars import ObjectVar
from reflex_components_radix.themes.base import LiteralAccentColor

from app.components.empty_state import empty_state
from app.components.layout import portal_page
from app.components.links import link_button
from app.state.audit_log import RecordAccessState

S = RecordAccessState

# Each kind in words and with its own icon: colour is never the only signal.
KIND_LOOK: dict[str, tuple[str, LiteralAccentColor]] = {
    "read": ("eye", "blue"),
    "changed": ("pencil", "amber"),
    "shared": ("share_2", "green"),
}


def _kind_badge(kind: rx.Var, words: rx.Var) -> rx.Component:
    # rx.match is typed Component | Var: component cases give a Component.
    return cast(
        rx.Component,
        rx.match(
            kind,
            *[
                (value, rx.badge(rx.icon(icon, size=14), words, color_scheme=colour, variant="soft", size="2"))
                for value, (icon, colour) in KIND_LOOK.items()
            ],
            rx.badge(words, variant="soft", size="2"),
        ),
    )


def _entry(entry: ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.flex(
                    _kind_badge(entry["kind"], entry["kind_words"]),
                    rx.text(entry["when"], size="2", color_scheme="gray"),
                    align="center",
                    spacing="2",
                    wrap="wrap",
                ),
                rx.text(entry["what"], weight="medium"),
                rx.text(entry["who"], rx.text.span(" · ", entry["role"], color_scheme="gray"), size="2"),
                spacing="1",
                width="100%",
            ),
            width="100%",
        ),
        list_style="none",
    )


def _no_records() -> rx.Component:
    return empty_state(
        "key_round",
        "No records in your portal yet",
        "Ask your clinic for a Medical Records Access Code: it adds a person's record to this account.",
        link_button("I have an access code", "/portal/redeem", size="3"),
    )


def record_access_page() -> rx.Component:
    history = rx.cond(
        S.entries.length() > 0,
        rx.el.ul(
            rx.foreach(S.entries, _entry),
            aria_label="Who opened the record",
            display="flex",
            flex_direction="column",
            gap="var(--space-3)",
            padding="0",
            margin="0",
            width="100%",
        ),
        empty_state(
            "shield_check",
            "No one at the clinic has opened this record yet",
            "When someone at your clinic reads, changes or shares it, you'll see here who did it and when.",
        ),
    )
    return portal_page(
        "Who opened my record",
        rx.cond(
            S.current_name != "",
            "Everyone at the clinic who read, changed or shared " + S.current_name + "'s record, newest first.",
            "",
        ),
        rx.cond(S.records.length() > 0, history, _no_records()),
    )
