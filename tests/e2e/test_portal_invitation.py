"""Invite by e-mail (issue 14 item 7), through the real UI: staff send the invitation from Patient
Portal Access, and the person who receives it follows the link, creates a portal account and finds
the record unlocked."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.harness import RunningApp
from tests.e2e.steps import (
    create_patient,
    expect_record_unlocked,
    fill_new_patient,
    fill_sign_up_here,
    new_person,
    open_confirmation_link,
    open_patients,
    open_workspace_tab,
    sign_up_with_office,
    wait_until_interactive,
)


def test_staff_invite_a_patient_by_e_mail_and_the_link_unlocks_the_record_once(
    page: Page, new_page: Callable[[], Page], app: RunningApp
) -> None:
    sign_up_with_office(page, app.mailbox, "Harbourview Clinic")
    open_patients(page)
    create_patient(page, "Lena", "Okoye", email="lena.okoye@example.com")
    open_workspace_tab(page, "Patient Portal Access")
    expect(page.get_by_text("No unused codes.")).to_be_visible()

    page.get_by_role("button", name="Invite by e-mail").click()
    dialog = page.get_by_role("dialog", name="Invite to the patient portal")
    address = dialog.get_by_label("E-mail address")
    expect(address).to_have_value("lena.okoye@example.com")  # the record's own address, offered first
    expect(address).to_be_focused()
    # A bad address is refused beside the field, and nothing is sent.
    address.fill("lena at example")
    dialog.get_by_role("button", name="Send invitation").click()
    expect(dialog.get_by_text("Enter an e-mail address like name@example.com.")).to_be_visible()
    expect(address).to_have_attribute("aria-invalid", "true")
    # The family's shared address instead of the record's.
    address.fill("okoye.family@example.com")
    dialog.get_by_role("button", name="Send invitation").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text("Invitation sent to okoye.family@example.com.")).to_be_visible()
    expect(page.get_by_text("No unused codes.")).to_be_hidden()  # listed with the unused codes, revocable

    mail = app.mailbox.wait_for_mail("okoye.family@example.com", "portal invitation")
    assert "Lena Okoye" in mail.body and "Harbourview Clinic" in mail.body
    link = app.mailbox.link_in(mail, "/portal/redeem")

    family = new_page()
    family.goto(link)
    expect(family).to_have_url(re.compile(r"/sign-in/?\?next="))
    wait_until_interactive(family)
    family.get_by_role("link", name="Create an account").click()
    parent = new_person("patient", name="Ada Okoye")
    fill_sign_up_here(family, parent)
    open_confirmation_link(family, app.mailbox, parent.email)
    expect(family.get_by_role("heading", name="Unlock a record")).to_be_visible()
    wait_until_interactive(family)
    family.get_by_role("button", name="Unlock record").click()
    expect_record_unlocked(family, "Lena Okoye")

    # The clinic sees the account among those with access, and the invitation is used up.
    page.reload()
    wait_until_interactive(page)
    open_workspace_tab(page, "Patient Portal Access")
    expect(page.get_by_role("rowheader", name="Ada Okoye")).to_be_visible()
    expect(page.get_by_text("No unused codes.")).to_be_visible()


def test_a_second_record_with_the_same_e_mail_is_pointed_out_and_can_still_be_made(page: Page, app: RunningApp) -> None:
    sign_up_with_office(page, app.mailbox, "Cedar Family Practice")
    open_patients(page)
    first = create_patient(page, "Mara", "Lind", email="lind.family@example.com")
    open_patients(page)
    fill_new_patient(page, "Otto", "Lind", email="Lind.Family@example.com")
    dialog = page.get_by_role("dialog", name="New patient")
    note = dialog.get_by_role("status").filter(has_text="already has this e-mail address")
    expect(note).to_contain_text("Mara Lind already has this e-mail address.")
    expect(note.get_by_role("link", name="Open Mara Lind's record")).to_have_attribute("href", first)
    # A family shares the address: the second try makes the record.
    dialog.get_by_role("button", name="Create patient").click()
    expect(page).to_have_url(re.compile(r"/clinic/patients/\d+/?$"))
    expect(page.get_by_role("heading", name="Otto Lind", exact=True)).to_be_visible()
