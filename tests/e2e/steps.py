"""What a person does in Praxis, as reusable browser steps.

Used by the e2e tests and by the benchmarks. Every step goes through the UI
only (labels, roles, visible text) and waits with Playwright's `expect`.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date

from playwright.sync_api import Locator, Page, expect

from tests.e2e.harness import Mailbox

CONFIRM_SUBJECT = "Confirm your e-mail address for Praxis"
RESET_SUBJECT = "Reset your Praxis password"
SIGN_IN_FAILED = "That e-mail and password don't match an account. Check them and try again."
SHARE_PIN = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")

# React attaches its props to a DOM node when it hydrates it. Until then a
# click on "Sign in" would submit the form natively (a GET with the fields in
# the URL) instead of sending the Reflex event.
_HYDRATED = """() => {
    const nodes = document.querySelectorAll('button, a, input');
    return nodes.length > 0 && [...nodes].every(node => Object.keys(node).some(key => key.startsWith('__reactProps$')));
}"""


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    password: str
    kind: str = "practitioner"  # or "patient"


def new_person(kind: str = "practitioner", name: str = "") -> Person:
    tag = uuid.uuid4().hex[:10]
    default_name = "Ana Lima" if kind == "practitioner" else "Paulo Souza"
    return Person(
        name=name or default_name,
        email=f"{kind}-{tag}@example.com",
        password=f"a quiet river {tag}",
        kind=kind,
    )


def wait_until_interactive(page: Page) -> None:
    """Wait until the page's buttons, links and fields are hydrated by React."""
    page.wait_for_function(_HYDRATED, polling="raf")


def open_page(page: Page, path: str) -> None:
    page.goto(path)
    wait_until_interactive(page)


def expect_autosaved(field: Locator) -> None:
    """The server has confirmed an autosaved field's text: its saved text (its defaultValue, sent back
    after each save; what the tab-closing guard compares, components/unsaved_guard.py) is what it
    shows. A "Saved" status already on screen from an earlier save does not say that."""
    expect(field).to_have_js_property("defaultValue", field.input_value())


# ---- accounts ------------------------------------------------------------------


def fill_sign_up(page: Page, person: Person) -> None:
    open_page(page, "/sign-up")
    if person.kind == "patient":
        page.get_by_role("radio", name="Patient").click()
    page.get_by_label("Full name").fill(person.name)
    page.get_by_label("E-mail").fill(person.email)
    page.get_by_label("Password").fill(person.password)
    page.get_by_role("button", name="Create account").click()


def sign_up(page: Page, mailbox: Mailbox, person: Person) -> None:
    """Sign up, open the confirmation link that arrived by e-mail, land signed in on the home page."""
    fill_sign_up(page, person)
    expect(page.get_by_text("Check your inbox")).to_be_visible()
    mail = mailbox.wait_for_mail(person.email, CONFIRM_SUBJECT)
    page.goto(mailbox.link_in(mail, "/confirm-email?token="))
    home = "/portal" if person.kind == "patient" else "/clinic"
    expect(page).to_have_url(re.compile(re.escape(home) + r"/?$"))


def fill_sign_in(page: Page, email: str, password: str) -> None:
    open_page(page, "/sign-in")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)


def sign_in(page: Page, email: str, password: str) -> None:
    fill_sign_in(page, email, password)
    page.get_by_role("button", name="Sign in").click()


def expect_sign_in_refused(page: Page) -> None:
    expect(page.get_by_role("alert")).to_have_text(SIGN_IN_FAILED)
    expect(page).to_have_url(re.compile(r"/sign-in"))


def open_account_menu(page: Page) -> None:
    page.get_by_role("button", name="Account menu").click()


