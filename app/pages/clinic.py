"""Clinic workspace pages: Home, Office Details, create an office."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from app.components.empty_state import empty_state
from app.components.forms import field, form_error, select_field, submit_button
from app.components.home import setup_checklist, today_card, waiting_panels
from app.components.layout import clinic_page
from app.components.links import link_button
from app.state.clinic import ClinicState, CreateOfficeState, OfficeDetailsState
from app.state.home import HomeState as H

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
    with_office = rx.vstack(
        rx.cond(H.setup.length() > 0, setup_checklist()),
        today_card(),
        waiting_panels(),
        spacing="5",
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
