"""Reading the audit log: the office owner's Audit log.

Owners see every entry of their office, filtered by patient, person, action
and dates, a page at a time, and can export what they filtered as CSV (the
export is itself written to the log). A patient's own view of their record's
history is services/record_access.py.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from app.models import AuditEntry, Membership, Office, Patient, User
from app.services import audit, formatting, local_time
from app.services.actor import Actor
from app.services.audit import ACTION_WORDS, AuditAction, parse_detail
from app.services.errors import Invalid
from app.services.patients import search
from app.services.permissions import OfficeAction, require

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000
PICKER_LIMIT = 8
# The days a filter may name: the log has nothing older, and the arithmetic stays inside datetime's range.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
NOT_SIGNED_IN = "Not signed in"
NO_LONGER_A_RECORD = "Merged or removed record"


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
    """What the filters offer: the office's people and the actions that occur, and the office's zone."""

    people: list[tuple[int, str]]
    actions: list[tuple[str, str]]
    time_zone: str = "UTC"


@dataclass(frozen=True)
class PatientChoice:
    """A match in the log's patient picker: the name, and what tells namesakes apart."""

    id: int
    name: str
    detail: str


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
    first = _day(wanted.start, "start", "start date") if wanted.start else None
    last = _day(wanted.end, "end", "end date") if wanted.end else None
    if first and last and last < first:
        raise Invalid("The end date is before the start date.", "end")
    if first:
        conditions.append(AuditEntry.at >= local_time.local_instant(first, 0, local_time.zone(office.time_zone)))
    if last:
        after = last + timedelta(days=1)
        conditions.append(AuditEntry.at < local_time.local_instant(after, 0, local_time.zone(office.time_zone)))
    return conditions


def _day(value: str, field: str, label: str) -> date:
    day = local_time.parse_day(value[:20], field, label)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise Invalid(f"Choose a {label}.", field)
    return day


def _words(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_words(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{_words(key)} {_words(item)}" for key, item in value.items())
    return str(value).replace("_", " ")


def _describe(detail: str) -> str:
    """The structured detail as a short line: 'fields: phone, email', 'role: staff'."""
    return "; ".join(f"{key.replace('_', ' ')}: {_words(value)}" for key, value in parse_detail(detail).items())


# The columns a row needs, with its person's name and its patient's names (None when there is no such row):
# plain columns, not ORM objects, so that a 10,000-row export does not build 10,000 instances.
_COLUMNS = (
    col(AuditEntry.id),
    col(AuditEntry.at),
    col(AuditEntry.actor_user_id),
    col(AuditEntry.patient_id),
    col(AuditEntry.action),
    col(AuditEntry.detail),
    col(AuditEntry.client_ip),
    col(User.full_name),
    col(Patient.first_name),
    col(Patient.last_name),
)


def _named(*conditions: Any) -> Any:
    """Entries with the names they speak of, newest first, in one query (no id lists)."""
    return (
        Select(*_COLUMNS)
        .outerjoin(User, col(User.id) == AuditEntry.actor_user_id)
        .outerjoin(Patient, col(Patient.id) == AuditEntry.patient_id)
        .where(*conditions)
        .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
    )


def _row(named: Any, zone: str) -> LogRow:
    entry_id, at, actor_user_id, patient_id, action_value, detail, client_ip, person, first, last = named
    action = AuditAction(action_value) if action_value in AuditAction._value2member_map_ else None
    if patient_id is None:
        patient = ""
    elif first is None:
        patient = NO_LONGER_A_RECORD
    else:
        patient = formatting.full_name(first, last or "")
    return LogRow(
        id=entry_id,
        at=at,
        when=formatting.when(at, zone, year=True),
        person=person or (NOT_SIGNED_IN if actor_user_id is None else f"Account {actor_user_id}"),
        action=action_value,
        action_words=ACTION_WORDS[action] if action else action_value,
        patient=patient,
        patient_id=patient_id,
        detail=_describe(detail),
        client_ip=client_ip,
    )


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
    # The page's ids come from the (office_id, at, id) index alone; only those 50 are joined to names.
    page_ids = (
        select(AuditEntry.id)
        .where(*conditions)
        .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    )
    found = db.exec(_named(col(AuditEntry.id).in_(page_ids.scalar_subquery()))).all()
    return LogPage(rows=[_row(n, office.time_zone) for n in found], total=total, page=page, pages=pages)


def log_choices(db: Session, actor: Actor, office_id: int) -> LogChoices:
    """The people (current members and anyone who appears in the log) and actions to filter by."""
    office = _office(db, actor, office_id)
    seen = select(AuditEntry.actor_user_id).where(AuditEntry.office_id == office.id).distinct()
    members = select(Membership.user_id).where(Membership.office_id == office.id)
    people = db.exec(
        select(User.id, User.full_name)
        .where(col(User.id).in_(seen.union(members).scalar_subquery()))
        .order_by(User.full_name, col(User.id))
    ).all()
    present = set(db.exec(select(AuditEntry.action).where(AuditEntry.office_id == office.id).distinct()).all())
    actions = [(a.value, ACTION_WORDS[a]) for a in AuditAction if a.value in present]
    return LogChoices(
        people=[(pid, name) for pid, name in people if pid], actions=actions, time_zone=office.time_zone or "UTC"
    )


def find_patients(db: Session, actor: Actor, office_id: int, query: str) -> list[PatientChoice]:
    """The log's patient picker (owner only): current and archived records, nothing under two characters."""
    _office(db, actor, office_id)
    words = (query or "")[:100]
    if len(words.strip()) < 2:
        return []
    current = search.search_patients(db, actor, office_id, words).rows
    archived = search.search_patients(db, actor, office_id, words, archived=True).rows
    choices = [
        PatientChoice(row.id, row.name, " · ".join(x for x in (row.date_of_birth, row.phone, row.email) if x))
        for row in current
    ]
    choices += [PatientChoice(row.id, row.name, "Archived") for row in archived]
    return choices[:PICKER_LIMIT]


CSV_HEADER = ["time (UTC)", "time (office)", "person", "action", "what", "patient", "detail", "address"]


def export_csv(db: Session, actor: Actor, office_id: int, wanted: LogFilter) -> str:
    """Every entry the filter matches (newest first) as CSV text, for a spreadsheet.

    The export is itself written to the log (who exported what), after the entries it holds."""
    office = _office(db, actor, office_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    count = 0
    for named in db.exec(_named(*_conditions(office, wanted)).limit(EXPORT_LIMIT)):
        row = _row(named, office.time_zone)
        writer.writerow(
            [
                row.at.isoformat(),
                row.when,
                *(
                    _safe_cell(value)
                    for value in (row.person, row.action, row.action_words, row.patient, row.detail, row.client_ip)
                ),
            ]
        )
        count += 1
    asked = {
        "patient": wanted.patient_id,
        "person": wanted.person_id,
        "action": wanted.action,
        "start": wanted.start,
        "end": wanted.end,
    }
    audit.record(
        db,
        actor,
        AuditAction.audit_log_exported,
        office_id=office.id,
        target_type="office",
        target_id=office.id,
        detail={**{key: value for key, value in asked.items() if value}, "entries": count},
    )
    return out.getvalue()


def _safe_cell(value: str) -> str:
    """No spreadsheet formulas from names people typed (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