def sign_out(page: Page) -> None:
    open_account_menu(page)
    page.get_by_role("menuitem", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in/?$"))


# ---- offices ---------------------------------------------------------------------


def create_office(
    page: Page,
    name: str,
    address: str = "12 King Street West, Toronto",
    phone: str = "+1 416 555 0100",
    time_zone: str = "",
) -> None:
    """From the empty clinic home: "Create your office", fill it in, land on Office Details."""
    expect(page.get_by_text("Set up your office")).to_be_visible()
    page.get_by_role("link", name="Create your office").click()
    expect(page).to_have_url(re.compile(r"/clinic/office/new/?$"))
    page.get_by_label("Office name").fill(name)
    page.get_by_label("Address").fill(address)
    page.get_by_label("Phone").fill(phone)
    if time_zone:
        page.get_by_role("combobox", name="Time zone").click()
        page.get_by_role("option", name=time_zone, exact=True).click()
        expect(page.get_by_role("combobox", name="Time zone")).to_have_text(time_zone)
    page.get_by_role("button", name="Create office").click()
    expect(page).to_have_url(re.compile(r"/clinic/office/?$"))
    expect(page.get_by_role("heading", name="Office Details")).to_be_visible()


def office_share_pin(page: Page) -> str:
    pin = page.get_by_label("Office Share PIN")
    expect(pin).to_have_text(SHARE_PIN)
    return pin.inner_text().strip()


# ---- live updates ------------------------------------------------------------------

# The server pushes changes to the open pages concerned (app/live/: a tab hears of a change within
# about a second, issue 16): an invitation, lost access or a calendar change shows up without a
# reload. Generous for slow CI machines; tests of the push itself use tighter bounds.
LIVE_TIMEOUT_MS = 5_000
PUSHED_TIMEOUT_MS = 2_500  # "within about a second", with room for a loaded 2-CPU machine


def mark_page(page: Page) -> None:
    """Leave a mark in the page's window; a reload or full navigation wipes it."""
    page.evaluate("window.__praxisNotReloaded = true")


def expect_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__praxisNotReloaded === true"), "the page was reloaded"


# ---- accounts, from a link -------------------------------------------------------


def fill_sign_up_here(page: Page, person: Person) -> None:
    """Fill in and send the sign-up form of the page already open (e.g. from an e-mailed link)."""
    expect(page).to_have_url(re.compile(r"/sign-up/?(\?|$)"))
    wait_until_interactive(page)
    if person.kind == "patient":
        page.get_by_role("radio", name="Patient").click()
    page.get_by_label("Full name").fill(person.name)
    page.get_by_label("E-mail").fill(person.email)
    page.get_by_label("Password").fill(person.password)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Check your inbox")).to_be_visible()


def open_confirmation_link(page: Page, mailbox: Mailbox, email: str) -> None:
    mail = mailbox.wait_for_mail(email, CONFIRM_SUBJECT)
    page.goto(mailbox.link_in(mail, "/confirm-email?token="))


def sign_up_with_office(page: Page, mailbox: Mailbox, office_name: str, name: str = "") -> Person:
    """A new practitioner who owns a new office, signed in on `page` (left on Office Details)."""
    owner = new_person("practitioner", name=name)
    sign_up(page, mailbox, owner)
    create_office(page, office_name)
    return owner


# ---- office team -------------------------------------------------------------------

TEAM_REGION = {"practitioner": "Practitioners", "staff": "Staff"}
INVITE_LABEL = {"practitioner": "Invite a practitioner by e-mail", "staff": "Invite a staff member by e-mail"}


def invitation_subject(owner_name: str, office_name: str) -> str:
    return f"{owner_name} invites you to join {office_name} on Praxis"


def team_region(page: Page, role: str) -> Locator:
    """The "Practitioners" or "Staff" column of the team tab."""
    return page.get_by_role("region", name=TEAM_REGION[role], exact=True)


def open_team_tab(page: Page) -> None:
    """Office Details → "Practitioners and Staff", once the members are listed."""
    open_page(page, "/clinic/office")
    page.get_by_role("tab", name="Practitioners and Staff").click()
    expect(team_region(page, "practitioner").get_by_role("listitem").first).to_be_visible()
    expect(team_region(page, "staff")).to_be_visible()


def team_member(page: Page, role: str, name: str) -> Locator:
    return team_region(page, role).get_by_role("listitem").filter(has_text=name)


def invite_to_office(page: Page, role: str, email: str) -> None:
    """Type an address into the column's invite form and send it (the outcome is left to the caller)."""
    region = team_region(page, role)
    region.get_by_label(INVITE_LABEL[role]).fill(email)
    region.get_by_role("button", name="Invite", exact=True).click()


def invitation_dialog(page: Page, office_name: str) -> Locator:
    return page.get_by_role("dialog", name=f"Invitation to join {office_name}")


def remove_member(page: Page, role: str, name: str) -> None:
    team_region(page, role).get_by_role("button", name=f"Remove {name}", exact=True).click()
    confirm = page.get_by_role("alertdialog", name=f"Remove {name}?")
    expect(confirm).to_be_visible()
    confirm.get_by_role("button", name="Remove", exact=True).click()
    expect(confirm).to_be_hidden()
    expect(page.get_by_text(f"{name} was removed from the office.")).to_be_visible()


# ---- patients and access codes ---------------------------------------------------

ACCESS_CODE_WORDS = re.compile(r"^[a-z]+ [a-z]+ [a-z]+ [a-z]+$")
REDEEM_FAILED = "That code didn't work. Check the four words, or ask your clinic for a new code."


def open_patients(page: Page) -> None:
    """From any clinic page, the sidebar's "Patients" link."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Patients", exact=True).click()
    expect(page).to_have_url(re.compile(r"/clinic/patients/?$"))
    expect(page.get_by_role("heading", name="Patients", exact=True)).to_be_visible()
    wait_until_interactive(page)


def fill_new_patient(
    page: Page,
    first: str,
    last: str,
    *,
    date_of_birth: str = "",
    sex: str = "",
    email: str = "",
    phone: str = "",
    address: str = "",
) -> None:
    """Fill the "New patient" dialog (opened if needed) and click "Create patient"."""
    dialog = page.get_by_role("dialog", name="New patient")
    if not dialog.is_visible():
        page.get_by_role("button", name="New patient").click()
    expect(dialog).to_be_visible()
    dialog.get_by_label("First name").fill(first)
    dialog.get_by_label("Last name").fill(last)
    dialog.get_by_label("Date of birth").fill(date_of_birth)
    if sex:
        dialog.get_by_role("combobox", name="Sex").click()
        page.get_by_role("option", name=sex, exact=True).click()
        expect(dialog.get_by_role("combobox", name="Sex")).to_have_text(sex)
    dialog.get_by_label("E-mail").fill(email)
    dialog.get_by_label("Phone").fill(phone)
    dialog.get_by_role("textbox", name="Address", exact=True).fill(address)
    dialog.get_by_role("button", name="Create patient").click()


def create_patient(page: Page, first: str, last: str, **fields: str) -> str:
    """From the patient list: create a record and land in its workspace; returns the workspace path."""
    fill_new_patient(page, first, last, **fields)
    expect(page).to_have_url(re.compile(r"/clinic/patients/\d+/?$"))
    expect(page.get_by_role("heading", name=f"{first} {last}", exact=True)).to_be_visible()
    wait_until_interactive(page)
    return re.sub(r"^https?://[^/]+", "", page.url).rstrip("/")


def open_workspace_tab(page: Page, tab: str) -> None:
    page.get_by_role("tab", name=tab, exact=True).click()
    expect(page.get_by_role("tab", name=tab, exact=True)).to_have_attribute("aria-selected", "true")


def generate_access_code(page: Page, patient_name: str) -> str:
    """In a workspace: "Patient Portal Access" → "Generate access code"; returns the four words
    as shown (spaces) and leaves the code's dialog open."""
    open_workspace_tab(page, "Patient Portal Access")
    page.get_by_role("button", name="Generate access code").click()
    expect(page.get_by_role("dialog", name=f"Access code for {patient_name}")).to_be_visible()
    words = page.locator("#access-code-words")
    expect(words).to_have_text(ACCESS_CODE_WORDS)
    return words.inner_text().strip()


def close_access_code_dialog(page: Page, patient_name: str) -> None:
    dialog = page.get_by_role("dialog", name=f"Access code for {patient_name}")
    dialog.get_by_role("button", name="Done").click()
    expect(dialog).to_be_hidden()


def code_in_link(words: str) -> str:
    """The code as the QR link carries it: word-word-word-word."""
    return "-".join(words.split())


def redeem_access_code(page: Page, words: str) -> None:
    """Portal → "Unlock a record", type the code, "Unlock record" (the outcome is left to the caller)."""
    open_page(page, "/portal/redeem")
    expect(page.get_by_role("heading", name="Unlock a record")).to_be_visible()
    page.get_by_label("Access code").fill(words)
    page.get_by_role("button", name="Unlock record").click()


def expect_record_unlocked(page: Page, patient_name: str) -> None:
    expect(page).to_have_url(re.compile(r"/portal/?$"))
    expect(page.get_by_text(f"{patient_name}'s records are now in your portal.")).to_be_visible()
    expect(page.get_by_role("heading", name=patient_name, exact=True)).to_be_visible()


def record_switcher(page: Page) -> Locator:
    return page.get_by_role("radiogroup", name="Whose records")


def portal_nav(page: Page, link: str) -> None:
    """Follow a portal navigation link ("Overview", "Profile") and wait for its page."""
    page.get_by_role("navigation", name="Portal").get_by_role("link", name=link, exact=True).click()
    path = {
        "Overview": r"/portal/?$",
        "Profile": r"/portal/profile/?$",
        "Treatment plans": r"/portal/treatment-plans/?$",
        "Appointments": r"/portal/appointments/?$",
        "Documents": r"/portal/documents/?$",
        "Forms": r"/portal/forms/?$",
    }[link]
    expect(page).to_have_url(re.compile(path))


# ---- booking calendar and online booking -----------------------------------------

ALL_WEEK = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# A lane of the calendar grid is named by its practitioner and its day: "Ana Lima, Tue 24 Nov".
LANE_NAME = re.compile(r"^.+, \w{3} \d{1,2} \w{3}$")


def open_calendar(page: Page) -> None:
    open_page(page, "/clinic/calendar")
    expect(page.get_by_role("button", name="Calendar settings")).to_be_visible()
    expect(page.get_by_role("group", name=LANE_NAME).first).to_be_visible()


def calendar_lane(page: Page, practitioner: str, day: date) -> Locator:
    """A practitioner's column for one day on the calendar grid."""
    return page.get_by_role("group", name=f"{practitioner}, {day:%a} {day.day} {day:%b}", exact=True)


def free_time_point(lane: Locator, time: str) -> tuple[float, float]:
    """Where a free time of a lane is on the screen (the row scrolled into view first), to point at
    or tap. Free times are not elements of their own: the grid's one free-time button goes where
    the pointer is (components/calendar/grid_script.py)."""
    expect(lane).to_be_visible()
    point = lane.evaluate(
        """(lane, time) => {
          const label = [...document.querySelectorAll('[id^="cal-name-time-"]')].find((el) => el.textContent === time);
          if (!label) { throw new Error('no row at ' + time + ' in the grid'); }
          const row = Number(label.id.slice('cal-name-time-'.length));
          const px = lane.clientHeight / lane.dataset.busy.length;
          const mark = document.createElement('div');  // scroll the row itself into view, then take it away
          mark.style.cssText = `position:absolute;left:0;top:${row * px}px;height:${px}px;width:1px`;
          lane.appendChild(mark);
          mark.scrollIntoView({ block: 'center', inline: 'center' });
          mark.remove();
          const box = lane.getBoundingClientRect();
          return { x: box.left + box.width / 2, y: box.top + (row + 0.5) * px };
        }""",
        time,
    )
    return point["x"], point["y"]


def free_time_name(lane: Locator, time: str, *, not_working: bool = False) -> str:
    """ "Book Ana Lima, Tue 24 Nov 10:00", with " (not working)" outside the practitioner's hours."""
    name = lane.evaluate("lane => document.getElementById(lane.getAttribute('aria-labelledby')).textContent")
    return f"Book {name} {time}" + (" (not working)" if not_working else "")


def point_at_free_time(page: Page, lane: Locator, time: str, *, not_working: bool | None = False) -> Locator:
    """Moves the mouse onto a free time of a lane, as a person does before clicking it, and returns
    the button expected there, by its name (`free_time_name`; `not_working=None`: in the
    practitioner's hours or not)."""
    # A list, menu or tooltip still closing (Radix animates it out) would be under the pointer instead.
    expect(page.locator("[data-radix-popper-content-wrapper]")).to_have_count(0)
    x, y = free_time_point(lane, time)
    page.mouse.move(x, y)
    if not_working is None:
        either = re.escape(free_time_name(lane, time)) + r"( \(not working\))?"
        return page.get_by_role("button", name=re.compile(f"^{either}$"))
    return page.get_by_role("button", name=free_time_name(lane, time, not_working=not_working), exact=True)


def book_free_time(page: Page, practitioner: str, day: date, time: str) -> None:
    """Clicks a free time of the calendar grid: the booking dialog opens there."""
    point_at_free_time(page, calendar_lane(page, practitioner, day), time).click()


def open_calendar_setup(page: Page) -> None:
    """Calendar → gear → "Services and working hours"."""
    page.get_by_role("button", name="Calendar settings").click()
    page.get_by_role("menuitem", name="Services and working hours").click()
    expect(page).to_have_url(re.compile(r"/clinic/calendar/setup/?$"))
    expect(page.get_by_role("button", name="New service")).to_be_visible()
    wait_until_interactive(page)


def add_service(page: Page, name: str, minutes: int) -> None:
    """On "Services and working hours": a new service offered online by every practitioner."""
    page.get_by_role("button", name="New service").click()
    dialog = page.get_by_role("dialog", name="New service")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Name").fill(name)
    dialog.get_by_label("Length (minutes)").fill(str(minutes))
    dialog.get_by_role("button", name="Save service").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("row").filter(has_text=name)).to_be_visible()


