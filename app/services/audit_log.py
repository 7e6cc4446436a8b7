"""Reading the audit log: the office owner's Audit log, and a patient's "Who opened my record".

Owners see every entry of their office, filtered by patient, person, action
and dates, a page at a time, and can export what they filtered as CSV. A
portal account sees, for a record it holds, which clinic people read,
changed or shared it, and when — entries written by patients themselves and
by the system are not part of that view.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import AccountKind, AuditEntry, Membership, Office, Patient, User
from app.services import formatting, local_time
from app.services.actor import Actor
from app.services.audit import ACTION_WORDS, RECORD_ACCESS, AccessKind, AuditAction, detail_of
from app.services.errors import Invalid
from app.services.permissions import OfficeAction, require
from app.services.portal import held_patient

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


@dataclass(frozen=True)
class LogFilter:
    patient_id: int | None = None
    person_id: int | None = None
    action: str = ""
    start: str = ""  # ISO dates in the office's zone, inclusive
    end: str = ""


@dataclass(frozen=True)
class LogRow:
    id: int
    at: datetime
    when: str
    person: str
    action: str
    action_words: str
    patient: str
    patient_id: int | None
    detail: str
    client_ip: str


@dataclass(frozen=True)
class LogPage:
    rows: list[LogRow]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class LogChoices:
    """What the filters offer: the office's people and the actions that occur."""

    people: list[tuple[int, str]]
    actions: list[tuple[str, str]]


def _conditions(office: Office, wanted: LogFilter) -> list[Any]:
    conditions: list[Any] = [AuditEntry.office_id == office.id]
    if wanted.patient_id:
        conditions.append(AuditEntry.patient_id == wanted.patient_id)
    if wanted.person_id:
        conditions.append(AuditEntry.actor_user_id == wanted.person_id)
    if wanted.action:
        if wanted.action not in {a.value for a in AuditAction}:
            raise Invalid("Choose an action from the list.", "action")
        conditions.append(AuditEntry.action == wanted.action)
    first = local_time.parse_day(wanted.start, "start", "start date") if wanted.start else None
    last = local_time.parse_day(wanted.end, "end", "end date") if wanted.end else None
    if first and last and last < first:
        raise Invalid("The end date is before the start date.", "end")
    if first:
        conditions.append(AuditEntry.at >= local_time.local_instant(first, 0, local_time.zone(office.time_zone)))
    if last:
        after = last + timedelta(days=1)
        conditions.append(AuditEntry.at < local_time.local_instant(after, 0, local_time.zone(office.time_zone)))
    return conditions


def _describe(entry: AuditEntry) -> str:
    detail = detail_of(entry)
    return ", ".join(f"{key}: {value}" for key, value in detail.items())


def _rows(db: Session, office: Office, entries: Sequence[AuditEntry]) -> list[LogRow]:
    people_ids = {e.actor_user_id for e in entries if e.actor_user_id}
    patient_ids = {e.patient_id for e in entries if e.patient_id}
    people = (
        dict(db.exec(select(User.id, User.full_name).where(col(User.id).in_(people_ids))).all()) if people_ids else {}
    )
    patient_names = (
        {
            pid: formatting.full_name(first, last)
            for pid, first, last in db.exec(
                select(Patient.id, Patient.first_name, Patient.last_name).where(col(Patient.id).in_(patient_ids))
            ).all()
        }
        if patient_ids
        else {}
    )
    rows = []
    for e in entries:
        action = AuditAction(e.action) if e.action in AuditAction._value2member_map_ else None
        rows.append(
            LogRow(
                id=e.id or 0,
                at=e.at,
                when=formatting.when(e.at, office.time_zone, year=True),
                person=people.get(e.actor_user_id or 0, "") or ("Someone signed out" if not e.actor_user_id else ""),
                action=e.action,
                action_words=ACTION_WORDS[action] if action else e.action,
                patient=patient_names.get(e.patient_id or 0, ""),
                patient_id=e.patient_id,
                detail=_describe(e),
                client_ip=e.client_ip,
            )
        )
    return rows


def _office(db: Session, actor: Actor, office_id: int) -> Office:
    require(db, actor, office_id, OfficeAction.view_audit_log)
    office = db.get(Office, office_id)
    assert office is not None  # a membership row means the office exists
    return office


def office_log(db: Session, actor: Actor, office_id: int, wanted: LogFilter, page: int = 1) -> LogPage:
    """One page of the office's audit log, newest first (owner only)."""
    office = _office(db, actor, office_id)
    conditions = _conditions(office, wanted)
    total = db.exec(select(func.count()).select_from(AuditEntry).where(*conditions)).one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    entries = db.exec(
        select(AuditEntry)
        .where(*conditions)
        .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return LogPage(rows=_rows(db, office, entries), total=total, page=page, pages=pages)


def log_choices(db: Session, actor: Actor, office_id: int) -> LogChoices:
    """The people (current members and anyone who appears in the log) and actions to filter by."""
    office = _office(db, actor, office_id)
    seen = select(AuditEntry.actor_user_id).where(AuditEntry.office_id == office.id).distinct()
    members = select(Membership.user_id).where(Membership.office_id == office.id)
    people = db.exec(
        select(User.id, User.full_name)
        .where(col(User.id).in_(seen.union(members).scalar_subquery()))
        .order_by(User.full_name)
    ).all()
    present = set(db.exec(select(AuditEntry.action).where(AuditEntry.office_id == office.id).distinct()).all())
    actions = [(a.value, ACTION_WORDS[a]) for a in AuditAction if a.value in present]
    return LogChoices(people=[(pid, name) for pid, name in people if pid], actions=actions)


def export_csv(db: Session, actor: Actor, office_id: int, wanted: LogFilter) -> str:
    """Every entry the filter matches (newest first) as CSV text, for a spreadsheet."""
    office = _office(db, actor, office_id)
    entries = db.exec(
        select(AuditEntry)
        .where(*_conditions(office, wanted))
        .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
        .limit(EXPORT_LIMIT)
    ).all()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["time (UTC)", "time (office)", "person", "action", "what", "patient", "detail", "address"])
    for row in _rows(db, office, entries):
        writer.writerow(
            [
                row.at.isoformat(),
                row.when,
                _safe_cell(row.person),
                row.action,
                row.action_words,
                _safe_cell(row.patient),
                _safe_cell(row.detail),
                row.client_ip,
            ]
        )
    return out.getvalue()


def _safe_cell(value: str) -> str:
    """No spreadsheet formulas from names people typed (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# ---- the patient's view -----------------------------------------------------------


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
