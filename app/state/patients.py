"""Clinic: the patient list and the client workspace of one patient."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import reflex as rx
from sqlmodel import Session

from app.models import Office
from app.qr import qr_data_uri
from app.services import access_codes, patient_merge, patients
from app.services import appointments as appointment_service
from app.services.actor import Actor
from app.services.errors import DomainError, NotSignedIn
from app.services.ids import is_id, parse_id
from app.services.permissions import OfficeAction, can
from app.settings import get_settings
from app.state.clinic import ClinicState
from app.state.forms import FormMixin, text
from app.state.notices import notify

PATIENT_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "email",
    "phone",
    "address",
    "emergency_contact",
    "notes",
)


def readable(moment: datetime, zone: str) -> str:
    """'Tue 24 Nov, 09:30' in the office's time zone."""
    local = moment.astimezone(ZoneInfo(zone or "UTC"))
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


def picker_row(row: patients.PatientRow) -> dict[str, str]:
    """A match in a patient picker: the name, and what tells namesakes apart."""
    detail = " · ".join(x for x in (row.date_of_birth, row.phone, row.email) if x)
    return {"id": str(row.id), "name": row.name, "detail": detail}


def page_number(value: object) -> int:
    """A page number from the browser: a small whole number, else the first page (the service clamps it)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return max(1, min(value, 1_000_000))
    text = str(value) if isinstance(value, str) else ""
    return max(1, min(int(text), 1_000_000)) if re.fullmatch(r"-?[0-9]{1,7}", text) else 1


def patient_input(form: dict) -> patients.PatientInput:
    return patients.PatientInput(**{name: text(form, name) for name in PATIENT_FIELDS})


class PatientListState(FormMixin, ClinicState):
    query: str = ""
    page: int = 1
    rows: list[dict[str, str]] = []
    total: int = 0
    pages: int = 1
    searching: bool = False
    new_open: bool = False

    async def _search(self):  # type: ignore[no-untyped-def]
        query, page = self.query, self.page

        def work(db: Session, actor: Actor) -> patients.PatientPage | None:
            return patients.search_patients(db, actor, self.office_id, query, page) if self.office_id else None

        ok, result = await self._open(work, loading=not self.rows)
        self.searching = False
        if not ok:
            return result
        if result is None:
            return rx.redirect("/clinic")
        self.rows = [
            {"id": str(r.id), "name": r.name, "date_of_birth": r.date_of_birth, "email": r.email, "phone": r.phone}
            for r in result.rows
        ]
        self.total, self.page, self.pages = result.total, result.page, result.pages
        return None

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        self.query, self.page, self.new_open = "", 1, False
        return await self._search()

    @rx.event
    async def set_query(self, value: str):  # type: ignore[no-untyped-def]
        self.query, self.page, self.searching = str(value)[:100], 1, True
        yield
        yield await self._search()

    @rx.event
    async def go_to_page(self, page: int | str):  # type: ignore[no-untyped-def]
        self.page = page_number(page)
        return await self._search()

    @rx.event
    def set_new_open(self, value: bool) -> None:
        self.new_open = bool(value)
        self.clear_errors()

    @rx.event
    async def create(self, form: dict):  # type: ignore[no-untyped-def]
        self._start()
        yield
        data = patient_input(form)
        office_id = self.office_id

        def work(db: Session, actor: Actor) -> int:
            return patients.create_patient(db, actor, office_id, data).id  # type: ignore[return-value]

        done, outcome = await self._submit(work)
        if not done:
            yield outcome
            return
        patient_id = outcome
        self.busy, self.new_open = False, False
        yield rx.redirect(f"/clinic/patients/{patient_id}")
        yield notify.success("Patient record created.")


class PatientWorkspaceState(FormMixin, ClinicState):
    patient: dict[str, str] = {}
    patient_name: str = ""
    proposals: list[dict[str, str]] = []
    holders: list[dict[str, str]] = []
    codes: list[dict[str, str]] = []
    generated: dict[str, str] = {}  # the code just generated: shown once, kept only in this page's state
    code_dialog_open: bool = False
    generating: bool = False
    office_zone: str = "UTC"
    appointments: list[dict[str, str]] = []
    new_online_client: bool = False
    merge_matches: list[dict[str, str]] = []

    def _record_id(self) -> int:
        """The record named in the address (/clinic/patients/<id>); 0, never an id, when it names none."""
        value = getattr(self, "record_id", "")
        return parse_id(value) if is_id(value) else 0

    def _fill(self, db: Session, actor: Actor, patient_id: int) -> None:
        record = patients.get_patient(db, actor, patient_id)
        office = db.get(Office, record.office_id)
        self.office_zone = office.time_zone if office else "UTC"
        self.patient = patients.as_input(record)
        self.patient_name = patients.full_name(record)
        self.new_online_client = record.new_online_client
        self.appointments = [
            {
                "when": readable(a.starts_at, self.office_zone),
                "service": a.service_name,
                "practitioner": a.practitioner_name,
                "status": a.status.value.replace("_", "-"),
                "online": str(a.booked_online).lower(),
            }
            for a in appointment_service.for_patient(db, actor, patient_id)
        ]
        self.proposals = [
            {
                "id": str(p.id),
                "field": p.field,
                "label": p.label,
                "official": p.official or "—",
                "proposed": p.proposed or "—",
                "proposed_by": p.proposed_by,
            }
            for p in patients.pending_proposals(db, actor, patient_id)
        ]
        manages_codes = can(db, actor, record.office_id, OfficeAction.manage_access_codes)
        self.holders = (
            [
                {
                    "id": str(h.access_id),
                    "name": h.name,
                    "email": h.email,
                    "since": readable(h.granted_at, self.office_zone),
                }
                for h in access_codes.holders(db, actor, patient_id)
            ]
            if manages_codes
            else []
        )
        self.codes = (
            [
                {
                    "id": str(c.id),
                    "created": readable(c.created_at, self.office_zone),
                    "expires": readable(c.expires_at, self.office_zone),
                }
                for c in access_codes.unused_codes(db, actor, patient_id)
            ]
            if manages_codes
            else []
        )

    async def _refresh(self, change=None, loading: bool = False):  # type: ignore[no-untyped-def]
        patient_id = self._record_id()

        def work(db: Session, actor: Actor):  # type: ignore[no-untyped-def]
            result = change(db, actor, patient_id) if change is not None else None
            self._fill(db, actor, patient_id)
            return result

        return await self._open(work, loading=loading)

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        self.clear_errors()
        self.generated, self.code_dialog_open = {}, False
        ok, answer = await self._refresh(loading=True)
        if not ok:
            return answer
        return None

    async def _act(self, change, success: str):  # type: ignore[no-untyped-def]
        ok, answer = await self._refresh(change)
        if not ok:
            return answer
        return notify.success(success)

    @rx.event
    async def save_profile(self, form: dict):  # type: ignore[no-untyped-def]
        self._start()
        yield
        data = patient_input(form)
        patient_id = self._record_id()

        def work(db: Session, actor: Actor) -> None:
            patients.update_patient(db, actor, patient_id, data)
            self._fill(db, actor, patient_id)

        done, outcome = await self._submit(work)
        if not done:
            yield outcome
            return
        self.busy = False
        yield notify.success("Profile saved.")

    @rx.event
    async def accept_proposal(self, proposal_id: str):  # type: ignore[no-untyped-def]
        def change(db: Session, actor: Actor, _patient_id: int) -> None:
            patients.accept_proposal(db, actor, parse_id(proposal_id, patients.PROPOSAL_GONE))

        return await self._act(change, "Change accepted into the record.")

    @rx.event
    async def dismiss_proposal(self, proposal_id: str):  # type: ignore[no-untyped-def]
        def change(db: Session, actor: Actor, _patient_id: int) -> None:
            patients.dismiss_proposal(db, actor, parse_id(proposal_id, patients.PROPOSAL_GONE))

        return await self._act(change, "Change dismissed.")

    @rx.event
    async def generate_code(self):  # type: ignore[no-untyped-def]
        self.generating = True
        yield

        def change(db: Session, actor: Actor, patient_id: int) -> access_codes.GeneratedCode:
            return access_codes.generate(db, get_settings(), actor, patient_id)

        ok, answer = await self._refresh(change)
        self.generating = False
        if not ok:
            yield answer
            return
        self.generated = {
            "code": answer.code,
            "words": answer.code.replace("-", " "),
            "expires": readable(answer.expires_at, self.office_zone),
            "patient_name": answer.patient_name,
            "office_name": answer.office_name,
            "redeem_url": answer.redeem_url,
            "portal_url": answer.redeem_url.split("?")[0],
            "qr": qr_data_uri(answer.redeem_url),
        }
        self.code_dialog_open = True

    @rx.event
    def set_code_dialog_open(self, value: bool) -> None:
        self.code_dialog_open = bool(value)
        if not value:
            self.generated = {}  # the code is shown once

    @rx.event
    async def revoke_code(self, code_id: str):  # type: ignore[no-untyped-def]
        def change(db: Session, actor: Actor, _patient_id: int) -> None:
            access_codes.revoke_code(db, actor, parse_id(code_id, access_codes.CODE_NOT_FOUND))

        return await self._act(change, "Code revoked. It can no longer be used.")

    @rx.event
    async def revoke_access(self, access_id: str):  # type: ignore[no-untyped-def]
        def change(db: Session, actor: Actor, _patient_id: int) -> None:
            access_codes.revoke_access(db, actor, parse_id(access_id, access_codes.ACCESS_NOT_FOUND))

        return await self._act(change, "Access revoked. The record has left that portal account.")

    @rx.event
    async def find_merge_target(self, query: str):  # type: ignore[no-untyped-def]
        words, office_id, me = str(query)[:100], self.office_id, self._record_id()

        def work(db: Session, actor: Actor) -> list[patients.PatientRow]:
            return patients.quick_find(db, actor, office_id, words, limit=6, exclude_id=me)

        try:
            found = await self._as_actor(work)
        except DomainError as error:
            return self._refuse(error, during_load=False)
        self.merge_matches = [picker_row(r) for r in found]
        return None

    @rx.event
    async def merge_into(self, target_id: str):  # type: ignore[no-untyped-def]
        source_id = self._record_id()

        def work(db: Session, actor: Actor) -> int:
            target = parse_id(target_id, patients.PATIENT_NOT_FOUND)
            return patient_merge.merge_into(db, actor, source_id, target).id  # type: ignore[return-value]

        try:
            merged = await self._as_actor(work)
        except NotSignedIn as error:
            return self._to_sign_in(error.message)
        except DomainError as error:
            return notify.error(error.message)
        self.merge_matches = []
        return [rx.redirect(f"/clinic/patients/{merged}"), notify.success("Records merged.")]