def set_working_hours(page: Page, hours: str = "08:00-20:00", days: tuple[str, ...] = ALL_WEEK) -> None:
    saved = page.get_by_text("Working hours saved.")
    expect(saved).to_have_count(0)  # an earlier save's notice gone first, so the one below is this save's
    for day in days:
        page.get_by_label(day, exact=True).fill(hours)
    page.get_by_role("button", name="Save hours").click()
    expect(saved).to_be_visible()


def set_booking_options(
    page: Page, *, enabled: bool = True, min_notice: int | None = None, cancellation_notice: int | None = None
) -> str:
    """On the calendar: gear → "Online Booking Options", change them, save; returns the office id
    read off the dialog's "Patients book at …/book/<id>"."""
    page.get_by_role("button", name="Calendar settings").click()
    page.get_by_role("menuitem", name="Online Booking Options").click()
    dialog = page.get_by_role("dialog", name="Online Booking Options")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(re.compile(r"/book/\d+"))
    office_id = re.search(r"/book/(\d+)", dialog.inner_text()).group(1)  # type: ignore[union-attr]
    switch = dialog.get_by_role("switch", name="Online booking on")
    if switch.is_checked() != enabled:
        switch.click()
    if min_notice is not None:
        dialog.get_by_label("Minimum notice to book (hours)").fill(str(min_notice))
    if cancellation_notice is not None:
        dialog.get_by_label("Cancellation notice (hours)").fill(str(cancellation_notice))
    dialog.get_by_role("button", name="Save options").click()
    expect(page.get_by_text("Online Booking Options saved.")).to_be_visible()
    expect(dialog).to_be_hidden()
    return office_id


