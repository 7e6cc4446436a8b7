"""A record is archived, never deleted: it leaves the list, shows under archived records, and comes back."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.accessibility import assert_accessible
from tests.e2e.harness import RunningApp
from tests.e2e.steps import create_patient, open_patients, sign_up_with_office


def test_staff_archive_a_record_find_it_among_archived_records_and_restore_it(page: Page, app: RunningApp) -> None:
    sign_up_with_office(page, app.mailbox, "Willow Creek Clinic")
    open_patients(page)
    create_patient(page, "Tomas", "Archer")
    workspace = re.sub(r"^https?://[^/]+", "", page.url)

    page.get_by_role("button", name="Archive record").click()
    dialog = page.get_by_role("alertdialog", name="Archive Tomas Archer's record?")
    expect(dialog).to_contain_text("Nothing is deleted")
    assert_accessible(page, "archive a record, the confirmation")
    dialog.get_by_role("button", name="Archive", exact=True).click()
    expect(page.get_by_text("Record archived.")).to_be_visible()
    notice = page.get_by_text(re.compile(r"Archived since .*Hidden from the patient list"))
    expect(notice).to_be_visible()
    expect(page.get_by_role("button", name="Archive record")).to_have_count(0)

    open_patients(page)
    expect(page.get_by_role("link", name="Archer, Tomas")).to_have_count(0)
    expect(page.get_by_text("No patients yet")).to_be_visible()
    page.get_by_text("Show archived records").click()
    archived = page.get_by_role("link", name="Archer, Tomas")
    expect(archived).to_be_visible()
    archived.click()
    expect(page).to_have_url(re.compile(re.escape(workspace) + "/?$"))
    page.get_by_role("button", name="Restore record").click()
    expect(page.get_by_text("Record restored.")).to_be_visible()
    expect(notice).to_have_count(0)

    open_patients(page)
    expect(page.get_by_role("link", name="Archer, Tomas")).to_be_visible()
