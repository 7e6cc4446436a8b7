"""The patient portal frame."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from app.services.actor import Actor, require_patient
from app.services.errors import DomainError, NotSignedIn
from app.state.session import SessionState


class PortalState(SessionState):
    @rx.event
    async def load_home(self):  # type: ignore[no-untyped-def]
        self.page_status = "loading"

        def work(db: Session, actor: Actor) -> Actor:
            self._remember_user(actor)
            require_patient(actor)
            return actor

        try:
            await self._as_actor(work)
        except NotSignedIn as error:
            return self._to_sign_in(error.message)
        except DomainError:
            self.page_status = "denied"
            return
        self.page_status = "ready"
