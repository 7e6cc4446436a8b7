"""Office Details → Clinic notices: a mail for each online event, a morning digest, or none."""

from __future__ import annotations

import reflex as rx

from app.components.forms import field, form_error, submit_button
from app.models.notices import ClinicNoticeMode
from app.services.clinic_notices.choice import MODE_WORDS
from app.state.clinic_notices import ClinicNoticesState as N


def _mode(mode: ClinicNoticeMode) -> rx.Component:
    return rx.el.label(
        rx.hstack(
            rx.radio_group.item(value=mode.value),
            rx.text(MODE_WORDS[mode], size="2"),
            align="center",
            spacing="2",
        )
    )


def clinic_notices_card() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading("Clinic notices", size="4", as_="h2", id="clinic-notices-heading"),
                rx.text(
                    "An e-mail to the clinic when patients book or cancel online, or propose changes to their "
                    "profile in the portal.",
                    size="2",
                    color_scheme="gray",
                ),
                form_error(N.form_error),
                rx.radio_group.root(
                    rx.vstack(*[_mode(mode) for mode in ClinicNoticeMode], spacing="2"),
                    name="notice_mode",
                    default_value=N.notice_mode,
                    disabled=~N.may_change,
                    aria_labelledby="clinic-notices-heading",
                ),
                field(
                    "Send clinic notices to",
                    "notice_email",
                    N.errors,
                    type="email",
                    default_value=N.notice_email,
                    form_id="notices",
                    hint="Leave empty to send them to the office owner.",
                ),
                rx.cond(
                    N.notice_email == "",
                    rx.text("They go to the owner's address now: ", rx.text.strong(N.owner_email), size="1"),
                ),
                rx.cond(
                    N.may_change,
                    rx.flex(submit_button("Save clinic notices", N.busy), justify="end", width="100%"),
                    rx.text("Only the office owner can change this.", size="1", color_scheme="gray"),
                ),
                spacing="3",
                width="100%",
            ),
            on_submit=N.save,
            key=N.notice_mode + N.notice_email + N.may_change.to_string(),
        ),
        size="3",
        width="100%",
    )
