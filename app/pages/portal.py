"""Patient portal pages: overview, profile, redeeming an access code."""

from __future__ import annotations

import reflex as rx

from app.components.empty_state import empty_state
from app.components.forms import field, form_error, submit_button
from app.components.layout import portal_page
from app.components.links import link_button
from app.components.patient_form import patient_fields
from app.state.charts import TreatmentPlansState
from app.state.portal import PortalAppointmentsState, PortalProfileState, PortalState, RedeemState


def _icon_disc(icon: str) -> rx.Component:
    return rx.center(
        rx.icon(icon, size=24, color=rx.color("accent", 10)),
        width="48px",
        height="48px",
        border_radius="9999px",
        background_color=rx.color("accent", 3),
    )


def _empty_portal() -> rx.Component:
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
                rx.heading(title, size="4"),
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
                    lambda r: rx.cond(r["id"] == PortalState.current_id, rx.heading(r["office_name"], size="4")),
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
        rx.cond(PortalState.current_name != "", PortalState.current_name, "Welcome"),  # type: ignore[arg-type]
        rx.cond(PortalState.current_name != "", "", "Signed in as " + PortalState.user_name),  # type: ignore[arg-type]
        rx.cond(PortalState.records.length() > 0, _overview(), _empty_portal()),
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
            _empty_portal(),
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


def _appointment_card(a: rx.Var, upcoming: bool) -> rx.Component:
    action = (
        rx.cond(
            a["can_cancel"] == "true",
            rx.alert_dialog.root(
                rx.alert_dialog.trigger(
                    rx.button(
                        "Cancel",
                        variant="soft",
                        color_scheme="red",
                        aria_label="Cancel " + a["service"].to(str) + " on " + a["when"].to(str),
                    )
                ),
                rx.alert_dialog.content(
                    rx.alert_dialog.title("Cancel this appointment?"),
                    rx.alert_dialog.description(a["service"], ", ", a["when"]),
                    rx.flex(
                        rx.alert_dialog.cancel(rx.button("Keep it", variant="soft", color_scheme="gray")),
                        rx.alert_dialog.action(
                            rx.button(
                                "Cancel appointment",
                                color_scheme="red",
                                on_click=PortalAppointmentsState.cancel(a["id"]),
                            )
                        ),
                        justify="end",
                        spacing="3",
                        margin_top="var(--space-4)",
                    ),
                ),
            ),
        )
        if upcoming
        else link_button(
            "Book again",
            a["book_again"],
            aria_label="Book " + a["service"].to(str) + " with " + a["practitioner"].to(str) + " again",
            variant="soft",
        )
    )
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.text(a["when"], weight="bold"),
                rx.text(a["service"], " with ", a["practitioner"], size="2"),
                rx.text(a["office"], size="1", color_scheme="gray"),
                rx.cond(a["status"] == "cancelled", rx.badge(a["status_label"], color_scheme="gray")),
                spacing="1",
            ),
            rx.spacer(),
            action,
            align="center",
            spacing="3",
            wrap="wrap",
        ),
        width="100%",
    )


def portal_appointments_page() -> rx.Component:
    empty = rx.text("No upcoming appointments.", color_scheme="gray", size="2")
    return portal_page(
        "Appointments",
        "",
        rx.vstack(
            rx.heading("Upcoming", size="4", as_="h2"),
            rx.cond(
                PortalAppointmentsState.upcoming.length() > 0,
                rx.vstack(
                    rx.foreach(PortalAppointmentsState.upcoming, lambda a: _appointment_card(a, True)),
                    spacing="3",
                    width="100%",
                ),
                empty,
            ),
            rx.heading("Past", size="4", as_="h2"),
            rx.cond(
                PortalAppointmentsState.past.length() > 0,
                rx.vstack(
                    rx.foreach(PortalAppointmentsState.past, lambda a: _appointment_card(a, False)),
                    spacing="3",
                    width="100%",
                ),
                rx.text("Nothing yet.", color_scheme="gray", size="2"),
            ),
            spacing="3",
            width="100%",
        ),
    )


# ---- treatment plans -----------------------------------------------------------------


def _plan_visit(visit: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.heading(visit.visit_label, size="4", as_="h3"),
                rx.text("With ", visit.practitioner, size="2", color_scheme="gray"),
                rx.foreach(
                    visit.sections,
                    lambda section: rx.vstack(
                        rx.text(section.label, size="2", weight="bold"),
                        rx.text(section.text, size="2", white_space="pre-wrap", overflow_wrap="anywhere"),
                        spacing="1",
                        width="100%",
                    ),
                ),
                spacing="3",
                width="100%",
            ),
            size="2",
            width="100%",
        ),
    )


def _plans() -> rx.Component:
    first = TreatmentPlansState.current_first_name
    not_unlocked = empty_state(
        "key_round",
        "Treatment plans need an access code",
        "Your clinic shows treatment plans for records it has connected to your account with a Medical "
        "Records Access Code. Ask the front desk for one, then choose Add a record.",
        link_button("I have an access code", "/portal/redeem"),
    )
    none_yet = empty_state(
        "clipboard_list",
        "No treatment plans yet",
        "After a visit, the goals, exercises and advice your practitioner writes down appear here.",
    )
    plans = rx.el.ul(
        rx.foreach(TreatmentPlansState.visits, _plan_visit),
        aria_label="Treatment plans, newest first",
        style={"list_style": "none", "padding": "0", "margin": "0", "display": "grid", "gap": "var(--space-3)"},
        width="100%",
    )
    sharing = rx.card(
        rx.vstack(
            rx.heading("Sharing", size="4", as_="h2", id="chart-sharing-label"),
            rx.text(
                "A practitioner's charts stay between them and the clinic's owner unless they share them, with ",
                first,
                "'s consent, with another practitioner or office.",
                size="2",
                color_scheme="gray",
            ),
            rx.cond(
                TreatmentPlansState.sharing.length() > 0,
                rx.el.ul(
                    rx.foreach(
                        TreatmentPlansState.sharing,
                        lambda row: rx.el.li(
                            rx.text(rx.text.strong(row["recipient"]), size="2"),
                            rx.text(
                                row["what"], " by ", row["by"], ", since ", row["since"], size="1", color_scheme="gray"
                            ),
                            padding_y="var(--space-2)",
                            border_top=f"1px solid {rx.color('gray', 4)}",
                        ),
                    ),
                    aria_labelledby="chart-sharing-label",
                    style={"list_style": "none", "padding": "0", "margin": "0", "width": "100%"},
                ),
                rx.text(first, "'s charts are not shared with anyone else.", size="2"),
            ),
            spacing="3",
            width="100%",
        ),
        size="3",
        width="100%",
    )
    return rx.cond(
        TreatmentPlansState.unlocked,
        rx.vstack(
            rx.cond(TreatmentPlansState.visits.length() > 0, plans, none_yet),
            sharing,
            spacing="5",
            width="100%",
        ),
        not_unlocked,
    )


def portal_treatment_plans_page() -> rx.Component:
    return portal_page(
        "Treatment plans",
        "Goals, advice and exercises from your visits, newest first.",
        rx.cond(TreatmentPlansState.records.length() > 0, _plans(), _empty_portal()),
    )
