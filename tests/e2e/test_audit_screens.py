"""The audit screens (issue 10, item 13), through the real UI in Chromium: the office
owner's Audit log with its filters and CSV export, and the portal's "Who opened my record".
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.e2e.harness import RunningApp
from tests.e2e.steps import (
    audit_log_column,
    close_access_code_dialog,
    create_patient,
    expect_record_unlocked,
    filter_audit_log_by_patient,
    generate_access_code,
    join_office_as_staff,
    new_person,
    open_audit_log,
    open_page,
    open_patients,
    record_access_entries,
    redeem_access_code,
    sign_up,
    sign_up_with_office,
)

OFFICE_ZONE = ZoneInfo("America/Toronto")  # create_office's default time zone


def test_the_owner_filters_the_audit_log_to_one_patient_and_exports_it(page: Page, app: RunningApp) -> None:
    sign_up_with_office(page, app.mailbox, "Cedar Lane Clinic", name="Olivia Grant")
    open_patients(page)
    create_patient(page, "Ana", "Souza")
    open_patients(page)
    create_patient(page, "Bruno", "Costa")

    open_audit_log(page)
    table = page.get_by_role("table")
    expect(table.get_by_role("row").filter(has_text="Bruno Costa").first).to_be_visible()
    expect(table.get_by_role("row").filter(has_text="Ana Souza").first).to_be_visible()
    expect(table).to_contain_text("Created the office")
    expect(page.get_by_text(re.compile(r"Times are in America/Toronto"))).to_be_visible()

    filter_audit_log_by_patient(page, "souza", "Souza, Ana")
    expect(table.get_by_role("row").filter(has_text="Bruno Costa")).to_have_count(0)
    expect(table).not_to_contain_text("Created the office")
    expect(table.get_by_role("row").filter(has_text="Created the record")).to_have_count(1)
    expect(table.get_by_role("row").filter(has_text="Opened the record").first).to_be_visible()
    shown = audit_log_column(page, "Patient")
    assert shown and set(shown) == {"Ana Souza"}, shown
    assert set(audit_log_column(page, "Person")) == {"Olivia Grant"}
    expect(page.get_by_text(re.compile(rf"^Page 1 of 1 · {len(shown)} entr(y|ies)$"))).to_be_visible()

    # The CSV holds what the filter matches, and nothing else.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    download = download_info.value
    assert download.suggested_filename == "audit-log.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(shown)
    assert {row["patient"] for row in rows} == {"Ana Souza"}
    assert {"patient.created", "patient.viewed"} <= {row["action"] for row in rows}
    assert {row["person"] for row in rows} == {"Olivia Grant"}

    # A date range with nothing in it says so, and clearing the filters brings everything back.
    next_month = (datetime.now(OFFICE_ZONE) + timedelta(days=40)).date()
    page.get_by_label("From", exact=True).fill(next_month.isoformat())
    expect(page.get_by_text("No entries match these filters")).to_be_visible()
    expect(page.get_by_role("link", name="Export CSV")).to_have_count(0)
    page.get_by_role("button", name="Clear filters").first.click()
    expect(table.get_by_role("row").filter(has_text="Bruno Costa").first).to_be_visible()
    expect(page.get_by_label("From", exact=True)).to_have_value("")


def test_a_patient_sees_the_staff_member_who_opened_their_record(
    page: Page, new_page: Callable[[], Page], app: RunningApp
) -> None:
    office = "Birch Road Physiotherapy"
    owner = sign_up_with_office(page, app.mailbox, office, name="Olivia Grant")
    open_patients(page)
    workspace = create_patient(page, "Paulo", "Souza")
    words = generate_access_code(page, "Paulo Souza")
    close_access_code_dialog(page, "Paulo Souza")

    patient = new_page()
    sign_up(patient, app.mailbox, new_person("patient", name="Paulo Souza"))
    redeem_access_code(patient, words)
    expect_record_unlocked(patient, "Paulo Souza")

    # A front-desk member joins the office and opens Paulo's workspace.
    desk = new_page()
    join_office_as_staff(page, desk, app.mailbox, office, owner, name="Sam Desk")
    open_page(desk, workspace)
    expect(desk.get_by_role("heading", name="Paulo Souza", exact=True)).to_be_visible()
    # The office's Audit log is the owner's: no link for the front desk, and the page refuses them.
    open_page(desk, "/clinic/office")
    expect(desk.get_by_role("heading", name="Office Details")).to_be_visible()
    expect(desk.get_by_role("link", name="Audit log", exact=True)).to_have_count(0)
    open_page(desk, "/clinic/office/audit-log")
    expect(desk.get_by_role("heading", name="You can't open this page")).to_be_visible()
    expect(desk.get_by_role("table")).to_have_count(0)

    # The patient, from the portal's overview.
    open_page(patient, "/portal")
    patient.get_by_role("link", name=re.compile(r"Who opened my record")).click()
    expect(patient).to_have_url(re.compile(r"/portal/record-access/?$"))
    expect(patient.get_by_role("heading", name="Who opened my record")).to_be_visible()
    entries = record_access_entries(patient)
    newest = entries.first
    for words_shown in ("Read", "Opened the record", "Sam Desk", "Front desk staff"):
        expect(newest).to_contain_text(words_shown)
    today = datetime.now(OFFICE_ZONE)
    expect(newest).to_contain_text(f"{today:%a} {today.day} {today:%b} {today.year}, ")
    shared = entries.filter(has_text="Made a portal access code")
    expect(shared).to_have_count(1)
    for words_shown in ("Shared", "Olivia Grant", "Practitioner (office owner)"):
        expect(shared).to_contain_text(words_shown)
    expect(entries.filter(has_text="Created the record")).to_contain_text("Changed")
    # The patient's own unlocking is theirs, not the clinic's: it is not listed.
    expect(entries.filter(has_text="Paulo Souza")).to_have_count(0)

    # Readable on a phone: nothing wider than the screen.
    patient.set_viewport_size({"width": 375, "height": 800})
    open_page(patient, "/portal/record-access")
    expect(record_access_entries(patient).first).to_contain_text("Sam Desk")
    assert patient.evaluate("document.documentElement.scrollWidth") <= 375
