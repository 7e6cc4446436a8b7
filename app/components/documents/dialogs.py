"""Dialogs of the document lists: preview, rename, move into a patient's workspace."""

from __future__ import annotations

from typing import Any

import reflex as rx

from app.components.documents.table import download_link


def preview_dialog(S: Any) -> rx.Component:
    """An image, or a PDF's page rendered as an image, from the preview route (which checks access again)."""
    pages = rx.cond(
        S.preview_pages > 1,
        rx.hstack(
            rx.button(
                rx.icon("chevron_left", size=16),
                "Previous page",
                variant="soft",
                color_scheme="gray",
                disabled=S.preview_page <= 1,
                on_click=S.turn_preview_page(-1),
            ),
            rx.text("Page ", S.preview_page, " of ", S.preview_pages, size="2"),
            rx.button(
                "Next page",
                rx.icon("chevron_right", size=16),
                variant="soft",
                color_scheme="gray",
                disabled=S.preview_page >= S.preview_pages,
                on_click=S.turn_preview_page(1),
            ),
            align="center",
            spacing="3",
        ),
    )
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(S.preview_name),
            rx.dialog.description("Preview", size="2", color_scheme="gray", class_name="sr-only"),
            rx.vstack(
                rx.box(
                    rx.image(
                        src=S.preview_src,
                        alt="Preview of " + S.preview_name.to(str),
                        max_width="100%",
                        max_height="70vh",
                        object_fit="contain",
                        background_color="white",
                    ),
                    overflow="auto",
                    width="100%",
                    text_align="center",
                ),
                pages,
                rx.flex(
                    download_link(S.preview_id, S.preview_name, size="2"),
                    rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
                    justify="end",
                    gap="3",
                    width="100%",
                ),
                spacing="3",
                align="center",
            ),
            max_width="900px",
        ),
        open=S.preview_id != "",
        on_open_change=S.set_preview_open,
    )


def rename_dialog(S: Any) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Rename document"),
            rx.form(
                rx.vstack(
                    rx.el.label(rx.text("Name", size="2", weight="medium"), html_for="document-name"),
                    rx.input(
                        id="document-name",
                        name="name",
                        default_value=S.rename_name,
                        key=S.rename_id,
                        max_length=200,
                        aria_invalid=rx.cond(S.rename_error != "", "true", "false"),
                        aria_describedby="document-name-error",
                    ),
                    rx.cond(
                        S.rename_error != "",
                        rx.text(S.rename_error, id="document-name-error", color_scheme="red", size="2", role="alert"),
                    ),
                    rx.flex(
                        rx.dialog.close(rx.button("Cancel", type="button", variant="soft", color_scheme="gray")),
                        rx.button("Save name", type="submit"),
                        justify="end",
                        gap="3",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=S.rename,
            ),
        ),
        open=S.rename_id != "",
        on_open_change=S.set_rename_open,
    )


def move_dialog(S: Any) -> rx.Component:
    match = lambda m: rx.el.li(  # noqa: E731
        rx.button(
            m["name"],
            rx.text(m["detail"], size="1", color_scheme="gray"),
            variant="ghost",
            on_click=S.move_to(m["id"]),
        ),
        list_style="none",
    )
    return rx.dialog.root(
        rx.dialog.trigger(
            rx.button(rx.icon("folder_input", size=16), "Move to patient", variant="soft", color_scheme="gray")
        ),
        rx.dialog.content(
            rx.dialog.title("Move to a patient's workspace"),
            rx.dialog.description(
                "The selected documents leave All Documents and are filed in the patient's workspace.",
                size="2",
                color_scheme="gray",
            ),
            rx.vstack(
                rx.input(
                    placeholder="Name, e-mail, phone or date of birth",
                    aria_label="Find the patient",
                    type="search",
                    on_change=S.find_move_target.debounce(250),
                    auto_complete="off",
                    auto_focus=True,
                ),
                rx.el.ul(rx.foreach(S.move_matches, match), padding="0", margin="0", aria_label="Matching patients"),
                rx.flex(
                    rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                    justify="end",
                    width="100%",
                ),
                spacing="3",
                margin_top="var(--space-3)",
            ),
        ),
        open=S.move_open,
        on_open_change=S.set_move_open,
    )
