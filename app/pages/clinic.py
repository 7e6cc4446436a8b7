"""Clinic workspace pages: Home, Office Details, create an office."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from app.components.empty_state import empty_state
from app.components.forms import field, form_error, select_field, submit_button
from app.components.layout import clinic_page
from app.components.links import link_button
from app.state.clinic import ClinicState, CreateOfficeState, OfficeDetailsState

DEFAULT_TIME_ZONE = "America/Toronto"


def clinic_home_page() -> rx.Component:
    may_create = ClinicState.can.create_office
    no_office = rx.cond(
        may_create,
        empty_state(
            "building_2",
            "Set up your office",
            "Create your office to get its Share PIN and start building your team. You'll be its owner.",
            link_button("Create your office", "/clinic/office/new", size="3"),
        ),
        empty_state(
            "mail",
            "You're not part of an office yet",
            "Ask the office owner to invite you with this e-mail address. The invitation appears here.",
            rx.fragment(),
        ),
    )
    with_office = rx.grid(
        rx.card(
            rx.vstack(
                rx.text("Current office", size="1", color_scheme="gray", weight="medium"),
                rx.heading(ClinicState.office_name, size="5", as_="h2"),
                rx.badge(ClinicState.office_role, variant="soft"),
                rx.link("Office details →", href="/clinic/office", size="2"),
                spacing="2",
            ),
            size="3",
        ),
        rx.card(
            rx.vstack(
                rx.text("Your offices", size="1", color_scheme="gray", weight="medium"),
                rx.heading(ClinicState.offices.length(), size="5", as_="h2"),
                rx.text("Switch between them from the menu at the top of the sidebar.", size="2", color_scheme="gray"),
                spacing="2",
            ),
            size="3",
        ),
        columns=rx.breakpoints(initial="1", sm="2"),
        spacing="4",
        width="100%",
    )
    return clinic_page(
        "Home",
        rx.cond(ClinicState.user_name != "", "Welcome back, " + ClinicState.user_name, ""),
        rx.cond(ClinicState.office_id == 0, no_office, with_office),
    )


def office_form(
    state: type[OfficeDetailsState] | type[CreateOfficeState],
    values: ObjectVar[dict[str, str]] | dict[str, str],
    form_id: str,
) -> list:
    return [
        field(
            "Office name",
            "name",
            state.errors,
            default_value=values.get("name", ""),
            form_id=form_id,
            autocomplete="organization",
        ),
        field(
            "Address",
            "address",
            state.errors,
            default_value=values.get("address", ""),
            form_id=form_id,
            autocomplete="street-address",
        ),
        field(
            "Phone",
            "phone",
            state.errors,
            type="tel",
            default_value=values.get("phone", ""),
            form_id=form_id,
            autocomplete="tel",
            placeholder="+1 416 555 0100",
        ),
        select_field(
            "Time zone",
            "time_zone",
            state.errors,
            state.time_zones,
            default_value=values.get("time_zone", DEFAULT_TIME_ZONE),
            form_id=form_id,
        ),
    ]


def create_office_page() -> rx.Component:
    return clinic_page(
        "Create your office",
        "The details patients see on their appointments and booking page.",
        rx.card(
            rx.form(
                rx.vstack(
                    form_error(CreateOfficeState.form_error),
                    *office_form(CreateOfficeState, {}, "office"),
                    rx.hstack(submit_button("Create office", CreateOfficeState.busy), justify="end", width="100%"),
                    spacing="4",
                ),
                on_submit=CreateOfficeState.create,
            ),
            size="3",
            max_width="560px",
            width="100%",
        ),
    )
