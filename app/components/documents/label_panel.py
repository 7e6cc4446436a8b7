"""The label panel: three columns (Labels, Patient Share Labels, Practitioner Share Labels) and Apply Labels.

It opens under the toolbar when documents are selected and Assign Labels is pressed; each checkbox shows
whether all (ticked), some (a dash) or none of the selected documents have the label.
"""

from __future__ import annotations

from typing import Any, cast

import reflex as rx
from reflex.vars import ObjectVar

from app.components.forms import bare_checkbox
from app.state.document_labels import ChoiceView


def _checkbox(S: Any, choice: ObjectVar[ChoiceView], extra: rx.Component | None = None) -> rx.Component:
    # rx.match is typed Component | Var: plain values give a Var.
    state = cast(rx.Var, rx.match(choice.state, ("on", True), ("some", "indeterminate"), False))
    return rx.el.li(
        rx.flex(
            rx.el.label(
                rx.flex(
                    bare_checkbox(checked=state, on_click=S.toggle_choice(choice.key)),
                    rx.cond(
                        choice.color != "",
                        rx.badge(choice.name, color_scheme=choice.color, variant="soft"),
                        rx.vstack(
                            rx.text(choice.name, size="2"),
                            rx.cond(choice.detail != "", rx.text(choice.detail, size="1", color_scheme="gray")),
                            spacing="0",
                        ),
                    ),
                    align="center",
                    gap="2",
                    wrap="wrap",
                ),
            ),
            rx.spacer(),
            extra if extra is not None else rx.fragment(),
            align="center",
            width="100%",
        ),
        list_style="none",
        padding_y="var(--space-1)",
    )


def _label_menu(S: Any, choice: ObjectVar[ChoiceView]) -> rx.Component:
    label_id = choice.key.to(str).split(":")[1]
    return rx.dropdown_menu.root(
        rx.dropdown_menu.trigger(
            rx.icon_button(
                rx.icon("ellipsis", size=14),
                size="1",
                variant="ghost",
                color_scheme="gray",
                aria_label="Edit label " + choice.name.to(str),
            )
        ),
        rx.dropdown_menu.content(
            rx.dropdown_menu.item("Rename or recolour", on_select=S.edit_label(label_id)),
            rx.dropdown_menu.item("Delete…", color="red", on_select=S.ask_delete_label(label_id)),
        ),
        modal=False,  # a menu is not a dialog: the page is not hidden from screen readers while it is open
    )


def _label_form(S: Any) -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text(rx.cond(S.editing_label == "", "New label", "Edit label"), size="2", weight="medium"),
            rx.hstack(
                rx.input(
                    name="label_name",
                    default_value=S.editing_name,
                    key=S.editing_label,
                    placeholder="Label name",
                    aria_label="Label name",
                    max_length=40,
                    aria_invalid=rx.cond(S.label_error != "", "true", "false"),
                ),
                rx.select.root(
                    rx.select.trigger(aria_label="Label colour"),
                    rx.select.content(rx.foreach(S.label_colors, lambda c: rx.select.item(c.capitalize(), value=c))),
                    value=S.editing_color,
                    on_change=S.choose_label_color,
                ),
                rx.button(rx.cond(S.editing_label == "", "Add label", "Save label"), type="submit", variant="soft"),
                spacing="2",
                wrap="wrap",
            ),
            rx.cond(S.label_error != "", rx.text(S.label_error, color_scheme="red", size="2", role="alert")),
            spacing="2",
            width="100%",
        ),
        on_submit=S.save_label,
        reset_on_submit=True,
    )


