"""/clinic/forms/[form_id]: the form builder (its author): the questions, and in a second tab a live
preview of the form as the patient will see it; a practitioner it is shared with sees the preview only."""

from __future__ import annotations

import reflex as rx

from app.components.form_builder.outline import outline
from app.components.form_builder.preview import builder_preview
from app.components.form_builder.sharing_dialog import sharing_dialog
from app.components.forms import field_error
from app.components.layout import clinic_page
from app.components.links import link_button
from app.state.form_builder import DETAILS_FORM_ID
from app.state.form_builder import FormBuilderState as B

READABLE = "52rem"  # a form's width as a patient reads it, not the whole screen's


def _back() -> rx.Component:
    return rx.link(
        rx.hstack(rx.icon("arrow_left", size=14), rx.text("All forms"), align="center", spacing="1"),
        href="/clinic/forms",
        size="2",
    )


def _details() -> rx.Component:
    title_error, title_id = B.errors.get("title", ""), f"{DETAILS_FORM_ID}-title"
    description_id = f"{DETAILS_FORM_ID}-description"
    return rx.card(
        rx.form(
            rx.vstack(
                rx.el.label(rx.text("Title", size="2", weight="medium"), html_for=title_id),
                rx.input(
                    id=title_id,
                    name="title",
                    default_value=B.title,
                    size="3",
                    aria_invalid=rx.cond(title_error != "", "true", "false"),
                    aria_describedby=f"{title_id}-error",
                ),
                field_error(title_error, title_id),
                rx.el.label(rx.text("Description", size="2", weight="medium"), html_for=description_id),
                rx.text_area(
                    id=description_id,
                    name="description",
                    default_value=B.description,
                    rows="2",
                    placeholder="What the form is for, shown to the patient above the questions",
                ),
                field_error(B.errors.get("description", ""), description_id),
                rx.button("Save title and description", type="submit", variant="soft", loading=B.busy),
                spacing="2",
                width="100%",
            ),
            on_submit=B.save_details,
            key=B.details_key.to_string(),
        ),
        width="100%",
    )


def _version_note() -> rx.Component:
    return rx.cond(
        B.in_use,
        rx.callout(
            "Patients have started filling in version "
            + B.version.to_string()
            + ". Your next change makes a new version; forms already filled in keep their wording.",
            icon="history",
            color_scheme="blue",
            width="100%",
        ),
    )


def _preview() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.heading("Preview", size="4", as_="h2"),
                rx.spacer(),
                rx.button("Clear answers", variant="ghost", size="1", on_click=B.clear_preview),
                align="center",
                width="100%",
            ),
            rx.text(
                "As the patient will see it. Answer choices here to try the conditions; nothing is saved.",
                size="1",
                color_scheme="gray",
            ),
            rx.heading(B.title, size="5", as_="h3"),
            rx.cond(B.description != "", rx.text(B.description, size="2", white_space="pre-wrap")),
            builder_preview(),
            spacing="3",
            width="100%",
        ),
        size="3",
        width="100%",
        role="region",
        aria_label="Preview",
    )


def _questions() -> rx.Component:
    return rx.vstack(
        rx.heading("Questions", size="4", as_="h2", id="questions-heading", class_name="sr-only"),
        outline(),
        spacing="3",
        width="100%",
        role="region",
        aria_labelledby="questions-heading",
    )


def _tab_name(icon: str, name: str) -> rx.Component:
    return rx.hstack(rx.icon(icon, size=14, aria_hidden="true"), rx.text(name), spacing="2", align="center")


def _builder() -> rx.Component:
    """The questions and the preview are two tabs, not two columns: side by side, every change to a
    long form drew both (with solid panels, a 100-question form's add: p90 ~120 ms side by side,
    ~90 in tabs; benchmarks/RESULTS.md, sixth session).
    The Questions tab stays mounted while the preview shows (hidden), so an editor's unsaved draft
    survives a look at the preview; the preview is drawn only while its tab is open, from the same
    state, so it always shows the form as it now is."""
    tabs = rx.tabs.root(
        rx.tabs.list(
            rx.tabs.trigger(_tab_name("list", "Questions"), value="questions"),
            rx.tabs.trigger(_tab_name("eye", "Preview"), value="preview"),
        ),
        rx.tabs.content(
            rx.box(_questions(), padding_top="var(--space-4)"),
            value="questions",
            force_mount=True,
            class_name="kept-tab",
        ),
        rx.tabs.content(rx.box(_preview(), padding_top="var(--space-4)"), value="preview"),
        default_value="questions",
        width="100%",
    )
    return rx.vstack(_back(), _version_note(), _details(), tabs, spacing="5", width="100%", max_width=READABLE)


def _shared_preview() -> rx.Component:
    return rx.vstack(
        _back(),
        rx.callout(
            "Shared with you by "
            + B.author
            + ": give it to your patients from their workspace's Forms tab. Only its author edits it.",
            icon="share_2",
            width="100%",
        ),
        _preview(),
        spacing="4",
        width="100%",
        max_width=READABLE,
    )


def _actions() -> rx.Component:
    submissions = "/clinic/forms/" + B.shown_id.to_string() + "/submissions"
    return rx.hstack(
        link_button("Submissions", submissions, variant="soft"),
        rx.cond(B.is_author, sharing_dialog()),
        spacing="3",
    )


def form_builder_page() -> rx.Component:
    subtitle = rx.cond(
        B.is_author,
        "Version " + B.version.to_string() + rx.cond(B.shared, " · shared", " · only you use it").to(str),
        "Version " + B.version.to_string() + " · by " + B.author,
    )
    return clinic_page(
        B.title,
        subtitle,
        rx.cond(B.is_author, _builder(), _shared_preview()),
        action=_actions(),
    )
