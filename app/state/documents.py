"""A document list's state (All Documents, a patient's Documents tab): the table, selection, delete with undo,
rename and preview. A mixin: each page's state keeps its own copy (state/document_pages.py says what it lists).

Every handler asks the services, which check the actor's rights again whatever the page sent; a change
and the reloaded page of documents come back from one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import reflex as rx
from sqlmodel import Session

from app.services import offices
from app.services.actor import Actor
from app.services.documents import lists, manage
from app.services.documents.lists import Tag
from app.services.errors import Invalid
from app.settings import get_settings
from app.state.errors import answer
from app.state.forms import text
from app.state.notices import notify
from app.state.patients import page_number

Lister = Callable[[Session, Actor, offices.ClinicShell], lists.DocumentPage]
SORT_CHOICES = ("newest", "oldest", "name", "size", "type")


@dataclass(frozen=True)
class DocumentView:
    """A row of the table, as the page shows it (ids as text: that is what its events send back)."""

    id: str
    name: str
    type_label: str
    size: str
    uploaded_by: str
    uploaded_on: str
    from_patient: bool = False
    manage: bool = False
    previewable: bool = False
    thumbnail: bool = False
    page_count: int = 0
    shared_by: str = ""
    labels: list[Tag] = field(default_factory=list)
    shared_with: list[str] = field(default_factory=list)


def view_of(row: lists.DocumentRow) -> DocumentView:
    return DocumentView(
        id=str(row.id),
        name=row.name,
        type_label=row.type_label,
        size=row.size,
        uploaded_by=row.uploaded_by,
        uploaded_on=row.uploaded_on,
        from_patient=row.from_patient,
        manage=row.manage,
        previewable=row.previewable,
        thumbnail=row.thumbnail,
        page_count=row.page_count,
        shared_by=row.shared_by,
        labels=list(row.labels),
        shared_with=list(row.shared_with),
    )


if TYPE_CHECKING:  # mixed into ClinicState subclasses only: their `_load_page` and `_as_actor`
    from app.state.clinic import ClinicState

    _Base = ClinicState
else:
    _Base = rx.State


class DocumentsMixin(_Base, mixin=True):
    rows: rx.Field[list[DocumentView]] = rx.field(default_factory=list)
    total: rx.Field[int] = rx.field(0)
    page: rx.Field[int] = rx.field(1)
    pages: rx.Field[int] = rx.field(1)
    query: rx.Field[str] = rx.field("")
    label_filter: rx.Field[str] = rx.field("")
    sort: rx.Field[str] = rx.field("newest")
    show: rx.Field[str] = rx.field("all")
    label_options: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    documents_office: rx.Field[int] = rx.field(0)  # the office of the listed documents (what changes are made in)
    upload_limit: rx.Field[int] = rx.field(0)
    upload_url: rx.Field[str] = rx.field("")  # where the uploader sends files (the route checks again)
    selected: rx.Field[list[str]] = rx.field(default_factory=list)
    anchor: rx.Field[str] = rx.field("")  # the last row clicked: shift-click selects the range from it
    listing: rx.Field[bool] = rx.field(False)
    undo_ids: rx.Field[list[str]] = rx.field(default_factory=list)
    undo_text: rx.Field[str] = rx.field("")
    rename_id: rx.Field[str] = rx.field("")
    rename_name: rx.Field[str] = rx.field("")
    rename_error: rx.Field[str] = rx.field("")
    preview_id: rx.Field[str] = rx.field("")
    preview_name: rx.Field[str] = rx.field("")
    preview_pages: rx.Field[int] = rx.field(0)
    preview_page: rx.Field[int] = rx.field(1)

    def _lister(self) -> Lister:
        raise NotImplementedError

    def _upload_url(self, office_id: int) -> str:
        raise NotImplementedError

    def _list_query(self) -> lists.ListQuery:
        return lists.ListQuery(self.query, self.label_filter, self.sort, self.show, self.page)

    def _show_page(self, found: lists.DocumentPage) -> None:
        self.rows = [view_of(row) for row in found.rows]
        self.total, self.page, self.pages = found.total, found.page, found.pages
        self.label_options = [{"id": str(lb.id), "name": lb.name, "color": lb.color} for lb in found.labels]
        self.documents_office = found.office_id
        on_page = {row.id for row in self.rows}
        self.selected = [key for key in self.selected if key in on_page]
        self.upload_limit = get_settings().max_upload_bytes
        self.upload_url = self._upload_url(found.office_id) if found.office_id else ""

    async def _refresh(self, change: Callable[[Session, Actor], Any] | None = None, *, loading: bool = False):
        """Apply `change` (if any) and read the page of documents again, in one transaction."""
        lister = self._lister()

        def work(db: Session, actor: Actor, shell: offices.ClinicShell) -> tuple[Any, lists.DocumentPage]:
            result = change(db, actor) if change is not None else None
            return result, lister(db, actor, shell)

        self.listing = True
        ok, outcome = await self._load_page(work, loading=loading)
        self.listing = False
        if not ok:
            return False, outcome
        result, found = outcome
        self._show_page(found)
        return True, result

    def _reset_list(self) -> None:
        self.query, self.label_filter, self.sort, self.page = "", "", "newest", 1
        self.selected, self.anchor, self.undo_ids, self.undo_text = [], "", [], ""
        self.rename_id, self.preview_id = "", ""

    async def _reload(self):
        ok, outcome = await self._refresh()
        return None if ok else outcome

    @rx.event
    async def search(self, query: str):
        self.query, self.page = str(query)[:100] if isinstance(query, str) else "", 1
        return await self._reload()

    @rx.event
    async def filter_label(self, value: str):
        self.label_filter, self.page = ("" if value in ("", "any") else str(value)[:20]), 1
        return await self._reload()

    @rx.event
    async def sort_by(self, value: str):
        self.sort, self.page = (value if value in SORT_CHOICES else "newest"), 1
        return await self._reload()

    @rx.event
    async def go_to_page(self, page: int | str):
        self.page = page_number(page)
        return await self._reload()

    @rx.event
    async def after_upload(self):
        """The uploader's queue is empty: the newest documents first."""
        self.sort, self.page = "newest", 1
        return await self._reload()

    @rx.event
    def toggle_row(self, document_id: str, shift: bool) -> None:
        on_page = [row.id for row in self.rows]
        if document_id not in on_page:
            return
        if shift is True and self.anchor in on_page:
            first, last = sorted((on_page.index(self.anchor), on_page.index(document_id)))
            self.selected = sorted(set(self.selected) | set(on_page[first : last + 1]), key=on_page.index)
        elif document_id in self.selected:
            self.selected = [key for key in self.selected if key != document_id]
        else:
            self.selected = [*self.selected, document_id]
        self.anchor = document_id

    @rx.event
    def toggle_page(self) -> None:
        """ "Select all on this page", or clear when all are selected."""
        on_page = [row.id for row in self.rows]
        self.selected = [] if on_page and set(on_page) <= set(self.selected) else on_page

    @rx.var
    def all_on_page(self) -> bool:
        return bool(self.rows) and len(self.selected) == len(self.rows)

    @rx.var
    def selected_count(self) -> int:
        return len(self.selected)

    @rx.var
    def preview_src(self) -> str:
        return f"/_documents/{self.preview_id}/preview?page={self.preview_page}" if self.preview_id else ""

    @rx.event
    async def delete_selected(self):
        chosen, office = list(self.selected), self.documents_office
        ok, outcome = await self._refresh(lambda db, actor: manage.delete(db, actor, office, chosen))
        if not ok:
            return outcome
        self.selected, self.undo_ids = [], [str(i) for i in outcome.ids]
        count = len(outcome.ids)
        self.undo_text = f"Deleted {outcome.names[0]}." if count == 1 else f"Deleted {count} documents."
        return None

    @rx.event
    async def undo_delete(self):
        ids, office = list(self.undo_ids), self.documents_office
        self.undo_ids, self.undo_text = [], ""
        ok, outcome = await self._refresh(lambda db, actor: manage.restore(db, actor, office, ids))
        return notify.success("Deletion undone.") if ok else outcome

    @rx.event
    def dismiss_undo(self) -> None:
        self.undo_ids, self.undo_text = [], ""

    @rx.event
    def open_rename(self, document_id: str) -> None:
        row = next((r for r in self.rows if r.id == document_id and r.manage), None)
        self.rename_id, self.rename_name = (row.id, row.name) if row else ("", "")
        self.rename_error = ""

    @rx.event
    def set_rename_open(self, value: bool) -> None:
        if value is not True:
            self.rename_id, self.rename_error = "", ""

    @rx.event
    async def rename(self, form: dict):
        document_id, name, lister = self.rename_id, text(form, "name"), self._lister()

        def work(db: Session, actor: Actor) -> tuple[str, lists.DocumentPage]:
            renamed = manage.rename(db, actor, document_id, name)
            return renamed.name, lister(db, actor, offices.clinic_shell(db, actor))

        try:
            new_name, found = await self._as_actor(work)
        except Invalid as error:  # beside the field; the dialog stays open
            self.rename_error = error.message
            return None
        except Exception as error:
            return answer(self, error)
        self._show_page(found)
        self.rename_id = ""
        return notify.success(f"Renamed to {new_name}.")

    @rx.event
    def open_preview(self, document_id: str) -> None:
        row = next((r for r in self.rows if r.id == document_id and r.previewable), None)
        self.preview_id = row.id if row else ""
        self.preview_name = row.name if row else ""
        self.preview_pages, self.preview_page = (max(1, row.page_count) if row else 0), 1

    @rx.event
    def turn_preview_page(self, step: int | str) -> None:
        wanted = self.preview_page + (1 if step == 1 else -1 if step == -1 else 0)
        self.preview_page = max(1, min(wanted, self.preview_pages))

    @rx.event
    def set_preview_open(self, value: bool) -> None:
        if value is not True:
            self.preview_id = ""
