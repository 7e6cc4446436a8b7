"""The two document lists of the clinic: All Documents (sidebar *Documents*) and a patient's Documents tab.

Both are a DocumentsMixin (the table) with a LabelPanelMixin (the label panel); they differ in what they
list and where uploads go. All Documents can also move documents into a patient's workspace.
"""

from __future__ import annotations

from urllib.parse import quote

import reflex as rx
from sqlmodel import Session

from app.services import offices
from app.services.actor import Actor
from app.services.documents import lists, manage
from app.services.patients import search
from app.state.clinic import ClinicState
from app.state.document_labels import LabelPanelMixin
from app.state.documents import DocumentsMixin, Lister
from app.state.notices import notify
from app.state.patients import picker_row
from app.state.workspace_tabs import WorkspaceRecord


class AllDocumentsState(LabelPanelMixin, DocumentsMixin, ClinicState):
    """All Documents of the current office, and the documents shared with the person."""

    move_open: rx.Field[bool] = rx.field(False)
    move_matches: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)

    def _lister(self) -> Lister:
        query = self._list_query()

        def lister(db: Session, actor: Actor, shell: offices.ClinicShell) -> lists.DocumentPage:
            return lists.all_documents(db, actor, shell.office_id, query)

        return lister

    def _upload_url(self, office_id: int) -> str:
        return f"/_documents/upload?office={office_id}"

    @rx.event
    async def load(self):
        self._reset_list()
        self.show, self.panel_open, self.move_open = "all", False, False
        ok, outcome = await self._refresh(loading=True)
        return None if ok else outcome

    @rx.event
    async def show_only(self, value: str | list[str]):
        """Everything, or only the documents shared with me."""
        self.show, self.page, self.selected = ("shared" if value == "shared" else "all"), 1, []
        ok, outcome = await self._refresh()
        return None if ok else outcome

    @rx.event
    def set_move_open(self, value: bool) -> None:
        self.move_open, self.move_matches = value is True and bool(self.selected), []

    @rx.event
    async def find_move_target(self, query: str):
        words, office = str(query)[:100], self.documents_office

        def work(db: Session, actor: Actor) -> list[search.PatientRow]:
            return search.quick_find(db, actor, office, words, limit=6)

        try:
            found = await self._as_actor(work)
        except Exception as error:
            from app.state.errors import answer

            return answer(self, error)
        self.move_matches = [picker_row(r) for r in found]
        return None

    @rx.event
    async def move_to(self, patient_id: str):
        chosen, office = list(self.selected), self.documents_office
        ok, outcome = await self._refresh(
            lambda db, actor: manage.move_to_patient(db, actor, office, chosen, patient_id)
        )
        if not ok:
            return outcome
        self.move_open, self.move_matches, self.selected = False, [], []
        count = len(chosen)
        return notify.success(f"Moved {count} document{'s' if count != 1 else ''} to {outcome}'s workspace.")


class WorkspaceDocumentsState(LabelPanelMixin, DocumentsMixin, WorkspaceRecord):
    """The Documents tab of a patient's workspace: the documents filed there, and the patient's own uploads."""

    def _lister(self) -> Lister:
        query, record = self._list_query(), self._record_id()

        def lister(db: Session, actor: Actor, _shell: offices.ClinicShell) -> lists.DocumentPage:
            return lists.patient_documents(db, actor, record, query)

        return lister

    def _upload_url(self, office_id: int) -> str:
        return f"/_documents/upload?office={office_id}&patient={quote(str(self._record_id()))}"

    @rx.event
    async def load_tab(self):
        self._reset_list()
        self.show, self.panel_open = "all", False
        ok, outcome = await self._refresh()
        return None if ok else outcome

    @rx.event
    async def show_only(self, value: str | list[str]):
        """Everything in the workspace, or only what the patient uploaded from the portal."""
        self.show, self.page, self.selected = ("patient" if value == "patient" else "all"), 1, []
        ok, outcome = await self._refresh()
        return None if ok else outcome
