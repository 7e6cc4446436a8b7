"""SOAP charts, treatment plans in the portal, and sharing charts between practitioners (issue 11),
through the real UI in Chromium.

Each person has their own browser context (own cookies). PINs are read off the screen the way a
colleague would read them out. Each test fails at most two PIN look-ups (they are throttled per
account and per client address, and every browser here is 127.0.0.1).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, WebSocketRoute, expect

from tests.e2e.accessibility import assert_accessible
from tests.e2e.harness import RunningApp
from tests.e2e.steps import (
    SHARE_PIN,
    close_access_code_dialog,
    create_patient,
    expect_autosaved,
    expect_record_unlocked,
    generate_access_code,
    join_office_as_staff,
    new_person,
    office_share_pin,
    open_account_menu,
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

SAVED = re.compile(r"^Saved \d{2}:\d{2}$")
LOCKED_BY = re.compile(r"^Locked by (.+) on \w{3} \d{1,2} \w{3} \d{4}, \d{2}:\d{2}$")
UNKNOWN_PIN = "No practitioner or office has this PIN."
ENGINE_IO_OPEN = '0{"sid":"down","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}'


# ---- steps -----------------------------------------------------------------------------------


def workspace_path(page: Page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url).rstrip("/")


def new_chart(page: Page, patient_name: str) -> str:
    """In a workspace: Charts → New chart; returns the chart's path (the page is left there)."""
    open_workspace_tab(page, "Charts")
    page.get_by_role("button", name="New chart").click()
    expect(page).to_have_url(re.compile(r"/clinic/charts/\d+/?$"))
    expect(page.get_by_role("heading", name=patient_name, exact=True)).to_be_visible()
    expect(page.get_by_role("textbox", name="Subjective")).to_be_visible()
    wait_until_interactive(page)
    return workspace_path(page)


def write(page: Page, part: str, text: str) -> None:
    """Type into a part of the chart and leave it (leaving saves it at once)."""
    box = page.get_by_role("textbox", name=part, exact=True)
    box.fill(text)
    box.blur()


def expect_saved(page: Page) -> None:
    expect(page.get_by_role("status").filter(has_text="Saved")).to_have_text(SAVED)


def open_smart_charts(page: Page, tab: str = "Your Charts") -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Charts", exact=True).click()
    expect(page).to_have_url(re.compile(r"/clinic/charts/?(\?.*)?$"))
    expect(page.get_by_role("heading", name="Smart Charts", exact=True)).to_be_visible()
    wait_until_interactive(page)
    page.get_by_role("tab", name=tab, exact=True).click()
    expect(page.get_by_role("tab", name=tab, exact=True)).to_have_attribute("aria-selected", "true")


def practitioner_share_pin(page: Page) -> str:
    """User menu → View Share PIN: the PIN as the dialog shows it (the dialog is left open)."""
    open_account_menu(page)
    page.get_by_role("menuitem", name="View Share PIN").click()
    dialog = page.get_by_role("dialog", name="Your Practitioner Share PIN")
    shown = dialog.get_by_text(SHARE_PIN)
    expect(shown).to_be_visible()
    return shown.inner_text().strip()


def look_up_pin(page: Page, typed: str) -> None:
    page.get_by_label("Share PIN", exact=True).fill(typed)
    page.get_by_role("button", name="Look up").click()


def code_for(page: Page, patient_name: str) -> str:
    words = generate_access_code(page, patient_name)
    close_access_code_dialog(page, patient_name)
    return words


