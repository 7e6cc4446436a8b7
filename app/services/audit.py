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
from typing import Any

from sqlmodel import Session

from app.models import AuditEntry
from app.services.actor import Actor
from app.services.audit_actions import AccessKind, AuditAction
from app.services.clock import now_or

__all__ = ["ACTION_WORDS", "RECORD_ACCESS", "AccessKind", "AuditAction", "detail_of", "parse_detail", "record"]

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
    AuditAction.form_assigned: AccessKind.changed,
    AuditAction.form_submission_viewed: AccessKind.read,
    AuditAction.form_submission_reviewed: AccessKind.changed,
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
    AuditAction.office_notices_saved: "Changed how the clinic is told of online events",
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
    AuditAction.form_created: "Created a form",
    AuditAction.form_edited: "Edited a form",
    AuditAction.form_sharing_saved: "Changed a form's sharing options",
    AuditAction.form_assigned: "Assigned a form",
    AuditAction.form_opened: "Opened a form in the portal",
    AuditAction.form_started: "Started filling in a form",
    AuditAction.form_submitted: "Submitted a form",
    AuditAction.form_submission_viewed: "Read a form submission",
    AuditAction.form_submission_reviewed: "Marked a form submission reviewed",
    AuditAction.form_booking_form_set: "Chose the form of a service's online booking",
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
