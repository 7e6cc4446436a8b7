"""The kinds of audit entries: a typed enum, so a typo cannot invent a new kind of entry.

Words for the screens and what each entry did to a patient's record are in services/audit.py.
"""

from __future__ import annotations

from enum import StrEnum


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
    office_notices_saved = "office.notices-saved"
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
    # SmartForms
    form_created = "form.created"
    form_edited = "form.edited"
    form_sharing_saved = "form.sharing-saved"
    form_assigned = "form.assigned"
    form_opened = "form.opened"
    form_started = "form.started"
    form_submitted = "form.submitted"
    form_submission_viewed = "form.submission-viewed"
    form_submission_reviewed = "form.submission-reviewed"
    form_booking_form_set = "form.booking-form-set"
    # the audit log itself
    audit_log_exported = "audit-log.exported"


class AccessKind(StrEnum):
    """What an entry about a patient's record did to it, as the patient's own view says it."""

    read = "read"
    changed = "changed"
    shared = "shared"
