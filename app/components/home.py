"""Home's panels: the setup checklist, today's appointments, and what waits for the team."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ArrayVar, NumberVar, ObjectVar

from app.components.links import link_button
from app.state.home import HomeState as H


def _plain_list(items: rx.Component, label: str = "") -> rx.Component:
    """A list without bullets (each item draws its own rule above it)."""
    if label:
        return rx.el.ul(items, aria_label=label, list_style="none", padding="0", margin="0", width="100%")
    return rx.el.ul(items, list_style="none", padding="0", margin="0", width="100%")


def _step(step: ObjectVar[dict[str, str]]) -> rx.Component:
    done = step["done"] == "true"
    return rx.el.li(
        rx.flex(
            rx.icon(
                rx.cond(done, "circle_check", "circle"),
                size=20,
                color=rx.cond(done, rx.color("grass", 11), rx.color("gray", 9)),
                aria_hidden="true",
                flex_shrink="0",
            ),
            rx.vstack(
                rx.text(step["title"], weight="medium", size="2"),
                rx.text(step["hint"], size="2", color_scheme="gray"),
                spacing="0",
                flex="1",
                min_width="12rem",
            ),
            rx.cond(
                done,
                rx.badge(rx.icon("check", size=12), "Done", color_scheme="grass", variant="soft", size="2"),
                link_button(step["action"], step["href"], variant="soft", size="2"),
            ),
            align="center",
            spacing="3",
            wrap="wrap",
            width="100%",
        ),
        padding_y="var(--space-2)",
        border_top=f"1px solid {rx.color('gray', 4)}",
    )


def setup_checklist() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.heading("Get your office ready", size="4", as_="h2"),
                rx.badge(H.setup_done.to(str) + " of " + H.setup.length().to(str) + " done", variant="soft"),
                align="center",
                spacing="3",
                wrap="wrap",
            ),
            rx.text(
                "A few steps before patients can book you online. This list goes away once they are all done.",
                size="2",
                color_scheme="gray",
            ),
            _plain_list(rx.foreach(H.setup, _step)),
            spacing="3",
            width="100%",
        ),
        size="3",
        width="100%",
        role="region",
        aria_label="Get your office ready",
    )


def _appointment(appointment: ObjectVar[dict[str, str]]) -> rx.Component:
    status = appointment["status"]
    return rx.el.li(
        rx.flex(
            rx.box(
                width="4px",
                align_self="stretch",
                border_radius="9999px",
                background="var(--" + appointment["color"].to(str) + "-9)",
                flex_shrink="0",
            ),
            rx.text(
                appointment["time"],
                "–",
                appointment["end"],
                weight="medium",
                size="2",
                min_width="6.5em",
                style={"font_variant_numeric": "tabular-nums"},
            ),
            rx.vstack(
                rx.link(
                    appointment["patient_name"],
                    href="/clinic/patients/" + appointment["patient_id"].to(str),
                    weight="medium",
                    size="2",
                ),
                rx.text(
                    appointment["service"],
                    rx.cond(H.mine, "", " · " + appointment["practitioner"].to(str)),
                    size="2",
                    color_scheme="gray",
                ),
                spacing="0",
                flex="1",
                min_width="0",
            ),
            rx.cond(
                status != "booked",
                rx.badge(
                    appointment["status_label"],
                    color_scheme=rx.cond(status == "arrived", "grass", rx.cond(status == "no_show", "amber", "gray")),
                    variant="soft",
                ),
            ),
            align="center",
            spacing="3",
            width="100%",
        ),
        padding_y="var(--space-2)",
        border_top=f"1px solid {rx.color('gray', 4)}",
    )


def today_card() -> rx.Component:
    scope = rx.segmented_control.root(
        rx.segmented_control.item("Mine", value="mine"),
        rx.segmented_control.item("Whole office", value="office"),
        value=H.shown_scope,
        on_change=H.choose_scope,
        aria_label="Whose appointments",
        size="1",
    )
    empty = rx.text(
        rx.cond(H.mine, "Nothing on your calendar today.", "Nobody is booked today."),
        size="2",
        color_scheme="gray",
    )
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.vstack(
                    rx.heading("Today", size="4", as_="h2"),
                    rx.text(H.today_label, " · times in ", H.time_zone, size="2", color_scheme="gray"),
                    spacing="1",
                ),
                rx.spacer(),
                rx.cond(H.may_choose, scope),
                rx.cond(H.switching, rx.spinner(size="1", aria_label="Loading")),
                align="center",
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            rx.cond(
                H.appointments.length() > 0,
                _plain_list(rx.foreach(H.appointments, _appointment), "Today's appointments"),
                empty,
            ),
            rx.link(
                rx.flex(
                    rx.text("Open today in the calendar"), rx.icon("arrow_right", size=14), align="center", spacing="1"
                ),
                href=H.calendar_href,
                size="2",
            ),
            spacing="3",
            width="100%",
        ),
        size="3",
        width="100%",
        role="region",
        aria_label="Today",
    )


def _waiting_item(item: ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.el.li(
        rx.vstack(
            rx.link(
                item["patient_name"],
                href=item["href"],
                weight="medium",
                size="2",
                aria_label=item["patient_name"].to(str) + ", " + item["what"].to(str),
            ),
            rx.text(item["what"], size="2", style={"overflow_wrap": "anywhere"}),
            rx.text(item["since"], size="1", color_scheme="gray"),
            spacing="0",
        ),
        padding_y="var(--space-2)",
        border_top=f"1px solid {rx.color('gray', 4)}",
    )


def _waiting_card(title: str, items: ArrayVar, more: NumberVar[int], empty: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.heading(title, size="3", as_="h3"),
                rx.cond(items.length() > 0, rx.badge(items.length() + more, variant="soft")),
                align="center",
                spacing="2",
            ),
            rx.cond(
                items.length() > 0,
                rx.vstack(
                    _plain_list(rx.foreach(items, _waiting_item)),
                    rx.cond(more > 0, rx.text("and ", more, " more", size="2", color_scheme="gray")),
                    spacing="1",
                    width="100%",
                ),
                rx.text(empty, size="2", color_scheme="gray"),
            ),
            spacing="2",
            width="100%",
        ),
        size="2",
        width="100%",
        role="region",
        aria_label=title,
    )


def waiting_panels() -> rx.Component:
    return rx.vstack(
        rx.heading("Waiting for the team", size="4", as_="h2"),
        rx.grid(
            _waiting_card(
                "Profile changes",
                H.proposals,
                H.proposals_more,
                "No changes from patients to review. Changes patients suggest in the portal appear here.",
            ),
            _waiting_card(
                "New from patients",
                H.uploads,
                H.uploads_more,
                "No new uploads. Files patients send from the portal appear here until someone opens them.",
            ),
            _waiting_card(
                "Forms to review",
                H.submissions,
                H.submissions_more,
                "No forms waiting. Submitted forms appear here until they are marked reviewed.",
            ),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="4",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )
