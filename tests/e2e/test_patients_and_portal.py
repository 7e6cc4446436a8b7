"""Patient records, access codes and the family portal (issue 4), through
the real UI in Chromium.

Staff and patients each have their own browser (own cookies). A code is read
off the staff page exactly as a receptionist would read it out. Each test
fails at most one redemption (the redemption throttle allows 10 an hour per
account and per client address, and every browser here is 127.0.0.1), and
no test fails a sign-in.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e.harness import RunningApp
from tests.e2e.steps import (
    REDEEM_FAILED,
    close_access_code_dialog,
    code_in_link,
    create_patient,
    expect_record_unlocked,
    fill_new_patient,
    fill_sign_up_here,
    generate_access_code,
    new_person,
    open_confirmation_link,
    open_page,
    open_patients,
    open_workspace_tab,
    portal_nav,
    record_switcher,
    redeem_access_code,
    sign_up,
    sign_up_with_office,
    wait_until_interactive,
)

OFFICE_ZONE = ZoneInfo("America/Toronto")  # create_office's default time zone
EMPTY_TABS = {"Appointments": "No appointments yet", "Charts": "No charts yet"}
# Every tab the workspace has (UI.md: never promise what does not exist).
WORKSPACE_TABS = ("Profile", "Appointments", "Charts", "Forms", "Documents", "Patient Portal Access")


def staff_with_patient(page: Page, app: RunningApp, office: str, first: str, last: str, **fields: str) -> str:
    """A new office owner who creates one patient; returns the workspace path (the page is left there)."""
    sign_up_with_office(page, app.mailbox, office)
    open_patients(page)
    return create_patient(page, first, last, **fields)


def code_for(page: Page, patient_name: str) -> str:
    words = generate_access_code(page, patient_name)
    close_access_code_dialog(page, patient_name)
    return words


def test_staff_create_a_patient_and_a_new_patient_unlocks_the_record_with_its_code(
    page: Page, new_page: Callable[[], Page], app: RunningApp
) -> None:
    sign_up_with_office(page, app.mailbox, "Lakeside Physiotherapy")
    open_patients(page)
    expect(page.get_by_text("No patients yet")).to_be_visible()

    in_two_days = (datetime.now(OFFICE_ZONE) + timedelta(days=2)).date().isoformat()
    fill_new_patient(
        page,
        "Lucia",
        "Fernandes",
        date_of_birth=in_two_days,
        sex="Female",
        email="lucia.fernandes@example.com",
        phone="+1 416 555 0142",
        address="8 Dundas Street West, Toronto",
    )
    dialog = page.get_by_role("dialog", name="New patient")
    born = dialog.get_by_label("Date of birth")
    expect(born).to_have_attribute("aria-invalid", "true")
    expect(born).to_have_accessible_description("The date of birth can't be in the future.")
    expect(dialog.get_by_role("alert")).to_have_text("The date of birth can't be in the future.")
    expect(page).to_have_url(re.compile(r"/clinic/patients/?$"))
    expect(dialog.get_by_label("First name")).to_have_value("Lucia")  # nothing typed is lost

    born.fill("2015-04-02")
    dialog.get_by_role("button", name="Create patient").click()
    expect(page).to_have_url(re.compile(r"/clinic/patients/\d+/?$"))
    expect(page.get_by_role("heading", name="Lucia Fernandes", exact=True)).to_be_visible()
    expect(page.get_by_text("Born 2 Apr 2015")).to_be_visible()
    workspace = re.sub(r"^https?://[^/]+", "", page.url)
    expect(page.get_by_role("tab")).to_have_count(len(WORKSPACE_TABS))
    for tab in WORKSPACE_TABS:
        expect(page.get_by_role("tab", name=tab, exact=True)).to_be_visible()
    expect(page.get_by_role("textbox", name="Phone", exact=True)).to_have_value("+1 416 555 0142")
    expect(page.get_by_role("combobox", name="Sex")).to_have_text("Female")
    for tab, empty in EMPTY_TABS.items():
        open_workspace_tab(page, tab)
        expect(page.get_by_text(empty, exact=True)).to_be_visible()

    # The list finds her by name and by date of birth.
    open_patients(page)
    search = page.get_by_label("Search patients")
    lucia = page.get_by_role("link", name="Fernandes, Lucia")
    expect(lucia).to_be_visible()
    for query in ("fernandes", "2015-04-02", "555-0142"):
        search.fill("nobody by this name")
        expect(page.get_by_text("No patients match your search")).to_be_visible()
        expect(lucia).to_have_count(0)
        search.fill(query)
        expect(lucia).to_be_visible()

    open_page(page, workspace)
    open_workspace_tab(page, "Patient Portal Access")
    expect(page.get_by_text("No portal account holds this record yet.")).to_be_visible()
    words = code_for(page, "Lucia Fernandes")
    expect(page.get_by_role("button", name=re.compile(r"^Revoke code created "))).to_have_count(1)

    # The patient creates a portal account and unlocks the record with the words read out to her.
    patient = new_person("patient", name="Lucia Fernandes")
    portal = new_page()
    sign_up(portal, app.mailbox, patient)
    portal.get_by_role("link", name="I have an access code").click()
    expect(portal.get_by_role("heading", name="Unlock a record")).to_be_visible()
    wait_until_interactive(portal)
    portal.get_by_label("Access code").fill("tiger tiger tiger tiger")
    portal.get_by_role("button", name="Unlock record").click()
    expect(portal.get_by_role("alert")).to_have_text(REDEEM_FAILED)
    expect(portal).to_have_url(re.compile(r"/portal/redeem/?$"))

    portal.get_by_label("Access code").fill(words)
    portal.get_by_role("button", name="Unlock record").click()
    expect_record_unlocked(portal, "Lucia Fernandes")
    expect(record_switcher(portal).get_by_role("radio", name="Lucia Fernandes")).to_have_attribute(
        "aria-checked", "true"
    )
    expect(portal.get_by_text("Lakeside Physiotherapy")).to_be_visible()

    # Staff see who holds the record now, and the code is used up.
    page.reload()
    wait_until_interactive(page)
    open_workspace_tab(page, "Patient Portal Access")
    expect(page.get_by_role("button", name=f"Revoke Access for {patient.email}")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=patient.email)).to_contain_text(patient.name)
    expect(page.get_by_text("No unused codes.")).to_be_visible()


def test_parent_switches_between_two_records_and_loses_one_when_staff_revoke_it(
    page: Page, new_page: Callable[[], Page], app: RunningApp
) -> None:
    maya = staff_with_patient(page, app, "Family Care Clinic", "Maya", "Souza", date_of_birth="2015-04-02")
    maya_code = code_for(page, "Maya Souza")
    open_patients(page)
    create_patient(page, "Leo", "Souza", date_of_birth="2018-09-12")
    leo_code = code_for(page, "Leo Souza")

    parent = new_person("patient", name="Paulo Souza")
    portal = new_page()
    sign_up(portal, app.mailbox, parent)
    redeem_access_code(portal, maya_code)
    expect_record_unlocked(portal, "Maya Souza")
    portal.get_by_role("link", name="Add a record").click()
    expect(portal.get_by_role("heading", name="Unlock a record")).to_be_visible()
    wait_until_interactive(portal)
    portal.get_by_label("Access code").fill(leo_code)
    portal.get_by_role("button", name="Unlock record").click()
    expect_record_unlocked(portal, "Leo Souza")

    switcher = record_switcher(portal)
    people = switcher.get_by_role("radio")
    expect(people).to_have_count(2)
    maya_button = switcher.get_by_role("radio", name="Maya Souza")
    leo_button = switcher.get_by_role("radio", name="Leo Souza")
    expect(leo_button).to_have_attribute("aria-checked", "true")
    expect(maya_button).to_have_attribute("aria-checked", "false")

    maya_button.click()
    expect(portal.get_by_role("heading", name="Maya Souza", exact=True)).to_be_visible()
    expect(maya_button).to_have_attribute("aria-checked", "true")
    expect(leo_button).to_have_attribute("aria-checked", "false")
    # Her pages, not just her name: the profile shows Maya's record.
    portal_nav(portal, "Profile")
    expect(portal.get_by_label("First name")).to_have_value("Maya")
    expect(portal.get_by_label("Date of birth")).to_have_value("2015-04-02")

    portal.reload()
    wait_until_interactive(portal)
    expect(portal.get_by_label("First name")).to_have_value("Maya")
    expect(maya_button).to_have_attribute("aria-checked", "true")
    portal_nav(portal, "Overview")
    expect(portal.get_by_role("heading", name="Maya Souza", exact=True)).to_be_visible()

    leo_button.click()
    expect(portal.get_by_role("heading", name="Leo Souza", exact=True)).to_be_visible()
    portal.reload()
    expect(portal.get_by_role("heading", name="Leo Souza", exact=True)).to_be_visible()
    expect(leo_button).to_have_attribute("aria-checked", "true")
    maya_button.click()
    expect(portal.get_by_role("heading", name="Maya Souza", exact=True)).to_be_visible()

    # Staff take Maya's record back from the parent's account, while the parent is looking at it.
    open_page(page, maya)
    open_workspace_tab(page, "Patient Portal Access")
    page.get_by_role("button", name=f"Revoke Access for {parent.email}").click()
    confirm = page.get_by_role("alertdialog", name="Revoke access for Paulo Souza?")
    expect(confirm).to_be_visible()
    confirm.get_by_role("button", name="Revoke Access").click()
    expect(page.get_by_text("Access revoked. The record has left that portal account.")).to_be_visible()
    expect(page.get_by_text("No portal account holds this record yet.")).to_be_visible()

    portal_nav(portal, "Profile")
    expect(people).to_have_count(1)
    expect(maya_button).to_have_count(0)
    expect(leo_button).to_have_attribute("aria-checked", "true")
    expect(portal.get_by_label("First name")).to_have_value("Leo")
    portal_nav(portal, "Overview")
    expect(portal.get_by_role("heading", name="Leo Souza", exact=True)).to_be_visible()
    # Maya's record is gone from the portal: only the note that the clinic removed it names her.
    removal = re.compile(r"removed Maya Souza's record from your portal on")
    expect(portal.get_by_text(removal).first).to_be_visible()
    expect(portal.locator("main").get_by_text("Maya").filter(has_not_text=removal)).to_have_count(0)


def test_profile_changes_from_the_portal_are_accepted_field_by_field(
    page: Page, new_page: Callable[[], Page], app: RunningApp
) -> None:
    workspace = staff_with_patient(
        page, app, "Northside Clinic", "Ines", "Carvalho", date_of_birth="1984-03-09", phone="+1 416 555 0101"
    )
    words = code_for(page, "Ines Carvalho")
    patient = new_person("patient", name="Ines Carvalho")
    portal = new_page()
    sign_up(portal, app.mailbox, patient)
    redeem_access_code(portal, words)
    expect_record_unlocked(portal, "Ines Carvalho")

    portal_nav(portal, "Profile")
    phone = portal.get_by_role("textbox", name="Phone", exact=True)
    address = portal.get_by_role("textbox", name="Address", exact=True)
    expect(phone).to_have_value("+1 416 555 0101")
    expect(address).to_have_value("")
    wait_until_interactive(portal)
    phone.fill("+1 416 555 0199")
    address.fill("99 Queen Street East, Toronto")
    portal.get_by_role("button", name="Send changes to the clinic").click()
    expect(portal.get_by_text("Thank you! Your clinic will review your changes.")).to_be_visible()
    awaiting = portal.get_by_text("Awaiting your clinic's review:")
    expect(awaiting).to_contain_text("Awaiting your clinic's review: Phone, Address.")
    expect(phone).to_have_value("+1 416 555 0199")  # the patient sees what they sent

    # The clinic's record is unchanged until someone accepts, field by field.
    open_page(page, workspace)
    official_phone = page.get_by_role("textbox", name="Phone", exact=True)
    official_address = page.get_by_role("textbox", name="Address", exact=True)
    expect(official_phone).to_have_value("+1 416 555 0101")
    expect(official_address).to_have_value("")
    changes = page.get_by_label("Changes proposed in the portal", exact=True)
    expect(changes.get_by_role("row")).to_have_count(3)  # the header, Phone, Address
    phone_row = changes.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Phone", exact=True))
    address_row = changes.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Address", exact=True))
    expect(phone_row).to_contain_text("+1 416 555 0101")
    expect(phone_row).to_contain_text("+1 416 555 0199")
    expect(address_row).to_contain_text("99 Queen Street East, Toronto")

    page.get_by_role("button", name="Accept Phone", exact=True).click()
    expect(page.get_by_text("Change accepted into the record.")).to_be_visible()
    expect(official_phone).to_have_value("+1 416 555 0199")
    expect(official_address).to_have_value("")
    expect(phone_row).to_have_count(0)
    expect(address_row).to_be_visible()
    expect(page.get_by_role("button", name="Accept Address", exact=True)).to_be_visible()

    page.get_by_role("button", name="Dismiss Address", exact=True).click()
    expect(page.get_by_text("Change dismissed.")).to_be_visible()
    expect(changes).to_have_count(0)
    expect(official_address).to_have_value("")
    expect(official_phone).to_have_value("+1 416 555 0199")

    page.reload()
    wait_until_interactive(page)
    expect(official_phone).to_have_value("+1 416 555 0199")
    expect(official_address).to_have_value("")
    expect(changes).to_have_count(0)

    # The patient now sees the clinic's record, and nothing awaiting review.
    portal.reload()
    wait_until_interactive(portal)
    expect(phone).to_have_value("+1 416 555 0199")
    expect(address).to_have_value("")
    expect(awaiting).to_have_count(0)


def test_the_instruction_sheet_qr_code_opens_the_redemption_page_with_the_code(
    page: Page, new_page: Callable[[], Page], app: RunningApp
) -> None:
    staff_with_patient(page, app, "Bayview Physiotherapy", "Ana", "Pereira")
    words = generate_access_code(page, "Ana Pereira")
    redeem_url = f"{app.base_url}/portal/redeem?code={code_in_link(words)}"

    dialog = page.get_by_role("dialog", name="Access code for Ana Pereira")
    sheet = dialog.locator(".print-sheet")
    expect(sheet.get_by_role("heading", name="Bayview Physiotherapy")).to_be_visible()
    expect(sheet).to_contain_text("For Ana Pereira")
    expect(sheet).to_contain_text(words)
    expect(sheet).to_contain_text(f"{app.base_url}/portal/redeem")

    qr = page.locator("#access-code-qr")
    expect(qr).to_be_visible()
    expect(qr).to_have_attribute("src", re.compile(r"^data:image/svg\+xml;base64,"))
    src = qr.get_attribute("src") or ""
    svg = base64.b64decode(src.split(",", 1)[1]).decode()
    assert "<svg" in svg

    # "Print instructions" prints, and in print only the sheet shows.
    expect(page.locator("main h1", has_text="Ana Pereira")).to_be_visible()
    page.evaluate("() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; }")
    dialog.get_by_role("button", name="Print instructions").click()
    page.wait_for_function("() => window.__printed === 1")
    # (CSS locators: in print the rest of the page is visibility:hidden, out of the accessibility tree.)
    printed_sheet, done = page.locator(".print-sheet"), page.locator("button", has_text="Done")
    expect(done).to_be_visible()
    page.emulate_media(media="print")
    expect(printed_sheet).to_be_visible()
    expect(printed_sheet).to_contain_text(words)
    expect(qr).to_be_visible()
    expect(done).to_be_hidden()
    expect(page.locator("main h1", has_text="Ana Pereira")).to_be_hidden()
    page.emulate_media(media="screen")
    expect(done).to_be_visible()

    # Render the SVG as a phone camera would see it, large and on white, and decode it.
    scanner = new_page()
    scanner.set_content(
        f'<body style="margin:0;background:#fff"><img id="qr" src="{src}" width="400" height="400"></body>'
    )
    scanner.wait_for_function(
        "() => { const i = document.getElementById('qr'); return i.complete && i.naturalWidth > 0; }"
    )
    png = scanner.locator("#qr").screenshot()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    assert [(result.format, result.text) for result in found] == [(zxingcpp.BarcodeFormat.QRCode, redeem_url)]


def test_a_signed_out_patient_follows_the_qr_link_signs_up_and_unlocks_the_record(
    page: Page, new_page: Callable[[], Page], app: RunningApp
) -> None:
    staff_with_patient(page, app, "Eastgate Clinic", "Tomas", "Ribeiro", date_of_birth="2001-11-30")
    words = generate_access_code(page, "Tomas Ribeiro")
    code = code_in_link(words)

    mobile = new_page()
    mobile.goto(f"/portal/redeem?code={code}")
    expect(mobile).to_have_url(re.compile(r"/sign-in/?\?next="))
    expect(mobile.get_by_role("heading", name="Sign in to Praxis")).to_be_visible()
    expect(mobile.get_by_text("Sign in or create your portal account to unlock the record.")).to_be_visible()
    wait_until_interactive(mobile)
    mobile.get_by_role("link", name="Create an account").click()
    expect(mobile).to_have_url(re.compile(r"/sign-up/?\?kind=patient&next="))
    expect(mobile.get_by_role("radio", name="Patient")).to_be_checked()  # a code's link means a patient

    patient = new_person("patient", name="Tomas Ribeiro")
    fill_sign_up_here(mobile, patient)
    open_confirmation_link(mobile, app.mailbox, patient.email)
    expect(mobile).to_have_url(re.compile(r"/portal/redeem/?\?code=" + re.escape(code) + "$"))
    expect(mobile.get_by_role("heading", name="Unlock a record")).to_be_visible()
    expect(mobile.get_by_label("Access code")).to_have_value(words)
    wait_until_interactive(mobile)
    mobile.get_by_role("button", name="Unlock record").click()
    expect_record_unlocked(mobile, "Tomas Ribeiro")
