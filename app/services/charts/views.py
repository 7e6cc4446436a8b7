"""Reading charts: one chart as its reader may see it, and the lists (workspace tab, Smart Charts).

Every list and every load goes through charts/access.py's one visibility rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from app.models import Chart, ChartAddendum, ChartNote, Office, Patient, User
from app.services import formatting
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.charts.access import access_chart, shared_with, visible_to
from app.services.charts.charts import CHART_FIELDS, record_chart_event
from app.services.ids import pk
from app.services.patients.access import access_patient
from app.services.permissions import OfficeAction

PAGE_SIZE = 20


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
    time_zone: str  # the office's, for the times of later saves
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


def _names(db: Session, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return dict(db.exec(select(pk(User.id), User.full_name).where(col(User.id).in_(user_ids))).all())


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
        record_chart_event(db, actor, AuditAction.chart_viewed, chart)
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
        time_zone=zone,
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
    )
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


def _page(db: Session, actor: Actor, condition: ColumnElement[bool], query: str, page: int) -> ChartPage:
    conditions = [condition]
    for word in (query or "").lower().split()[:6]:
        conditions.append(col(Patient.search_text).contains(word, autoescape=True))
    base = select(Chart).join(Patient, col(Patient.id) == Chart.patient_id).where(*conditions)
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
    return _page(db, actor, (col(Chart.author_id) == actor.user_id) & visible_to(db, actor), query, page)


def charts_shared_with_me(db: Session, actor: Actor, query: str = "", page: int = 1) -> ChartPage:
    """Smart Charts → Charts Shared With You: others' charts shared with the actor, newest first."""
    return _page(db, actor, shared_with(db, actor), query, page)