def set_up_online_booking(page: Page, service: str, minutes: int = 30, *, cancellation_notice: int = 1) -> str:
    """A signed-in office owner: a service, 08:00-20:00 every day, online booking on with no
    minimum notice; returns the office id. Leaves the page on the calendar."""
    open_calendar(page)
    open_calendar_setup(page)
    add_service(page, service, minutes)
    set_working_hours(page)
    open_calendar(page)
    return set_booking_options(page, enabled=True, min_notice=0, cancellation_notice=cancellation_notice)


def choose_option(page: Page, combobox: Locator, option: str | re.Pattern[str]) -> None:
    combobox.click()
    page.get_by_role("option", name=option).click()


def choose_booking_day(page: Page, day: str) -> None:
    """The booking page's day chips: one radio group, a week at a time ("Later days" for the next)."""
    chip = page.get_by_role("radiogroup", name="Day").get_by_role("radio", name=day, exact=True)
    chip.click()
    expect(chip).to_be_checked()


def book_online(page: Page, office_id: str, day: str, time: str, practitioner: str) -> None:
    """Signed in as a patient: /book/<id>, the day (its chip's name, e.g. "Tue 24 Nov"), the time, "Confirm booking"."""
    open_page(page, f"/book/{office_id}")
    expect(page.get_by_role("heading", name="Book an appointment")).to_be_visible()
    choose_booking_day(page, day)
    page.get_by_role("button", name=f"Book at {time} with {practitioner}", exact=True).click()
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.get_by_text("You're booked! A confirmation e-mail is on its way.")).to_be_visible()


