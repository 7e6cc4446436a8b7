"""The gear menu's Online Booking Options."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from app.components.forms import choice_field, dialog_actions, field, form_error
from app.components.setup_notes import local_links_note
from app.state.booking_forms import NO_FORM
from app.state.booking_forms import BookingFormsState as F
from app.state.booking_options import BookingOptionsState as O


def _service_form(service: ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.flex(
        rx.text(service["name"], size="2", flex="1", min_width="0"),
        rx.select.root(
            rx.select.trigger(aria_label="Form for " + service["name"].to(str), width="220px"),
            rx.select.content(
                rx.select.item("No form", value=NO_FORM),
                rx.foreach(F.forms, lambda form: rx.select.item(form["title"], value=form["id"])),
            ),
            value=service["form_id"],
            on_change=lambda value: F.choose(service["service_id"], value),
            disabled=F.saving == service["service_id"],
        ),
        align="center",
        spacing="3",
        width="100%",
    )


def booking_forms_section() -> rx.Component:
    """One form per service, filled in right after booking it online (saved as it is chosen)."""
    return rx.cond(
        F.services.length() > 0,
        rx.vstack(
            rx.text("Forms during online booking", size="2", weight="medium"),
            rx.text(
                "A form to fill in right after booking a service online, such as an intake form for new patients. "
                "Saved as you choose it.",
                size="1",
                color_scheme="gray",
            ),
            rx.foreach(F.services, _service_form),
            spacing="2",
            width="100%",
        ),
    )


REMINDER_HOURS = [(str(hour), f"{hour:02d}:00") for hour in range(24)]


def reminders_section(switch: rx.Component) -> rx.Component:
    """The day-before reminder: on or off, and from what time of the office's day it goes out."""
    return rx.vstack(
        switch,
        choice_field(
            "Send reminders from",
            "reminder_hour",
            O.errors,
            REMINDER_HOURS,
            default_value=O.options["reminder_hour"],
            form_id="options",
        ),
        rx.text(
            "From this time of the office's day, every patient with a visit the next day gets one e-mail with "
            "its time, the address and a calendar entry. Never for cancelled visits.",
            size="1",
            color_scheme="gray",
        ),
        spacing="2",
        width="100%",
    )


def options_dialog() -> rx.Component:
    o = O.options

    def switch(label: str, name: str) -> rx.Component:
        return rx.el.label(
            rx.hstack(
                rx.switch(name=name, default_checked=o[name] == "true"),
                rx.text(label, size="2"),
                align="center",
                spacing="2",
            ),
        )

    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Online Booking Options"),
            rx.dialog.description(
                "Patients book at ", rx.link(O.public_url, href=O.public_url, is_external=True), size="2"
            ),
            local_links_note(O.links_local),
            rx.form(
                rx.vstack(
                    form_error(O.form_error),
                    switch("Online booking on", "enabled"),
                    rx.grid(
                        field(
                            "Minimum notice to book (hours)",
                            "min_notice_hours",
                            O.errors,
                            type="number",
                            default_value=o["min_notice_hours"],
                            form_id="options",
                        ),
                        field(
                            "How many days ahead",
                            "horizon_days",
                            O.errors,
                            type="number",
                            default_value=o["horizon_days"],
                            form_id="options",
                        ),
                        columns="2",
                        spacing="3",
                        width="100%",
                    ),
                    switch("Allow online cancellation", "allow_cancellation"),
                    field(
                        "Cancellation notice (hours)",
                        "cancellation_notice_hours",
                        O.errors,
                        type="number",
                        default_value=o["cancellation_notice_hours"],
                        form_id="options",
                    ),
                    reminders_section(switch("Send a reminder the day before", "reminders_enabled")),
                    rx.vstack(
                        rx.text("Who may book online", size="2", weight="medium", id="policy-label"),
                        rx.radio_group.root(
                            rx.vstack(
                                rx.el.label(
                                    rx.hstack(
                                        rx.radio_group.item(value="new_too"),
                                        rx.text("New and existing patients", size="2"),
                                    )
                                ),
                                rx.el.label(
                                    rx.hstack(
                                        rx.radio_group.item(value="existing_only"),
                                        rx.text("Existing patients only", size="2"),
                                    )
                                ),
                                spacing="2",
                            ),
                            name="registration_policy",
                            default_value=o["registration_policy"],
                            aria_labelledby="policy-label",
                        ),
                        spacing="1",
                    ),
                    field(
                        "Phone number shown when online booking says no",
                        "refusal_phone",
                        O.errors,
                        type="tel",
                        default_value=o["refusal_phone"],
                        form_id="options",
                        hint="Leave empty to use the office's phone.",
                    ),
                    booking_forms_section(),
                    dialog_actions("Save options", O.busy),
                    spacing="4",
                    margin_top="var(--space-3)",
                ),
                on_submit=O.save,
                key=O.options.to_string(),
            ),
            max_width="520px",
        ),
        open=O.dialog_open,
        on_open_change=O.set_dialog_open,
    )
