"""Calendar → Services and working hours."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from app.components.forms import field, field_error, form_error, submit_button
from app.components.layout import clinic_page
from app.components.service_dialog import service_dialog
from app.components.tables import data_table
from app.state.schedule_setup import ScheduleSetupState as S


def _service_row(service: ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.hstack(
                rx.box(
                    width="12px",
                    height="12px",
                    border_radius="9999px",
                    background="var(--" + service["color"].to(str) + "-9)",
                ),
                rx.text(service["name"], weight="medium"),
                align="center",
                spacing="2",
            )
        ),
        rx.table.cell(service["minutes"], " min"),
        rx.table.cell(rx.cond(service["online"] == "true", "Yes", "No")),
        rx.table.cell(service["who"]),
        rx.table.cell(
            rx.hstack(
                rx.button(
                    "Edit",
                    size="1",
                    variant="soft",
                    on_click=S.open_service(service),
                    aria_label="Edit " + service["name"].to(str),
                ),
                rx.button(
                    "Remove",
                    size="1",
                    variant="soft",
                    color_scheme="gray",
                    on_click=S.retire_service(service["id"]),
                    aria_label="Remove " + service["name"].to(str),
                ),
                spacing="2",
            )
        ),
    )


def _services_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.heading("Services", size="4", as_="h2"),
                rx.spacer(),
                rx.button(rx.icon("plus", size=16), "New service", on_click=S.new_service),
                width="100%",
                align="center",
            ),
            data_table(
                ["Service", "Length", "Online", "Offered by", ""],
                S.services,
                _service_row,
                "No services yet. Add the kinds of appointment you offer, with their length.",
            ),
            spacing="3",
            width="100%",
        ),
        size="3",
        width="100%",
    )


def _hours_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.heading("Working hours", size="4", as_="h2"),
                rx.spacer(),
                rx.select.root(
                    rx.select.trigger(aria_label="Whose hours"),
                    rx.select.content(rx.foreach(S.people, lambda p: rx.select.item(p["name"], value=p["id"]))),
                    value=S.hours_for,
                    on_change=S.show_hours_of,
                ),
                width="100%",
                align="center",
                spacing="3",
            ),
            rx.text(
                "In the office's time zone, for example 09:00-12:00, 13:00-17:00. Leave a day empty when not working.",
                size="2",
                color_scheme="gray",
            ),
            rx.form(
                rx.vstack(
                    form_error(S.form_error),
                    rx.foreach(
                        S.hours,
                        lambda day: rx.grid(
                            rx.el.label(
                                rx.text(day["name"], size="2", weight="medium"),
                                html_for="hours-day-" + day["weekday"].to(str),
                            ),
                            rx.vstack(
                                rx.input(
                                    id="hours-day-" + day["weekday"].to(str),
                                    name="day-" + day["weekday"].to(str),
                                    default_value=day["text"],
                                    placeholder="Not working",
                                    width="100%",
                                ),
                                field_error(
                                    S.errors.get("day-" + day["weekday"].to(str), ""),
                                    "hours-day-" + day["weekday"].to(str),
                                ),
                                spacing="1",
                                width="100%",
                            ),
                            grid_template_columns=rx.breakpoints(initial="minmax(0, 1fr)", sm="120px minmax(0, 1fr)"),
                            align="center",
                            spacing="3",
                            width="100%",
                        ),
                    ),
                    rx.hstack(submit_button("Save hours", S.busy), justify="end", width="100%"),
                    spacing="2",
                    width="100%",
                ),
                on_submit=S.save_hours,
                key=S.hours_for + S.hours.to_string(),
            ),
            spacing="3",
            width="100%",
        ),
        size="3",
        width="100%",
    )


def _time_off_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Time off", size="4", as_="h2"),
            rx.cond(
                S.time_off.length() > 0,
                rx.vstack(
                    rx.foreach(
                        S.time_off,
                        lambda t: rx.hstack(
                            rx.text(t["who"], ": ", t["from"], " → ", t["to"], " ", t["reason"], size="2"),
                            rx.spacer(),
                            rx.button(
                                "Remove",
                                size="1",
                                variant="soft",
                                color_scheme="gray",
                                on_click=S.remove_time_off(t["id"]),
                            ),
                            width="100%",
                        ),
                    ),
                    spacing="2",
                    width="100%",
                ),
                rx.text("No upcoming time off.", size="2", color_scheme="gray"),
            ),
            rx.form(
                rx.vstack(
                    rx.grid(
                        field("From", "from_date", S.errors, type="date", form_id="off"),
                        field("at", "from_time", S.errors, type="time", default_value="00:00", form_id="off"),
                        field("To", "to_date", S.errors, type="date", form_id="off"),
                        field("until", "to_time", S.errors, type="time", default_value="23:59", form_id="off"),
                        columns=rx.breakpoints(initial="1", xs="2", lg="4"),
                        spacing="3",
                        width="100%",
                    ),
                    field("Reason (optional)", "reason", S.errors, form_id="off"),
                    rx.hstack(submit_button("Add time off", S.busy), justify="end", width="100%"),
                    spacing="3",
                    width="100%",
                ),
                on_submit=S.add_time_off,
                reset_on_submit=True,
            ),
            spacing="3",
            width="100%",
        ),
        size="3",
        width="100%",
    )


def schedule_setup_page() -> rx.Component:
    return clinic_page(
        "Services and working hours",
        "What patients can book, and when each practitioner works.",
        rx.vstack(
            rx.link(
                rx.hstack(rx.icon("arrow_left", size=14), rx.text("Calendar"), spacing="1", align="center"),
                href="/clinic/calendar",
                size="2",
            ),
            _services_card(),
            _hours_card(),
            _time_off_card(),
            service_dialog(),
            spacing="4",
            width="100%",
        ),
    )
