"""Booking a free slot: find (or create) the patient, choose the service, adjust the time."""

from __future__ import annotations

import reflex as rx

from app.components.forms import dialog_actions, field, field_error, form_error
from app.state.calendar import BookingCalendarState as S


def book_dialog() -> rx.Component:
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
