"""The demographics form, shared by "New patient" and the Profile tab."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from app.components.forms import choice_field, field, text_area_field

SEX_OPTIONS = [("female", "Female"), ("male", "Male"), ("intersex", "Intersex"), ("unknown", "Prefer not to say")]


def patient_fields(
    errors: ObjectVar[dict[str, str]],
    values: ObjectVar[dict[str, str]] | dict[str, str],
    form_id: str,
    with_notes: bool = True,
) -> rx.Component:
    def value(name: str) -> rx.Var | str:
        return values.get(name, "")

    return rx.grid(
        field(
            "First name",
            "first_name",
            errors,
            default_value=value("first_name"),
            form_id=form_id,
            autocomplete="given-name",
        ),
        field(
            "Last name",
            "last_name",
            errors,
            default_value=value("last_name"),
            form_id=form_id,
            autocomplete="family-name",
        ),
        field(
            "Date of birth",
            "date_of_birth",
            errors,
            type="date",
            default_value=value("date_of_birth"),
            form_id=form_id,
            autocomplete="bday",
        ),
        choice_field("Sex", "sex", errors, SEX_OPTIONS, default_value=value("sex"), form_id=form_id),
        field(
            "E-mail", "email", errors, type="email", default_value=value("email"), form_id=form_id, autocomplete="email"
        ),
        field("Phone", "phone", errors, type="tel", default_value=value("phone"), form_id=form_id, autocomplete="tel"),
        rx.box(
            field(
                "Address",
                "address",
                errors,
                default_value=value("address"),
                form_id=form_id,
                autocomplete="street-address",
            ),
            grid_column="1 / -1",
        ),
        rx.box(
            field(
                "Emergency contact",
                "emergency_contact",
                errors,
                default_value=value("emergency_contact"),
                form_id=form_id,
                placeholder="Name and phone number",
            ),
            grid_column="1 / -1",
        ),
        rx.box(
            text_area_field("Notes", "notes", errors, default_value=value("notes"), form_id=form_id),
            grid_column="1 / -1",
        )
        if with_notes
        else rx.fragment(),
        columns=rx.breakpoints(initial="1", sm="2"),
        spacing="4",
        width="100%",
    )
