"""Portal: the chosen record's appointments, upcoming and past (Cancel, Book again)."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from app.components.layout import portal_page
from app.components.links import link_button
from app.state.portal import PortalAppointmentsState


def _appointment_card(a: ObjectVar[dict[str, str]], upcoming: bool) -> rx.Component:
    action = (
        rx.cond(
            a["can_cancel"] == "true",
            rx.alert_dialog.root(
                rx.alert_dialog.trigger(
                    rx.button(
                        "Cancel",
                        variant="soft",
                        color_scheme="red",
                        aria_label="Cancel " + a["service"].to(str) + " on " + a["when"].to(str),
                    )
                ),
                rx.alert_dialog.content(
                    rx.alert_dialog.title("Cancel this appointment?"),
                    rx.alert_dialog.description(a["service"], ", ", a["when"]),
                    rx.flex(
                        rx.alert_dialog.cancel(rx.button("Keep it", variant="soft", color_scheme="gray")),
                        rx.alert_dialog.action(
                            rx.button(
                                "Cancel appointment",
                                color_scheme="red",
                                on_click=PortalAppointmentsState.cancel(a["id"]),
                            )
                        ),
                        justify="end",
                        spacing="3",
                        margin_top="var(--space-4)",
                    ),
                ),
            ),
        )
        if upcoming
        else link_button(
            "Book again",
            a["book_again"],
            aria_label="Book " + a["service"].to(str) + " with " + a["practitioner"].to(str) + " again",
            variant="soft",
        )
    )
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.text(a["when"], weight="bold"),
                rx.text(a["service"], " with ", a["practitioner"], size="2"),
                rx.text(a["office"], size="1", color_scheme="gray"),
                rx.cond(a["status"] == "cancelled", rx.badge(a["status_label"], color_scheme="gray")),
                spacing="1",
            ),
            rx.spacer(),
            action,
            align="center",
            spacing="3",
            wrap="wrap",
        ),
        width="100%",
    )


def portal_appointments_page() -> rx.Component:
    empty = rx.text("No upcoming appointments.", color_scheme="gray", size="2")
    return portal_page(
        "Appointments",
        "",
        rx.vstack(
            rx.heading("Upcoming", size="4", as_="h2"),
            rx.cond(
                PortalAppointmentsState.upcoming.length() > 0,
                rx.vstack(
                    rx.foreach(PortalAppointmentsState.upcoming, lambda a: _appointment_card(a, True)),
                    spacing="3",
                    width="100%",
                ),
                empty,
            ),
            rx.heading("Past", size="4", as_="h2"),
            rx.cond(
                PortalAppointmentsState.past.length() > 0,
                rx.vstack(
                    rx.foreach(PortalAppointmentsState.past, lambda a: _appointment_card(a, False)),
                    spacing="3",
                    width="100%",
                ),
                rx.text("Nothing yet.", color_scheme="gray", size="2"),
            ),
            spacing="3",
            width="100%",
        ),
    )
