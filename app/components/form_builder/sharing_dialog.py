"""The form's Sharing options: *Allow other practitioners to have access to this form* (practitioners
and offices), *See all submissions*, *Allow other practitioners to see all submissions*."""

from __future__ import annotations

import reflex as rx

from app.components.forms import bare_checkbox, dialog_actions, field_error, form_error
from app.state.form_sharing import FormSharingState as S


def _choice(control: rx.Component, label: rx.Var | str, detail: rx.Var | str = "") -> rx.Component:
    return rx.el.label(
        rx.hstack(
            control,
            rx.vstack(
                rx.text(label, size="2", weight="medium"),
                rx.cond(detail != "", rx.text(detail, size="1", color_scheme="gray")),
                spacing="0",
            ),
            align="start",
            spacing="2",
        ),
        cursor="pointer",
    )


def _recipients() -> rx.Component:
    return rx.vstack(
        rx.text("Who may use it", size="2", weight="bold", id="form-recipients-label"),
        rx.cond(
            S.recipients.length() > 0,
            rx.vstack(
                rx.foreach(
                    S.recipients,
                    lambda r: _choice(
                        bare_checkbox(name=r["name"], default_checked=r["checked"] == "true"),
                        r["label"],
                        r["kind_words"] + " · " + r["detail"],
                    ),
                ),
                role="group",
                aria_labelledby="form-recipients-label",
                spacing="2",
            ),
            rx.text(
                "No one to share with yet. Add a practitioner or an office by their Share PIN under "
                "Charts → Sharing list.",
                size="2",
                color_scheme="gray",
            ),
        ),
        rx.text(
            "They give it to their patients and read their own patients' answers; only you edit it. An office "
            "means everyone there, also those who join later.",
            size="1",
            color_scheme="gray",
        ),
        field_error(S.errors.get("recipients", ""), "form-recipients"),
        spacing="2",
        width="100%",
        padding_left="var(--space-5)",
    )


def sharing_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("share_2", size=16), "Sharing options", variant="soft")),
        rx.dialog.content(
            rx.dialog.title("Sharing options"),
            rx.dialog.description("Sharing a form never shares charts or documents.", size="2", color_scheme="gray"),
            rx.form(
                rx.vstack(
                    form_error(S.form_error),
                    _choice(
                        rx.switch(checked=S.allow_others, on_change=S.set_allow_others),
                        "Allow other practitioners to have access to this form",
                    ),
                    rx.cond(S.allow_others, _recipients()),
                    _choice(
                        bare_checkbox(name="author_sees_all", default_checked=S.author_sees_all),
                        "See all submissions",
                        "You read every submission of this form, also from other practitioners' patients.",
                    ),
                    rx.cond(
                        S.allow_others,
                        _choice(
                            bare_checkbox(name="recipients_see_all", default_checked=S.recipients_see_all),
                            "Allow other practitioners to see all submissions",
                            "The practitioners you share it with read every submission, whoever's patient.",
                        ),
                    ),
                    dialog_actions("Save sharing options", S.busy),
                    spacing="4",
                    margin_top="var(--space-3)",
                ),
                on_submit=S.save,
                key=S.form_key,
            ),
            max_width="560px",
        ),
        open=S.dialog_open,
        on_open_change=S.set_open,
    )
