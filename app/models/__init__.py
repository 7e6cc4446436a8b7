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
from app.models.patients import AccessCode, Patient, PortalAccess, ProfileProposal, ProposalStatus

__all__ = [
    "AccessCode",
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
    "Patient",
    "PortalAccess",
    "ProfileProposal",
    "ProposalStatus",
    "SignupRequest",
    "Throttle",
    "User",
]
