"""Clinic → Documents: All Documents of the office, and documents shared with the person."""

from __future__ import annotations

import reflex as rx

from app.components.document_uploads import CLINIC_ACCEPT, document_uploads
from app.components.documents.dialogs import move_dialog, preview_dialog, rename_dialog
from app.components.documents.label_panel import delete_label_dialog, label_panel
from app.components.documents.table import document_table, toolbar, undo_bar
from app.components.empty_state import empty_state
from app.components.layout import clinic_page
from app.state.document_pages import AllDocumentsState as S


def _empty() -> rx.Component:
    return rx.cond(
        (S.query != "") | (S.label_filter != ""),
        empty_state("search_x", "No documents match", "Check the spelling, or choose another label."),
        rx.cond(
            S.show == "shared",
            empty_state(
                "share_2",
                "Nothing shared with you yet",
                "Documents other practitioners share with you appear here, marked with who shared them.",
            ),
            empty_state(
                "files",
                "No documents yet",
                "Upload letters, results and forms above: drop them on the box or choose them. "
                "Select documents to label them or share them with patients and practitioners.",
            ),
        ),
    )


def _show() -> rx.Component:
    return rx.segmented_control.root(
        rx.segmented_control.item("All", value="all"),
        rx.segmented_control.item("Shared with me", value="shared"),
        value=S.show,
        on_change=S.show_only,
        aria_label="Show",
    )


def all_documents_page() -> rx.Component:
    uploader = rx.cond(
        S.upload_url != "",
        document_uploads(
            url=S.upload_url,
            accept=CLINIC_ACCEPT,
            max_bytes=S.upload_limit,
            button_label="Choose files",
            hint="or drop them here. PDF, images, text, Word, Excel, OpenDocument.",
            input_id="document-files",
            on_done=S.after_upload,
        ),
    )
    return clinic_page(
        "Documents",
        "All Documents of this office, and documents shared with you.",
        rx.vstack(
            uploader,
            toolbar(S, move_dialog(S), show=_show()),
            label_panel(S),
            undo_bar(S),
            document_table(S, _empty()),
            preview_dialog(S),
            rename_dialog(S),
            delete_label_dialog(S),
            spacing="4",
            width="100%",
        ),
    )
