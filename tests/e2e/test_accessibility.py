"""axe-core on every page and open dialog, as each kind of person reaches them (issue 15).

One office is arranged through the services (tests/e2e/a11y_office.py): its owner (a
practitioner), a second practitioner, a front desk, two patients, a service with hours every
day, online booking on, appointments (tomorrow, last week, one cancelled), a locked chart, a
form assigned to the family's record, and a family portal account that holds one record
through an access code. Then each person signs in through the UI and every state is checked
with `Audit.check` (tests/e2e/accessibility.py): WCAG 2.0/2.1/2.2 A and AA, no serious or
critical violation allowed. Each test gathers the violations of all its states and fails once
with the whole list. The states are listed in the README ("Accessibility").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.a11y_office import Office, arranged_office, signed_in
from tests.e2e.accessibility import Audit
from tests.e2e.harness import RunningApp
from tests.e2e.steps import LANE_NAME, open_page, point_at_free_time

PHONE = {"width": 375, "height": 740}
NARROW = {"width": 320, "height": 640}  # WCAG 1.4.10 reflow: 320 CSS px, no scrolling sideways


@pytest.fixture(scope="module")
def office(app: RunningApp) -> Iterator[Office]:
    yield from arranged_office(app)


def visit(page: Page, audit: Audit, path: str, name: str, heading: str | re.Pattern[str]) -> None:
    open_page(page, path)
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    audit.check(page, name)


def close_dialog(page: Page) -> None:
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_public_pages(page: Page, new_page: Callable[[], Page], office: Office) -> None:
    audit = Audit()
    visit(page, audit, "/sign-in", "sign-in", "Sign in to Praxis")
    visit(page, audit, "/sign-up", "sign-up", re.compile("Create"))
    visit(page, audit, "/forgot-password", "forgot password", re.compile("password", re.I))
    visit(page, audit, "/clinic/no-such-page", "page not found", "Page not found")
    visit(page, audit, f"/book/{office.office_id}", "booking page, signed out", "Book an appointment")
    # A day with times left (today has none in the office's evening: its chip is off).
    page.get_by_role("radiogroup", name="Day").get_by_role("radio", disabled=False).first.click()
    page.get_by_role("button", name=re.compile(r"^Book at \d\d:\d\d with ")).first.click()
    expect(page.get_by_label("Password")).to_be_visible()
    audit.check(page, "booking page, a time chosen, inline sign-in")
    phone = new_page()
    phone.set_viewport_size(PHONE)
    visit(phone, audit, f"/book/{office.office_id}", "booking page at 375 px", "Book an appointment")
    audit.assert_clean()


def test_owner_clinic_pages_and_dialogs(new_page: Callable[[], Page], office: Office) -> None:
    audit = Audit()
    page = signed_in(new_page, office.owner, "/clinic")
    audit.check(page, "clinic home (owner)")
    page.get_by_role("button", name=re.compile("switch office", re.I)).click()
    expect(page.get_by_role("menu")).to_be_visible()
    audit.check(page, "office switcher open")
    page.keyboard.press("Escape")
    page.get_by_role("button", name=re.compile("account menu", re.I)).click()
    expect(page.get_by_role("menuitem", name="Sign out")).to_be_visible()
    audit.check(page, "account menu open")
    page.get_by_role("menuitem", name="View Share PIN").click()
    expect(page.get_by_role("dialog", name="Your Practitioner Share PIN")).to_be_visible()
    audit.check(page, "Share PIN dialog")
    close_dialog(page)

    visit(page, audit, "/clinic/calendar", "calendar, week", "Calendar")
    expect(page.get_by_role("button", name=re.compile(r"^10:00 ")).first).to_be_visible()
    # The first lane's practitioner may or may not work at 09:00 (the office's people are random).
    free_time = point_at_free_time(page, page.get_by_role("group", name=LANE_NAME).first, "09:00", not_working=None)
    expect(free_time).to_be_visible()
    audit.check(page, "calendar, a free time under the pointer")
    free_time.click()
    expect(page.get_by_role("dialog", name=re.compile("^Book with"))).to_be_visible()
    audit.check(page, "calendar, book dialog")
    close_dialog(page)
    page.get_by_role("button", name=re.compile(r"^10:00 ")).first.click()
    expect(page.get_by_role("dialog")).to_be_visible()
    audit.check(page, "calendar, appointment dialog")
    close_dialog(page)
    page.get_by_role("button", name="Calendar settings").click()
    page.get_by_role("menuitem", name="Online Booking Options").click()
    expect(page.get_by_role("dialog", name="Online Booking Options")).to_be_visible()
    audit.check(page, "calendar, Online Booking Options")
    close_dialog(page)
    page.get_by_role("button", name="Practitioners shown").click()
    expect(page.get_by_role("group", name="Practitioners shown")).to_be_visible()
    audit.check(page, "calendar, practitioners shown")
    page.keyboard.press("Escape")
    page.get_by_role("radio", name="Day").click()
    expect(page.get_by_role("button", name="Next day")).to_be_visible()
    audit.check(page, "calendar, day")

    visit(page, audit, "/clinic/calendar/setup", "services and working hours", re.compile("Services"))
    page.get_by_role("button", name="New service").click()
    expect(page.get_by_role("dialog", name="New service")).to_be_visible()
    audit.check(page, "new service dialog")
    close_dialog(page)

    visit(page, audit, "/clinic/patients", "patients", "Patients")
    page.get_by_role("button", name="New patient").click()
    expect(page.get_by_role("dialog", name="New patient")).to_be_visible()
    audit.check(page, "new patient dialog")
    close_dialog(page)

    visit(page, audit, f"/clinic/patients/{office.held}", "workspace, Profile", office.held_name)
    for tab in ("Appointments", "Charts", "Forms", "Documents", "Patient Portal Access"):
        page.get_by_role("tab", name=tab, exact=True).click()
        expect(page.get_by_role("tab", name=tab, exact=True)).to_have_attribute("aria-selected", "true")
        expect(page.get_by_role("tabpanel")).to_be_visible()
        audit.check(page, f"workspace, {tab}")
    page.get_by_role("button", name="Generate access code").click()
    expect(page.get_by_role("dialog", name=re.compile("^Access code for"))).to_be_visible()
    expect(page.locator("#access-code-words")).to_have_text(re.compile(r"\w+ \w+ \w+ \w+"))
    audit.check(page, "access code dialog")
    page.get_by_role("button", name="Done").click()
    page.get_by_role("tab", name="Forms", exact=True).click()
    page.get_by_role("button", name="Assign form").click()
    expect(page.get_by_role("dialog", name="Assign a form")).to_be_visible()
    audit.check(page, "assign a form dialog")
    close_dialog(page)

    visit(page, audit, "/clinic/charts", "Smart Charts", re.compile("Charts"))
    for tab in ("Charts Shared With You", "Sharing list"):
        page.get_by_role("tab", name=tab).click()
        expect(page.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true")
        audit.check(page, f"Smart Charts, {tab}")
    open_page(page, f"/clinic/charts/{office.chart_id}")
    expect(page.get_by_role("button", name="Share…")).to_be_visible()
    audit.check(page, "a locked chart")
    page.get_by_role("button", name="Share…").click()
    expect(page.get_by_role("dialog", name="Chart Sharing Options")).to_be_visible()
    audit.check(page, "Chart Sharing Options")
    close_dialog(page)

    visit(page, audit, "/clinic/forms", "forms", "Forms")
    page.get_by_role("button", name="New form").click()
    expect(page.get_by_role("dialog", name="New form")).to_be_visible()
    audit.check(page, "new form dialog")
    close_dialog(page)
    open_page(page, f"/clinic/forms/{office.form_id}")
    expect(page.get_by_role("button", name="Sharing options")).to_be_visible()
    audit.check(page, "form builder")
    page.get_by_role("button", name="Sharing options").click()
    expect(page.get_by_role("dialog", name="Sharing options")).to_be_visible()
    audit.check(page, "form sharing options dialog")
    close_dialog(page)
    page.get_by_role("button", name=re.compile(r"^Edit “")).first.click()
    editor = page.get_by_role("heading", name="Edit question", level=3)  # in place, in its section
    expect(editor).to_be_visible()
    audit.check(page, "the inline question editor")
    page.get_by_role("button", name="Cancel", exact=True).click()
    expect(editor).to_have_count(0)
    page.get_by_role("tab", name="Preview").click()
    expect(page.get_by_role("region", name="Preview")).to_be_visible()
    audit.check(page, "the form builder's preview tab")
    visit(page, audit, f"/clinic/forms/{office.form_id}/submissions", "form submissions", re.compile("Intake"))

    visit(page, audit, "/clinic/documents", "documents", "Documents")
    visit(page, audit, "/clinic/office", "Office Details", "Office Details")
    page.get_by_role("tab", name="Practitioners and Staff").click()
    expect(page.get_by_role("region", name="Staff", exact=True)).to_be_visible()
    audit.check(page, "Office Details, team")
    visit(page, audit, "/clinic/office/audit-log", "audit log", "Audit log")
    visit(page, audit, "/account", "account", "Account")
    visit(page, audit, "/clinic/office/new", "create an office", re.compile("office", re.I))
    audit.assert_clean()


def test_staff_and_an_invited_practitioner(new_page: Callable[[], Page], office: Office) -> None:
    audit = Audit()
    page = signed_in(new_page, office.staff, "/clinic")
    audit.check(page, "clinic home (front desk)")
    visit(page, audit, "/clinic/calendar", "calendar (front desk)", "Calendar")
    visit(page, audit, f"/clinic/patients/{office.other}", "workspace (front desk)", re.compile(r"\w"))

    invited = signed_in(new_page, office.invited, "/clinic")
    expect(invited.get_by_role("dialog", name=re.compile("^Invitation to join"))).to_be_visible(timeout=15_000)
    audit.check(invited, "invitation dialog")
    audit.assert_clean()


def test_phone_clinic_pages_and_the_menu_drawer(new_page: Callable[[], Page], office: Office) -> None:
    audit = Audit()
    page = signed_in(new_page, office.colleague, "/clinic")
    page.set_viewport_size(PHONE)
    audit.check(page, "clinic home at 375 px")
    visit(page, audit, "/clinic/calendar", "calendar at 375 px", "Calendar")
    # Below 768 px the sidebar is hidden; "Menu" opens its links and the office switcher.
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    menu = page.get_by_role("button", name="Menu", exact=True)
    menu.click()
    drawer = page.get_by_role("dialog", name="Menu")
    expect(
        drawer.get_by_role("button", name=re.compile(re.escape(office.office_name) + ", switch office"))
    ).to_be_visible()
    audit.check(page, "clinic menu drawer at 375 px")
    page.keyboard.press("Escape")
    expect(drawer).to_be_hidden()
    expect(menu).to_be_focused()
    menu.click()
    drawer.get_by_role("navigation", name="Main").get_by_role("link", name="Patients", exact=True).click()
    expect(page).to_have_url(re.compile(r"/clinic/patients/?$"))
    expect(page.get_by_role("heading", name="Patients", level=1)).to_be_visible()
    audit.check(page, "patients at 375 px")
    audit.assert_clean()


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_main_content(
    new_page: Callable[[], Page], office: Office
) -> None:
    for page, path in (
        (new_page(), "/sign-in"),
        (signed_in(new_page, office.owner, "/clinic"), "/clinic/patients"),
        (signed_in(new_page, office.family, "/portal"), "/portal/appointments"),
    ):
        open_page(page, path)
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Skip to main content")
        expect(skip).to_be_focused()
        expect(skip).to_be_visible()
        page.keyboard.press("Enter")
        expect(page.get_by_role("main")).to_be_focused()


def test_portal_pages(new_page: Callable[[], Page], office: Office) -> None:
    audit = Audit()
    page = signed_in(new_page, office.family, "/portal")
    # The family holds two records: the one with the appointments, the chart and the form.
    held = page.get_by_role("radiogroup", name="Whose records").get_by_role("radio", name=office.held_name)
    held.click()
    expect(held).to_have_attribute("aria-checked", "true")
    expect(page.get_by_role("heading", name=office.held_name, level=1)).to_be_visible()
    audit.check(page, "portal overview")
    for path, name, heading in (
        ("/portal/appointments", "portal appointments", "Appointments"),
        ("/portal/treatment-plans", "portal treatment plans", "Treatment plans"),
        ("/portal/documents", "portal documents", "Documents"),
        ("/portal/forms", "portal forms", "Forms"),
        ("/portal/profile", "portal profile", "Profile"),
        ("/portal/record-access", "who opened my record", re.compile("Who opened")),
        ("/portal/redeem", "unlock a record", "Unlock a record"),
    ):
        visit(page, audit, path, name, heading)
    open_page(page, f"/portal/forms/{office.assignment_id}")
    expect(page.get_by_label(re.compile("What brings you in"))).to_be_visible()
    audit.check(page, "filling in a form")

    open_page(page, "/portal/appointments")
    page.get_by_role("button", name=re.compile(r"^Cancel ")).first.click()
    expect(page.get_by_role("alertdialog", name="Cancel this appointment?")).to_be_visible()
    audit.check(page, "cancel appointment dialog")
    page.keyboard.press("Escape")

    visit(page, audit, f"/book/{office.office_id}", "booking page, signed in", "Book an appointment")
    page.get_by_role("radiogroup", name="Day").get_by_role("radio", disabled=False).nth(1).click()
    page.get_by_role("button", name=re.compile(r"^Book at \d\d:\d\d with ")).first.click()
    expect(page.get_by_role("button", name="Confirm booking")).to_be_visible()
    audit.check(page, "booking, confirm card")
    page.get_by_role("radiogroup", name="Who is this appointment for?").get_by_role("radio").first.click()
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.get_by_text("You're booked!")).to_be_visible()
    audit.check(page, "booking, booked")

    page.set_viewport_size(PHONE)
    visit(page, audit, "/portal", "portal overview at 375 px", office.held_name)
    audit.assert_clean()


def test_the_dark_theme_where_the_device_asks_for_it(new_page: Callable[[], Page], office: Office) -> None:
    """Praxis follows the device's colour scheme: the dark palette must pass as well."""
    audit = Audit()
    page = signed_in(new_page, office.owner, "/clinic")
    page.emulate_media(color_scheme="dark")
    expect(page.locator("html")).to_have_class(re.compile(r"\bdark\b"))
    audit.check(page, "clinic home, dark")
    visit(page, audit, "/clinic/calendar", "calendar, week, dark", "Calendar")
    expect(page.get_by_role("button", name=re.compile(r"^10:00 ")).first).to_be_visible()
    audit.check(page, "calendar, week with appointments, dark")
    visit(page, audit, "/clinic/patients", "patients, dark", "Patients")
    visit(page, audit, f"/clinic/patients/{office.held}", "workspace, dark", office.held_name)
    family = signed_in(new_page, office.family, "/portal")
    family.emulate_media(color_scheme="dark")
    visit(family, audit, "/portal/appointments", "portal appointments, dark", "Appointments")
    visit(family, audit, f"/book/{office.office_id}", "booking page, dark", "Book an appointment")
    audit.assert_clean()


