"""The service dialog of Services and working hours: name, length, colour (named swatches), online, who offers it."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from app.components.forms import bare_checkbox, dialog_actions, field, field_error, form_error
from app.state.schedule_setup import ScheduleSetupState as S


def _swatch(color: ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.radio_cards.item(
        rx.flex(
            rx.box(
                width="16px",
                height="16px",
                border_radius="9999px",
                background="var(--" + color["value"].to(str) + "-9)",
                flex_shrink="0",
                aria_hidden="true",
            ),
            rx.text(color["label"], size="2"),
            align="center",
            spacing="2",
            width="100%",
        ),
        value=color["value"],
    )


def _color_choice(chosen: rx.Var) -> rx.Component:
    """The service's colour: coloured swatches with their names, one radio group (arrow keys move)."""
    return rx.vstack(
        rx.text("Colour", id="service-color-label", size="2", weight="medium"),
        rx.radio_cards.root(
            rx.foreach(S.colors, _swatch),
            name="color",
            default_value=chosen,
            columns="repeat(auto-fill, minmax(6.5rem, 1fr))",
            size="1",
            gap="2",
            width="100%",
            aria_labelledby="service-color-label",
        ),
        field_error(S.errors.get("color", ""), "service-color"),
        spacing="1",
        width="100%",
    )


def service_dialog() -> rx.Component:
    d = S.service_dialog
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(d["id"] == "", "New service", "Edit service")),
            rx.form(
                rx.vstack(
                    form_error(S.form_error),
                    field("Name", "name", S.errors, default_value=d["name"], form_id="service"),
                    field(
                        "Length (minutes)",
                        "duration_minutes",
                        S.errors,
                        type="number",
                        default_value=d["minutes"],
                        form_id="service",
                    ),
                    _color_choice(d["color"]),
                    rx.el.label(
                        rx.hstack(
                            rx.switch(name="bookable_online", default_checked=d["online"] == "true"),
                            rx.text("Patients can book it online", size="2"),
                            spacing="2",
                        )
                    ),
                    rx.vstack(
                        rx.text("Offered by", size="2", weight="medium"),
                        rx.foreach(
                            S.people,
                            lambda p: rx.el.label(
                                rx.hstack(
                                    bare_checkbox(
                                        name="offered-" + p["id"].to(str),
                                        default_checked=S.offered.contains(p["id"]),
                                    ),
                                    rx.text(p["name"], size="2"),
                                    spacing="2",
                                )
                            ),
                        ),
                        field_error(S.errors.get("practitioner_ids", ""), "service-practitioners"),
                        spacing="1",
                    ),
                    dialog_actions("Save service", S.busy),
                    spacing="4",
                    margin_top="var(--space-3)",
                ),
                on_submit=S.save_service,
                key=d.to_string(),
            ),
            max_width="460px",
        ),
        open=S.service_dialog.length() > 0,
        on_open_change=S.set_service_dialog,
    )
