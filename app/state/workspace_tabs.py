"""The client workspace's tabs beyond Profile: each its own state, loaded when the tab is opened."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import reflex as rx
from sqlmodel import Session

from app.qr import qr_data_uri
from app.services import access_codes, formatting, patient_workspace, portal_invitations
from app.services.actor import Actor
from app.services.charts import charts, views
from app.services.ids import parse_id
from app.services.patients import access
from app.settings import get_settings
from app.state.charts import chart_row
from app.state.clinic import ClinicState
from app.state.forms import FormMixin, text
from app.state.notices import notify


class WorkspaceRecord(ClinicState):
    """What every part of the workspace shares: which record the page is about."""

    def _record_id(self) -> object:
        return getattr(self, "record_id", "")


class WorkspaceAppointmentsState(WorkspaceRecord):
    appointments: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    loading_tab: rx.Field[bool] = rx.field(False)

    @rx.event
    async def load_tab(self):
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


class WorkspaceAccessState(FormMixin, WorkspaceRecord):
    holders: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    codes: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    # the code just generated: shown once, kept only in this page's state
    generated: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    links_local: rx.Field[bool] = rx.field(False)  # its QR and address reach only this computer (PRAXIS_BASE_URL)
    code_dialog_open: rx.Field[bool] = rx.field(False)
    generating: rx.Field[bool] = rx.field(False)
    invite_open: rx.Field[bool] = rx.field(False)
    record_email: rx.Field[str] = rx.field("")  # offered first in the invitation dialog
    loading_tab: rx.Field[bool] = rx.field(False)

    def _show(self, view: patient_workspace.PortalAccessTab) -> None:
        self.holders = [
            {"id": str(h.access_id), "name": h.name, "email": h.email, "since": h.since} for h in view.holders
        ]
        self.codes = [{"id": str(c.id), "created": c.created, "expires": c.expires} for c in view.codes]
        self.record_email = view.email

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
    async def load_tab(self):
        self.generated, self.code_dialog_open, self.invite_open, self.loading_tab = {}, False, False, True
        yield
        ok, answer = await self._refresh()
        self.loading_tab = False
        if not ok:
            yield answer

    @rx.event
    async def generate_code(self):
        self.generating = True
        yield
        record = self._record_id()

        def change(db: Session, actor: Actor) -> tuple[access_codes.GeneratedCode, str]:
            generated = access_codes.generate(db, get_settings(), actor, parse_id(record, access.PATIENT_NOT_FOUND))
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
        self.links_local = get_settings().links_are_local
        self.code_dialog_open = True

    @rx.event
    def open_invite(self) -> None:
        self.clear_errors()
        self.invite_open = True

    @rx.event
    def set_invite_open(self, value: bool) -> None:
        self.invite_open = value is True

    @rx.event
    async def invite(self, form: dict):
        self._start()
        yield
        email, record, settings = text(form, portal_invitations.FIELD), self._record_id(), get_settings()

        def work(db: Session, actor: Actor) -> str:
            patient_id = parse_id(record, access.PATIENT_NOT_FOUND)
            return portal_invitations.invite_by_email(db, settings, actor, patient_id, email)

        done, outcome = await self._submit(work)
        if not done:
            yield outcome
            return
        self.busy, self.invite_open = False, False
        ok, answer = await self._refresh()
        yield notify.success(f"Invitation sent to {outcome}. It works once, within 5 days.") if ok else answer

    @rx.event
    def set_code_dialog_open(self, value: bool) -> None:
        self.code_dialog_open = value is True
        if not self.code_dialog_open:
            self.generated = {}  # the code is shown once

    @rx.event
    async def revoke_code(self, code_id: str):
        ok, answer = await self._refresh(lambda db, actor: access_codes.revoke_code(db, actor, code_id))
        return notify.success("Code revoked. It can no longer be used.") if ok else answer

    @rx.event
    async def revoke_access(self, access_id: str):
        ok, answer = await self._refresh(lambda db, actor: access_codes.revoke_access(db, actor, access_id))
        return notify.success("Access revoked. The record has left that portal account.") if ok else answer


class WorkspaceChartsState(WorkspaceRecord):
    """The Charts tab: the record's charts the reader may read (practitioners and the owner)."""

    rows: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    loading_tab: rx.Field[bool] = rx.field(False)
    starting: rx.Field[bool] = rx.field(False)

    @rx.event
    async def load_tab(self):
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
    async def new_chart(self):
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


def load_event(tab: str):
    """The event that loads a tab when it is opened (the Profile tab comes with the header)."""
    from app.state.document_pages import WorkspaceDocumentsState  # it builds on WorkspaceRecord, above
    from app.state.workspace_forms import WorkspaceFormsState  # so does the Forms tab

    return {
        "appointments": WorkspaceAppointmentsState.load_tab,
        "charts": WorkspaceChartsState.load_tab,
        "forms": WorkspaceFormsState.load_tab,
        "documents": WorkspaceDocumentsState.load_tab,
        "portal": WorkspaceAccessState.load_tab,
    }.get(tab)
