"""The client workspace of one patient: what each part of it shows, read once.

The header and Profile tab (`header`) is the one place that records that a
person saw the record: loading the page audits it once; the refreshes after
an action do not (the action has its own entry). The other tabs load on their
own, only when opened, and are not audited as views again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.models import Office
from app.services import access_codes, audit, formatting
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.patients.access import access_patient
from app.services.patients.proposals import ProposalView, pending_proposals
from app.services.patients.records import as_input, full_name
from app.services.permissions import OfficeAction, can
from app.services.scheduling import appointment_lists


@dataclass(frozen=True)
class WorkspaceHeader:
    patient_id: int
    name: str
    profile: dict[str, str]
    born: str  # "Tue 2 Apr 2015", or "" when unknown
    time_zone: str
    new_online_client: bool
    archived_on: str  # "" while the record is active
    may_edit: bool
    may_manage_access: bool
    may_view_schedule: bool
    may_read_charts: bool  # the Charts tab (practitioners and the owner; never staff)
    may_write_charts: bool  # its *New chart*
    may_manage_documents: bool
    may_administer_forms: bool  # the Forms tab (owner, practitioners, front desk)
    proposals: list[ProposalView]


@dataclass(frozen=True)
class AppointmentRow:
    id: int
    when: str
    service: str
    practitioner: str
    status: str
    status_label: str
    online: bool


@dataclass(frozen=True)
class HolderRow:
    access_id: int
    name: str
    email: str
    since: str


@dataclass(frozen=True)
class CodeRow:
    id: int
    created: str
    expires: str


@dataclass(frozen=True)
class PortalAccessTab:
    holders: list[HolderRow]
    codes: list[CodeRow]
    email: str = ""  # the record's own address, offered first for an invitation


def _zone(db: Session, office_id: int) -> str:
    office = db.get(Office, office_id)
    return office.time_zone if office else "UTC"


def header(db: Session, actor: Actor, patient_id: object, *, seen: bool = True) -> WorkspaceHeader:
    """The record's name, profile and pending portal proposals, and what the actor may do with it.

    `seen` audits that the actor opened the record (a page load), once."""
    patient = access_patient(db, actor, patient_id)
    assert patient.id is not None
    zone = _zone(db, patient.office_id)
    if seen:
        audit.record(
            db,
            actor,
            AuditAction.patient_viewed,
            office_id=patient.office_id,
            patient_id=patient.id,
            target_type="patient",
            target_id=patient.id,
        )
    return WorkspaceHeader(
        patient_id=patient.id,
        name=full_name(patient),
        profile=as_input(patient),
        born=formatting.birth_date(patient.date_of_birth) if patient.date_of_birth else "",
        time_zone=zone,
        new_online_client=patient.new_online_client,
        archived_on=formatting.day_of(patient.archived_at, zone) if patient.archived_at else "",
        may_edit=can(db, actor, patient.office_id, OfficeAction.edit_demographics),
        may_manage_access=can(db, actor, patient.office_id, OfficeAction.manage_access_codes),
        may_view_schedule=can(db, actor, patient.office_id, OfficeAction.view_schedule),
        may_read_charts=can(db, actor, patient.office_id, OfficeAction.read_charts),
        may_write_charts=can(db, actor, patient.office_id, OfficeAction.write_charts),
        may_manage_documents=can(db, actor, patient.office_id, OfficeAction.manage_documents),
        may_administer_forms=can(db, actor, patient.office_id, OfficeAction.administer_forms),
        proposals=pending_proposals(db, actor, patient.id),
    )


def appointments_tab(db: Session, actor: Actor, patient_id: object) -> list[AppointmentRow]:
    """The Appointments tab: every appointment of the record, newest first."""
    patient = access_patient(db, actor, patient_id, OfficeAction.view_schedule)
    assert patient.id is not None
    zone = _zone(db, patient.office_id)
    return [
        AppointmentRow(
            id=a.id,
            when=formatting.when(a.starts_at, zone, year=True),
            service=a.service_name,
            practitioner=a.practitioner_name,
            status=a.status.value,
            status_label=formatting.status_label(a.status.value),
            online=a.booked_online,
        )
        for a in appointment_lists.for_patient(db, actor, patient.id)
    ]


def portal_access_tab(db: Session, actor: Actor, patient_id: object, now: datetime | None = None) -> PortalAccessTab:
    """The Patient Portal Access tab: who holds the record, and the codes not used yet."""
    patient = access_patient(db, actor, patient_id, OfficeAction.manage_access_codes)
    assert patient.id is not None
    zone = _zone(db, patient.office_id)
    holders = [
        HolderRow(h.access_id, h.name, h.email, formatting.when(h.granted_at, zone))
        for h in access_codes.holders(db, actor, patient.id)
    ]
    codes = [
        CodeRow(c.id, formatting.when(c.created_at, zone), formatting.when(c.expires_at, zone))
        for c in access_codes.unused_codes(db, actor, patient.id, now_or(now))
    ]
    return PortalAccessTab(holders=holders, codes=codes, email=patient.email or "")
