"""The portal's Treatment plans for the chosen record, and with whom its charts are shared."""

from __future__ import annotations

from dataclasses import asdict

import reflex as rx
from sqlmodel import Session

from app.services.actor import Actor
from app.services.charts import portal
from app.state.portal import PortalState


class TreatmentPlansState(PortalState):
    """Portal → Treatment plans for the record chosen in the family switcher, and with whom its
    charts are shared. Only for records unlocked with an access code (the services decide)."""

    visits: rx.Field[list[portal.PlanVisit]] = rx.field(default_factory=list)
    sharing: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    unlocked: rx.Field[bool] = rx.field(False)  # the record came with an access code: its clinical parts may show

    @rx.event
    async def load(self):
        def work(
            db: Session, actor: Actor, current: int | None
        ) -> tuple[bool, list[portal.PlanVisit], list[portal.PortalShareRow]]:
            if not current:
                return False, [], []
            visits = portal.treatment_plans(db, actor, current)  # checks the record is held
            unlocked = portal.unlocked_with_code(db, actor, current)
            return unlocked, visits, portal.shares_of_record(db, actor, current)

        ok, found = await self._open_portal(work, loading=True)
        if not ok:
            return found
        self.unlocked, self.visits, rows = found
        self.sharing = [{key: str(value) for key, value in asdict(row).items()} for row in rows]
        return None
