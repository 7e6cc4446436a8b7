"""Notes for a Praxis that is not fully set up yet: mail printed in the terminal, links that reach
only this computer. Each shows only while its state var says so."""

from __future__ import annotations

import reflex as rx


def mail_in_terminal_note(shown: rx.Var[bool]) -> rx.Component:
    return rx.cond(
        shown,
        rx.callout(
            "This Praxis has no mail server set up yet, so instead of going out, the e-mail was printed in "
            "the terminal where Praxis was started (make run). Open the link from there.",
            icon="terminal",
            color_scheme="amber",
            size="1",
        ),
    )


def local_links_note(shown: rx.Var[bool]) -> rx.Component:
    return rx.cond(
        shown,
        rx.callout(
            "This address works only on the computer running Praxis. Ask whoever runs it to set "
            "PRAXIS_BASE_URL to the clinic's public address before patients use it.",
            icon="triangle_alert",
            color_scheme="amber",
            size="1",
        ),
    )
