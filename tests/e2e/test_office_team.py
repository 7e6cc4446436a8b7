"""The office team (issue 3), through the real UI in Chromium: invitations by
e-mail, approving them in the dialog, removal with immediate effect.

Two browsers per test: the owner's and the invited person's, each with its
own cookies. Invitations and lost access reach a page that is already open
as the server pushes them (app/live/), so those expectations wait up to
LIVE_TIMEOUT_MS. No test here fails a sign-in (see the throttle note in
test_accounts_and_offices.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.harness import RunningApp
from tests.e2e.steps import (
    LIVE_TIMEOUT_MS,
    PUSHED_TIMEOUT_MS,
    expect_not_reloaded,
    fill_sign_up_here,
    invitation_dialog,
    invitation_subject,
    invite_to_office,
    mark_page,
    new_person,
    office_share_pin,
    open_confirmation_link,
    open_page,
    open_team_tab,
    remove_member,
    sign_up,
    sign_up_with_office,
    team_member,
    team_region,
)

CLINIC_HOME = re.compile(r"/clinic/?$")


def test_staff_member_signs_up_from_the_invitation_approves_and_loses_access_when_removed(
    page: Page, new_page: Callable[[], Page], app: RunningApp
) -> None:
    office = "Harbour Physiotherapy"
    owner = sign_up_with_office(page, app.mailbox, office, name="Olivia Grant")
    staff = new_person("practitioner", name="Sam Desk")
    typed = staff.email.upper()  # the invitation is for the address, whatever its case

    open_team_tab(page)
    invite_to_office(page, "staff", typed)
    expect(page.get_by_text(f"Invitation sent to {typed}.")).to_be_visible()
    staff_column = team_region(page, "staff")
    expect(staff_column.get_by_role("button", name=f"Revoke invitation for {typed}")).to_be_visible()
    expect(staff_column.get_by_text(re.compile(r"^Invited · expires "))).to_be_visible()
    expect(team_region(page, "practitioner").get_by_text(typed)).to_have_count(0)

    mail = app.mailbox.wait_for_mail(staff.email, invitation_subject(owner.name, office))
    assert "as administrative staff" in mail.body
    sign_up_link = app.mailbox.link_in(mail, "/sign-up")
    assert sign_up_link == app.url("/sign-up")

    # The invited person has no account yet: the e-mail's link, sign up as
    # Practitioner (as the e-mail says), confirm, and the invitation is waiting.
    invitee = new_page()
    open_page(invitee, sign_up_link)
    expect(invitee.get_by_role("radio", name="Practitioner")).to_be_checked()
    fill_sign_up_here(invitee, staff)
    open_confirmation_link(invitee, app.mailbox, staff.email)
    expect(invitee).to_have_url(CLINIC_HOME)
    dialog = invitation_dialog(invitee, office)
    expect(dialog).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect(dialog).to_contain_text(f"{owner.name} invites you to join {office} as administrative staff.")
    dialog.get_by_role("button", name="Approve").click()

    expect(invitee).to_have_url(CLINIC_HOME)
    expect(invitee.get_by_text(f"Welcome to {office}!")).to_be_visible()
    expect(dialog).to_be_hidden()
    expect(invitee.get_by_role("button", name="Switch office")).to_contain_text(office)
    open_page(invitee, "/clinic/office")
    office_share_pin(invitee)
    expect(invitee.get_by_role("heading", name="Office Details")).to_be_visible()

    # The owner sees them under Staff, with the invitation used up.
    open_team_tab(page)
    member = team_member(page, "staff", staff.name)
    expect(member).to_be_visible()
    expect(member).to_contain_text(staff.email)
    expect(staff_column.get_by_role("button", name=f"Revoke invitation for {typed}")).to_have_count(0)
    expect(team_member(page, "practitioner", staff.name)).to_have_count(0)

    # The staff member's Office Details stays open while the owner removes them.
    mark_page(invitee)
    remove_member(page, "staff", staff.name)
    expect(team_member(page, "staff", staff.name)).to_have_count(0)
    expect(staff_column.get_by_text("No staff yet.")).to_be_visible()

    expect(invitee.get_by_text(f"You no longer have access to {office}.")).to_be_visible(timeout=PUSHED_TIMEOUT_MS)
    expect(invitee).to_have_url(CLINIC_HOME)
    expect_not_reloaded(invitee)  # the open page was taken off the office, not reloaded
    # "not part of an office yet" is what an office-less *staff* account sees: approving the
    # staff invitation turned this practitioner account into administrative staff.
    expect(invitee.get_by_text("You're not part of an office yet")).to_be_visible()
    expect(invitee.get_by_role("button", name="Switch office")).to_have_count(0)
    expect(invitee.get_by_text(office, exact=True)).to_have_count(0)

    # Their next attempt to reach the office's pages gets nothing of it.
    open_page(invitee, "/clinic/office")
    expect(
        invitee.get_by_role(
            "heading", name=re.compile(r"^(Sign in to Praxis|Create your office|Home|You can't open this page)$")
        )
    ).to_be_visible()
    expect(invitee.get_by_role("heading", name="Office Details")).to_have_count(0)
    expect(invitee.get_by_label("Office Share PIN")).to_have_count(0)
    expect(invitee.get_by_text(office, exact=True)).to_have_count(0)


def test_signed_in_practitioner_sees_an_invitation_appear_without_reloading_and_declines_it(
    page: Page, new_page: Callable[[], Page], app: RunningApp
) -> None:
    office = "Riverside Chiropractic"
    owner = sign_up_with_office(page, app.mailbox, office, name="Rita Moreau")
    practitioner = new_person("practitioner", name="Paulo Reyes")
    other = new_page()
    sign_up(other, app.mailbox, practitioner)
    expect(other.get_by_text("Set up your office")).to_be_visible()
    mark_page(other)
    expect(invitation_dialog(other, office)).to_have_count(0)

    open_team_tab(page)
    invite_to_office(page, "practitioner", practitioner.email)
    expect(page.get_by_text(f"Invitation sent to {practitioner.email}.")).to_be_visible()
    pending = team_region(page, "practitioner").get_by_role(
        "button", name=f"Revoke invitation for {practitioner.email}"
    )
    expect(pending).to_be_visible()

    dialog = invitation_dialog(other, office)
    expect(dialog).to_be_visible(timeout=PUSHED_TIMEOUT_MS)
    expect_not_reloaded(other)
    expect(other).to_have_url(CLINIC_HOME)
    expect(dialog).to_contain_text(f"{owner.name} invites you to join {office} as a practitioner.")
    dialog.get_by_role("button", name="Decline").click()
    expect(dialog).to_be_hidden()
    expect(other.get_by_text("Invitation declined.")).to_be_visible()
    expect(other.get_by_text("Set up your office")).to_be_visible()
    expect(other.get_by_role("button", name="Switch office")).to_have_count(0)

    open_team_tab(page)
    expect(team_member(page, "practitioner", owner.name)).to_be_visible()
    expect(pending).to_have_count(0)
    expect(page.get_by_text(practitioner.email)).to_have_count(0)


def test_inviting_a_member_again_says_so_and_a_practitioner_cannot_manage_the_team(
    page: Page, new_page: Callable[[], Page], app: RunningApp
) -> None:
    office = "Maple Street Clinic"
    owner = sign_up_with_office(page, app.mailbox, office, name="Marta Silva")
    colleague = new_person("practitioner", name="Pedro Colleague")
    open_team_tab(page)
    invite_to_office(page, "practitioner", colleague.email)
    expect(page.get_by_text(f"Invitation sent to {colleague.email}.")).to_be_visible()

    other = new_page()
    sign_up(other, app.mailbox, colleague)
    dialog = invitation_dialog(other, office)
    expect(dialog).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect(dialog).to_contain_text("as a practitioner.")
    dialog.get_by_role("button", name="Approve").click()
    expect(other.get_by_text(f"Welcome to {office}!")).to_be_visible()
    expect(other.get_by_role("button", name="Switch office")).to_contain_text(office)

    # The owner invites the same person again, in another case: they are a member already.
    open_team_tab(page)
    expect(team_member(page, "practitioner", colleague.name)).to_be_visible()
    invite_to_office(page, "practitioner", colleague.email.upper())
    practitioners = team_region(page, "practitioner")
    expect(practitioners.get_by_role("alert")).to_have_text(f"{colleague.name} is already a member of this office.")
    expect(practitioners.get_by_label("Invite a practitioner by e-mail")).to_have_attribute("aria-invalid", "true")
    expect(practitioners.get_by_role("button", name=re.compile(r"^Revoke invitation for "))).to_have_count(0)
    expect(page.get_by_text(re.compile(r"^Invitation sent to .*@EXAMPLE\.COM\.$"))).to_have_count(0)

    # The practitioner sees the team, but none of the owner's controls.
    open_team_tab(other)
    expect(team_member(other, "practitioner", owner.name).get_by_text("Owner", exact=True)).to_be_visible()
    expect(team_member(other, "practitioner", colleague.name).get_by_text("You", exact=True)).to_be_visible()
    expect(other.get_by_label("Invite a practitioner by e-mail")).to_have_count(0)
    expect(other.get_by_label("Invite a staff member by e-mail")).to_have_count(0)
    expect(other.get_by_role("button", name="Invite", exact=True)).to_have_count(0)
    expect(other.get_by_role("button", name=re.compile(r"^Remove "))).to_have_count(0)
    expect(other.get_by_role("button", name=re.compile(r"^Make .* the owner$"))).to_have_count(0)

    # The owner has them; the owner's own row has no Remove button either.
    expect(page.get_by_role("button", name=f"Remove {colleague.name}")).to_be_visible()
    expect(page.get_by_role("button", name=f"Make owner: {colleague.name}")).to_be_visible()
    expect(page.get_by_role("button", name=f"Remove {owner.name}")).to_have_count(0)


def test_a_practitioner_without_an_office_who_opens_office_stays_signed_in(page: Page, app: RunningApp) -> None:
    person = new_person("practitioner")
    sign_up(page, app.mailbox, person)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Office", exact=True).click()
    # Office Details sends an account without an office to "Create your office", signed in.
    expect(page.get_by_role("heading", name="Create your office")).to_be_visible()
    # Still signed in: Home, not the sign-in page.
    open_page(page, "/clinic")
    expect(page.get_by_text("Set up your office")).to_be_visible(timeout=5_000)


def test_a_patient_account_invited_to_a_team_is_told_why_and_can_only_decline(
    page: Page, new_page: Callable[[], Page], app: RunningApp
) -> None:
    office = "Larkspur Wellness"
    sign_up_with_office(page, app.mailbox, office)
    patient = new_person("patient", name="Quinn Harper")
    open_team_tab(page)
    invite_to_office(page, "staff", patient.email)

    other = new_page()
    sign_up(other, app.mailbox, patient)
    dialog = invitation_dialog(other, office)
    expect(dialog).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect(dialog).to_contain_text("patient accounts can't join an office's team")
    expect(dialog.get_by_role("button", name="Approve")).to_have_count(0)
    dialog.get_by_role("button", name="Decline").click()
    expect(dialog).to_be_hidden()
