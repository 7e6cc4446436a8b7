"""Office Details: the Office Share PIN, the details, the team's two-factor rule, clinic notices,
Practitioners and Staff."""

from __future__ import annotations

import reflex as rx

from app.components.clinic_notices_card import clinic_notices_card
from app.components.forms import field_error, form_error, submit_button
from app.components.layout import clinic_page
from app.components.links import link_button
from app.components.team_panel import team_panel
from app.components.user_menu import share_pin_renewal
from app.pages.clinic import office_form
from app.state.clinic import OfficeDetailsState

OFFICE_RENEWAL_EXPLAINED = (
    "A new PIN replaces this one at once: the old PIN stops working, so nobody can add the office with it "
    "any more. Practitioners who already added the office keep it on their sharing lists."
)


def _detail_row(label: str, value: rx.Var) -> rx.Component:
    return rx.data_list.item(rx.data_list.label(label), rx.data_list.value(value))


def _share_pin_card() -> rx.Component:
    pin = OfficeDetailsState.details.get("share_pin", "")
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.text("Office Share PIN", size="2", weight="medium", color_scheme="gray"),
                rx.code(
                    pin,
                    size="7",
                    variant="ghost",
                    weight="bold",
                    letter_spacing="0.08em",
                    aria_label="Office Share PIN",
                ),
                rx.text(
                    "Other practitioners enter this PIN to add your office to their sharing list.",
                    size="1",
                    color_scheme="gray",
                ),
                spacing="1",
            ),
            rx.spacer(),
            rx.button(
                rx.icon("copy", size=16),
                "Copy PIN",
                variant="soft",
                on_click=[rx.set_clipboard(pin), rx.toast.success("Office Share PIN copied.")],
            ),
            align="center",
            spacing="4",
            wrap="wrap",
        ),
        rx.cond(
            OfficeDetailsState.can.edit_office,
            rx.box(
                share_pin_renewal(
                    OfficeDetailsState.confirming_pin_renewal,
                    OfficeDetailsState.renewing_pin,
                    OfficeDetailsState.set_confirming_pin_renewal(True),
                    OfficeDetailsState.set_confirming_pin_renewal(False),
                    OfficeDetailsState.renew_share_pin,
                    OFFICE_RENEWAL_EXPLAINED,
                ),
                margin_top="var(--space-3)",
            ),
        ),
        size="3",
        width="100%",
    )


def _details_view() -> rx.Component:
    details = OfficeDetailsState.details
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.heading("Details", size="4", as_="h2"),
                rx.spacer(),
                rx.cond(
                    OfficeDetailsState.can.edit_office,
                    rx.button(
                        rx.icon("pencil", size=16),
                        "Edit details",
                        variant="soft",
                        on_click=OfficeDetailsState.start_editing,
                    ),
                ),
                width="100%",
                align="center",
            ),
            rx.data_list.root(
                _detail_row("Name", details.get("name", "")),
                _detail_row("Address", details.get("address", "")),
                _detail_row("Phone", details.get("phone", "")),
                _detail_row("Time zone", details.get("time_zone", "")),
                _detail_row("Your role", details.get("role", "")),
                _detail_row("Team members", details.get("member_count", "")),
                size="3",
            ),
            spacing="4",
        ),
        size="3",
        width="100%",
    )


def _team_two_factor_card() -> rx.Component:
    """The owner's switch: every member must use two-factor sign-in to open this office."""
    error = OfficeDetailsState.errors.get("require_two_factor", "")
    return rx.card(
        rx.vstack(
            rx.heading("Sign-in security", size="4", as_="h2"),
            rx.el.label(
                rx.hstack(
                    rx.switch(
                        checked=OfficeDetailsState.team_two_factor,
                        on_change=OfficeDetailsState.set_team_two_factor,
                        disabled=~OfficeDetailsState.can.edit_office | OfficeDetailsState.saving_two_factor,
                        aria_describedby="team-two-factor-hint team-two-factor-error",
                    ),
                    rx.text("Require two-factor sign-in for the team", size="2", weight="medium"),
                    align="center",
                    spacing="2",
                ),
            ),
            rx.text(
                "Every member must then use a code from an authenticator app after their password. Members "
                "who have not set it up are sent to do so, and cannot open this office's pages until they have.",
                rx.cond(OfficeDetailsState.can.edit_office, "", " Only the office owner can change this."),
                id="team-two-factor-hint",
                size="1",
                color_scheme="gray",
            ),
            field_error(error, "team-two-factor"),
            spacing="3",
        ),
        size="3",
        width="100%",
    )


def _details_edit() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading("Edit details", size="4", as_="h2"),
                form_error(OfficeDetailsState.form_error),
                *office_form(OfficeDetailsState, OfficeDetailsState.details, "office-edit"),
                rx.hstack(
                    rx.button(
                        "Cancel",
                        type="button",
                        variant="soft",
                        color_scheme="gray",
                        size="3",
                        on_click=OfficeDetailsState.cancel_editing,
                    ),
                    submit_button("Save changes", OfficeDetailsState.busy),
                    justify="end",
                    width="100%",
                    spacing="3",
                ),
                spacing="4",
            ),
            on_submit=OfficeDetailsState.save,
        ),
        size="3",
        width="100%",
    )


def _audit_log_link() -> rx.Component:
    """Office → Audit log, for the role that may read it (the page's server refuses everyone else)."""
    return rx.cond(
        OfficeDetailsState.can.view_audit_log,
        link_button("Audit log", "/clinic/office/audit-log", variant="soft", size="3"),
    )


def office_details_page() -> rx.Component:
    return clinic_page(
        "Office Details",
        OfficeDetailsState.details.get("name", ""),
        rx.vstack(
            _share_pin_card(),
            rx.tabs.root(
                rx.tabs.list(
                    rx.tabs.trigger("Details", value="details"),
                    rx.tabs.trigger("Practitioners and Staff", value="team"),
                ),
                rx.tabs.content(
                    rx.box(
                        rx.vstack(
                            rx.cond(OfficeDetailsState.editing, _details_edit(), _details_view()),
                            _team_two_factor_card(),
                            clinic_notices_card(),
                            spacing="5",
                            width="100%",
                        ),
                        padding_top="var(--space-4)",
                    ),
                    value="details",
                ),
                rx.tabs.content(rx.box(team_panel(), padding_top="var(--space-4)"), value="team"),
                default_value=OfficeDetailsState.opening_tab,
                key=OfficeDetailsState.opening_tab,
                width="100%",
            ),
            spacing="5",
            width="100%",
        ),
        action=_audit_log_link(),
    )
