"""Portal → a form: fill it in one section at a time (saved as you go), check every answer, submit,
then read what was sent (printable). The questions are drawn by the builder's preview components
(components/form_preview.py) in their filling mode; answers read back by components/form_answers.py."""

from __future__ import annotations

import reflex as rx

from app.components.form_answers import submitted_answers
from app.components.form_preview import Filling, question_block
from app.components.layout import portal_page
from app.state.portal_filler import STEP_HEADING_ID
from app.state.portal_filler import PortalFillerState as S

FILLING = Filling(
    on_save=S.save_answer,
    on_sign_name=S.sign_name,
    on_drawn=S.draw_signature,
    errors=S.errors,
    images=S.images,
)


def _back_to_forms() -> rx.Component:
    return rx.link(
        rx.hstack(rx.icon("arrow_left", size=14), rx.text("All forms"), spacing="1", align="center"),
        href="/portal/forms",
        size="2",
        class_name="no-print",
    )


def _step_heading(text: rx.Var | str) -> rx.Component:
    return rx.heading(text, size="4", as_="h2", id=STEP_HEADING_ID, tab_index=-1)


def _status_line() -> rx.Component:
    """The autosave's word, read out by screen readers as it changes."""
    return rx.el.div(
        rx.text(S.save_status, size="2", color_scheme="gray"),
        role="status",
        aria_live="polite",
        min_height="1.5em",
    )


def _intro() -> rx.Component:
    f = S.form
    return rx.vstack(
        rx.cond(f.get("description", "") != "", rx.text(f.get("description", ""), size="2")),
        rx.cond(
            (f.get("message", "") != "") | (f.get("due", "") != ""),
            rx.callout(
                f.get("message", "").to(str)
                + rx.cond(f.get("due", "") != "", " Please send it by " + f.get("due", "").to(str) + ".", "").to(str),
                icon="info",
                size="1",
            ),
        ),
        spacing="2",
        width="100%",
    )


def _questions() -> rx.Component:
    return rx.vstack(
        rx.foreach(
            S.rows,
            lambda row: rx.cond(
                (row.kind == "question") & (row.section_id == S.current_section) & S.visible.contains(row.id),
                question_block(row, S.answers.get(row.id, "").to(str), S.save_answer, S.toggle_choice, FILLING),
            ),
        ),
        spacing="5",
        width="100%",
    )


def _fill() -> rx.Component:
    last = S.section_index >= S.section_count - 1
    return rx.card(
        rx.vstack(
            rx.vstack(
                rx.text(S.progress, size="2", color_scheme="gray", weight="medium"),
                rx.progress(value=S.progress_percent.to(int), aria_label=S.progress, width="100%"),
                spacing="1",
                width="100%",
            ),
            _step_heading(S.section_title),
            _questions(),
            _status_line(),
            rx.flex(
                rx.button(
                    rx.icon("arrow_left", size=16),
                    "Back",
                    variant="soft",
                    color_scheme="gray",
                    on_click=S.previous_section,
                    disabled=S.section_index == 0,
                ),
                rx.spacer(),
                rx.button(
                    rx.cond(last, "Review answers", "Next"), rx.icon("arrow_right", size=16), on_click=S.next_section
                ),
                width="100%",
                gap="3",
            ),
            spacing="4",
            width="100%",
        ),
        size="3",
        width="100%",
    )


def _review() -> rx.Component:
    return rx.card(
        rx.vstack(
            _step_heading("Check your answers"),
            rx.text(
                "This is what the clinic will receive. Go back to change an answer: "
                "once sent, a form cannot be changed.",
                size="2",
                color_scheme="gray",
            ),
            submitted_answers(S.review_rows),
            _status_line(),
            rx.flex(
                rx.button(
                    rx.icon("arrow_left", size=16),
                    "Back",
                    variant="soft",
                    color_scheme="gray",
                    on_click=S.previous_section,
                    disabled=S.section_count == 0,
                ),
                rx.spacer(),
                rx.button(rx.icon("send", size=16), "Submit form", on_click=S.submit, loading=S.busy),
                width="100%",
                gap="3",
            ),
            spacing="4",
            width="100%",
        ),
        size="3",
        width="100%",
    )


def _submitted() -> rx.Component:
    f = S.form
    sheet = rx.card(
        rx.vstack(
            _step_heading(f.get("title", "")),
            rx.text(f.get("patient_name", ""), " · ", f.get("office_name", ""), size="2", color_scheme="gray"),
            rx.text("Submitted on ", f.get("submitted_on", ""), " by ", f.get("submitted_by", ""), size="2"),
            submitted_answers(S.rows),
            spacing="3",
            width="100%",
        ),
        class_name="print-sheet",
        size="3",
        width="100%",
    )
    return rx.vstack(
        rx.flex(
            rx.callout("Sent to the clinic. This is what you submitted.", icon="circle_check", color_scheme="green"),
            rx.spacer(),
            rx.button(
                rx.icon("printer", size=16),
                "Print",
                variant="soft",
                on_click=rx.run_script("window.print()"),  # compiled, not eval'd (CSP)
            ),
            gap="3",
            align="center",
            wrap="wrap",
            width="100%",
        ),
        sheet,
        spacing="4",
        width="100%",
    )


def portal_filler_page() -> rx.Component:
    return portal_page(
        S.form.get("title", "Form"),
        rx.cond(
            S.mode == "submitted",
            "For " + S.form.get("patient_name", "").to(str),
            "Your answers are saved as you go: you can stop and come back on any device.",
        ),
        rx.vstack(
            _back_to_forms(),
            rx.match(
                S.mode,
                ("fill", rx.vstack(_intro(), _fill(), spacing="4", width="100%")),
                ("review", _review()),
                ("submitted", _submitted()),
                rx.fragment(),
            ),
            spacing="4",
            width="100%",
        ),
    )
