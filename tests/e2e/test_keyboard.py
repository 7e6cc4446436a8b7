"""Keyboard only (issue 15): sign in, book online, sign in on the booking page, redeem a code, book
on the staff calendar; where focus is after each step; dialogs give focus back to what opened
them; the record switcher and the calendar grid are one Tab stop each, moved through with arrows.

Nothing here is clicked: Tab, arrow keys, Enter and typing only. `tab_to` presses Tab until the
element has focus (and fails after `limit` presses), so a test also bounds how far away it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from app.models import AccountKind
from tests.e2e.a11y_office import Office, arranged_office, signed_in
from tests.e2e.harness import RunningApp
from tests.e2e.office_data import Tags
from tests.e2e.steps import open_page


@pytest.fixture(scope="module")
def office(app: RunningApp) -> Iterator[Office]:
    yield from arranged_office(app)


def focused(page: Page) -> Locator:
    return page.locator(":focus")


def accessible_name(target: Locator) -> str:
    """The name Playwright computes for `target` (from aria-label or aria-labelledby alike)."""
    snapshot = target.aria_snapshot()
    named = re.match(r'- \w+ "(.*)"', snapshot.splitlines()[0])
    assert named, snapshot
    return named.group(1)


def tab_to(page: Page, target: Locator, limit: int = 25) -> int:
    """Press Tab until `target` has focus (none when it has already); returns how many presses it took."""
    expect(target).to_be_visible()
    if target.evaluate("node => node === document.activeElement"):
        return 0
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if target.evaluate("node => node === document.activeElement"):
            return presses
    raise AssertionError(f"{target} not reached with {limit} presses of Tab; focus is on {focused(page).all()}")


def step_heading(page: Page) -> Locator:
    """The booking flow's current step: the appointment's day (a heading) or "You're booked!"."""
    return page.locator("#booking-step")


def choose_a_time_by_keyboard(page: Page) -> None:
    """On /book/<id>: the day chips are one Tab stop; the next day by arrow key, then its first time."""
    days = page.get_by_role("radiogroup", name="Day")
    day = days.get_by_role("radio", checked=True)
    expect(day).to_be_visible()
    radios = days.get_by_role("radio")
    next_day = radios.nth([radio.get_attribute("aria-checked") for radio in radios.all()].index("true") + 1)
    tab_to(page, day)
    page.keyboard.press("ArrowRight")
    expect(next_day).to_be_focused()
    # Arrow keys check the radio they reach (Radix); Space checks it too, and does nothing more
    # when it already is: a keyboard user's sure way, and no race with the arrow's own check.
    page.keyboard.press("Space")
    # The day is chosen on the server, which sends its times with it: wait for both.
    expect(next_day).to_be_checked()
    first_time = page.get_by_role("button", name=re.compile(r"^Book at \d\d:\d\d with ")).first
    expect(first_time).to_be_visible()
    tab_to(page, first_time)
    page.keyboard.press("Enter")
    # The times are replaced by the appointment's card: focus is on its heading, not the page body.
    expect(step_heading(page)).to_be_focused()
    expect(step_heading(page)).to_have_role("heading")


def confirm_by_keyboard(page: Page) -> None:
    """For whom (the family holds two records: the first, chosen with Space), then "Confirm booking"."""
    whom = page.get_by_role("radiogroup", name="Who is this appointment for?")
    tab_to(page, whom.get_by_role("radio").first)
    page.keyboard.press("Space")
    expect(whom.get_by_role("radio").first).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Confirm booking"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("You're booked! A confirmation e-mail is on its way.")
    expect(step_heading(page)).to_be_focused()


def test_sign_in_by_keyboard(new_page: Callable[[], Page], office: Office) -> None:
    page = new_page()
    open_page(page, "/sign-in")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    tab_to(page, page.get_by_label("E-mail"), limit=3)
    page.keyboard.type(office.owner.email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(office.owner.password)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/clinic/?$"))


def test_book_online_by_keyboard(new_page: Callable[[], Page], office: Office) -> None:
    page = signed_in(new_page, office.family, "/portal")
    open_page(page, f"/book/{office.office_id}")
    choose_a_time_by_keyboard(page)
    confirm_by_keyboard(page)


def test_sign_in_on_the_booking_page_by_keyboard(new_page: Callable[[], Page], office: Office) -> None:
    page = new_page()
    open_page(page, f"/book/{office.office_id}")
    choose_a_time_by_keyboard(page)
    tab_to(page, page.get_by_label("E-mail"))
    page.keyboard.type(office.family.email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(office.family.password)
    page.keyboard.press("Enter")
    # Signed in: the confirm step replaces the form, and focus is back on the appointment's heading.
    expect(page.get_by_role("button", name="Confirm booking")).to_be_visible()
    expect(step_heading(page)).to_be_focused()
    confirm_by_keyboard(page)


def test_redeem_a_code_by_keyboard(new_page: Callable[[], Page], office: Office) -> None:
    db = office.db
    holder = db.account(Tags(), AccountKind.patient)
    record = db.patient(office.owner, office.office_id, Tags())
    _, words = db.access_code(office.owner, record)
    page = signed_in(new_page, holder, "/portal")
    open_page(page, "/portal/redeem")
    tab_to(page, page.get_by_label("Access code"))
    page.keyboard.type(words)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/portal/?$"))
    expect(page.get_by_text(re.compile(r"'s records are now in your portal\.$"))).to_be_visible()
    expect(page.get_by_label("Access code")).to_have_count(0)  # the old page is gone
    # A new page: the next Tab starts from its top, not from somewhere in the old one. The top is
    # the toast that says so (toasts are focusable, in the region before the page), then the skip link.
    page.keyboard.press("Tab")
    toasts = page.get_by_role("region", name=re.compile("^Notifications"))
    if toasts.evaluate("region => region.contains(document.activeElement)"):
        page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()


def test_book_on_the_staff_calendar_by_keyboard(new_page: Callable[[], Page], office: Office) -> None:
    page = signed_in(new_page, office.owner, "/clinic")
    open_page(page, "/clinic/calendar")
    grid = page.get_by_role("group", name=re.compile(r": calendar\. Arrow keys move"))
    expect(grid).to_be_visible()
    # The whole week is one Tab stop: skip link, sidebar, toolbar, then the grid (was 92 presses to Thu 11:30).
    assert tab_to(page, grid, limit=20) <= 20
    page.keyboard.press("ArrowDown")
    first = page.get_by_role("button", name=re.compile(r"^Book .*, \w{3} \d+ \w{3} 08:00"))
    expect(first.first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(focused(page)).to_have_accessible_name(re.compile(r"^Book .* 08:30"))
    lane_before = accessible_name(focused(page))
    page.keyboard.press("ArrowRight")  # the next lane, the same time
    expect(focused(page)).to_have_accessible_name(re.compile(r"^Book .* 08:30"))
    expect(focused(page)).not_to_have_accessible_name(lane_before)
    page.keyboard.press("ArrowLeft")
    # The owner's lane (the service is the owner's): the first of that day's two, or the next.
    owner = office.owner.full_name
    if not accessible_name(focused(page)).startswith(f"Book {owner},"):
        page.keyboard.press("ArrowRight")
    expect(focused(page)).to_have_accessible_name(re.compile("^Book " + re.escape(owner) + r", .* 08:30$"))
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name=f"Book with {owner}")
    expect(dialog).to_be_visible()
    last_name = office.held_name.split()[-1]
    tab_to(page, dialog.get_by_label("Patient"), limit=5)
    page.keyboard.type(last_name)
    match = dialog.get_by_role("button", name=re.compile("^" + re.escape(last_name) + ", "))
    tab_to(page, match.first, limit=5)
    page.keyboard.press("Enter")
    service = dialog.get_by_role("combobox", name="Service")
    tab_to(page, service, limit=10)
    page.keyboard.press("Enter")
    expect(page.get_by_role("option").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(service).not_to_have_text("Choose a service")
    tab_to(page, dialog.get_by_role("button", name="Book", exact=True), limit=10)
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    # Focus is on what was just made: the new appointment where the cell was.
    expect(focused(page)).to_have_accessible_name(re.compile(r"^08:30 " + re.escape(office.held_name) + ", "))


def test_dialogs_give_focus_back_to_what_opened_them(new_page: Callable[[], Page], office: Office) -> None:
    page = signed_in(new_page, office.owner, "/clinic")
    open_page(page, "/clinic/calendar")
    settings = page.get_by_role("button", name="Calendar settings")
    tab_to(page, settings)
    page.keyboard.press("Enter")
    expect(page.get_by_role("menuitem", name="Online Booking Options")).to_be_focused()
    page.keyboard.press("Enter")
    options = page.get_by_role("dialog", name="Online Booking Options")
    expect(options).to_be_visible()
    page.keyboard.press("Escape")
    expect(options).to_be_hidden()
    expect(settings).to_be_focused()

    open_page(page, f"/clinic/patients/{office.other}")
    tab = page.get_by_role("tab", name="Patient Portal Access")
    tab_to(page, page.get_by_role("tab", selected=True))
    page.keyboard.press("End")  # the tabs are one Tab stop too (Radix)
    expect(tab).to_be_focused()
    page.keyboard.press("Enter")
    generate = page.get_by_role("button", name="Generate access code")
    tab_to(page, generate)
    page.keyboard.press("Enter")
    code = page.get_by_role("dialog", name=re.compile("^Access code for"))
    expect(code).to_be_visible()
    tab_to(page, code.get_by_role("button", name="Done"))
    page.keyboard.press("Enter")
    expect(code).to_be_hidden()
    expect(generate).to_be_focused()


def test_the_record_switcher_is_one_tab_stop_moved_with_arrow_keys(
    new_page: Callable[[], Page], office: Office
) -> None:
    page = signed_in(new_page, office.family, "/portal")
    switcher = page.get_by_role("radiogroup", name="Whose records")
    chosen = switcher.get_by_role("radio", checked=True)
    other = switcher.get_by_role("radio", checked=False)
    expect(other).to_have_count(1)
    other_name = other.get_attribute("aria-label") or ""
    tab_to(page, chosen)
    page.keyboard.press("Tab")
    expect(other).not_to_be_focused()  # the other person is not a Tab stop of its own
    page.keyboard.press("Shift+Tab")
    expect(chosen).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(other).to_be_focused()
    page.keyboard.press("Enter")
    expect(switcher.get_by_role("radio", name=other_name, exact=True)).to_have_attribute("aria-checked", "true")
