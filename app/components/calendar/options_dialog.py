"""The gear menu's Online Booking Options."""

from __future__ import annotations

import reflex as rx

from app.components.forms import dialog_actions, field, form_error
from app.state.booking_options import BookingOptionsState as O


def _service_form(row: rx.Var) -> rx.Component:
    return rx.flex(
        rx.text(row["name"], size="2", flex="1", min_width="8em"),
        rx.select.root(
            rx.select.trigger(aria_label="Form after booking " + row["name"].to(str), min_width="12em"),
            rx.select.content(
                rx.foreach(O.form_choices, lambda f: rx.select.item(f["title"], value=f["id"])),
            ),
            value=row["form_id"],
            on_change=lambda value: O.set_service_form(row["id"], value),
        ),
        align="center",
        gap="3",
        wrap="wrap",
        width="100%",
    )


def _booking_forms() -> rx.Component:
    return rx.vstack(
        rx.heading("Forms to fill in after booking", size="3", as_="h3"),
        rx.text(
            "Patients who book a service online are taken to its form right after confirming. Saved at once.",
            size="2",
            color_scheme="gray",
        ),
        rx.cond(
            O.service_forms.length() > 0,
            rx.vstack(rx.foreach(O.service_forms, _service_form), spacing="2", width="100%"),
            rx.text("No service is booked online yet.", size="2", color_scheme="gray"),
        ),
        spacing="2",
        width="100%",
        margin_top="var(--space-4)",
        padding_top="var(--space-4)",
        border_top=f"1px solid {rx.color('gray', 5)}",
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
                    dialog_actions("Save options", O.busy),
                    spacing="4",
                    margin_top="var(--space-3)",
                ),
                on_submit=O.save,
                key=O.options.to_string(),
            ),
            _booking_forms(),
            max_width="520px",
        ),
        open=O.dialog_open,
        on_open_change=O.set_dialog_open,
    )
