"""Patient portal pages: overview, profile, redeeming an access code."""

from __future__ import annotations

import reflex as rx

from app.components.forms import field, form_error, submit_button
from app.components.layout import portal_page
from app.components.links import link_button
from app.components.patient_form import patient_fields
from app.components.record_switcher import removed_records
from app.state.portal import PortalProfileState, PortalState, RedeemState


def _icon_disc(icon: str) -> rx.Component:
    return rx.center(
        rx.icon(icon, size=24, color=rx.color("accent", 10)),
        width="48px",
        height="48px",
        border_radius="9999px",
        background_color=rx.color("accent", 3),
    )


def empty_portal() -> rx.Component:
    return rx.card(
        rx.vstack(
            _icon_disc("key_round"),
            rx.heading("Your portal is ready, and empty for now", size="4", as_="h2"),
            rx.text(
                "Your records stay private until your clinic connects them. When you visit, ask the front desk "
                "for a Medical Records Access Code: four easy words that link your appointments, treatment plans "
                "and documents to this account.",
                color_scheme="gray",
            ),
            rx.text(
                "One account can hold the records of your whole family: each access code adds one person.",
                color_scheme="gray",
                size="2",
            ),
            link_button("I have an access code", "/portal/redeem", size="3"),
            align="center",
            text_align="center",
            spacing="3",
            padding_y="var(--space-5)",
        ),
        size="3",
        width="100%",
    )


def _card_link(kicker: str, title: str, text: str, href: str) -> rx.Component:
    return rx.link(
        rx.card(
            rx.vstack(
                rx.text(kicker, size="1", color_scheme="gray", weight="medium"),
                rx.heading(title, size="4", as_="h2"),
                rx.text(text, size="2", color_scheme="gray"),
                spacing="2",
            ),
            size="3",
            height="100%",
        ),
        href=href,
        underline="none",
        color_scheme="gray",
        high_contrast=True,
    )


def _overview() -> rx.Component:
    return rx.grid(
        rx.card(
            rx.vstack(
                rx.text("Clinic", size="1", color_scheme="gray", weight="medium"),
                rx.foreach(
                    PortalState.records,
                    lambda r: rx.cond(
                        r["id"] == PortalState.current_id, rx.heading(r["office_name"], size="4", as_="h2")
                    ),
                ),
                rx.text(
                    "Appointments, treatment plans and documents your clinic shares with ",
                    PortalState.current_first_name,
                    " appear here.",
                    size="2",
                    color_scheme="gray",
                ),
                spacing="2",
            ),
            size="3",
        ),
        _card_link(
            "Profile",
            "Keep details up to date",
            "Suggest changes to address, phone or e-mail; your clinic confirms them.",
            "/portal/profile",
        ),
        _card_link(
            "Privacy",
            "Who opened my record",
            "See who at your clinic read, changed or shared it, and when.",
            "/portal/record-access",
        ),
        columns=rx.breakpoints(initial="1", sm="2"),
        spacing="4",
        width="100%",
    )


def portal_home_page() -> rx.Component:
    return portal_page(
        rx.cond(PortalState.current_name != "", PortalState.current_name, "Welcome"),
        rx.cond(PortalState.current_name != "", "", "Signed in as " + PortalState.user_name),
        rx.vstack(
            rx.cond(PortalState.records.length() > 0, _overview(), empty_portal()),
            removed_records(),
            spacing="4",
            width="100%",
        ),
    )


def portal_profile_page() -> rx.Component:
    awaiting = rx.cond(
        PortalProfileState.pending_labels.length() > 0,
        rx.callout(
            rx.text(
                "Awaiting your clinic's review: ",
                rx.foreach(
                    PortalProfileState.pending_labels,
                    lambda label, i: rx.text.span(rx.cond(i > 0, ", ", ""), label),
                ),
                ". Your clinic's record shows the current details until they accept the changes.",
            ),
            icon="clock",
            color_scheme="amber",
            width="100%",
        ),
    )
    form = rx.card(
        rx.form(
            rx.vstack(
                form_error(PortalProfileState.form_error),
                patient_fields(
                    PortalProfileState.errors,
                    PortalProfileState.form_values,
                    "portal-profile",
                    with_notes=False,
                ),
                rx.hstack(
                    submit_button("Send changes to the clinic", PortalProfileState.busy), justify="end", width="100%"
                ),
                spacing="4",
            ),
            on_submit=PortalProfileState.save,
            key=PortalProfileState.current_id + PortalProfileState.pending.to_string(),
        ),
        size="3",
        width="100%",
    )
    return portal_page(
        "Profile",
        "Changes go to your clinic for review; the clinic keeps the official record.",
        rx.cond(
            PortalProfileState.records.length() > 0,
            rx.vstack(
                awaiting,
                form,
                rx.link(
                    rx.flex(rx.icon("eye", size=14), "Who opened my record", align="center", spacing="1"),
                    href="/portal/record-access",
                    size="2",
                ),
                spacing="4",
                width="100%",
            ),
            empty_portal(),
        ),
    )


def redeem_page() -> rx.Component:
    return portal_page(
        "Unlock a record",
        "Enter the Medical Records Access Code your clinic gave you.",
        rx.card(
            rx.form(
                rx.vstack(
                    form_error(RedeemState.form_error),
                    field(
                        "Access code",
                        "code",
                        RedeemState.errors,
                        default_value=RedeemState.code_from_link,
                        placeholder="four words, for example: maple river quiet lamp",
                        form_id="redeem",
                        hint="Four words. Capitals, spaces and hyphens don't matter.",
                    ),
                    rx.hstack(submit_button("Unlock record", RedeemState.busy), justify="end", width="100%"),
                    spacing="4",
                ),
                on_submit=RedeemState.redeem,
                key=RedeemState.code_from_link,
            ),
            size="3",
            width="100%",
        ),
    )
