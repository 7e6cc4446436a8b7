"""All tables, imported here so SQLModel.metadata knows every one of them."""

from app.models.accounts import (
    AccountKind,
    AuthSession,
    PasswordResetToken,
    SignupRequest,
    Throttle,
    User,
)
from app.models.audit import AuditEntry
from app.models.mail import OutboxMessage, OutboxStatus
from app.models.offices import Invitation, InvitationStatus, Membership, Office, OfficeRole

__all__ = [
    "AccountKind",
    "AuditEntry",
    "AuthSession",
    "Invitation",
    "InvitationStatus",
    "Membership",
    "Office",
    "OfficeRole",
    "OutboxMessage",
    "OutboxStatus",
    "PasswordResetToken",
    "SignupRequest",
    "Throttle",
    "User",
]
