"""The client workspace of one patient: a header with the Profile tab, and a state per other tab.

Opening the page loads the header and the tab that is open, nothing else; the
other tabs load when they are opened. Opening the page is the one view the
audit log records (services/patient_workspace.header).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import reflex as rx
from sqlmodel import Session

from app.qr import qr_data_uri
from app.services import access_codes, formatting, patient_merge, patient_workspace, patients
from app.services.actor import Actor
from app.services.charts import charts, views
from app.services.ids import parse_id
from app.settings import get_settings
from app.state.charts import chart_row
from app.state.clinic import ClinicState
from app.state.forms import FormMixin
from app.state.notices import notify
from app.state.patients import patient_input, picker_row

TABS = ("profile", "appointments", "charts", "forms", "documents", "portal")


class WorkspaceRecord(ClinicState):
    """What every part of the workspace shares: which record the page is about."""

    def _record_id(self) -> object:
        return getattr(self, "record_id", "")


class PatientWorkspaceState(FormMixin, WorkspaceRecord):
    tab: str = "profile"
    patient: dict[str, str] = {}
    patient_name: str = ""
    born: str = ""
    new_online_client: bool = False
    archived_on: str = ""
    may_edit: bool = False
    may_manage_access: bool = False
    may_view_schedule: bool = False
    may_read_charts: bool = False
    may_write_charts: bool = False
    proposals: list[dict[str, str]] = []
    merge_matches: list[dict[str, str]] = []
    confirming_archive: bool = False
    archiving: bool = False

    def _show(self, view: patient_workspace.WorkspaceHeader) -> None:
        self.patient, self.patient_name, self.born = view.profile, view.name, view.born
        self.new_online_client, self.archived_on = view.new_online_client, view.archived_on
        self.may_edit, self.may_manage_access = view.may_edit, view.may_manage_access
        self.may_view_schedule = view.may_view_schedule
        self.may_read_charts, self.may_write_charts = view.may_read_charts, view.may_write_charts
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
    async def load(self):  # type: ignore[no-untyped-def]
        self.clear_errors()
        self.merge_matches, self.confirming_archive = [], False
        wanted = self.router.url.query_parameters.get("tab", "profile")
        self.tab = wanted if wanted in TABS else "profile"
        ok, answer = await self._header(seen=True)
        if not ok:
            return answer
        if self.tab == "charts" and not self.may_read_charts:
            self.tab = "profile"  # no Charts tab for this role
        return _load_event(self.tab)

    @rx.event
    def choose_tab(self, value: str):  # type: ignore[no-untyped-def]
        self.tab = value if value in TABS else "profile"
        return _load_event(self.tab)

    @rx.event
    async def save_profile(self, form: dict):  # type: ignore[no-untyped-def]
        self._start()
        yield
        data, record = patient_input(form), self._record_id()

        def work(db: Session, actor: Actor) -> patient_workspace.WorkspaceHeader:
            patients.update_patient(db, actor, parse_id(record, patients.PATIENT_NOT_FOUND), data)
            return patient_workspace.header(db, actor, record, seen=False)

        done, outcome = await self._submit(work)
        if not done:
            yield outcome
            return
        self._show(outcome)
        self.busy = False
        yield notify.success("Profile saved.")

    async def _act(self, change: Any, success: str):  # type: ignore[no-untyped-def]
        ok, answer = await self._header(change)
        return notify.success(success) if ok else answer

    @rx.event
    async def accept_proposal(self, proposal_id: str):  # type: ignore[no-untyped-def]
        return await self._act(
            lambda db, actor: patients.accept_proposal(db, actor, proposal_id), "Change accepted into the record."
        )

    @rx.event
    async def dismiss_proposal(self, proposal_id: str):  # type: ignore[no-untyped-def]
        return await self._act(lambda db, actor: patients.dismiss_proposal(db, actor, proposal_id), "Change dismissed.")

    @rx.event
    def set_confirming_archive(self, value: bool) -> None:
        self.confirming_archive = value is True

    @rx.event
    async def archive(self):  # type: ignore[no-untyped-def]
        self.archiving = True
        yield
        record = self._record_id()
        answer = await self._act(
            lambda db, actor: patients.archive_patient(db, actor, record),
            "Record archived. It no longer shows in the patient list or when booking.",
        )
        self.archiving, self.confirming_archive = False, False
        yield answer

    @rx.event
    async def restore(self):  # type: ignore[no-untyped-def]
        record = self._record_id()
        return await self._act(lambda db, actor: patients.restore_patient(db, actor, record), "Record restored.")

    @rx.event
    async def find_merge_target(self, query: str):  # type: ignore[no-untyped-def]
        words, office_id, me = str(query)[:100], self.office_id, self._record_id()

        def work(db: Session, actor: Actor) -> list[patients.PatientRow]:
            exclude = parse_id(me, patients.PATIENT_NOT_FOUND)
            return patients.quick_find(db, actor, office_id, words, limit=6, exclude_id=exclude)

        done, found = await self._submit(work)
        if not done:
            return found
        self.merge_matches = [picker_row(r) for r in found]
        return None

    @rx.event
    async def merge_into(self, target_id: str):  # type: ignore[no-untyped-def]
        source = self._record_id()

        def work(db: Session, actor: Actor) -> int:
            return patient_merge.merge_into(db, actor, source, target_id).id

        done, merged = await self._submit(work)
        if not done:
            return merged
        self.merge_matches = []
        return [rx.redirect(f"/clinic/patients/{merged}"), notify.success("Records merged.")]


class WorkspaceAppointmentsState(WorkspaceRecord):
    appointments: list[dict[str, str]] = []
    loading_tab: bool = False

    @rx.event
    async def load_tab(self):  # type: ignore[no-untyped-def]
        self.loading_tab = True
        yield
        record = self._record_id()
        ok, rows = await self._load_page(
            lambda db, actor, _shell: patient_workspace.appointments_tab(db, actor, record)
        )
        self.loading_tab = False
        if not ok:
            yield rows
            return
        self.appointments = [
            {**{k: str(v) for k, v in asdict(row).items()}, "online": "true" if row.online else "false"} for row in rows
        ]


class WorkspaceAccessState(WorkspaceRecord):
    holders: list[dict[str, str]] = []
    codes: list[dict[str, str]] = []
    generated: dict[str, str] = {}  # the code just generated: shown once, kept only in this page's state
    code_dialog_open: bool = False
    generating: bool = False
    loading_tab: bool = False

    def _show(self, view: patient_workspace.PortalAccessTab) -> None:
        self.holders = [
            {"id": str(h.access_id), "name": h.name, "email": h.email, "since": h.since} for h in view.holders
        ]
        self.codes = [{"id": str(c.id), "created": c.created, "expires": c.expires} for c in view.codes]

    async def _refresh(self, change: Any = None) -> tuple[bool, Any]:
        record = self._record_id()

        def work(db: Session, actor: Actor, _shell: Any) -> tuple[Any, patient_workspace.PortalAccessTab]:
            result = change(db, actor) if change is not None else None
            return result, patient_workspace.portal_access_tab(db, actor, record)

        ok, answer = await self._load_page(work)
        if not ok:
            return False, answer
        result, view = answer
        self._show(view)
        return True, result

    @rx.event
    async def load_tab(self):  # type: ignore[no-untyped-def]
        self.generated, self.code_dialog_open, self.loading_tab = {}, False, True
        yield
        ok, answer = await self._refresh()
        self.loading_tab = False
        if not ok:
            yield answer

    @rx.event
    async def generate_code(self):  # type: ignore[no-untyped-def]
        self.generating = True
        yield
        record = self._record_id()

        def change(db: Session, actor: Actor) -> tuple[access_codes.GeneratedCode, str]:
            generated = access_codes.generate(db, get_settings(), actor, parse_id(record, patients.PATIENT_NOT_FOUND))
            return generated, patient_workspace.header(db, actor, record, seen=False).time_zone

        ok, answer = await self._refresh(change)
        self.generating = False
        if not ok:
            yield answer
            return
        code, zone = answer
        self.generated = {
            "code": code.code,
            "words": code.code.replace("-", " "),
            "expires": formatting.when(code.expires_at, zone),
            "patient_name": code.patient_name,
            "office_name": code.office_name,
            "redeem_url": code.redeem_url,
            "portal_url": code.redeem_url.split("?")[0],
            "qr": qr_data_uri(code.redeem_url),
        }
        self.code_dialog_open = True

    @rx.event
    def set_code_dialog_open(self, value: bool) -> None:
        self.code_dialog_open = value is True
        if not self.code_dialog_open:
            self.generated = {}  # the code is shown once

    @rx.event
    async def revoke_code(self, code_id: str):  # type: ignore[no-untyped-def]
        ok, answer = await self._refresh(lambda db, actor: access_codes.revoke_code(db, actor, code_id))
        return notify.success("Code revoked. It can no longer be used.") if ok else answer

    @rx.event
    async def revoke_access(self, access_id: str):  # type: ignore[no-untyped-def]
        ok, answer = await self._refresh(lambda db, actor: access_codes.revoke_access(db, actor, access_id))
        return notify.success("Access revoked. The record has left that portal account.") if ok else answer


class WorkspaceChartsState(WorkspaceRecord):
    """The Charts tab: the record's charts the reader may read (practitioners and the owner)."""

    rows: list[dict[str, str]] = []
    loading_tab: bool = False
    starting: bool = False

    @rx.event
    async def load_tab(self):  # type: ignore[no-untyped-def]
        self.loading_tab = True
        yield
        record = self._record_id()
        ok, rows = await self._load_page(lambda db, actor, _shell: views.patient_charts(db, actor, record))
        self.loading_tab = False
        if not ok:
            yield rows
            return
        self.rows = [chart_row(r) for r in rows]

    @rx.event
    async def new_chart(self):  # type: ignore[no-untyped-def]
        """A new draft for this record, opened at once."""
        self.starting = True
        yield
        record = self._record_id()
        ok, chart_id = await self._load_page(lambda db, actor, _shell: charts.start_chart(db, actor, record).id)
        self.starting = False
        if not ok:
            yield chart_id
            return
        yield rx.redirect(f"/clinic/charts/{chart_id}")


def _load_event(tab: str):  # type: ignore[no-untyped-def]
    """The event that loads a tab when it is opened (the Profile tab comes with the header)."""
    return {
        "appointments": WorkspaceAppointmentsState.load_tab,
        "charts": WorkspaceChartsState.load_tab,
        "portal": WorkspaceAccessState.load_tab,
    }.get(tab)
