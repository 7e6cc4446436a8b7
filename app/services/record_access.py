"""Who opened my record: the portal's view of a held record's history.

A portal account sees, for a record it holds, which clinic people read,
changed or shared it (RECORD_ACCESS), with their role, when (the office's
time zone) and what, newest first. Entries written by patients themselves and
by the system are not part of that view; the office's own Audit log is
services/audit_log.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from app.models import AccountKind, AuditEntry, Membership, Office, User
from app.services import formatting
from app.services.actor import Actor
from app.services.audit import ACTION_WORDS, RECORD_ACCESS, AccessKind, AuditAction
from app.services.portal import held_patient


@dataclass(frozen=True)
class RecordAccess:
    at: datetime
    when: str
    who: str
    role: str
    kind: AccessKind
    what: str


def who_opened_my_record(db: Session, actor: Actor, patient_id: int, limit: int = 200) -> list[RecordAccess]:
    """Clinic people who read, changed or shared a record the portal account holds, newest first."""
    patient = held_patient(db, actor, patient_id)
    office = db.get(Office, patient.office_id)
    zone = office.time_zone if office else "UTC"
    entries = db.exec(
        select(AuditEntry, User.full_name, Membership.role)
        .join(User, col(User.id) == AuditEntry.actor_user_id)
        .outerjoin(
            Membership,
            (col(Membership.user_id) == AuditEntry.actor_user_id) & (col(Membership.office_id) == patient.office_id),
        )
        .where(
            AuditEntry.patient_id == patient.id,
            col(AuditEntry.action).in_([a.value for a in RECORD_ACCESS]),
            User.kind != AccountKind.patient,
        )
        .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
        .limit(limit)
    ).all()
    return [
        RecordAccess(
            at=entry.at,
            when=formatting.when(entry.at, zone, year=True),
            who=name,
            role=_role_words(role),
            kind=RECORD_ACCESS[AuditAction(entry.action)],
            what=ACTION_WORDS[AuditAction(entry.action)],
        )
        for entry, name, role in entries
    ]


def _role_words(role: Any) -> str:
    value = getattr(role, "value", role)
    return {
        "owner": "Practitioner (office owner)",
        "practitioner": "Practitioner",
        "staff": "Front desk staff",
    }.get(value or "", "Former team member")
