"""Home is a workspace (issue 14 item 8), and the smaller things of item 9, in Chromium.

Home: today's appointments in the office's zone (mine or the whole office's, the choice kept),
each linking to the patient and the day on the calendar; profile changes waiting; the front desk's
view; a new office's setup checklist that goes away once its four steps are done. Item 9: the
portal says kindly when a record was removed from the account; after sign-in the Back button does
not show the sign-in page again; working hours show their whole value; service colours are named
swatches; a week-view block shows its whole text on hover and on keyboard focus.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from app.models import AccountKind
from app.services import access_codes
from app.services.local_time import local_instant
from app.services.scheduling import appointments, service_catalog
from app.services.scheduling.service_catalog import ServiceInput
from tests.e2e.harness import RunningApp
from tests.e2e.office_data import PASSWORD, Account, AppDatabase, Tags
from tests.e2e.steps import (
    LANE_NAME,
    add_service,
    free_time_name,
    free_time_point,
    invite_to_office,
    new_person,
    open_calendar,
    open_page,
    portal_nav,
    set_working_hours,
    sign_in,
    sign_up_with_office,
    team_region,
    wait_until_interactive,
)

ZONE = ZoneInfo("America/Toronto")
CHECKLIST = "Get your office ready"


@dataclass
class Clinic:
    db: AppDatabase
    office: int
    owner: Account
    colleague: Account
    staff: Account
    family: Account
    service: str
    names: dict[str, str]  # "mine", "colleague", "cancelled", "yesterday", "kid" → full name
    ids: dict[str, int]


def _name(db: AppDatabase, patient_id: int) -> str:
    from app.models import Patient

    with db.transaction() as session:
        patient = session.get(Patient, patient_id)
        assert patient is not None
        return f"{patient.first_name} {patient.last_name}"


@pytest.fixture(scope="module")
def clinic(app: RunningApp) -> Iterator[Clinic]:
    """An office in Toronto: the owner and a colleague see patients today, a front desk, a family."""
    db, tags = AppDatabase.of(app), Tags()
    owner, colleague, staff = db.account(tags), db.account(tags), db.account(tags)
    family = db.account(tags, AccountKind.patient)
    office = db.office(owner, tags)
    db.join(owner, office, colleague, "practitioner")
    db.join(owner, office, staff, "staff")
    db.service(owner, office, tags)  # the owner's hours, every day 08:00-20:00
    long_service = f"{tags.title()} {tags.title()} assessment"
    with db.transaction() as session:
        data = ServiceInput(long_service, 60, "violet", True, ())
        service_id = service_catalog.save_service(session, db.actor(session, owner), office, data).id
    ids = {key: db.patient(staff, office, tags) for key in ("mine", "colleague", "cancelled", "yesterday", "kid")}
    today = datetime.now(ZONE).date()
    with db.transaction() as session:
        actor = db.actor(session, staff)

        def book(who: Account, key: str, day_offset: int, minute: int) -> int:
            starts = local_instant(today + timedelta(days=day_offset), minute, ZONE)
            booked = appointments.book(
                session,
                actor,
                office,
                practitioner_id=who.user_id,
                patient_id=ids[key],
                service_id=service_id,  # type: ignore[arg-type]
                starts_at=starts,
            )
            return booked.id  # type: ignore[return-value]

        book(owner, "mine", 0, 9 * 60)
        book(colleague, "colleague", 0, 10 * 60)
        cancelled = book(owner, "cancelled", 0, 13 * 60)
        book(owner, "yesterday", -1, 9 * 60)
        appointments.set_status(session, actor, cancelled, "cancelled")  # type: ignore[arg-type]
    db.give_record(staff, ids["mine"], family)
    db.give_record(staff, ids["kid"], family)
    db.proposal(family, ids["mine"], tags)
    names = {key: _name(db, patient_id) for key, patient_id in ids.items()}
    yield Clinic(db, office, owner, colleague, staff, family, long_service, names, ids)
    db.close()


def signed_in(page: Page, account: Account, home: str = "/clinic") -> None:
    sign_in(page, account.email, PASSWORD)
    expect(page).to_have_url(re.compile(re.escape(home) + r"/?$"))


def today_region(page: Page) -> Locator:
    return page.get_by_role("region", name="Today", exact=True)


# ---- Home --------------------------------------------------------------------------------------


def test_home_shows_my_appointments_today_or_the_office_s_and_links_to_patient_and_day(
    page: Page, clinic: Clinic
) -> None:
    signed_in(page, clinic.owner)
    today = today_region(page)
    expect(today.get_by_text(datetime.now(ZONE).strftime("%A"), exact=False)).to_be_visible()
    expect(today.get_by_role("radio", name="Mine")).to_be_checked()
    expect(today.get_by_role("link", name=clinic.names["mine"])).to_be_visible()
    expect(today.get_by_text("09:00–10:00")).to_be_visible()
    for absent in ("colleague", "cancelled", "yesterday"):
        expect(today.get_by_role("link", name=clinic.names[absent])).to_have_count(0)

    today.get_by_role("radio", name="Whole office").click()
    expect(today.get_by_role("link", name=clinic.names["colleague"])).to_be_visible()
    expect(today.get_by_text(clinic.colleague.full_name, exact=False)).to_be_visible()
    expect(today.get_by_role("link", name=clinic.names["cancelled"])).to_have_count(0)
    # The choice is kept in this browser.
    page.reload()
    expect(today_region(page).get_by_role("radio", name="Whole office")).to_be_checked()
    expect(today_region(page).get_by_role("link", name=clinic.names["colleague"])).to_be_visible()

    today_region(page).get_by_role("link", name=clinic.names["mine"]).click()
    expect(page).to_have_url(re.compile(rf"/clinic/patients/{clinic.ids['mine']}/?$"))
    expect(page.get_by_role("heading", name=clinic.names["mine"], level=1)).to_be_visible()

    open_page(page, "/clinic")
    today_region(page).get_by_role("link", name="Open today in the calendar").click()
    day = datetime.now(ZONE).date()
    expect(page).to_have_url(re.compile(rf"/clinic/calendar/?\?day={day.isoformat()}&view=day$"))
    expect(page.get_by_text(f"{day:%A} {day.day} {day:%B} {day.year}")).to_be_visible()
    expect(page.get_by_role("radio", name="Day")).to_be_checked()
    block = f"09:00 {clinic.names['mine']}, {clinic.service}, Booked"
    expect(page.get_by_role("button", name=block, exact=True)).to_be_visible()


def test_the_front_desk_sees_the_office_s_day_and_what_waits_without_the_checklist(page: Page, clinic: Clinic) -> None:
    signed_in(page, clinic.staff)
    today = today_region(page)
    expect(today.get_by_role("link", name=clinic.names["mine"])).to_be_visible()
    expect(today.get_by_role("link", name=clinic.names["colleague"])).to_be_visible()
    expect(today.get_by_role("radio")).to_have_count(0)  # no column of their own: no "Mine"
    expect(page.get_by_role("region", name=CHECKLIST)).to_have_count(0)

    changes = page.get_by_role("region", name="Profile changes")
    proposal = changes.get_by_role("link", name=f"{clinic.names['mine']}, Changes to address")
    expect(proposal).to_be_visible()
    expect(page.get_by_role("region", name="New from patients")).to_contain_text("No new uploads.")
    expect(page.get_by_role("region", name="Forms to review")).to_contain_text("No forms waiting.")
    proposal.click()
    expect(page).to_have_url(re.compile(rf"/clinic/patients/{clinic.ids['mine']}/?$"))
    expect(page.get_by_role("heading", name="Changes proposed in the portal")).to_be_visible()


def test_a_new_office_s_checklist_leads_to_each_step_and_goes_away_when_all_are_done(
    page: Page, app: RunningApp
) -> None:
    sign_up_with_office(page, app.mailbox, "Checklist Physio")
    open_page(page, "/clinic")
    checklist = page.get_by_role("region", name=CHECKLIST)
    expect(checklist).to_contain_text("0 of 4 done")
    expect(today_region(page)).to_contain_text("Nothing on your calendar today.")
    expect(page.get_by_role("region", name="Profile changes")).to_contain_text("No changes from patients")

    checklist.get_by_role("link", name="Add services").click()
    expect(page).to_have_url(re.compile(r"/clinic/calendar/setup/?$"))
    expect(page.get_by_role("button", name="New service")).to_be_visible()
    add_service(page, "Sports massage", 45)
    # Service colours are named swatches, one radio group.
    page.get_by_role("button", name="Edit Sports massage").click()
    dialog = page.get_by_role("dialog", name="Edit service")
    colours = dialog.get_by_role("radiogroup", name="Colour")
    expect(colours.get_by_role("radio")).to_have_count(10)
    expect(colours.get_by_role("radio", name="Teal")).to_be_checked()
    colours.get_by_role("radio", name="Violet").click()
    expect(colours.get_by_role("radio", name="Violet")).to_be_checked()
    page.keyboard.press("ArrowRight")  # one tab stop, arrow keys move through it
    expect(colours.get_by_role("radio", name="Pink")).to_be_focused()
    page.keyboard.press("Space")
    expect(colours.get_by_role("radio", name="Pink")).to_be_checked()
    dialog.get_by_role("button", name="Save service").click()
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="Edit Sports massage").click()
    expect(page.get_by_role("radiogroup", name="Colour").get_by_role("radio", name="Pink")).to_be_checked()
    page.get_by_role("dialog", name="Edit service").get_by_role("button", name="Cancel").click()

    # The working-hours fields show their whole value, on a phone too.
    set_working_hours(page)
    long_day = "08:00-12:00, 13:00-17:30, 18:00-20:00"
    set_working_hours(page, long_day, days=("Monday",))
    monday = page.get_by_label("Monday", exact=True)
    expect(monday).to_have_value(long_day)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        fits = monday.evaluate("e => e.scrollWidth <= e.clientWidth")
        assert fits, f"the Monday hours do not fit at {width} px"
    page.set_viewport_size({"width": 1280, "height": 720})

    open_page(page, "/clinic")
    expect(checklist).to_contain_text("2 of 4 done")
    checklist.get_by_role("link", name="Open Online Booking Options").click()
    options = page.get_by_role("dialog", name="Online Booking Options")
    expect(options).to_be_visible()
    options.get_by_role("switch", name="Online booking on").click()
    options.get_by_role("button", name="Save options").click()
    expect(page.get_by_text("Online Booking Options saved.")).to_be_visible()

    open_page(page, "/clinic")
    expect(checklist).to_contain_text("3 of 4 done")
    checklist.get_by_role("link", name="Invite the team").click()
    expect(page).to_have_url(re.compile(r"/clinic/office/?\?tab=team$"))
    expect(page.get_by_role("tab", name="Practitioners and Staff")).to_have_attribute("aria-selected", "true")
    colleague = new_person("practitioner").email
    invite_to_office(page, "staff", colleague)
    expect(team_region(page, "staff").get_by_text(colleague)).to_be_visible()

    open_page(page, "/clinic")
    expect(today_region(page)).to_be_visible()
    expect(page.get_by_role("region", name=CHECKLIST)).to_have_count(0)


# ---- item 9 ------------------------------------------------------------------------------------


def test_the_portal_says_kindly_when_the_clinic_removed_the_record_being_looked_at(page: Page, clinic: Clinic) -> None:
    signed_in(page, clinic.family, "/portal")
    kid = clinic.names["kid"]
    page.get_by_role("radiogroup", name="Whose records").get_by_role("radio", name=kid).click()
    expect(page.get_by_role("heading", name=kid, level=1)).to_be_visible()
    open_page(page, "/portal")  # settled: the switcher's own reload is over
    expect(page.get_by_role("heading", name=kid, level=1)).to_be_visible()
    with clinic.db.transaction() as session:
        staff = clinic.db.actor(session, clinic.staff)
        held = access_codes.holders(session, staff, clinic.ids["kid"])
        access = next(h.access_id for h in held if h.email == clinic.family.email)
        access_codes.revoke_access(session, staff, access)

    # The open page learns it at once (the server pushes it), and says so in words.
    notice = page.get_by_role("status").filter(has_text="A record was removed from your portal")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(f"removed {kid}'s record from your portal on")
    expect(notice).to_contain_text("If you think this is a mistake, call")
    switcher = page.get_by_role("radiogroup", name="Whose records")
    expect(switcher.get_by_role("radio", name=kid)).to_have_count(0)
    expect(switcher.get_by_role("radio", name=clinic.names["mine"])).to_be_visible()
    expect(page.get_by_role("heading", name=clinic.names["mine"], level=1)).to_be_visible()

    portal_nav(page, "Appointments")  # said once; the overview keeps a note of it
    expect(page.get_by_role("heading", name="Appointments", level=1)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="A record was removed")).to_have_count(0)
    portal_nav(page, "Overview")
    expect(page.get_by_role("heading", name="Removed from your portal")).to_be_visible()
    expect(page.get_by_text(f"removed {kid}'s record from your portal on", exact=False)).to_be_visible()


def test_after_sign_in_going_back_does_not_show_the_sign_in_page_again(page: Page, clinic: Clinic) -> None:
    open_page(page, "/clinic/patients")
    expect(page).to_have_url(re.compile(r"/sign-in\?next="))
    page.get_by_label("E-mail").fill(clinic.staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/clinic/patients/?$"))
    # The ticket's POST and its redirect are a full page load: let it finish before going back, or
    # the evaluate below can land in a document that is being replaced (seen once in CI's suite).
    expect(page.get_by_role("heading", name="Patients", level=1)).to_be_visible()
    wait_until_interactive(page)
    # Not page.go_back(): the sign-in entry sends us on at once, which Playwright reports as
    # an aborted navigation while it waits for a load. history.back() runs after evaluate()
    # has returned, since the navigation it starts may destroy the page's script context
    # before evaluate() can answer; we wait until the back navigation has really happened.
    with page.expect_event("framenavigated", predicate=lambda frame: frame == page.main_frame):
        page.evaluate("setTimeout(() => history.back(), 0)")
    expect(page).to_have_url(re.compile(r"/clinic/patients/?$"))
    expect(page.get_by_role("heading", name="Patients", level=1)).to_be_visible()
    # A portal page asked for by a staff account: its own home, not a refusal.
    open_page(page, "/sign-in?next=/portal/profile")
    expect(page).to_have_url(re.compile(r"/clinic/?$"))


def test_a_week_view_block_shows_its_whole_text_on_hover_and_keyboard_focus(page: Page, clinic: Clinic) -> None:
    signed_in(page, clinic.owner)
    open_calendar(page)
    page.get_by_role("radio", name="Week").click()
    name = f"09:00 {clinic.names['mine']}, {clinic.service}, Booked"
    block = page.get_by_role("button", name=name, exact=True)
    expect(block).to_be_visible()
    cut = "e => e.scrollWidth > e.clientWidth"  # a line of the block cut at its edge
    assert block.evaluate(cut), "the test needs a block whose text is cut in the week view"
    narrow = block.bounding_box()
    assert narrow is not None

    block.hover()
    page.wait_for_function("e => getComputedStyle(e).zIndex === '3'", arg=block.element_handle())
    # Under the pointer is the appointment, not a free time to book (the grid's free-time button is off).
    expect(page.get_by_role("button", name=re.compile("^Book "))).to_have_count(0)
    assert not block.evaluate(cut), "hovered, the block still cuts its text"

    page.mouse.move(0, 0)
    page.wait_for_function("e => getComputedStyle(e).zIndex === '1'", arg=block.element_handle())
    assert block.evaluate(cut)
    block.focus()
    page.keyboard.press("Shift+Tab")  # out to the grid, one Tab stop (roving tabindex) ...
    expect(page.get_by_role("group", name=re.compile(": calendar. Arrow keys"))).to_be_focused()
    page.keyboard.press("ArrowDown")  # ... and back in by the keyboard, where focus was
    expect(block).to_be_focused()
    page.wait_for_function("e => getComputedStyle(e).zIndex === '3'", arg=block.element_handle())
    assert not block.evaluate(cut), "focused by the keyboard, the block still cuts its text"
    wide = block.bounding_box()
    assert wide is not None and wide["width"] > narrow["width"]


def test_a_free_time_is_booked_with_a_tap_on_a_phone(browser: Browser, app: RunningApp, clinic: Clinic) -> None:
    """A finger has no hover: the tap itself finds the free time, opens the booking dialog there,
    and focus comes back to that time when the dialog is closed."""
    phone = browser.new_context(
        base_url=app.base_url,
        locale="en-CA",
        timezone_id="America/Toronto",
        viewport={"width": 375, "height": 740},
        has_touch=True,
        is_mobile=True,
    )
    try:
        page = phone.new_page()
        signed_in(page, clinic.owner)
        open_calendar(page)
        page.get_by_role("radio", name="Day").click()
        expect(page.get_by_role("button", name="Next day")).to_be_visible()
        lanes = page.get_by_role("group", name=LANE_NAME)
        expect(lanes).to_have_count(2)  # the day view: the owner's lane and the colleague's
        # One lane by its own name: the locator stays on it whatever the grid redraws meanwhile.
        named_by = "lane => document.getElementById(lane.getAttribute('aria-labelledby')).textContent"
        lane_name = lanes.first.evaluate(named_by)
        lane = page.get_by_role("group", name=lane_name, exact=True)
        # Its name now: once the dialog is open, the grid behind it is hidden from the accessibility tree.
        booked = free_time_name(lane, "11:15")
        practitioner = lane_name.split(", ")[0]
        x, y = free_time_point(lane, "11:15")
        page.touchscreen.tap(x, y)
        dialog = page.get_by_role("dialog", name=f"Book with {practitioner}")
        expect(dialog).to_be_visible()
        expect(dialog.get_by_label("Time")).to_have_value("11:15")
        page.keyboard.press("Escape")
        expect(dialog).to_have_count(0)
        expect(page.locator(":focus")).to_have_text("11:15")  # the time, written in the highlighted row
        expect(page.locator(":focus")).to_have_accessible_name(
            re.compile("^" + re.escape(booked) + r"( \(not working\))?$")
        )
    finally:
        phone.close()
