"""Sharing charts: the Chart Sharing Options, sharing with the patient's consent, withdrawing.

Only a chart's author shares it, by rule (this chart / all of this patient's
charts / all of my charts), with practitioners and offices they are related
to: practitioners and offices of their own offices, and those on their
sharing list (services/sharing/pins.py). Nothing is shared without the
author confirming the patient's consent (YES): the server refuses otherwise,
and keeps who confirmed it and when. Sharing charts never shares forms or
documents. A withdrawn share stops at the recipient's next click (every read
goes through charts/access.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, select

from app.models import (
    Chart,
    ChartShare,
    Office,
    Patient,
    RecipientKind,
    ShareRule,
    User,
)
from app.services import audit, formatting
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.charts.access import CHART_NOT_FOUND, access_chart
from app.services.charts.recipients import Recipient, offered_recipients
from app.services.clock import now_or
from app.services.errors import Invalid, NotFound
from app.services.ids import parse_id

SHARE_NOT_FOUND = "This share was not found."
RULE_WORDS = {
    ShareRule.chart: "This chart",
    ShareRule.patient: "All of this patient's charts",
    ShareRule.all: "All of my charts",
}
CONSENT_NEEDED = "Confirm that the patient consented to this share (YES), or it cannot be shared."


@dataclass(frozen=True)
class ShareRow:
    id: int
    rule: str
    rule_words: str
    recipient: str
    recipient_kind: str
    since: str
    consent: str  # "Consent confirmed by Dr X on …"


@dataclass(frozen=True)
class ShareOptions:
    chart_id: int
    patient_name: str
    recipients: list[Recipient]
    shares: list[ShareRow]  # the author's active shares that cover this chart


def _covering(chart: Chart) -> ColumnElement[bool]:
    """The condition for the author's shares that cover this chart."""
    return and_(
        col(ChartShare.author_id) == chart.author_id,
        col(ChartShare.withdrawn_at).is_(None),
        or_(
            col(ChartShare.rule) == ShareRule.all,
            and_(col(ChartShare.rule) == ShareRule.patient, col(ChartShare.patient_id) == chart.patient_id),
            and_(col(ChartShare.rule) == ShareRule.chart, col(ChartShare.chart_id) == chart.id),
        ),
    )


def share_rows(db: Session, shares: list[ChartShare], zone: str) -> list[ShareRow]:
    user_ids = {s.recipient_user_id for s in shares if s.recipient_user_id} | {
        s.consent_confirmed_by_user_id for s in shares
    }
    office_ids = {s.recipient_office_id for s in shares if s.recipient_office_id}
    users = dict(db.exec(select(User.id, User.full_name).where(col(User.id).in_(user_ids))).all()) if user_ids else {}
    offices = (
        dict(db.exec(select(Office.id, Office.name).where(col(Office.id).in_(office_ids))).all()) if office_ids else {}
    )
    return [
        ShareRow(
            id=s.id or 0,
            rule=s.rule.value,
            rule_words=RULE_WORDS[s.rule],
            recipient=users.get(s.recipient_user_id or 0, "")
            if s.recipient_user_id
            else offices.get(s.recipient_office_id or 0, ""),
            recipient_kind=s.recipient_kind.value,
            since=formatting.when(s.created_at, zone, year=True),
            consent=(
                f"Patient consent confirmed by {users.get(s.consent_confirmed_by_user_id, '')} "
                f"on {formatting.when(s.consent_confirmed_at, zone, year=True)}"
            ),
        )
        for s in shares
    ]


def share_options(db: Session, actor: Actor, chart_id: object) -> ShareOptions:
    """The Chart Sharing Options dialog: whom the author may share with, and what is shared already."""
    access = access_chart(db, actor, chart_id)
    if not access.may_share:
        raise NotFound(CHART_NOT_FOUND)
    chart = access.chart
    office = db.get(Office, chart.office_id)
    patient = db.get(Patient, chart.patient_id)
    shares = db.exec(select(ChartShare).where(_covering(chart)).order_by(col(ChartShare.id))).all()
    return ShareOptions(
        chart_id=chart.id or 0,
        patient_name=formatting.full_name(patient.first_name, patient.last_name) if patient else "",
        recipients=offered_recipients(db, actor),
        shares=share_rows(db, list(shares), office.time_zone if office else "UTC"),
    )


