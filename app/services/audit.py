"""The audit log: one typed entry for each thing a person saw or changed.

Actions are an enum (`AuditAction`), so a typo cannot invent a new kind of
entry and the screens can group them; details are structured (a small JSON
object), never free text. Each write service records exactly one entry, in
its own transaction, so the entry lands or rolls back with the action.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from app.models import AuditEntry
from app.services.actor import Actor
from app.services.clock import now_or


class AuditAction(StrEnum):
    # accounts and sessions
    account_created = "account.created"
    account_kind_changed = "account.kind-changed"
    sign_in = "sign-in"
    sign_in_failed = "sign-in.failed"
    session_ended = "session.ended"
    password_changed = "password.changed"
    password_reset_requested = "password.reset-requested"
    password_reset = "password.reset"
    two_factor_enabled = "two-factor.enabled"
    two_factor_disabled = "two-factor.disabled"
    two_factor_failed = "two-factor.failed"
    two_factor_recovery_code_used = "two-factor.recovery-code-used"
    two_factor_recovery_codes_renewed = "two-factor.recovery-codes-renewed"
    two_factor_required_for_team = "two-factor.required-for-team"
    # offices and team
    office_created = "office.created"
    office_updated = "office.updated"
    team_invited = "team.invited"
    team_invitation_revoked = "team.invitation-revoked"
    team_invitation_accepted = "team.invitation-accepted"
    team_invitation_declined = "team.invitation-declined"
    team_member_removed = "team.member-removed"
    team_ownership_transferred = "team.ownership-transferred"
    # patient records
    patient_viewed = "patient.viewed"
    patient_created = "patient.created"
    patient_updated = "patient.updated"
    patient_merged = "patient.merged"
    patient_archived = "patient.archived"
    patient_restored = "patient.restored"
    proposal_accepted = "patient.proposal-accepted"
    proposal_dismissed = "patient.proposal-dismissed"
    # portal access
    access_code_generated = "access-code.generated"
    access_code_emailed = "access-code.emailed"
    access_code_revoked = "access-code.revoked"
    access_code_redeemed = "access-code.redeemed"
    access_code_redeem_failed = "access-code.redeem-failed"
    portal_access_revoked = "portal-access.revoked"
    portal_profile_viewed = "portal.profile-viewed"
    portal_profile_proposed = "portal.profile-proposed"
    # scheduling
    appointment_booked = "appointment.booked"
    appointment_booked_online = "appointment.booked-online"
    appointment_rescheduled = "appointment.rescheduled"
    appointment_marked_booked = "appointment.marked-booked"
    appointment_arrived = "appointment.arrived"
    appointment_no_show = "appointment.no_show"
    appointment_cancelled = "appointment.cancelled"
    appointment_cancelled_online = "appointment.cancelled-online"
    service_saved = "schedule.service-saved"
    service_retired = "schedule.service-retired"
    hours_set = "schedule.hours-set"
    time_off_added = "schedule.time-off-added"
    time_off_removed = "schedule.time-off-removed"
    booking_options_saved = "schedule.booking-options-saved"
    # charts and sharing
    chart_created = "chart.created"
    chart_viewed = "chart.viewed"
    chart_edited = "chart.edited"
    chart_locked = "chart.locked"
    chart_addendum_added = "chart.addendum-added"
    chart_note_added = "chart.note-added"
    chart_shared = "chart.shared"
    chart_share_withdrawn = "chart.share-withdrawn"
    treatment_plans_viewed = "portal.treatment-plans-viewed"
    sharing_list_added = "sharing-list.added"
    sharing_list_removed = "sharing-list.removed"
    sharing_pin_failed = "sharing-list.pin-failed"
    share_pin_renewed = "share-pin.renewed"
    # documents
    document_uploaded = "document.uploaded"
    document_viewed = "document.viewed"
    document_downloaded = "document.downloaded"
    document_labelled = "document.labelled"
    document_shared = "document.shared"
    document_unshared = "document.unshared"
    document_renamed = "document.renamed"
    document_moved = "document.moved"
    document_deleted = "document.deleted"
    document_restored = "document.restored"
    document_label_saved = "document-label.saved"
    document_label_deleted = "document-label.deleted"
    # the audit log itself
    audit_log_exported = "audit-log.exported"


class AccessKind(StrEnum):
    """What an entry about a patient's record did to it, as the patient's own view says it."""

    read = "read"
    changed = "changed"
    shared = "shared"


# Entries about a patient record, and what they did to it (read / changed / shared).
RECORD_ACCESS: dict[AuditAction, AccessKind] = {
    AuditAction.patient_viewed: AccessKind.read,
    AuditAction.patient_created: AccessKind.changed,
    AuditAction.patient_updated: AccessKind.changed,
    AuditAction.patient_merged: AccessKind.changed,
    AuditAction.patient_archived: AccessKind.changed,
    AuditAction.patient_restored: AccessKind.changed,
    AuditAction.proposal_accepted: AccessKind.changed,
    AuditAction.proposal_dismissed: AccessKind.changed,
    AuditAction.access_code_generated: AccessKind.shared,
    AuditAction.access_code_emailed: AccessKind.shared,
    AuditAction.access_code_revoked: AccessKind.shared,
    AuditAction.portal_access_revoked: AccessKind.shared,
    AuditAction.appointment_booked: AccessKind.changed,
    AuditAction.appointment_rescheduled: AccessKind.changed,
    AuditAction.appointment_marked_booked: AccessKind.changed,
    AuditAction.appointment_arrived: AccessKind.changed,
    AuditAction.appointment_no_show: AccessKind.changed,
    AuditAction.appointment_cancelled: AccessKind.changed,
    AuditAction.chart_created: AccessKind.changed,
    AuditAction.chart_viewed: AccessKind.read,
    AuditAction.chart_edited: AccessKind.changed,
    AuditAction.chart_locked: AccessKind.changed,
    AuditAction.chart_addendum_added: AccessKind.changed,
    AuditAction.chart_note_added: AccessKind.changed,
    AuditAction.chart_shared: AccessKind.shared,
    AuditAction.chart_share_withdrawn: AccessKind.shared,
    AuditAction.document_uploaded: AccessKind.changed,
    AuditAction.document_viewed: AccessKind.read,
    AuditAction.document_downloaded: AccessKind.read,
    AuditAction.document_labelled: AccessKind.changed,
    AuditAction.document_shared: AccessKind.shared,
    AuditAction.document_unshared: AccessKind.shared,
    AuditAction.document_renamed: AccessKind.changed,
    AuditAction.document_moved: AccessKind.changed,
    AuditAction.document_deleted: AccessKind.changed,
    AuditAction.document_restored: AccessKind.changed,
}

# Words for the screens: what happened, in a person's words.
ACTION_WORDS: dict[AuditAction, str] = {
    AuditAction.account_created: "Created an account",
    AuditAction.account_kind_changed: "Changed the account type",
    AuditAction.sign_in: "Signed in",
    AuditAction.sign_in_failed: "Failed to sign in",
    AuditAction.session_ended: "Signed out",
    AuditAction.password_changed: "Changed their password",
    AuditAction.password_reset_requested: "Asked to reset their password",
    AuditAction.password_reset: "Reset their password",
    AuditAction.two_factor_enabled: "Turned on two-factor sign-in",
    AuditAction.two_factor_disabled: "Turned off two-factor sign-in",
    AuditAction.two_factor_failed: "Entered a wrong two-factor code",
    AuditAction.two_factor_recovery_code_used: "Signed in with a recovery code",
    AuditAction.two_factor_recovery_codes_renewed: "Made new recovery codes",
    AuditAction.two_factor_required_for_team: "Changed the team's two-factor requirement",
    AuditAction.office_created: "Created the office",
    AuditAction.office_updated: "Changed the office details",
    AuditAction.team_invited: "Invited a team member",
    AuditAction.team_invitation_revoked: "Revoked an invitation",
    AuditAction.team_invitation_accepted: "Joined the office",
    AuditAction.team_invitation_declined: "Declined an invitation",
    AuditAction.team_member_removed: "Removed a team member",
    AuditAction.team_ownership_transferred: "Handed over ownership",
    AuditAction.patient_viewed: "Opened the record",
    AuditAction.patient_created: "Created the record",
    AuditAction.patient_updated: "Changed the record",
    AuditAction.patient_merged: "Merged an online booking's record into it",
    AuditAction.patient_archived: "Archived the record",
    AuditAction.patient_restored: "Restored the record",
    AuditAction.proposal_accepted: "Accepted a change proposed from the portal",
    AuditAction.proposal_dismissed: "Dismissed a change proposed from the portal",
    AuditAction.access_code_generated: "Made a portal access code",
    AuditAction.access_code_emailed: "Invited someone to the portal by e-mail",
    AuditAction.access_code_revoked: "Revoked a portal access code",
    AuditAction.access_code_redeemed: "Unlocked the record in the portal",
    AuditAction.access_code_redeem_failed: "Entered a wrong access code",
    AuditAction.portal_access_revoked: "Revoked someone's portal access",
    AuditAction.portal_profile_viewed: "Viewed the profile in the portal",
    AuditAction.portal_profile_proposed: "Proposed profile changes from the portal",
    AuditAction.appointment_booked: "Booked an appointment",
    AuditAction.appointment_booked_online: "Booked an appointment online",
    AuditAction.appointment_rescheduled: "Moved an appointment",
    AuditAction.appointment_marked_booked: "Put an appointment back to booked",
    AuditAction.appointment_arrived: "Marked an appointment arrived",
    AuditAction.appointment_no_show: "Marked an appointment a no-show",
    AuditAction.appointment_cancelled: "Cancelled an appointment",
    AuditAction.appointment_cancelled_online: "Cancelled an appointment online",
    AuditAction.service_saved: "Saved a service",
    AuditAction.service_retired: "Retired a service",
    AuditAction.hours_set: "Set working hours",
    AuditAction.time_off_added: "Added time off",
    AuditAction.time_off_removed: "Removed time off",
    AuditAction.booking_options_saved: "Changed the online booking options",
    AuditAction.chart_created: "Started a chart",
    AuditAction.chart_viewed: "Read a chart",
    AuditAction.chart_edited: "Wrote in a chart",
    AuditAction.chart_locked: "Locked (signed) a chart",
    AuditAction.chart_addendum_added: "Added an addendum to a chart",
    AuditAction.chart_note_added: "Added a note to a shared chart",
    AuditAction.chart_shared: "Shared charts",
    AuditAction.chart_share_withdrawn: "Withdrew a chart share",
    AuditAction.treatment_plans_viewed: "Read the treatment plans in the portal",
    AuditAction.sharing_list_added: "Added to their sharing list",
    AuditAction.sharing_list_removed: "Removed from their sharing list",
    AuditAction.sharing_pin_failed: "Entered a wrong Share PIN",
    AuditAction.share_pin_renewed: "Made a new Share PIN",
    AuditAction.document_uploaded: "Uploaded a document",
    AuditAction.document_viewed: "Previewed a document",
    AuditAction.document_downloaded: "Downloaded a document",
    AuditAction.document_labelled: "Changed a document's labels",
    AuditAction.document_shared: "Shared a document",
    AuditAction.document_unshared: "Stopped sharing a document",
    AuditAction.document_renamed: "Renamed a document",
    AuditAction.document_moved: "Moved a document into a patient's workspace",
    AuditAction.document_deleted: "Deleted a document",
    AuditAction.document_restored: "Undid the deletion of a document",
    AuditAction.document_label_saved: "Saved a document label",
    AuditAction.document_label_deleted: "Deleted a document label",
    AuditAction.audit_log_exported: "Exported the audit log",
}


def record(
    db: Session,
    actor: Actor | None,
    action: AuditAction,
    *,
    office_id: int | None = None,
    patient_id: int | None = None,
    target_type: str = "",
    target_id: int | None = None,
    detail: Mapping[str, Any] | None = None,
    user_id: int | None = None,
    client_ip: str = "",
    at: datetime | None = None,
) -> None:
    """Add an entry in the caller's transaction: it lands or rolls back with the action."""
    db.add(
        AuditEntry(
            at=now_or(at),
            actor_user_id=actor.user_id if actor else user_id,
            office_id=office_id,
            patient_id=patient_id,
            action=AuditAction(action).value,
            target_type=target_type,
            target_id=target_id,
            detail=json.dumps(dict(detail), separators=(",", ":"), default=str)[:1000] if detail else "",
            client_ip=(actor.client_ip if actor else client_ip)[:64],
        )
    )


def detail_of(entry: AuditEntry) -> dict[str, Any]:
    """An entry's structured detail ({} when it has none)."""
    return parse_detail(entry.detail)


def parse_detail(text: str) -> dict[str, Any]:
    """A stored detail as a dict ({} for none; older free text as {"text": …})."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {"text": text}
    return value if isinstance(value, dict) else {"value": value}
