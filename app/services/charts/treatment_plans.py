"""Treatment plans in the portal, built from the plan sections of a record's charts.

For a record the portal account unlocked with an access code: every chart of
the record with something in its plan sections, locked or not, newest visit
first, each with its date and practitioner. Never the Subjective, Objective or
Assessment text. A record held without a code shows nothing clinical.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.models import Chart, Office, PortalAccess, User
from app.services import audit, formatting
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.charts.charts import PLAN_FIELDS
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
    patient = held_patient(db, actor, patient_id)  # type: ignore[arg-type]
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
