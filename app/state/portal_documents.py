"""The portal's Documents page: what the clinic shared with the chosen person, and this account's uploads."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import reflex as rx
from sqlmodel import Session

from app.services.actor import Actor
from app.services.documents import portal as portal_documents
from app.settings import get_settings
from app.state.portal import PortalState


@dataclass(frozen=True)
class PortalDocumentView:
    id: str
    name: str
    type_label: str
    size: str
    added_on: str
    source: str
    previewable: bool = False
    thumbnail: bool = False
    page_count: int = 0


def _view(row: portal_documents.PortalDocument) -> PortalDocumentView:
    return PortalDocumentView(
        str(row.id),
        row.name,
        row.type_label,
        row.size,
        row.added_on,
        row.source,
        row.previewable,
        row.thumbnail,
        row.page_count,
    )


class PortalDocumentsState(PortalState):
    shared: rx.Field[list[PortalDocumentView]] = rx.field(default_factory=list)
    uploads: rx.Field[list[PortalDocumentView]] = rx.field(default_factory=list)
    unlocked: rx.Field[bool] = rx.field(False)
    can_upload: rx.Field[bool] = rx.field(False)
    upload_to: rx.Field[str] = rx.field("")
    upload_url: rx.Field[str] = rx.field("")
    upload_limit: rx.Field[int] = rx.field(0)
    preview_id: rx.Field[str] = rx.field("")
    preview_name: rx.Field[str] = rx.field("")
    preview_pages: rx.Field[int] = rx.field(0)
    preview_page: rx.Field[int] = rx.field(1)

    @rx.var
    def preview_src(self) -> str:
        return f"/_documents/{self.preview_id}/preview?page={self.preview_page}" if self.preview_id else ""

    async def _load(self, *, loading: bool):
        def work(db: Session, actor: Actor, current: int | None) -> portal_documents.PortalDocuments:
            return portal_documents.portal_documents(db, actor, current)

        ok, found = await self._open_portal(work, loading=loading)
        if not ok:
            return found
        self.shared = [_view(d) for d in found.shared]
        self.uploads = [_view(d) for d in found.uploads]
        self.unlocked, self.can_upload, self.upload_to = found.unlocked, found.can_upload, found.upload_to
        self.upload_url = f"/_documents/upload?patient={quote(self.current_id)}" if found.can_upload else ""
        self.upload_limit = get_settings().max_upload_bytes
        return None

    @rx.event
    async def load(self):
        self.preview_id = ""
        return await self._load(loading=True)

    @rx.event
    async def after_upload(self):
        return await self._load(loading=False)

    @rx.event
    def open_preview(self, document_id: str) -> None:
        row = next((r for r in [*self.shared, *self.uploads] if r.id == document_id and r.previewable), None)
        self.preview_id, self.preview_name = (row.id, row.name) if row else ("", "")
        self.preview_pages, self.preview_page = (max(1, row.page_count) if row else 0), 1

    @rx.event
    def turn_preview_page(self, step: int | str) -> None:
        wanted = self.preview_page + (1 if step == 1 else -1 if step == -1 else 0)
        self.preview_page = max(1, min(wanted, self.preview_pages))

    @rx.event
    def set_preview_open(self, value: bool) -> None:
        if value is not True:
            self.preview_id = ""
