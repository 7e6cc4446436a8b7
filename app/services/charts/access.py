"""Who may read a chart: ONE rule, as a SQL condition, used by every list and every single load.

A clinic person reads a chart when
1. they wrote it, and still practise in its office (owner or practitioner);
2. they own its office (the default for colleagues: a chart is private to its
   author and the office's owner until the author shares it);
3. its author shared it with them, with the patient's consent, and the share
   is not withdrawn — by rule (this chart / all of this patient's charts / all
   of my charts) and to them as a practitioner, or to an office they practise
   in — while the author still practises in the chart's office, and while the
   recipient is still related to the author: a practitioner shares an office
   with the author or is on the author's sharing list; an office is one of the
   author's offices or is on the author's sharing list.
Administrative staff and portal accounts never read charts (the role table
gives staff no read_charts; patients see treatment plans, built elsewhere).
Someone without two-factor sign-in reads nothing through an office that
requires it (its own charts, or a share to that office) until they set it up.
Another person's chart and a missing one look the same.

Only the author edits a draft; a locked chart is never edited, only amended
(addenda, by its author); share recipients add notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, false, or_, true
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.models import (
    AccountKind,
    Chart,
    ChartShare,
    ChartStatus,
    Membership,
    Office,
    OfficeRole,
    ShareRule,
    SharingListEntry,
)
from app.services.actor import Actor
from app.services.errors import NotFound
from app.services.ids import parse_id
from app.services.two_factor import status as two_factor_status

CHART_NOT_FOUND = "This chart was not found."
CLINICAL_ROLES = (OfficeRole.owner, OfficeRole.practitioner)


def _practises_in(user_id: Any, office_id: Any) -> Any:
    """EXISTS: the user is an owner or practitioner of the office."""
    m = aliased(Membership)
    return exists(
        sa_select(col(m.id)).where(m.user_id == user_id, m.office_id == office_id, col(m.role).in_(CLINICAL_ROLES))
    )


def _office_allows(office_id: Any, enrolled: bool) -> Any:
    """An office whose data the person may use now: any office once they have two-factor sign-in,
    else only offices that do not require it."""
    if enrolled:
        return true()
    return ~exists(sa_select(col(Office.id)).where(Office.id == office_id, col(Office.require_two_factor).is_(True)))


def _share_reaches(user_id: int, enrolled: bool) -> Any:
    """EXISTS: an active share of the chart's author covers this chart and reaches the user."""
    share = aliased(ChartShare)
    mine, authors = aliased(Membership), aliased(Membership)
    together = exists(
        sa_select(col(mine.id))
        .join(authors, col(authors.office_id) == mine.office_id)
        .where(
            col(mine.user_id) == user_id,
            col(mine.role).in_(CLINICAL_ROLES),
            col(authors.user_id) == Chart.author_id,
            col(authors.role).in_(CLINICAL_ROLES),
        )
    )
    listed_person = exists(
        sa_select(col(SharingListEntry.id)).where(
            col(SharingListEntry.owner_id) == Chart.author_id, col(SharingListEntry.practitioner_id) == user_id
        )
    )
    listed_office = exists(
        sa_select(col(SharingListEntry.id)).where(
            col(SharingListEntry.owner_id) == Chart.author_id,
            col(SharingListEntry.office_id) == share.recipient_office_id,
        )
    )
    covers = or_(
        col(share.rule) == ShareRule.all,
        and_(col(share.rule) == ShareRule.patient, col(share.patient_id) == Chart.patient_id),
        and_(col(share.rule) == ShareRule.chart, col(share.chart_id) == Chart.id),
    )
    to_me = and_(col(share.recipient_user_id) == user_id, or_(together, listed_person))
    to_my_office = and_(
        _practises_in(user_id, share.recipient_office_id),
        _office_allows(share.recipient_office_id, enrolled),
        or_(_practises_in(Chart.author_id, share.recipient_office_id), listed_office),
    )
    return exists(
        sa_select(col(share.id)).where(
            col(share.author_id) == Chart.author_id,
            col(share.withdrawn_at).is_(None),
            covers,
            or_(to_me, to_my_office),
        )
    )


def shared_with(db: Session, actor: Actor) -> Any:
    """The condition for charts shared with the actor (rule 3), for *Charts Shared With You*."""
    if actor.kind != AccountKind.practitioner:
        return false()
    enrolled = two_factor_status.is_enabled(db, actor.user_id)
    return and_(
        col(Chart.author_id) != actor.user_id,
        _practises_in(Chart.author_id, Chart.office_id),
        _share_reaches(actor.user_id, enrolled),
    )


def visible_to(db: Session, actor: Actor) -> Any:
    """The condition on Chart for every chart the actor may read (rules 1-3 of the module)."""
    if actor.kind != AccountKind.practitioner:  # staff accounts and portal accounts: never
        return false()
    me = actor.user_id
    enrolled = two_factor_status.is_enabled(db, me)
    owners = aliased(Membership)
    owns_office = exists(
        sa_select(col(owners.id)).where(
            col(owners.user_id) == me, col(owners.office_id) == Chart.office_id, col(owners.role) == OfficeRole.owner
        )
    )
    wrote_it = and_(col(Chart.author_id) == me, _practises_in(me, Chart.office_id))
    own_office = and_(or_(wrote_it, owns_office), _office_allows(Chart.office_id, enrolled))
    return or_(own_office, shared_with(db, actor))


@dataclass(frozen=True)
class ChartAccess:
    chart: Chart
    is_author: bool
    via_share: bool  # a recipient (may add notes)

    @property
    def may_edit(self) -> bool:
        return self.is_author and self.chart.status == ChartStatus.draft

    @property
    def may_lock(self) -> bool:
        return self.may_edit

    @property
    def may_amend(self) -> bool:
        return self.is_author and self.chart.status == ChartStatus.locked

    @property
    def may_add_note(self) -> bool:
        return self.via_share and not self.is_author

    @property
    def may_share(self) -> bool:
        return self.is_author


def access_chart(db: Session, actor: Actor, chart_id: object) -> ChartAccess:
    """A chart the actor may read, with what they may do with it; NotFound for anything else."""
    wanted = parse_id(chart_id, CHART_NOT_FOUND)
    found = db.exec(select(Chart, shared_with(db, actor)).where(col(Chart.id) == wanted, visible_to(db, actor))).first()
    if found is None:
        raise NotFound(CHART_NOT_FOUND)
    chart, via_share = found
    return ChartAccess(chart=chart, is_author=chart.author_id == actor.user_id, via_share=bool(via_share))
