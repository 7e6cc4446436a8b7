"""Writing charts: start a draft, autosave it, lock (sign) it, amend it, and notes from recipients.

Reading goes through charts/access.py (one visibility rule for lists and loads).
Every read of a chart is audited once per opening; writing is audited once per
stretch of editing (autosave every few seconds must not flood the log).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import (
    CHART_TEXT_LIMIT,
    Appointment,
    AppointmentStatus,
    AuditEntry,
    Chart,
    ChartAddendum,
    ChartNote,
    ChartStatus,
    Office,
    Patient,
    User,
)
from app.services import audit, formatting, local_time
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.charts.access import CHART_NOT_FOUND, access_chart, shared_with, visible_to
from app.services.clock import now_or
from app.services.errors import Conflict, Invalid, NotFound
from app.services.patients import access_patient
from app.services.permissions import OfficeAction

# The SOAP parts, in order, with their labels; the Plan is its treatment-plan sections.
SOAP_FIELDS = {"subjective": "Subjective", "objective": "Objective", "assessment": "Assessment"}
PLAN_FIELDS = {
    "goals": "Goals",
    "recommendations": "Recommendations",
    "prescriptions": "Prescriptions and supplements",
    "exercises": "Exercises",
    "follow_up": "Follow-up",
}
CHART_FIELDS = {**SOAP_FIELDS, **PLAN_FIELDS}
EDIT_AUDIT_GAP = timedelta(minutes=10)  # one "wrote in a chart" entry per stretch of editing
PAGE_SIZE = 20
LOCKED = "This chart is locked: add an addendum instead."


@dataclass(frozen=True)
class AddendumView:
    id: int
    author: str
    when: str
    text: str


@dataclass(frozen=True)
class NoteView:
    id: int
    author: str
    when: str
    text: str


@dataclass(frozen=True)
class ChartView:
    id: int
    patient_id: int
    patient_name: str
    office_name: str
    author: str
    visit_date: str  # ISO, for the date field
    visit_label: str  # "Tue 2 Jun 2026"
    fields: dict[str, str]
    status: str
    locked_line: str  # "Locked by Dr X on Tue 2 Jun 2026, 10:42", or ""
    saved_at: str  # "10:42": when the draft was last saved, in the office's zone
    addenda: list[AddendumView]
    notes: list[NoteView]
    may_edit: bool
    may_lock: bool
    may_amend: bool
    may_add_note: bool
    may_share: bool


@dataclass(frozen=True)
class ChartRow:
    id: int
    patient_id: int
    patient_name: str
    author: str
    office_name: str
    visit_label: str
    status: str
    shared: bool


@dataclass(frozen=True)
class ChartPage:
    rows: list[ChartRow]
    total: int
    page: int
    pages: int


def _clean(fields: dict[str, object]) -> dict[str, str]:
    """Only the chart's own parts, as text, each within the limit (a message beside the field)."""
    cleaned: dict[str, str] = {}
    for name, label in CHART_FIELDS.items():
        if name not in fields:
            continue
        value = fields[name]
        text = value if isinstance(value, str) else ""
        if len(text) > CHART_TEXT_LIMIT:
            raise Invalid(f"{label} is too long: keep it under {CHART_TEXT_LIMIT:,} characters.", name)
        cleaned[name] = text.replace("\r\n", "\n")
    return cleaned


def _zone(db: Session, office_id: int) -> str:
    office = db.get(Office, office_id)
    return office.time_zone if office else "UTC"


def _record(
    db: Session, actor: Actor, action: AuditAction, chart: Chart, now: datetime | None = None, **detail: object
) -> None:
    audit.record(
        db,
        actor,
        action,
        office_id=chart.office_id,
        patient_id=chart.patient_id,
        target_type="chart",
        target_id=chart.id,
        detail=detail or None,
        at=now,
    )


def todays_appointment(db: Session, actor: Actor, patient: Patient, now: datetime) -> Appointment | None:
    """The patient's appointment today (the office's today) with this practitioner, if any."""
    zone = _zone(db, patient.office_id)
    today = local_time.today(zone, now)
    start = local_time.local_instant(today, 0, local_time.zone(zone))
    end = local_time.local_instant(today + timedelta(days=1), 0, local_time.zone(zone))
    return db.exec(
        select(Appointment)
        .where(
            Appointment.patient_id == patient.id,
            Appointment.practitioner_id == actor.user_id,
            Appointment.starts_at >= start,
            Appointment.starts_at < end,
            Appointment.status != AppointmentStatus.cancelled,
        )
        .order_by(col(Appointment.starts_at))
    ).first()