class Connection:
    """The page's websocket, routed through the test so it can be dropped and held down."""

    def __init__(self, page: Page) -> None:
        self.down = False
        self.routes: list[WebSocketRoute] = []
        page.route_web_socket(re.compile(r"/_event"), self._route)

    def _route(self, route: WebSocketRoute) -> None:
        if self.down:
            # Dropped as soon as it opens (an Engine.IO handshake, then gone): the page keeps trying.
            route.send(ENGINE_IO_OPEN)
            route.close()
            return
        route.connect_to_server()
        self.routes.append(route)

    def drop(self) -> None:
        self.down = True
        for route in self.routes:
            route.close()
        self.routes.clear()

    def restore(self) -> None:
        self.down = False

    def wait_until_up(self, page: Page) -> None:
        for _ in range(60):
            if self.routes:
                return
            page.wait_for_timeout(250)
        raise AssertionError("the page did not reconnect")


# ---- the stories ------------------------------------------------------------------------------


def test_a_practitioner_writes_and_locks_a_chart_and_the_family_sees_the_treatment_plan(
    page: Page, new_page: Callable[[], Page], app: RunningApp
) -> None:
    owner = sign_up_with_office(page, app.mailbox, "Harbour Physiotherapy", name="Rita Moreno")
    open_patients(page)
    leo = create_patient(page, "Leo", "Souza", date_of_birth="2018-09-12")
    leo_code = code_for(page, "Leo Souza")
    open_patients(page)
    maya = create_patient(page, "Maya", "Souza", date_of_birth="2015-04-02")
    maya_code = code_for(page, "Maya Souza")

    open_page(page, maya)
    open_workspace_tab(page, "Charts")
    expect(page.get_by_text("No charts yet", exact=True)).to_be_visible()
    chart = new_chart(page, "Maya Souza")
    expect(page.get_by_text("Draft", exact=True)).to_be_visible()

    # Autosave: a pause in typing saves, leaving a field saves; "Saved 10:42" says when.
    subjective = page.get_by_role("textbox", name="Subjective", exact=True)
    subjective.fill("Neck pain since March,")
    expect_saved(page)
    subjective.press("End")
    subjective.press_sequentially(" worse at night.")
    write(page, "Assessment", "Cervical strain.")
    write(page, "Goals", "Turn the head fully without pain.")
    write(page, "Exercises", "Chin tucks, 3 x 10 a day.")
    write(page, "Follow-up", "In two weeks.")
    expect_saved(page)
    for part in ("Subjective", "Assessment", "Goals", "Exercises", "Follow-up"):
        expect_autosaved(page.get_by_role("textbox", name=part, exact=True))
    page.reload()
    wait_until_interactive(page)
    expect(page.get_by_role("textbox", name="Subjective", exact=True)).to_have_value(
        "Neck pain since March, worse at night."
    )
    expect(page.get_by_role("textbox", name="Goals", exact=True)).to_have_value("Turn the head fully without pain.")
    expect(page.get_by_role("textbox", name="Prescriptions and supplements", exact=True)).to_have_value("")

    # Lock (sign) it: a confirmation first, then read-only for ever, with who locked it and when.
    page.get_by_role("button", name="Lock chart").click()
    confirm = page.get_by_role("alertdialog", name="Lock this chart?")
    expect(confirm).to_contain_text("read-only for ever")
    assert_accessible(page, "lock a chart, the confirmation")
    confirm.get_by_role("button", name="Keep editing").click()
    expect(confirm).to_be_hidden()
    expect(page.get_by_role("textbox", name="Subjective", exact=True)).to_be_editable()
    page.get_by_role("button", name="Lock chart").click()
    confirm.get_by_role("button", name="Lock chart").click()
    expect(page.get_by_text("Chart locked.", exact=False)).to_be_visible()
    locked_line = page.get_by_text(LOCKED_BY)
    expect(locked_line).to_be_visible()
    assert LOCKED_BY.match(locked_line.inner_text()).group(1) == owner.name  # type: ignore[union-attr]
    expect(locked_line).to_be_focused()  # the Lock button is gone: focus is not lost to the page
    expect(page.get_by_role("textbox", name="Subjective", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Lock chart")).to_have_count(0)
    expect(page.get_by_text("Neck pain since March, worse at night.")).to_be_visible()

    # Afterwards only addenda: dated, authored, below the chart.
    page.get_by_role("textbox", name="Add addendum").fill("X-ray came back normal.")
    page.get_by_role("button", name="Add addendum").click()
    expect(page.get_by_text("Addendum added.")).to_be_visible()
    addenda = page.get_by_role("list", name="Addenda")
    expect(addenda.get_by_role("listitem")).to_have_count(1)
    expect(addenda).to_contain_text("X-ray came back normal.")
    expect(addenda).to_contain_text(owner.name)
    expect(page.get_by_role("textbox", name="Add addendum")).to_have_value("")
    page.reload()
    wait_until_interactive(page)
    expect(page.get_by_text(LOCKED_BY)).to_be_visible()
    expect(page.get_by_role("textbox", name="Subjective", exact=True)).to_have_count(0)

    # The workspace lists it: visit date, author, Locked in words.
    page.get_by_role("link", name="Maya Souza's charts").click()
    expect(page).to_have_url(re.compile(r"/clinic/patients/\d+\?tab=charts$"))
    row = page.get_by_role("row").filter(has_text=owner.name)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Locked")
    row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(re.escape(chart) + "/?$"))

    # The family: one portal account holds Leo and Maya, each unlocked with a code.
    parent = new_person("patient", name="Paulo Souza")
    portal = new_page()
    sign_up(portal, app.mailbox, parent)
    redeem_access_code(portal, maya_code)
    expect_record_unlocked(portal, "Maya Souza")
    redeem_access_code(portal, leo_code)
    expect_record_unlocked(portal, "Leo Souza")
    portal_nav(portal, "Treatment plans")
    expect(portal.get_by_role("heading", name="Treatment plans", exact=True)).to_be_visible()
    expect(portal.get_by_text("No treatment plans yet")).to_be_visible()

    record_switcher(portal).get_by_role("radio", name="Maya Souza").click()
    plans = portal.get_by_role("list", name="Treatment plans, newest first")
    expect(plans.get_by_role("listitem")).to_have_count(1)
    visit = plans.get_by_role("listitem").first
    expect(visit).to_contain_text(f"With {owner.name}")
    expect(visit).to_contain_text("Turn the head fully without pain.")
    expect(visit).to_contain_text("Chin tucks, 3 x 10 a day.")
    expect(visit).to_contain_text("In two weeks.")
    expect(visit).not_to_contain_text("Prescriptions")  # an empty section is left out
    expect(portal.get_by_text("Neck pain")).to_have_count(0)  # never the S/O/A text
    expect(portal.get_by_text("Cervical strain")).to_have_count(0)
    expect(portal.get_by_text("Maya's charts are not shared with anyone else.")).to_be_visible()

    # Readable on a phone: nothing wider than the screen.
    portal.set_viewport_size({"width": 375, "height": 800})
    expect(visit).to_be_visible()
    assert portal.evaluate("document.documentElement.scrollWidth") <= 375

    record_switcher(portal).get_by_role("radio", name="Leo Souza").click()
    expect(portal.get_by_text("No treatment plans yet")).to_be_visible()
    expect(portal.get_by_text("Chin tucks")).to_have_count(0)
    del leo


def test_typing_survives_a_dropped_connection_and_a_reconnect_does_not_bring_back_older_text(
    page: Page, app: RunningApp
) -> None:
    connection = Connection(page)
    sign_up_with_office(page, app.mailbox, "Lakeview Clinic")
    open_patients(page)
    create_patient(page, "Ines", "Carvalho")
    chart = new_chart(page, "Ines Carvalho")
    subjective = page.get_by_role("textbox", name="Subjective", exact=True)
    subjective.fill("Low back pain.")
    expect_saved(page)
    assert connection.routes, "the page's websocket is not routed through the test"

    # The connection drops while the practitioner keeps writing, pausing, moving between fields.
    connection.drop()
    write(page, "Goals", "Sit for an hour without pain.")
    subjective.click()
    subjective.press("End")
    subjective.press_sequentially(" Worse when sitting.")
    page.wait_for_timeout(2000)  # a pause: the autosave waits for the connection
    # Closing the tab now would lose the text: the browser asks first, and staying keeps it all.
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    expect(subjective).to_be_focused()
    assert asked == ["beforeunload"], asked

    # It comes back: the page hydrates and loads the chart again. The editor stays as it is (the
    # text, the cursor in its field) instead of being rebuilt from the server's older text, and the
    # saves that waited go through.
    connection.restore()
    connection.wait_until_up(page)
    page.wait_for_timeout(1500)  # the reload and the waiting saves are answered
    expect(subjective).to_be_focused()
    expect(subjective).to_have_value("Low back pain. Worse when sitting.")
    subjective.press_sequentially(" Since Monday.")
    subjective.blur()
    expect(subjective).to_have_value("Low back pain. Worse when sitting. Since Monday.")
    expect(page.get_by_role("textbox", name="Goals", exact=True)).to_have_value("Sit for an hour without pain.")
    expect_saved(page)
    expect_autosaved(subjective)
    expect_autosaved(page.get_by_role("textbox", name="Goals", exact=True))
    open_page(page, chart)
    expect(page.get_by_role("textbox", name="Subjective", exact=True)).to_have_value(
        "Low back pain. Worse when sitting. Since Monday."
    )
    expect(page.get_by_role("textbox", name="Goals", exact=True)).to_have_value("Sit for an hour without pain.")


def test_a_chart_is_shared_by_pin_with_consent_read_and_noted_by_the_recipient_then_withdrawn(
    page: Page, new_page: Callable[[], Page], app: RunningApp
) -> None:
    author = sign_up_with_office(page, app.mailbox, "Maple Street Clinic", name="Priya Maple")
    open_patients(page)
    create_patient(page, "Ana", "Reis", date_of_birth="1990-01-02")
    new_chart(page, "Ana Reis")
    write(page, "Subjective", "Knee pain after running.")
    write(page, "Recommendations", "Rest for a week.")
    expect_saved(page)

    other = new_page()
    recipient = sign_up_with_office(other, app.mailbox, "Birch Road Clinic", name="Oskar Birch")
    pin = practitioner_share_pin(other)
    other.get_by_role("button", name="Close").click()

    # The author adds the other office's practitioner by their PIN (typed any way: lower case, no dash).
    open_smart_charts(page, "Sharing list")
    expect(page.get_by_text("Your sharing list is empty")).to_be_visible()
    look_up_pin(page, "ZZZZ-ZZZZ")
    pin_box = page.get_by_label("Share PIN", exact=True)
    expect(pin_box).to_have_accessible_description(UNKNOWN_PIN)
    expect(pin_box).to_have_attribute("aria-invalid", "true")
    look_up_pin(page, pin.replace("-", "").lower())
    found = page.get_by_role("region", name="The PIN belongs to")
    expect(found).to_contain_text(recipient.name)
    expect(found).to_contain_text("Birch Road Clinic")
    found.get_by_role("button", name="Add to sharing list").click()
    expect(page.get_by_text(f"{recipient.name} is on your sharing list.", exact=False)).to_be_visible()
    expect(pin_box).to_have_value("")
    expect(pin_box).to_be_focused()  # the button just used is gone: focus is back in the PIN field
    listed = page.get_by_role("list", name="Your sharing list")
    expect(listed.get_by_role("listitem")).to_have_count(1)
    expect(listed.get_by_role("button", name=f"Remove {recipient.name}")).to_be_visible()

    # Your Charts → Share: all of this patient's charts, with the patient's consent.
    page.get_by_role("tab", name="Your Charts", exact=True).click()
    row = page.get_by_role("row").filter(has_text="Ana Reis")
    expect(row).to_contain_text("Draft")
    expect(row).not_to_contain_text("Shared")
    share_button = row.get_by_role("button", name=re.compile(r"^Share the chart of Ana Reis"))
    share_button.click()
    dialog = page.get_by_role("dialog", name="Chart Sharing Options")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("radio", name="This chart")).to_be_checked()
    dialog.get_by_role("radio", name="All of this patient's charts").click()
    dialog.get_by_role("checkbox", name=recipient.name).click()
    share = dialog.get_by_role("button", name="Share Chart")
    expect(share).to_be_disabled()
    dialog.get_by_role("radio", name="NO", exact=True).click()
    expect(dialog.get_by_text("Without the patient's consent nothing can be shared.")).to_be_visible()
    expect(share).to_be_disabled()
    dialog.get_by_role("radio", name="YES", exact=True).click()
    expect(share).to_be_enabled()
    share.click()
    expect(page.get_by_text("Chart shared.", exact=False)).to_be_visible()
    expect(dialog).to_be_hidden()
    expect(share_button).to_be_focused()  # focus returns to what opened the dialog
    expect(row).to_contain_text("Shared")

    # The recipient finds it in Charts Shared With You, reads it, adds a note, cannot edit.
    open_smart_charts(other, "Charts Shared With You")
    shared_row = other.get_by_role("row").filter(has_text="Ana Reis")
    expect(shared_row).to_contain_text(author.name)
    expect(shared_row).to_contain_text("Maple Street Clinic")
    shared_row.get_by_role("link", name="Ana Reis").click()
    expect(other).to_have_url(re.compile(r"/clinic/charts/\d+/?$"))
    expect(other.get_by_text("Knee pain after running.")).to_be_visible()
    expect(other.get_by_text("Rest for a week.")).to_be_visible()
    expect(other.get_by_text(f"Shared with you by {author.name}", exact=False)).to_be_visible()
    for part in ("Subjective", "Objective", "Assessment", "Goals", "Recommendations"):
        expect(other.get_by_role("textbox", name=part, exact=True)).to_have_count(0)
    expect(other.get_by_role("button", name="Lock chart")).to_have_count(0)
    expect(other.get_by_role("button", name="Share…")).to_have_count(0)
    wait_until_interactive(other)
    other.get_by_role("textbox", name="Add note").fill("Agree: ultrasound if no better in 2 weeks.")
    other.get_by_role("button", name="Add note").click()
    expect(other.get_by_text("Note added.")).to_be_visible()
    notes = other.get_by_role("list", name="Notes")
    expect(notes).to_contain_text("Agree: ultrasound if no better in 2 weeks.")
    expect(notes).to_contain_text(recipient.name)

    # The author sees the note on the chart, and withdraws the share from the same dialog.
    row.get_by_role("link", name="Ana Reis").click()
    expect(page).to_have_url(re.compile(r"/clinic/charts/\d+/?$"))
    expect(page.get_by_role("list", name="Notes")).to_contain_text("Agree: ultrasound if no better in 2 weeks.")
    wait_until_interactive(page)
    page.get_by_role("button", name="Share…").click()
    expect(dialog).to_be_visible()
    shared_now = dialog.get_by_role("list", name="Shared now")
    expect(shared_now.get_by_role("listitem")).to_have_count(1)
    expect(shared_now).to_contain_text(recipient.name)
    expect(shared_now).to_contain_text("All of this patient's charts")
    expect(shared_now).to_contain_text(f"Patient consent confirmed by {author.name} on")
    shared_now.get_by_role("button", name=f"Withdraw the share with {recipient.name}").click()
    expect(page.get_by_text("Share withdrawn.", exact=False)).to_be_visible()
    expect(shared_now).to_have_count(0)
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()

    # On the recipient's next click it is gone.
    other.get_by_role("link", name="Charts shared with you").click()
    expect(other.get_by_role("tab", name="Charts Shared With You")).to_have_attribute("aria-selected", "true")
    expect(other.get_by_text("No charts shared with you")).to_be_visible()
    expect(other.get_by_role("row").filter(has_text="Ana Reis")).to_have_count(0)
    other.go_back()
    expect(other.get_by_role("heading", name="You can't open this page")).to_be_visible()
    expect(other.get_by_text("This chart was not found.")).to_be_visible()
    expect(other.get_by_text("Knee pain after running.")).to_have_count(0)

    # A new PIN: the old one stops working, the author's list keeps the recipient.
    open_account_menu(other)
    other.get_by_role("menuitem", name="View Share PIN").click()
    pin_dialog = other.get_by_role("dialog", name="Your Practitioner Share PIN")
    pin_dialog.get_by_role("button", name="Make a new PIN").click()
    expect(pin_dialog).to_contain_text("the old PIN stops working")
    pin_dialog.get_by_role("button", name="Make the new PIN").click()
    expect(other.get_by_text("Your new Share PIN is ready.", exact=False)).to_be_visible()
    renewed = pin_dialog.get_by_text(SHARE_PIN)
    expect(renewed).not_to_have_text(pin)
    open_smart_charts(page, "Sharing list")
    listed = page.get_by_role("list", name="Your sharing list")
    expect(listed).to_contain_text(recipient.name)
    look_up_pin(page, pin)
    expect(pin_box).to_have_accessible_description(UNKNOWN_PIN)

    # Taken off the list (nothing shared is left to withdraw by then).
    listed.get_by_role("button", name=f"Remove {recipient.name}").click()
    expect(page.get_by_text("Removed from your sharing list.", exact=False)).to_be_visible()
    expect(page.get_by_text("Your sharing list is empty")).to_be_visible()
    expect(page.get_by_role("heading", name="Your sharing list", exact=True)).to_be_focused()


