"""The booking calendar page."""

from __future__ import annotations

import reflex as rx

from app.components.calendar_grid import calendar_grid
from app.components.forms import dialog_actions, field, field_error, form_error, submit_button
from app.components.layout import clinic_page
from app.state.booking_options import BookingOptionsState as O
from app.state.calendar import BookingCalendarState as S


def _practitioner_filter() -> rx.Component:
    """Which practitioners have a column: a clinic with many keeps the week readable."""
    everyone = S.shown_count == S.people.length()
    return rx.popover.root(
        rx.popover.trigger(
            rx.button(
                rx.icon("users", size=16),
                rx.cond(everyone, "Everyone", S.shown_count.to(str) + " of " + S.people.length().to(str)),
                variant="soft",
                color_scheme="gray",
                aria_label="Practitioners shown",
            )
        ),
        rx.popover.content(
            rx.vstack(
                rx.hstack(
                    rx.text("Practitioners shown", size="2", weight="medium", id="shown-practitioners"),
                    rx.spacer(),
                    rx.cond(
                        everyone,
                        rx.fragment(),
                        rx.button("Show everyone", variant="ghost", size="1", on_click=S.show_everyone),
                    ),
                    align="center",
                    width="100%",
                ),
                rx.vstack(
                    rx.foreach(
                        S.people,
                        lambda p: rx.checkbox(
                            p["name"],
                            checked=~S.hidden.contains(p["id"]),
                            on_change=lambda shown: S.show_practitioner(p["id"], shown),
                        ),
                    ),
                    role="group",
                    aria_labelledby="shown-practitioners",
                    spacing="2",
                ),
                spacing="3",
                min_width="220px",
            ),
            align="end",
        ),
    )


def _toolbar() -> rx.Component:
    return rx.hstack(
        rx.cond(S.people.length() > 1, _practitioner_filter()),
        rx.button("Today", variant="soft", color_scheme="gray", on_click=S.today),
        rx.icon_button(
            rx.icon("chevron_left", size=18),
            variant="soft",
            color_scheme="gray",
            aria_label=rx.cond(S.view == "day", "Previous day", "Previous week"),
            on_click=S.move(-1),
        ),
        rx.icon_button(
            rx.icon("chevron_right", size=18),
            variant="soft",
            color_scheme="gray",
            aria_label=rx.cond(S.view == "day", "Next day", "Next week"),
            on_click=S.move(1),
        ),
        rx.segmented_control.root(
            rx.segmented_control.item("Day", value="day"),
            rx.segmented_control.item("Week", value="week"),
            value=S.view,
            on_change=S.set_view,
            aria_label="Calendar view",
        ),
        rx.dropdown_menu.root(
            rx.dropdown_menu.trigger(
                rx.icon_button(
                    rx.icon("settings", size=18), variant="soft", color_scheme="gray", aria_label="Calendar settings"
                )
            ),
            rx.dropdown_menu.content(
                rx.dropdown_menu.item("Online Booking Options", on_select=O.open_dialog),
                rx.dropdown_menu.item("Services and working hours", on_select=rx.redirect("/clinic/calendar/setup")),
                align="end",
            ),
        ),
        spacing="2",
        align="center",
    )


def _book_dialog() -> rx.Component:
    slot = S.new_slot
    patient_search = rx.vstack(
        rx.el.label(rx.text("Patient", size="2", weight="medium"), html_for="book-patient"),
        rx.cond(
            S.chosen_patient.length() > 0,
            rx.hstack(
                rx.badge(S.chosen_patient["name"], size="3", variant="soft"),
                rx.button("Change", size="1", variant="ghost", type="button", on_click=S.choose_patient("", "")),
                align="center",
            ),
            rx.vstack(
                rx.input(
                    id="book-patient",
                    placeholder="Search by name, phone or date of birth",
                    on_change=S.find_patient.debounce(250),
                    auto_complete="off",
                    width="100%",
                    aria_describedby="book-patient-error",
                ),
                rx.vstack(
                    rx.foreach(
                        S.patient_matches,
                        lambda m: rx.button(
                            rx.text(m["name"], weight="medium"),
                            rx.text(m["detail"], color_scheme="gray", size="1"),
                            type="button",
                            variant="ghost",
                            justify="start",
                            width="100%",
                            on_click=S.choose_patient(m["id"], m["name"]),
                        ),
                    ),
                    spacing="1",
                    width="100%",
                ),
                rx.cond(
                    S.patient_query.length() > 1,
                    rx.button(
                        rx.icon("user_plus", size=14),
                        "New patient: ",
                        S.patient_query,
                        type="button",
                        variant="soft",
                        size="1",
                        on_click=S.create_patient,
                    ),
                ),
                spacing="2",
                width="100%",
            ),
        ),
        field_error(S.errors.get("patient", ""), "book-patient"),
        spacing="1",
        width="100%",
    )
    service = rx.vstack(
        rx.el.label(rx.text("Service", size="2", weight="medium"), html_for="book-service"),
        rx.cond(
            S.services.length() > 0,
            rx.select.root(
                rx.select.trigger(id="book-service", aria_label="Service", placeholder="Choose a service"),
                rx.select.content(rx.foreach(S.services, lambda s: rx.select.item(s["label"], value=s["id"]))),
                name="service",
            ),
            rx.text("No services yet: add them under Services and working hours.", size="2", color_scheme="gray"),
        ),
        field_error(S.errors.get("service", ""), "book-service"),
        spacing="1",
        width="100%",
    )
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Book with ", slot["practitioner"]),
            rx.dialog.description(slot["label"], color_scheme="gray"),
            rx.form(
                rx.vstack(
                    form_error(S.form_error),
                    patient_search,
                    service,
                    rx.box(
                        field("Time", "time", S.errors, type="time", default_value=slot["time"], form_id="book"),
                        max_width="200px",
                    ),
                    dialog_actions("Book", S.busy),
                    spacing="4",
                    margin_top="var(--space-3)",
                ),
                on_submit=S.book,
                key=slot["day"].to(str) + slot["practitioner_id"].to(str) + slot["minute"].to(str),
            ),
            max_width="480px",
        ),
        open=S.new_slot.length() > 0,
        on_open_change=S.close_slot,
    )