def start_chart(db: Session, actor: Actor, patient_id: object, now: datetime | None = None) -> Chart:
    """A new draft for the patient, by the actor; dated today, linked to today's appointment if any."""
    now = now_or(now)
    patient = access_patient(db, actor, patient_id, OfficeAction.write_charts)
    if patient.archived_at is not None:
        raise Invalid("This record is archived: restore it to write a chart.")
    appointment = todays_appointment(db, actor, patient, now)
    chart = Chart(
        office_id=patient.office_id,
        patient_id=patient.id,  # type: ignore[arg-type]
        author_id=actor.user_id,
        visit_date=local_time.today(_zone(db, patient.office_id), now),
        appointment_id=appointment.id if appointment else None,
        created_at=now,
        updated_at=now,
    )
    db.add(chart)
    db.flush()
    _record(db, actor, AuditAction.chart_created, chart, now)
    return chart


def save_draft(
    db: Session, actor: Actor, chart_id: object, fields: dict[str, object], now: datetime | None = None
) -> datetime:
    """Autosave: the author's draft takes the fields given (and the visit date); returns when it was saved."""
    now = now_or(now)
    access = access_chart(db, actor, chart_id)
    chart = access.chart
    if not access.is_author:
        raise NotFound(CHART_NOT_FOUND)  # a reader cannot tell the chart is there to be written
    if chart.status == ChartStatus.locked:
        raise Conflict(LOCKED)
    cleaned = _clean(fields)
    if "visit_date" in fields:
        chart.visit_date = local_time.parse_day(str(fields["visit_date"]), "visit_date", "visit date")
    changed = [name for name, value in cleaned.items() if getattr(chart, name) != value]
    for name in changed:
        setattr(chart, name, cleaned[name])
    chart.updated_at = now
    db.add(chart)
    if changed and not _edited_lately(db, actor, chart, now):
        _record(db, actor, AuditAction.chart_edited, chart, now, fields=changed)
    return now


def _edited_lately(db: Session, actor: Actor, chart: Chart, now: datetime) -> bool:
    latest = db.exec(
        select(func.max(AuditEntry.at)).where(
            AuditEntry.target_type == "chart",
            AuditEntry.target_id == chart.id,
            AuditEntry.actor_user_id == actor.user_id,
            AuditEntry.action == AuditAction.chart_edited.value,
        )
    ).one()
    return latest is not None and now - latest < EDIT_AUDIT_GAP


def lock_chart(db: Session, actor: Actor, chart_id: object, now: datetime | None = None) -> Chart:
    """Sign the chart: read-only for ever after; only addenda may follow."""
    now = now_or(now)
    access = access_chart(db, actor, chart_id)
    if not access.is_author:
        raise NotFound(CHART_NOT_FOUND)
    chart = access.chart
    if chart.status == ChartStatus.locked:
        raise Conflict("This chart is already locked.")
    if not any(getattr(chart, name).strip() for name in CHART_FIELDS):
        raise Invalid("Write something in the chart before locking it.")
    chart.status, chart.locked_at, chart.locked_by_user_id = ChartStatus.locked, now, actor.user_id
    chart.updated_at = now
    db.add(chart)
    _record(db, actor, AuditAction.chart_locked, chart, now)
    return chart


def _text(value: object, field: str) -> str:
    text = (value if isinstance(value, str) else "").strip()
    if not text:
        raise Invalid("Write the text first.", field)
    if len(text) > CHART_TEXT_LIMIT:
        raise Invalid(f"Keep it under {CHART_TEXT_LIMIT:,} characters.", field)
    return text


def add_addendum(db: Session, actor: Actor, chart_id: object, text: object, now: datetime | None = None) -> None:
    """A dated amendment below a locked chart, by its author; locked itself."""
    now = now_or(now)
    access = access_chart(db, actor, chart_id)
    if not access.is_author:
        raise NotFound(CHART_NOT_FOUND)
    if access.chart.status != ChartStatus.locked:
        raise Conflict("A draft is edited directly: addenda are for locked charts.")
    db.add(
        ChartAddendum(chart_id=access.chart.id, author_id=actor.user_id, text=_text(text, "addendum"), created_at=now)
    )  # type: ignore[arg-type]
    _record(db, actor, AuditAction.chart_addendum_added, access.chart, now)


def add_note(db: Session, actor: Actor, chart_id: object, text: object, now: datetime | None = None) -> None:
    """A recipient's own note on a chart shared with them (the chart itself never changes)."""
    now = now_or(now)
    access = access_chart(db, actor, chart_id)
    if not access.may_add_note:
        raise NotFound(CHART_NOT_FOUND) if not access.is_author else Invalid("Add an addendum to your own chart.")
    db.add(ChartNote(chart_id=access.chart.id, author_id=actor.user_id, text=_text(text, "note"), created_at=now))  # type: ignore[arg-type]
    _record(db, actor, AuditAction.chart_note_added, access.chart, now)


