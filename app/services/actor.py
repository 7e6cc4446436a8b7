"""Who is acting: resolved from the session row on every action."""

from __future__ import annotations

from dataclasses import dataclass

from app.models import AccountKind
from app.services.errors import PermissionDenied


@dataclass(frozen=True)
class Actor:
    user_id: int
    session_id: int
    kind: AccountKind
    email: str
    full_name: str
    current_office_id: int | None = None
    current_patient_id: int | None = None
    client_ip: str = ""

    @property
    def is_clinic(self) -> bool:
        return self.kind in (AccountKind.practitioner, AccountKind.staff)

    @property
    def is_patient(self) -> bool:
        return self.kind == AccountKind.patient


def require_clinic(actor: Actor) -> None:
    """Clinic areas are refused to portal accounts, whatever the browser sends."""
    if not actor.is_clinic:
        raise PermissionDenied("This part of Praxis is for clinic staff.")


def require_patient(actor: Actor) -> None:
    if not actor.is_patient:
        raise PermissionDenied("The patient portal is for patient accounts.")