def share_chart(
    db: Session,
    actor: Actor,
    chart_id: object,
    *,
    rule: str,
    recipients: list[str],
    consent: bool,
    now: datetime | None = None,
) -> int:
    """Share by rule with the chosen recipients; refused without the patient's consent.

    Returns how many new shares were made (one already in place is not made twice)."""
    now = now_or(now)
    access = access_chart(db, actor, chart_id)
    if not access.may_share:
        raise NotFound(CHART_NOT_FOUND)
    if rule not in ShareRule.__members__.values():
        raise Invalid("Choose what to share.", "rule")
    if consent is not True:
        raise Invalid(CONSENT_NEEDED, "consent")
    allowed = {r.key: r for r in offered_recipients(db, actor)}
    chosen = [allowed[key] for key in dict.fromkeys(k for k in recipients if isinstance(k, str)) if key in allowed]
    if not chosen or len(chosen) != len({k for k in recipients if isinstance(k, str)}):
        raise Invalid("Choose practitioners or offices from the list.", "recipients")
    chart, made = access.chart, 0
    share_rule = ShareRule(rule)
    for recipient in chosen:
        same = [
            ChartShare.author_id == actor.user_id,
            col(ChartShare.withdrawn_at).is_(None),
            ChartShare.rule == share_rule,
            (ChartShare.recipient_user_id == recipient.id)
            if recipient.kind == "practitioner"
            else (ChartShare.recipient_office_id == recipient.id),
        ]
        if share_rule == ShareRule.chart:
            same.append(ChartShare.chart_id == chart.id)
        if share_rule == ShareRule.patient:
            same.append(ChartShare.patient_id == chart.patient_id)
        if db.exec(select(ChartShare.id).where(*same)).first() is not None:
            continue  # already shared this way
        db.add(
            ChartShare(
                author_id=actor.user_id,
                rule=share_rule,
                chart_id=chart.id if share_rule == ShareRule.chart else None,
                patient_id=chart.patient_id if share_rule == ShareRule.patient else None,
                recipient_kind=RecipientKind(recipient.kind),
                recipient_user_id=recipient.id if recipient.kind == "practitioner" else None,
                recipient_office_id=recipient.id if recipient.kind == "office" else None,
                consent_confirmed_by_user_id=actor.user_id,
                consent_confirmed_at=now,
                created_at=now,
            )
        )
        made += 1
    audit.record(
        db,
        actor,
        AuditAction.chart_shared,
        office_id=chart.office_id,
        patient_id=chart.patient_id,
        target_type="chart",
        target_id=chart.id,
        detail={"rule": share_rule.value, "recipients": [r.key for r in chosen], "consent": True},
    )
    return made


def withdraw_share(db: Session, actor: Actor, share_id: object, now: datetime | None = None) -> None:
    """The author withdraws one share; it stops on the recipient's next click."""
    share = db.get(ChartShare, parse_id(share_id, SHARE_NOT_FOUND))
    if share is None or share.author_id != actor.user_id or share.withdrawn_at is not None:
        raise NotFound(SHARE_NOT_FOUND)
    share.withdrawn_at, share.withdrawn_by_user_id = now_or(now), actor.user_id
    db.add(share)
    chart = db.get(Chart, share.chart_id) if share.chart_id else None
    patient_id = share.patient_id or (chart.patient_id if chart else None)
    office_id = chart.office_id if chart else None
    if office_id is None and patient_id is not None:
        patient = db.get(Patient, patient_id)
        office_id = patient.office_id if patient else None
    audit.record(
        db,
        actor,
        AuditAction.chart_share_withdrawn,
        office_id=office_id,
        patient_id=patient_id,
        target_type="chart_share",
        target_id=share.id,
        detail={"rule": share.rule.value},
    )


def chart_ids_with_active_shares(db: Session, charts: list[Chart]) -> set[int]:
    """Which of these charts an active share covers (the "Shared" badge)."""
    if not charts:
        return set()
    authors = {c.author_id for c in charts}
    shares = db.exec(
        select(ChartShare).where(col(ChartShare.author_id).in_(authors), col(ChartShare.withdrawn_at).is_(None))
    ).all()
    covered: set[int] = set()
    for chart in charts:
        for s in shares:
            if s.author_id != chart.author_id:
                continue
            if (
                s.rule == ShareRule.all
                or (s.rule == ShareRule.patient and s.patient_id == chart.patient_id)
                or (s.rule == ShareRule.chart and s.chart_id == chart.id)
            ):
                covered.add(chart.id or 0)
                break
    return covered
