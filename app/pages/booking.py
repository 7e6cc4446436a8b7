"""The public online booking page."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from app.components.booking import STEP_FOCUS, booked, confirm_form, summary
from app.components.brand import brand
from app.components.focus_effect import focus_effect
from app.components.forms import field, form_error, submit_button
from app.components.layout import card_page, loading_panel
from app.components.second_factor import second_factor_form
from app.state.booking import PublicBookingState as B


def _step(number: str, title: str, *children: rx.Component) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.badge(number, radius="full", variant="solid"),
            rx.heading(title, size="3", as_="h2"),
            align="center",
            spacing="2",
        ),
        *children,
        spacing="2",
        width="100%",
    )


def _day_chip(day: ObjectVar[dict[str, str]]) -> rx.Component:
    """'Tue' over '24'; named 'Tue 24 Nov' for screen readers and tests."""
    return rx.radio_cards.item(
        rx.flex(
            rx.text(day["weekday"], size="1"),
            rx.text(day["number"], size="3", weight="bold"),
            direction="column",
            align="center",
        ),
        value=day["iso"],
        aria_label=day["label"],
        disabled=day["open"] != "True",  # no time left that day: shown, not offered
        padding="var(--space-2) 0",
        min_width="0",
    )


def _days() -> rx.Component:
    """A week of day chips at a time (the office may take bookings months ahead), with earlier and
    later weeks. The chips are one radio group: one Tab stop, arrow keys move between days."""
    weeks = rx.flex(
        rx.icon_button(
            rx.icon("chevron_left", size=18),
            variant="soft",
            color_scheme="gray",
            aria_label="Earlier days",
            on_click=B.show_window(-1),
            disabled=B.window == 0,
        ),
        rx.text(B.window_title, size="2", weight="medium", aria_live="polite"),
        rx.icon_button(
            rx.icon("chevron_right", size=18),
            variant="soft",
            color_scheme="gray",
            aria_label="Later days",
            on_click=B.show_window(1),
            disabled=B.window >= B.window_count - 1,
        ),
        justify="between",
        align="center",
        width="100%",
    )
    return rx.cond(
        B.days.length() > 0,
        rx.vstack(
            rx.cond(B.window_count > 1, weeks),
            rx.radio_cards.root(
                rx.foreach(B.days, _day_chip),
                value=B.day,
                on_value_change=B.choose_day,
                columns="7",
                gap="1",
                size="1",
                aria_label="Day",
                width="100%",
            ),
            spacing="2",
            width="100%",
        ),
        rx.text("No days can be booked online right now. Please call the clinic: ", B.office["phone"], size="2"),
    )


def _choices() -> rx.Component:
    service = rx.select.root(
        rx.select.trigger(aria_label="Service", placeholder="Choose a service", width="100%"),
        rx.select.content(
            rx.foreach(
                B.services, lambda s: rx.select.item(s["name"] + " · " + s["minutes"].to(str) + " min", value=s["id"])
            )
        ),
        value=B.service_id,
        on_change=B.choose_service,
        size="3",
    )
    practitioner = rx.select.root(
        rx.select.trigger(aria_label="Practitioner", width="100%"),
        rx.select.content(rx.foreach(B.practitioner_choices, lambda p: rx.select.item(p["name"], value=p["id"]))),
        value=rx.cond(B.practitioner_id == "", "any", B.practitioner_id),
        on_change=B.choose_practitioner,
        size="3",
    )
    days = _days()
    slots = rx.cond(
        B.loading_slots,
        rx.hstack(rx.spinner(), rx.text("Finding free times…", color_scheme="gray", size="2")),
        rx.cond(
            B.slots.length() > 0,
            rx.grid(
                rx.foreach(
                    B.slots,
                    lambda s: rx.button(
                        s["label"],
                        variant="outline",
                        on_click=B.choose_slot(s),
                        aria_label="Book at " + s["label"].to(str) + " with " + s["practitioner"].to(str),
                    ),
                ),
                columns=rx.breakpoints(initial="3", sm="5"),
                spacing="2",
                width="100%",
            ),
            rx.text("No free times on this day. Try another day or practitioner.", color_scheme="gray", size="2"),
        ),
    )
    return rx.vstack(
        _step("1", "Service", service),
        _step("2", "Practitioner", practitioner),
        _step("3", "Day", days),
        _step("4", "Time", rx.text("Times in ", B.office["zone"], size="1", color_scheme="gray"), slots),
        spacing="5",
        width="100%",
    )


def _sign_in_inline() -> rx.Component:
    return rx.cond(B.sign_in_step == "code", second_factor_form(B, "book", show_form_error=False), _password_inline())


def _password_inline() -> rx.Component:
    return rx.vstack(
        rx.text("Sign in to your patient portal to confirm.", size="2"),
        rx.form(
            rx.vstack(
                field("E-mail", "email", B.errors, type="email", autocomplete="username", form_id="book-sign-in"),
                field(
                    "Password",
                    "password",
                    B.errors,
                    type="password",
                    autocomplete="current-password",
                    form_id="book-sign-in",
                ),
                submit_button("Sign in", B.busy, width="100%"),
                spacing="3",
                width="100%",
            ),
            on_submit=B.sign_in,
            width="100%",
        ),
        rx.text(
            "New here? ",
            rx.link("Create a portal account", href=B.sign_up_href),
            " and you'll come back to this time.",
            size="2",
        ),
        spacing="3",
        width="100%",
    )


def _confirm() -> rx.Component:
    return rx.vstack(
        summary(),
        rx.cond(
            B.patient_account, confirm_form(), rx.vstack(form_error(B.form_error), _sign_in_inline(), width="100%")
        ),
        spacing="4",
        width="100%",
    )


def _step_focus() -> rx.Component:
    """After each step (a time chosen, signed in, booked) focus moves to the next step's heading or
    message, rather than falling to the page body when the part that had it is replaced."""
    step = rx.cond(
        B.booked.length() > 0,
        "booked",
        rx.cond(B.slot.length() > 0, rx.cond(B.patient_account, "confirm", "sign-in"), "choose"),
    )
    # Keyed on the page's readiness too: after the sign-in's full page load, the step can arrive
    # before the page shows its body (the heading not drawn yet); focus then moves once it is.
    shown = rx.cond(B.is_hydrated & (B.page_status == "ready"), "shown", "waiting")
    return focus_effect(rx.cond(step == "choose", "", STEP_FOCUS), step.to(str) + "-" + shown.to(str))


def booking_page() -> rx.Component:
    closed = rx.callout(
        rx.text("Online booking isn't open right now. Please call the clinic: ", rx.text.strong(B.office["phone"])),
        icon="phone",
        color_scheme="amber",
    )
    body = rx.cond(
        B.office["enabled"] != "true",
        closed,
        rx.cond(B.booked.length() > 0, booked(), rx.cond(B.slot.length() > 0, _confirm(), _choices())),
    )
    missing = rx.text("This booking page does not exist.", color_scheme="gray")
    return card_page(
        brand(),
        rx.card(
            rx.vstack(
                rx.heading("Book an appointment", size="6", as_="h1"),
                rx.text(B.office["name"], size="3", color_scheme="gray", weight="medium"),
                rx.cond(
                    B.is_hydrated,
                    rx.match(B.page_status, ("ready", body), ("denied", missing), loading_panel()),
                    loading_panel(),
                ),
                _step_focus(),
                spacing="4",
                width="100%",
            ),
            size="4",
            width="100%",
        ),
        max_width="600px",
    )
