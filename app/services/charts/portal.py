"""What the portal shows of charts: treatment plans, and with whom a record's charts are shared.

Treatment plans: for a record the portal account unlocked with an access code,
every chart of the record with something in its plan sections, locked or not,
newest visit first, each with its date and practitioner. Never the Subjective,
Objective or Assessment text. A record held without a code shows nothing clinical.
Sharing (beyond the reference): for each held record, whose charts of it are
shared with whom, and since when.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from app.models import Chart, ChartShare, Office, PortalAccess, ShareRule, User
from app.services import audit, formatting
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.charts.charts import PLAN_FIELDS
from app.services.charts.shares import share_rows
from app.services.ids import parse_id
from app.services.portal import held_patient


@dataclass(frozen=True)
class PlanSection:
    name: str
    label: str
    text: str


@dataclass(frozen=True)
class PlanVisit:
    chart_id: int
    visit_label: str
    practitioner: str
    sections: list[PlanSection]


def unlocked_with_code(db: Session, actor: Actor, patient_id: int) -> bool:
    """Whether the account holds the record through a redeemed access code (not only by booking online)."""
    return (
        db.exec(
            select(PortalAccess.id).where(
                PortalAccess.patient_id == patient_id,
                PortalAccess.user_id == actor.user_id,
                col(PortalAccess.revoked_at).is_(None),
                col(PortalAccess.access_code_id).is_not(None),
            )
        ).first()
        is not None
    )


def treatment_plans(db: Session, actor: Actor, patient_id: object) -> list[PlanVisit]:
    """The plan sections of the record's charts, newest visit first (audited once per reading)."""
    patient = held_patient(db, actor, patient_id)
    assert patient.id is not None
    if not unlocked_with_code(db, actor, patient.id):
        return []
    charts = db.exec(
        select(Chart, User.full_name)
        .join(User, col(User.id) == Chart.author_id)
        .where(Chart.patient_id == patient.id)
        .order_by(col(Chart.visit_date).desc(), col(Chart.id).desc())
    ).all()
    office = db.get(Office, patient.office_id)
    visits = []
    for chart, practitioner in charts:
        sections = [
            PlanSection(name, label, getattr(chart, name).strip())
            for name, label in PLAN_FIELDS.items()
            if getattr(chart, name).strip()
        ]
        if sections:
            visits.append(PlanVisit(chart.id or 0, formatting.day_with_year(chart.visit_date), practitioner, sections))
    audit.record(
        db,
        actor,
        AuditAction.treatment_plans_viewed,
        office_id=office.id if office else None,
        patient_id=patient.id,
        target_type="patient",
        target_id=patient.id,
    )
    return visits


@dataclass(frozen=True)
class PortalShareRow:
    recipient: str
    by: str
    what: str
    since: str


def shares_of_record(db: Session, actor: Actor, patient_id: object) -> list[PortalShareRow]:
    """For a record the portal account unlocked with a code: whose charts of it are shared with whom,
    since when. A record held without a code shows nothing clinical: not even that charts exist."""
    patient = held_patient(db, actor, parse_id(patient_id, "This record is not available."))
    assert patient.id is not None
    if not unlocked_with_code(db, actor, patient.id):
        return []
    office = db.get(Office, patient.office_id)
    zone = office.time_zone if office else "UTC"
    authors = set(db.exec(select(Chart.author_id).where(Chart.patient_id == patient.id).distinct()).all())
    if not authors:
        return []
    shares = db.exec(
        select(ChartShare)
        .where(
            col(ChartShare.withdrawn_at).is_(None),
            col(ChartShare.author_id).in_(authors),
            or_(
                col(ChartShare.rule) == ShareRule.all,
                and_(col(ChartShare.rule) == ShareRule.patient, col(ChartShare.patient_id) == patient.id),
                and_(
                    col(ChartShare.rule) == ShareRule.chart,
                    col(ChartShare.chart_id).in_(select(Chart.id).where(Chart.patient_id == patient.id)),
                ),
            ),
        )
        .order_by(col(ChartShare.created_at).desc())
    ).all()
    rows = share_rows(db, list(shares), zone)
    names = dict(db.exec(select(User.id, User.full_name).where(col(User.id).in_(authors))).all())
    words = {ShareRule.chart: "One chart", ShareRule.patient: "All charts", ShareRule.all: "All charts"}
    return [
        PortalShareRow(
            recipient=row.recipient, by=names.get(share.author_id, ""), what=words[share.rule], since=row.since
        )
        for share, row in zip(shares, rows, strict=True)
    ]