def _names(db: Session, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return dict(db.exec(select(User.id, User.full_name).where(col(User.id).in_(user_ids))).all())  # type: ignore[arg-type]


def view_chart(db: Session, actor: Actor, chart_id: object, *, seen: bool = True) -> ChartView:
    """The chart as the actor may see it, with its addenda and notes; `seen` audits the reading once."""
    access = access_chart(db, actor, chart_id)
    chart = access.chart
    assert chart.id is not None
    patient = db.get(Patient, chart.patient_id)
    office = db.get(Office, chart.office_id)
    zone = office.time_zone if office else "UTC"
    addenda = db.exec(
        select(ChartAddendum).where(ChartAddendum.chart_id == chart.id).order_by(col(ChartAddendum.id))
    ).all()
    notes = db.exec(select(ChartNote).where(ChartNote.chart_id == chart.id).order_by(col(ChartNote.id))).all()
    names = _names(
        db,
        {chart.author_id, *(a.author_id for a in addenda), *(n.author_id for n in notes)}
        | ({chart.locked_by_user_id} if chart.locked_by_user_id else set()),
    )
    if seen:
        _record(db, actor, AuditAction.chart_viewed, chart)
    locked_line = ""
    if chart.locked_at:
        signer = names.get(chart.locked_by_user_id or 0, "")
        locked_line = f"Locked by {signer} on {formatting.when(chart.locked_at, zone, year=True)}"
    return ChartView(
        id=chart.id,
        patient_id=chart.patient_id,
        patient_name=formatting.full_name(patient.first_name, patient.last_name) if patient else "",
        office_name=office.name if office else "",
        author=names.get(chart.author_id, ""),
        visit_date=chart.visit_date.isoformat(),
        visit_label=formatting.day_with_year(chart.visit_date),
        fields={name: getattr(chart, name) for name in CHART_FIELDS},
        status=chart.status.value,
        locked_line=locked_line,
        saved_at=formatting.clock(chart.updated_at, zone),
        addenda=[
            AddendumView(a.id or 0, names.get(a.author_id, ""), formatting.when(a.created_at, zone, year=True), a.text)
            for a in addenda
        ],
        notes=[
            NoteView(n.id or 0, names.get(n.author_id, ""), formatting.when(n.created_at, zone, year=True), n.text)
            for n in notes
        ],
        may_edit=access.may_edit,
        may_lock=access.may_lock,
        may_amend=access.may_amend,
        may_add_note=access.may_add_note,
        may_share=access.may_share,
    )


# ---- lists -------------------------------------------------------------------------------


def _rows(db: Session, actor: Actor, charts: list[Chart]) -> list[ChartRow]:
    from app.services.charts.shares import chart_ids_with_active_shares

    patients = (
        {
            p.id: formatting.full_name(p.first_name, p.last_name)
            for p in db.exec(select(Patient).where(col(Patient.id).in_({c.patient_id for c in charts}))).all()
        }
        if charts
        else {}
    )
    offices = (
        dict(db.exec(select(Office.id, Office.name).where(col(Office.id).in_({c.office_id for c in charts}))).all())
        if charts
        else {}
    )  # type: ignore[arg-type]
    authors = _names(db, {c.author_id for c in charts})
    shared = chart_ids_with_active_shares(db, charts)
    return [
        ChartRow(
            id=c.id or 0,
            patient_id=c.patient_id,
            patient_name=patients.get(c.patient_id, ""),
            author=authors.get(c.author_id, ""),
            office_name=offices.get(c.office_id, ""),
            visit_label=formatting.day_with_year(c.visit_date),
            status=c.status.value,
            shared=(c.id or 0) in shared,
        )
        for c in charts
    ]


def patient_charts(db: Session, actor: Actor, patient_id: object) -> list[ChartRow]:
    """The workspace's Charts tab: the patient's charts the actor may read, newest visit first."""
    patient = access_patient(db, actor, patient_id, OfficeAction.read_charts)
    charts = db.exec(
        select(Chart)
        .where(Chart.patient_id == patient.id, visible_to(db, actor))
        .order_by(col(Chart.visit_date).desc(), col(Chart.id).desc())
    ).all()
    return _rows(db, actor, list(charts))


def _page(db: Session, actor: Actor, condition: object, query: str, page: int) -> ChartPage:
    conditions = [condition]
    for word in (query or "").lower().split()[:6]:
        conditions.append(col(Patient.search_text).contains(word, autoescape=True))
    base = select(Chart).join(Patient, col(Patient.id) == Chart.patient_id).where(*conditions)  # type: ignore[arg-type]
    total = db.exec(select(func.count()).select_from(base.subquery())).one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    charts = db.exec(
        base.order_by(col(Chart.created_at).desc(), col(Chart.id).desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return ChartPage(rows=_rows(db, actor, list(charts)), total=total, page=page, pages=pages)


def my_charts(db: Session, actor: Actor, query: str = "", page: int = 1) -> ChartPage:
    """Smart Charts → Your Charts: the actor's charts, newest first, searchable by patient."""
    return _page(db, actor, (Chart.author_id == actor.user_id) & visible_to(db, actor), query, page)


def charts_shared_with_me(db: Session, actor: Actor, query: str = "", page: int = 1) -> ChartPage:
    """Smart Charts → Charts Shared With You: others' charts shared with the actor, newest first."""
    return _page(db, actor, shared_with(db, actor), query, page)