def join_office_as_staff(
    owner_page: Page, page: Page, mailbox: Mailbox, office: str, owner: Person, name: str
) -> Person:
    """The owner invites a new person as staff; they sign up from the e-mail on `page` and approve.

    Leaves `page` signed in on the clinic home, a member of the office."""
    staff = new_person("practitioner", name=name)
    open_team_tab(owner_page)
    invite_to_office(owner_page, "staff", staff.email)
    expect(owner_page.get_by_text(f"Invitation sent to {staff.email}.")).to_be_visible()
    mail = mailbox.wait_for_mail(staff.email, invitation_subject(owner.name, office))
    open_page(page, mailbox.link_in(mail, "/sign-up"))
    fill_sign_up_here(page, staff)
    open_confirmation_link(page, mailbox, staff.email)
    dialog = invitation_dialog(page, office)
    expect(dialog).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    dialog.get_by_role("button", name="Approve").click()
    expect(page.get_by_text(f"Welcome to {office}!")).to_be_visible()
    return staff


# ---- audit screens -------------------------------------------------------------------

AUDIT_COLUMNS = ("Time", "Person", "What", "Patient", "Detail")


def open_audit_log(page: Page) -> None:
    """Office Details → "Audit log" (the owner's page action)."""
    open_page(page, "/clinic/office")
    page.get_by_role("link", name="Audit log", exact=True).click()
    expect(page).to_have_url(re.compile(r"/clinic/office/audit-log/?$"))
    expect(page.get_by_role("heading", name="Audit log", exact=True)).to_be_visible()
    wait_until_interactive(page)


def audit_log_column(page: Page, column: str) -> list[str]:
    """The texts of one column of the Audit log's table, top to bottom."""
    index = AUDIT_COLUMNS.index(column)
    rows = page.get_by_role("table").locator("tbody").get_by_role("row")
    return [row.locator("td, th").nth(index).inner_text().strip() for row in rows.all()]


def filter_audit_log_by_patient(page: Page, typed: str, match: str) -> None:
    """Type into "Patient", pick the match whose name starts with `match` (e.g. "Souza, Ana")."""
    page.get_by_label("Patient", exact=True).fill(typed)
    page.get_by_role("group", name="Matching patients").get_by_role(
        "button", name=re.compile("^" + re.escape(match))
    ).click()
    expect(page.get_by_role("button", name="Any patient (clear the patient filter)")).to_be_visible()


def record_access_entries(page: Page) -> Locator:
    """Portal → "Who opened my record": one list item per time a clinic person read, changed or shared it."""
    return page.get_by_role("list", name="Who opened the record").get_by_role("listitem")
