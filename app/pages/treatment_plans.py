"""Portal: Treatment plans of the chosen record, and with whom its charts are shared."""

from __future__ import annotations

from typing import TYPE_CHECKING

import reflex as rx
from reflex.vars import ObjectVar

from app.components.empty_state import empty_state
from app.components.layout import portal_page
from app.components.links import link_button
from app.pages.portal import empty_portal
from app.state.treatment_plans import TreatmentPlansState

if TYPE_CHECKING:
    from app.services.charts.portal import PlanVisit


def _plan_visit(visit: ObjectVar[PlanVisit]) -> rx.Component:
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
        rx.cond(TreatmentPlansState.records.length() > 0, _plans(), empty_portal()),
    )