def test_staff_see_no_charts_tab_and_no_charts_page_and_the_owner_renews_the_office_pin(
    page: Page, new_page: Callable[[], Page], app: RunningApp
) -> None:
    owner = sign_up_with_office(page, app.mailbox, "Cedar Clinic", name="Carla Cedar")
    old_pin = office_share_pin(page)
    page.get_by_role("button", name="Make a new PIN").click()
    expect(page.get_by_text("the old PIN stops working", exact=False)).to_be_visible()
    page.get_by_role("button", name="Make the new PIN").click()
    expect(page.get_by_text("The office has a new Share PIN.", exact=False)).to_be_visible()
    expect(page.get_by_label("Office Share PIN")).not_to_have_text(old_pin)
    expect(page.get_by_label("Office Share PIN")).to_have_text(SHARE_PIN)

    open_patients(page)
    workspace = create_patient(page, "Nina", "Costa")
    expect(page.get_by_role("tab", name="Charts", exact=True)).to_be_visible()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Charts")).to_be_visible()

    desk = new_page()
    join_office_as_staff(page, desk, app.mailbox, "Cedar Clinic", owner, "Sam Desk")
    open_page(desk, workspace)
    expect(desk.get_by_role("heading", name="Nina Costa", exact=True)).to_be_visible()
    expect(desk.get_by_role("tab", name="Profile", exact=True)).to_be_visible()
    expect(desk.get_by_role("tab", name="Charts")).to_have_count(0)
    expect(desk.get_by_role("navigation", name="Main").get_by_role("link", name="Charts")).to_have_count(0)
    expect(desk.get_by_role("navigation", name="Main").get_by_role("link", name="Patients")).to_be_visible()

    open_page(desk, workspace + "?tab=charts")
    expect(desk.get_by_role("tab", name="Profile", exact=True)).to_have_attribute("aria-selected", "true")
    expect(desk.get_by_role("tab", name="Charts")).to_have_count(0)
    open_page(desk, "/clinic/charts")
    expect(desk.get_by_role("heading", name="You can't open this page")).to_be_visible()
    expect(desk.get_by_text("Charts are for the office's practitioners.")).to_be_visible()
