"""Documents tab of a patient's workspace (loaded when the tab opens): the patient's documents, their uploads."""

from __future__ import annotations

import reflex as rx

from app.components.document_uploads import CLINIC_ACCEPT, document_uploads
from app.components.documents.dialogs import preview_dialog, rename_dialog
from app.components.documents.label_panel import delete_label_dialog, label_panel
from app.components.documents.table import document_table, toolbar, undo_bar
from app.components.empty_state import empty_state
from app.state.document_pages import WorkspaceDocumentsState as D


def _show() -> rx.Component:
    return rx.segmented_control.root(
        rx.segmented_control.item("All", value="all"),
        rx.segmented_control.item("From the patient", value="patient"),
        value=D.show,
        on_change=D.show_only,
        aria_label="Show",
    )


def documents_tab() -> rx.Component:
    empty = rx.cond(
        D.show == "patient",
        empty_state(
            "smartphone", "Nothing from the patient yet", "Files the patient uploads in the portal appear here."
        ),
        empty_state(
            "files",
            "No documents in this workspace",
            "Upload this patient's letters, results and forms above. They can be shared only with this patient "
            "(or with practitioners).",
        ),
    )
    return rx.cond(
        D.upload_url == "",
        rx.cond(D.listing, rx.center(rx.spinner(size="3"), padding="var(--space-6)")),
        rx.vstack(
            document_uploads(
                url=D.upload_url,
                accept=CLINIC_ACCEPT,
                max_bytes=D.upload_limit,
                button_label="Choose files",
                hint="or drop them here, to file them in this patient's workspace.",
                input_id="workspace-document-files",
                on_done=D.after_upload,
            ),
            toolbar(D, show=_show()),
            label_panel(D),
            undo_bar(D),
            document_table(D, empty),
            preview_dialog(D),
            rename_dialog(D),
            delete_label_dialog(D),
            spacing="4",
            width="100%",
        ),
    )
