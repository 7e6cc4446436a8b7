"""The one helper every service uses to write the audit log."""

from __future__ import annotations

from sqlmodel import Session

from app.models import AuditEntry
from app.services.actor import Actor


def record(
    db: Session,
    actor: Actor | None,
    action: str,
    *,
    office_id: int | None = None,
    patient_id: int | None = None,
    target_type: str = "",
    target_id: int | None = None,
    detail: str = "",
    user_id: int | None = None,
    client_ip: str = "",
) -> None:
    """Add an entry in the caller's transaction: it lands or rolls back with the action."""
    db.add(
        AuditEntry(
            actor_user_id=actor.user_id if actor else user_id,
            office_id=office_id,
            patient_id=patient_id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            detail=detail[:1000],
            client_ip=(actor.client_ip if actor else client_ip)[:64],
        )
    )
