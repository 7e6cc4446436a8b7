"""Writing charts: start a draft, autosave it, lock (sign) it, amend it, and notes from recipients.

Reading them is charts/views.py; who may read is charts/access.py (one rule for lists and loads).
Every read of a chart is audited once per opening; writing is audited once per
stretch of editing (autosave every few seconds must not flood the log).
"""

from __future__ import annotations

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
)
from app.services import audit, local_time
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.charts.access import CHART_NOT_FOUND, access_chart
from app.services.clock import now_or
from app.services.errors import Conflict, Invalid, NotFound
from app.services.ids import saved_id
from app.services.patients.access import access_patient
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
LOCKED = "This chart is locked: add an addendum instead."


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


def record_chart_event(
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
        patient_id=saved_id(patient),
        author_id=actor.user_id,
        visit_date=local_time.today(_zone(db, patient.office_id), now),
        appointment_id=appointment.id if appointment else None,
        created_at=now,
        updated_at=now,
    )
    db.add(chart)
    db.flush()
    record_chart_event(db, actor, AuditAction.chart_created, chart, now)
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
        record_chart_event(db, actor, AuditAction.chart_edited, chart, now, fields=changed)
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
    record_chart_event(db, actor, AuditAction.chart_locked, chart, now)
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
        ChartAddendum(
            chart_id=saved_id(access.chart), author_id=actor.user_id, text=_text(text, "addendum"), created_at=now
        )
    )
    record_chart_event(db, actor, AuditAction.chart_addendum_added, access.chart, now)


def add_note(db: Session, actor: Actor, chart_id: object, text: object, now: datetime | None = None) -> None:
    """A recipient's own note on a chart shared with them (the chart itself never changes)."""
    now = now_or(now)
    access = access_chart(db, actor, chart_id)
    if not access.may_add_note:
        raise NotFound(CHART_NOT_FOUND) if not access.is_author else Invalid("Add an addendum to your own chart.")
    db.add(
        ChartNote(chart_id=saved_id(access.chart), author_id=actor.user_id, text=_text(text, "note"), created_at=now)
    )
    record_chart_event(db, actor, AuditAction.chart_note_added, access.chart, now)
