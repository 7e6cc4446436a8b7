"""The client workspace of one patient: a header with the Profile tab, and a state per other tab.

Opening the page loads the header and the tab that is open, nothing else; the
other tabs load when they are opened. Opening the page is the one view the
audit log records (services/patient_workspace.header).
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from sqlmodel import Session

from app.services import patient_merge, patient_workspace
from app.services.actor import Actor
from app.services.ids import parse_id, saved_id
from app.services.patients import access, proposals, records, search
from app.state.forms import FormMixin
from app.state.notices import notify
from app.state.patients import patient_input, picker_row
from app.state.workspace_tabs import WorkspaceRecord, load_event

TABS = ("profile", "appointments", "charts", "forms", "documents", "portal")


class PatientWorkspaceState(FormMixin, WorkspaceRecord):
    tab: rx.Field[str] = rx.field("profile")
    patient: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    patient_name: rx.Field[str] = rx.field("")
    born: rx.Field[str] = rx.field("")
    new_online_client: rx.Field[bool] = rx.field(False)
    archived_on: rx.Field[str] = rx.field("")
    may_edit: rx.Field[bool] = rx.field(False)
    may_manage_access: rx.Field[bool] = rx.field(False)
    may_view_schedule: rx.Field[bool] = rx.field(False)
    may_read_charts: rx.Field[bool] = rx.field(False)
    may_write_charts: rx.Field[bool] = rx.field(False)
    may_manage_documents: rx.Field[bool] = rx.field(False)
    may_administer_forms: rx.Field[bool] = rx.field(False)
    proposals: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    merge_matches: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    confirming_archive: rx.Field[bool] = rx.field(False)
    archiving: rx.Field[bool] = rx.field(False)

    def _show(self, view: patient_workspace.WorkspaceHeader) -> None:
        self.patient, self.patient_name, self.born = view.profile, view.name, view.born
        self.new_online_client, self.archived_on = view.new_online_client, view.archived_on
        self.may_edit, self.may_manage_access = view.may_edit, view.may_manage_access
        self.may_view_schedule = view.may_view_schedule
        self.may_read_charts, self.may_write_charts = view.may_read_charts, view.may_write_charts
        self.may_manage_documents, self.may_administer_forms = view.may_manage_documents, view.may_administer_forms
        self.proposals = [
            {
                "id": str(p.id),
                "field": p.field,
                "label": p.label,
                "official": p.official or "—",
                "proposed": p.proposed or "—",
                "proposed_by": p.proposed_by,
            }
            for p in view.proposals
        ]

    async def _header(self, change: Any = None, *, seen: bool = False) -> tuple[bool, Any]:
        """Apply `change` (if any) and read the header again, in one transaction."""
        record = self._record_id()

        def work(db: Session, actor: Actor, _shell: Any) -> tuple[Any, patient_workspace.WorkspaceHeader]:
            result = change(db, actor) if change is not None else None
            return result, patient_workspace.header(db, actor, record, seen=seen)

        ok, answer = await self._load_page(work, loading=seen)
        if not ok:
            return False, answer
        result, view = answer
        self._show(view)
        return True, result

    @rx.event
    async def load(self):
        self.clear_errors()
        self.merge_matches, self.confirming_archive = [], False
        wanted = self.router.url.query_parameters.get("tab", "profile")
        self.tab = wanted if wanted in TABS else "profile"
        ok, answer = await self._header(seen=True)
        if not ok:
            return answer
        if (self.tab == "charts" and not self.may_read_charts) or (
            self.tab == "forms" and not self.may_administer_forms
        ):
            self.tab = "profile"  # no such tab for this role
        return load_event(self.tab)

    @rx.event
    def choose_tab(self, value: str):
        self.tab = value if value in TABS else "profile"
        return load_event(self.tab)

    @rx.event
    async def save_profile(self, form: dict):
        self._start()
        yield
        data, record = patient_input(form), self._record_id()

        def work(db: Session, actor: Actor) -> patient_workspace.WorkspaceHeader:
            records.update_patient(db, actor, parse_id(record, access.PATIENT_NOT_FOUND), data)
            return patient_workspace.header(db, actor, record, seen=False)

        done, outcome = await self._submit(work)
        if not done:
            yield outcome
            return
        self._show(outcome)
        self.busy = False
        yield notify.success("Profile saved.")

    async def _act(self, change: Any, success: str):
        ok, answer = await self._header(change)
        return notify.success(success) if ok else answer

    @rx.event
    async def accept_proposal(self, proposal_id: str):
        return await self._act(
            lambda db, actor: proposals.accept_proposal(db, actor, proposal_id), "Change accepted into the record."
        )

    @rx.event
    async def dismiss_proposal(self, proposal_id: str):
        return await self._act(
            lambda db, actor: proposals.dismiss_proposal(db, actor, proposal_id), "Change dismissed."
        )

    @rx.event
    def set_confirming_archive(self, value: bool) -> None:
        self.confirming_archive = value is True

    @rx.event
    async def archive(self):
        self.archiving = True
        yield
        record = self._record_id()
        answer = await self._act(
            lambda db, actor: records.archive_patient(db, actor, record),
            "Record archived. It no longer shows in the patient list or when booking.",
        )
        self.archiving, self.confirming_archive = False, False
        yield answer

    @rx.event
    async def restore(self):
        record = self._record_id()
        return await self._act(lambda db, actor: records.restore_patient(db, actor, record), "Record restored.")

    @rx.event
    async def find_merge_target(self, query: str):
        words, office_id, me = str(query)[:100], self.office_id, self._record_id()

        def work(db: Session, actor: Actor) -> list[search.PatientRow]:
            exclude = parse_id(me, access.PATIENT_NOT_FOUND)
            return search.quick_find(db, actor, office_id, words, limit=6, exclude_id=exclude)

        done, found = await self._submit(work)
        if not done:
            return found
        self.merge_matches = [picker_row(r) for r in found]
        return None

    @rx.event
    async def merge_into(self, target_id: str):
        source = self._record_id()

        def work(db: Session, actor: Actor) -> int:
            return saved_id(patient_merge.merge_into(db, actor, source, target_id))

        done, merged = await self._submit(work)
        if not done:
            return merged
        self.merge_matches = []
        return [rx.redirect(f"/clinic/patients/{merged}"), notify.success("Records merged.")]
