"""All tables, imported here so SQLModel.metadata knows every one of them."""

from app.models.accounts import (
    AccountKind,
    AuthSession,
    PasswordResetToken,
    RecoveryCode,
    SignInChallenge,
    SignInTicket,
    SignupRequest,
    Throttle,
    TwoFactorCredential,
    User,
)
from app.models.audit import AuditEntry
from app.models.mail import OutboxMessage, OutboxStatus
from app.models.offices import Invitation, InvitationStatus, Membership, Office, OfficeRole
from app.models.patients import AccessCode, Patient, PortalAccess, ProfileProposal, ProposalStatus
from app.models.scheduling import (
    Appointment,
    AppointmentStatus,
    CalendarVersion,
    OnlineBookingOptions,
    RegistrationPolicy,
    Service,
    ServicePractitioner,
    TimeOff,
    WorkingHours,
)

__all__ = [
    "AccessCode",
    "AccountKind",
    "Appointment",
    "AppointmentStatus",
    "AuditEntry",
    "AuthSession",
    "CalendarVersion",
    "Invitation",
    "InvitationStatus",
    "Membership",
    "Office",
    "OfficeRole",
    "OnlineBookingOptions",
    "OutboxMessage",
    "OutboxStatus",
    "PasswordResetToken",
    "Patient",
    "PortalAccess",
    "ProfileProposal",
    "ProposalStatus",
    "RecoveryCode",
    "RegistrationPolicy",
    "Service",
    "ServicePractitioner",
    "SignInChallenge",
    "SignInTicket",
    "SignupRequest",
    "Throttle",
    "TimeOff",
    "TwoFactorCredential",
    "User",
    "WorkingHours",
]
