"""Records the clinic took out of a portal account (*Revoke Access*), said kindly rather than as an error.

Only the account that held a record hears about it, and only what it already knew: whose record
it was and which clinic keeps it. Another account's record still reads as not available.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.models import Office, Patient, PortalAccess
from app.services import formatting, local_time
from app.services.actor import Actor
from app.services.clock import now_or
from app.services.ids import saved_id
from app.services.patients.records import full_name

REMEMBERED = timedelta(days=30)  # how long the portal's overview still mentions a removed record


@dataclass(frozen=True)
class RemovedRecord:
    patient_id: int
    name: str
    office_name: str
    office_phone: str
    removed_on: str  # "3 March 2026", the office's day

    @property
    def message(self) -> str:
        call = (
            f" If you think this is a mistake, call {self.office_name} at {self.office_phone}."
            if self.office_phone
            else ""
        )
        return (
            f"{self.office_name} removed {self.name}'s record from your portal on {self.removed_on}, so its "
            f"appointments, documents and forms no longer show here.{call if self.office_phone else ''}"
        )


def _rows(db: Session, actor: Actor, since: datetime | None, patient_id: int | None = None):
    query = (
        select(PortalAccess, Patient, Office)
        .join(Patient, col(Patient.id) == PortalAccess.patient_id)
        .join(Office, col(Office.id) == Patient.office_id)
        .where(PortalAccess.user_id == actor.user_id, col(PortalAccess.revoked_at).is_not(None))
        .order_by(col(PortalAccess.revoked_at).desc(), col(PortalAccess.id).desc())
    )
    if since is not None:
        query = query.where(col(PortalAccess.revoked_at) >= since)
    if patient_id is not None:
        query = query.where(PortalAccess.patient_id == patient_id)
    return db.exec(query).all()


def _view(access: PortalAccess, patient: Patient, office: Office) -> RemovedRecord:
    removed = local_time.local(access.revoked_at or access.granted_at, office.time_zone).date()
    return RemovedRecord(
        saved_id(patient), full_name(patient), office.name, office.phone, formatting.plain_date(removed)
    )


def removed_records(
    db: Session, actor: Actor, held_ids: Collection[int], now: datetime | None = None
) -> list[RemovedRecord]:
    """Records the account lost to a revocation in the last 30 days and does not hold again, newest first."""
    if not actor.is_patient:
        return []
    seen, found = set(held_ids), []
    for access, patient, office in _rows(db, actor, now_or(now) - REMEMBERED):
        if saved_id(patient) not in seen:
            seen.add(saved_id(patient))
            found.append(_view(access, patient, office))
    return found


def removed_record(db: Session, actor: Actor, patient_id: int) -> RemovedRecord | None:
    """The record, if this account held it until the clinic removed it (the caller knows it is not held now)."""
    if not actor.is_patient:
        return None
    rows = _rows(db, actor, None, patient_id)
    return _view(*rows[0]) if rows else None