def _pin_form(S: Any) -> rx.Component:
    """Someone from another clinic: their Practitioner (or Office) Share PIN puts them on the sharing list."""
    return rx.form(
        rx.vstack(
            rx.el.label(rx.text("Add by Share PIN", size="2", weight="medium"), html_for="share-pin"),
            rx.hstack(
                rx.input(
                    id="share-pin",
                    name="pin",
                    placeholder="ABCD-1234",
                    auto_complete="off",
                    max_length=20,
                    aria_invalid=rx.cond(S.pin_error != "", "true", "false"),
                    aria_describedby="share-pin-error",
                ),
                rx.button("Add", type="submit", variant="soft"),
                spacing="2",
            ),
            rx.cond(
                S.pin_error != "",
                rx.text(S.pin_error, id="share-pin-error", color_scheme="red", size="2", role="alert"),
            ),
            spacing="1",
            width="100%",
        ),
        on_submit=S.add_by_pin,
        reset_on_submit=True,
    )


def _column(title: str, description: rx.Var | str, *body: rx.Component) -> rx.Component:
    return rx.el.section(
        rx.vstack(
            rx.heading(title, size="3", as_="h3"),
            rx.text(description, size="1", color_scheme="gray"),
            *body,
            spacing="2",
            width="100%",
        ),
        aria_label=title,
        flex="1",
        min_width="220px",
    )


def label_panel(S: Any) -> rx.Component:
    labels = _column(
        "Labels",
        "The office's labels, for filing.",
        rx.el.ul(rx.foreach(S.panel_labels, lambda c: _checkbox(S, c, _label_menu(S, c))), padding="0", margin="0"),
        _label_form(S),
    )
    patient_search = rx.cond(
        S.panel_any_patient,
        rx.vstack(
            rx.input(
                placeholder="Find a patient",
                aria_label="Find a patient to share with",
                type="search",
                on_change=S.find_share_patient.debounce(250),
                auto_complete="off",
            ),
            rx.foreach(
                S.share_matches,
                lambda m: rx.button(
                    m.name,
                    rx.text(m.detail, size="1", color_scheme="gray"),
                    size="1",
                    variant="ghost",
                    on_click=S.add_share_patient(m.key),
                ),
            ),
            spacing="1",
            width="100%",
        ),
    )
    patients = _column(
        "Patient Share Labels",
        rx.cond(S.panel_rule != "", S.panel_rule, "Patients see shared documents in their portal."),
        rx.el.ul(rx.foreach(S.panel_patients, lambda c: _checkbox(S, c)), padding="0", margin="0"),
        patient_search,
    )
    practitioners = _column(
        "Practitioner Share Labels",
        "Your offices' practitioners, and those on your sharing list.",
        rx.el.ul(rx.foreach(S.panel_practitioners, lambda c: _checkbox(S, c)), padding="0", margin="0"),
        rx.cond(S.panel_practitioners.length() == 0, rx.text("No practitioners to share with yet.", size="2")),
        _pin_form(S),
    )
    return rx.cond(
        S.panel_open,
        rx.card(
            rx.vstack(
                rx.flex(labels, patients, practitioners, gap="5", wrap="wrap", width="100%"),
                rx.flex(
                    rx.button("Cancel", variant="soft", color_scheme="gray", on_click=S.close_panel),
                    rx.button(
                        "Apply Labels",
                        on_click=S.apply_labels,
                        loading=S.applying,
                        disabled=S.panel_changes == 0,
                    ),
                    justify="end",
                    gap="3",
                    width="100%",
                ),
                spacing="4",
            ),
            size="3",
            width="100%",
            role="region",
            aria_label="Assign Labels",
            class_name="praxis-slide-down",
        ),
    )


def delete_label_dialog(S: Any) -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete the label " + S.label_to_delete_name.to(str) + "?"),
            rx.alert_dialog.description(
                "It comes off every document it is on. The documents themselves stay.", size="2"
            ),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Keep it", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(rx.button("Delete label", color_scheme="red", on_click=S.delete_label)),
                justify="end",
                gap="3",
                margin_top="var(--space-4)",
            ),
        ),
        open=S.label_to_delete != "",
        on_open_change=S.set_delete_label_open,
    )
