"""The booking page's confirm step (what is booked, for whom) and its booked card."""

from __future__ import annotations

import reflex as rx

from app.components.forms import field, form_error
from app.components.links import link_button
from app.state.booking import PublicBookingState as B

# The element of the booking flow's current step that takes focus when the step changes.
STEP_FOCUS = "booking-step"


def whom_for() -> rx.Component:
    """ "Who is this appointment for?": each record the account holds here, and someone new
    where the office takes new patients (the server checks the answer again)."""
    new_person = rx.cond(
        B.someone_new,
        rx.vstack(
            rx.text("Their name (leave it empty if the appointment is for you)", size="2", color_scheme="gray"),
            rx.grid(
                field("First name", "new_first_name", B.errors, autocomplete="off", form_id="book-new"),
                field("Last name", "new_last_name", B.errors, autocomplete="off", form_id="book-new"),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3",
                width="100%",
            ),
            spacing="2",
            width="100%",
        ),
    )
    return rx.cond(
        B.whom_choices.length() > 0,
        rx.vstack(
            rx.text("Who is this appointment for?", id="whom-for-label", size="2", weight="medium"),
            rx.radio_group.root(
                rx.foreach(
                    B.whom_choices,
                    lambda c: rx.radio_group.item(c["label"], value=c["value"]),
                ),
                value=B.for_whom,
                on_change=B.choose_for_whom,
                aria_labelledby="whom-for-label",
                direction="column",
                spacing="2",
            ),
            new_person,
            spacing="2",
            width="100%",
        ),
    )


def summary() -> rx.Component:
    """Service, practitioner, weekday, date and time, with the office's zone."""
    slot = B.slot
    return rx.card(
        rx.vstack(
            rx.text("Your appointment", size="1", color_scheme="gray", weight="medium"),
            # Where focus goes when this step shows (pages/booking.py): the step's own heading.
            rx.heading(slot["day"], size="4", as_="h2", id=STEP_FOCUS, tab_index=-1),
            rx.text(
                rx.text.strong(slot["time"]),
                " (",
                B.office["zone"],
                " time)",
                size="3",
            ),
            rx.text(B.service_name, " with ", slot["practitioner"], size="2"),
            rx.button("Choose another time", variant="ghost", size="1", on_click=B.change_slot),
            spacing="1",
        ),
        width="100%",
        aria_label="Your appointment",
    )


def confirm_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            whom_for(),
            rx.text("Signed in as ", rx.text.strong(B.user_name), size="2"),
            rx.button("Confirm booking", size="3", width="100%", loading=B.busy, type="submit"),
            form_error(B.form_error),
            spacing="3",
            width="100%",
        ),
        on_submit=B.confirm,
        width="100%",
    )


def booked() -> rx.Component:
    b = B.booked
    return rx.vstack(
        # A status message, and where focus goes when it shows: screen readers read it either way.
        rx.callout(
            "You're booked! A confirmation e-mail is on its way.",
            icon="circle_check",
            color_scheme="green",
            role="status",
            id=STEP_FOCUS,
            tab_index=-1,
        ),
        rx.card(
            rx.vstack(
                rx.heading(b["when"], size="4", as_="h2"),
                rx.text(b["service"], " with ", b["practitioner"]),
                rx.text("For ", b["patient"], size="2"),
                rx.text(b["office"], ", ", b["address"], size="2", color_scheme="gray"),
                spacing="1",
            ),
            width="100%",
        ),
        rx.hstack(
            rx.button(rx.icon("calendar_plus", size=16), "Add to calendar", variant="soft", on_click=B.download_ics),
            link_button("See my appointments", "/portal/appointments"),
            spacing="3",
            wrap="wrap",
        ),
        spacing="4",
        width="100%",
    )
