"""Portal → Documents: what the clinic shared with the chosen person, this account's uploads, and uploading."""

from __future__ import annotations

from collections.abc import Sequence

import reflex as rx
from reflex.vars import ArrayVar, ObjectVar

from app.components.document_uploads import PORTAL_ACCEPT, document_uploads
from app.components.documents.dialogs import preview_dialog
from app.components.documents.table import download_link
from app.components.empty_state import empty_state
from app.components.layout import portal_page
from app.state.portal_documents import PortalDocumentsState as S
from app.state.portal_documents import PortalDocumentView


def _card(d: ObjectVar[PortalDocumentView]) -> rx.Component:
    picture = rx.cond(
        d.thumbnail,
        rx.image(
            src="/_documents/" + d.id.to(str) + "/thumbnail",
            alt="",
            width="48px",
            height="48px",
            object_fit="cover",
            border_radius="var(--radius-2)",
            border=f"1px solid {rx.color('gray', 5)}",
        ),
        rx.center(
            rx.icon("file_text", size=22, color=rx.color("gray", 10)),
            width="48px",
            height="48px",
            border_radius="var(--radius-2)",
            background_color=rx.color("gray", 3),
        ),
    )
    name = rx.cond(
        d.previewable,
        rx.link(
            rx.el.button(d.name, type="button", on_click=S.open_preview(d.id), title="Preview", text_align="left"),
            as_child=True,
            weight="bold",
            overflow_wrap="anywhere",
        ),
        rx.text(d.name, weight="bold", overflow_wrap="anywhere"),
    )
    return rx.el.li(
        rx.card(
            rx.flex(
                picture,
                rx.vstack(
                    name,
                    rx.text(d.source, " · ", d.added_on, size="1", color_scheme="gray"),
                    rx.text(d.type_label, " · ", d.size, size="1", color_scheme="gray"),
                    spacing="1",
                    min_width="0",
                    flex="1",
                ),
                download_link(d.id, d.name),
                align="center",
                gap="3",
                wrap="wrap",
            ),
            width="100%",
        ),
        list_style="none",
    )


def _list(rows: ArrayVar[Sequence[PortalDocumentView]], label: str) -> rx.Component:
    return rx.el.ul(rx.foreach(rows, _card), aria_label=label, padding="0", margin="0", display="grid", gap="3")


def _upload() -> rx.Component:
    return rx.cond(
        S.can_upload,
        rx.vstack(
            rx.heading("Send a file to ", S.upload_to, size="4", as_="h2"),
            document_uploads(
                url=S.upload_url,
                accept=PORTAL_ACCEPT,
                max_bytes=S.upload_limit,
                button_label="Upload a photo or PDF",
                hint="On a phone you can take a photo. Images and PDFs.",
                input_id="portal-document-files",
                on_done=S.after_upload,
            ),
            spacing="2",
            width="100%",
        ),
        empty_state(
            "upload",
            "Nowhere to send files yet",
            "Book an appointment online, or unlock your record with the access code from your clinic: "
            "then you can send them photos and documents here.",
        ),
    )


def portal_documents_page() -> rx.Component:
    shared = rx.vstack(
        rx.heading("Shared by your clinic", size="4", as_="h2"),
        rx.cond(
            S.unlocked,
            rx.cond(
                S.shared.length() > 0,
                _list(S.shared, "Shared by your clinic"),
                rx.text("Your clinic has not shared any documents yet.", size="2", color_scheme="gray"),
            ),
            rx.text(
                "Documents your clinic shares appear here once this record is unlocked with an access code.",
                size="2",
                color_scheme="gray",
            ),
        ),
        spacing="2",
        width="100%",
    )
    mine = rx.vstack(
        rx.heading("Your uploads", size="4", as_="h2"),
        rx.cond(
            S.uploads.length() > 0,
            _list(S.uploads, "Your uploads"),
            rx.text("Files you send to your clinic are listed here.", size="2", color_scheme="gray"),
        ),
        spacing="2",
        width="100%",
    )
    return portal_page(
        "Documents",
        "Documents your clinic shared, and files you sent them.",
        rx.vstack(
            _upload(),
            rx.cond(S.current_id != "", shared),
            mine,
            preview_dialog(S),
            spacing="5",
            width="100%",
        ),
    )
