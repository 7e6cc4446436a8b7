"""An existing appointment: mark arrived or no-show, cancel, or move it."""

from __future__ import annotations

import reflex as rx

from app.components.forms import field, field_error, form_error, submit_button
from app.state.calendar import BookingCalendarState as S


def appointment_dialog() -> rx.Component:
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