def _appointment_dialog() -> rx.Component:
    a = S.opened
    live = a["status"] != "cancelled"
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(a["patient"]),
            rx.dialog.description(a["service"], " with ", a["practitioner"], " · ", a["day_label"], ", ", a["time"]),
            rx.vstack(
                rx.hstack(
                    rx.badge(a["status_words"], variant="soft", color_scheme=rx.cond(live, "teal", "gray")),
                    rx.cond(a["online"] == "true", rx.badge("Booked online", variant="outline")),
                    rx.link("Open patient", href="/clinic/patients/" + a["patient_id"].to(str), size="2"),
                    spacing="2",
                    align="center",
                ),
                form_error(S.form_error),
                rx.cond(
                    live,
                    rx.vstack(
                        rx.hstack(
                            rx.button(
                                "Mark arrived",
                                variant="soft",
                                on_click=S.set_status("arrived"),
                                disabled=a["status"] == "arrived",
                            ),
                            rx.button(
                                "No-show",
                                variant="soft",
                                color_scheme="amber",
                                on_click=S.set_status("no_show"),
                                disabled=a["status"] == "no_show",
                            ),
                            rx.button(
                                "Cancel appointment",
                                variant="soft",
                                color_scheme="red",
                                on_click=S.set_status("cancelled"),
                            ),
                            spacing="2",
                            wrap="wrap",
                        ),
                        rx.separator(),
                        rx.form(
                            rx.vstack(
                                rx.text("Reschedule", weight="medium", size="2"),
                                rx.hstack(
                                    field(
                                        "Date", "date", S.errors, type="date", default_value=a["day"], form_id="move"
                                    ),
                                    field(
                                        "Time", "time", S.errors, type="time", default_value=a["time"], form_id="move"
                                    ),
                                    spacing="3",
                                    width="100%",
                                ),
                                rx.vstack(
                                    rx.el.label(
                                        rx.text("Practitioner", size="2", weight="medium"), html_for="move-practitioner"
                                    ),
                                    rx.select.root(
                                        rx.select.trigger(
                                            id="move-practitioner",
                                            aria_label="Practitioner",
                                            aria_describedby="move-practitioner-error",
                                        ),
                                        rx.select.content(
                                            rx.foreach(S.movable_to, lambda p: rx.select.item(p["name"], value=p["id"]))
                                        ),
                                        name="practitioner",
                                        default_value=a["practitioner_id"],
                                    ),
                                    field_error(S.errors.get("practitioner", ""), "move-practitioner"),
                                    spacing="1",
                                    width="100%",
                                ),
                                rx.hstack(submit_button("Move appointment", S.busy), justify="end", width="100%"),
                                spacing="3",
                                width="100%",
                            ),
                            on_submit=S.reschedule,
                            key=a["id"],
                        ),
                        spacing="3",
                        width="100%",
                    ),
                    rx.text("This appointment was cancelled; its time is free again.", size="2", color_scheme="gray"),
                ),
                rx.hstack(
                    rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
                    justify="end",
                    width="100%",
                ),
                spacing="4",
                margin_top="var(--space-3)",
            ),
            max_width="520px",
        ),
        open=S.opened.length() > 0,
        on_open_change=S.close_appointment,
    )


def _options_dialog() -> rx.Component:
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
            max_width="520px",
        ),
        open=O.dialog_open,
        on_open_change=O.set_dialog_open,
    )


def calendar_page() -> rx.Component:
    empty = rx.card(
        rx.vstack(
            rx.heading("No practitioners yet", size="3"),
            rx.text("The calendar shows one column per practitioner of this office.", size="2", color_scheme="gray"),
            spacing="2",
        ),
        size="3",
    )
    return clinic_page(
        "Calendar",
        S.title,  # type: ignore[arg-type]
        rx.vstack(
            rx.cond(S.people.length() > 0, calendar_grid(), empty),
            _book_dialog(),
            _appointment_dialog(),
            _options_dialog(),
            rx.moment(interval=2000, on_change=S.watch, display="none", aria_hidden="true"),
            spacing="3",
            width="100%",
        ),
        action=_toolbar(),
    )
