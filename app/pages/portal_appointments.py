"""Portal: the chosen record's appointments, Upcoming (Cancel, or the clinic's number), Past (Book again)
and Cancelled; *Book an appointment* for each office of a held record."""

from __future__ import annotations

from collections.abc import Sequence

import reflex as rx
from reflex.vars import ArrayVar, ObjectVar

from app.components.layout import portal_page
from app.components.links import link_button
from app.state.portal import PortalAppointmentsState


def _call_to_cancel(a: ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.cond(
        a["call_to_cancel"] != "",
        rx.text("To cancel, call the clinic at ", rx.text.strong(a["call_to_cancel"]), size="2"),
    )


def _appointment_card(a: ObjectVar[dict[str, str]], group: str) -> rx.Component:
    cancel_or_call = _call_to_cancel(a)  # the phone is only there when Cancel is not
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
        if group == "upcoming"
        else rx.cond(
            a["book_again"] != "",
            link_button(
                "Book again",
                a["book_again"],
                aria_label="Book again: " + a["service"].to(str) + " with " + a["practitioner"].to(str),
                variant="soft",
            ),
        )
    )
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.text(a["when"], weight="bold"),
                rx.text(a["service"], " with ", a["practitioner"], size="2"),
                rx.text(a["office"], size="1", color_scheme="gray"),
                rx.cond(a["status"] != "booked", rx.badge(a["status_label"], color_scheme="gray")),
                cancel_or_call if group == "upcoming" else rx.fragment(),
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


def _group(title: str, items: ArrayVar[Sequence[dict[str, str]]], group: str, empty: str) -> rx.Component:
    return rx.vstack(
        rx.heading(title, size="4", as_="h2"),
        rx.cond(
            items.length() > 0,
            rx.vstack(rx.foreach(items, lambda a: _appointment_card(a, group)), spacing="3", width="100%"),
            rx.text(empty, color_scheme="gray", size="2"),
        ),
        spacing="3",
        width="100%",
    )


def portal_appointments_page() -> rx.Component:
    s = PortalAppointmentsState
    book = rx.flex(
        rx.foreach(s.book_links, lambda link: link_button(link["label"], link["href"])),
        spacing="3",
        wrap="wrap",
    )
    return portal_page(
        "Appointments",
        "",
        rx.vstack(
            book,
            _group("Upcoming", s.upcoming, "upcoming", "No upcoming appointments."),
            _group("Past", s.past, "past", "Nothing yet."),
            rx.cond(s.cancelled.length() > 0, _group("Cancelled", s.cancelled, "cancelled", "")),
            spacing="5",
            width="100%",
        ),
    )
