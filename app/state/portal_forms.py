"""The portal's Forms page: the chosen record's forms to fill in, in progress and submitted."""

from __future__ import annotations

import dataclasses

import reflex as rx
from sqlmodel import Session

from app.services.actor import Actor
from app.services.forms import portal_list
from app.state.portal import PortalState


@dataclasses.dataclass
class PortalFormCard:
    id: str = ""
    href: str = ""
    title: str = ""
    office_name: str = ""
    patient_name: str = ""
    assigned_on: str = ""
    due: str = ""
    message: str = ""
    submitted_on: str = ""


def _card(row: portal_list.PortalFormRow) -> PortalFormCard:
    return PortalFormCard(
        id=str(row.assignment_id),
        href=f"/portal/forms/{row.assignment_id}",
        title=row.title,
        office_name=row.office_name,
        patient_name=row.patient_name,
        assigned_on=row.assigned_on,
        due=row.due,
        message=row.message,
        submitted_on=row.submitted_on,
    )


class PortalFormsState(PortalState):
    to_fill: rx.Field[list[PortalFormCard]] = rx.field(default_factory=list)
    in_progress: rx.Field[list[PortalFormCard]] = rx.field(default_factory=list)
    submitted: rx.Field[list[PortalFormCard]] = rx.field(default_factory=list)
    unlocked: rx.Field[bool] = rx.field(False)

    @rx.event
    async def load(self):
        def work(db: Session, actor: Actor, current: int | None) -> portal_list.PortalForms:
            return portal_list.portal_forms(db, actor, current)

        ok, found = await self._open_portal(work, loading=True)
        if not ok:
            self.to_fill, self.in_progress, self.submitted = [], [], []
            return found
        self.to_fill = [_card(r) for r in found.to_fill]
        self.in_progress = [_card(r) for r in found.in_progress]
        self.submitted = [_card(r) for r in found.submitted]
        self.unlocked = found.unlocked
        return None
