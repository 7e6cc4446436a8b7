"""Portal → Forms: the chosen record's forms to fill in, in progress and submitted, with their dates."""

from __future__ import annotations

from collections.abc import Sequence

import reflex as rx
from reflex.vars import ArrayVar, ObjectVar

from app.components.empty_state import empty_state
from app.components.layout import portal_page
from app.components.links import link_button
from app.state.portal_forms import PortalFormCard
from app.state.portal_forms import PortalFormsState as S


def _card(f: ObjectVar[PortalFormCard], action: str, kind: str) -> rx.Component:
    dates = {
        "to_fill": rx.text("Assigned ", f.assigned_on, rx.cond(f.due != "", " · due " + f.due.to(str), ""), size="2"),
        "in_progress": rx.text(
            "Started · assigned ", f.assigned_on, rx.cond(f.due != "", " · due " + f.due.to(str), ""), size="2"
        ),
        "submitted": rx.text("Submitted ", f.submitted_on, size="2"),
    }[kind]
    return rx.el.li(
        rx.card(
            rx.flex(
                rx.vstack(
                    rx.heading(f.title, size="3", as_="h3"),
                    dates,
                    rx.text(f.patient_name, " · ", f.office_name, size="1", color_scheme="gray"),
                    rx.cond(f.message != "", rx.text(f.message, size="2", font_style="italic")),
                    spacing="1",
                    min_width="0",
                    flex="1",
                ),
                link_button(action, f.href, aria_label=action + " " + f.title.to(str), variant="soft"),
                align="center",
                gap="3",
                wrap="wrap",
            ),
            width="100%",
        ),
        list_style="none",
    )


def _section(title: str, rows: ArrayVar[Sequence[PortalFormCard]], action: str, kind: str, empty: str) -> rx.Component:
    return rx.vstack(
        rx.heading(title, size="4", as_="h2"),
        rx.cond(
            rows.length() > 0,
            rx.el.ul(
                rx.foreach(rows, lambda f: _card(f, action, kind)),
                aria_label=title,
                padding="0",
                margin="0",
                display="grid",
                gap="3",
                width="100%",
            ),
            rx.text(empty, size="2", color_scheme="gray"),
        ),
        spacing="2",
        width="100%",
    )


def portal_forms_page() -> rx.Component:
    nothing = (S.to_fill.length() == 0) & (S.in_progress.length() == 0) & (S.submitted.length() == 0)
    locked_hint = rx.cond(
        (S.current_id != "") & ~S.unlocked,
        rx.callout(
            "Forms your clinic assigns to this person appear here once the record is unlocked with an access code.",
            icon="key_round",
            color_scheme="gray",
            size="1",
        ),
    )
    lists = rx.vstack(
        _section("To fill in", S.to_fill, "Fill in", "to_fill", "Nothing to fill in right now."),
        _section("In progress", S.in_progress, "Continue", "in_progress", "No forms started."),
        _section("Submitted", S.submitted, "Read", "submitted", "No forms submitted yet."),
        spacing="5",
        width="100%",
    )
    return portal_page(
        "Forms",
        "Questionnaires from your clinic: fill them in, come back later, read what you sent.",
        rx.vstack(
            locked_hint,
            rx.cond(
                nothing,
                empty_state(
                    "clipboard_list",
                    "No forms yet",
                    "When your clinic asks you to fill in a form, or a booking needs one, it appears here.",
                    rx.cond(S.unlocked, rx.fragment(), link_button("I have an access code", "/portal/redeem")),
                ),
                lists,
            ),
            spacing="5",
            width="100%",
        ),
    )