def scrolls_sideways(page: Page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth > document.documentElement.clientWidth")


def test_nothing_scrolls_sideways_at_320_px_but_the_calendar_grid_in_its_own_box(
    new_page: Callable[[], Page], office: Office
) -> None:
    clinic = signed_in(new_page, office.owner, "/clinic")
    family = signed_in(new_page, office.family, "/portal")
    visitor = new_page()
    wide: list[str] = []
    for page, path in (
        (visitor, "/sign-in"),
        (visitor, f"/book/{office.office_id}"),
        (clinic, "/clinic"),
        (clinic, "/clinic/calendar"),
        (clinic, "/clinic/patients"),
        (clinic, f"/clinic/patients/{office.held}"),
        (clinic, "/clinic/office"),
        (family, "/portal"),
        (family, "/portal/appointments"),
    ):
        page.set_viewport_size(NARROW)
        open_page(page, path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        if scrolls_sideways(page):
            wide.append(path)
    assert not wide, f"these pages scroll sideways at 320 px: {wide}"
    # The week is wider than the phone: it scrolls inside its own box, the page does not.
    open_page(clinic, "/clinic/calendar")
    grid_box = clinic.get_by_role("group", name=re.compile(r": calendar\."))
    assert grid_box.evaluate("box => box.scrollWidth > box.clientWidth")
