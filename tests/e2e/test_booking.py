"""The booking calendar and online booking (issue 5), through the real UI in Chromium.

Staff and patients each have their own browser context. Every test makes its
own office (owner "Ana Lima", time zone America/Toronto) with working hours
08:00-20:00 on all seven days, so nothing depends on today's weekday, and
books for tomorrow in the office's time zone. No test fails a sign-in.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.e2e.harness import RunningApp
from tests.e2e.steps import (
    LIVE_TIMEOUT_MS,
    PUSHED_TIMEOUT_MS,
    add_service,
    book_free_time,
    book_online,
    calendar_lane,
    choose_booking_day,
    choose_option,
    close_access_code_dialog,
    create_patient,
    expect_not_reloaded,
    expect_record_unlocked,
    generate_access_code,
    invitation_dialog,
    invite_to_office,
    mark_page,
    new_person,
    open_calendar,
    open_calendar_setup,
    open_page,
    open_patients,
    open_team_tab,
    point_at_free_time,
    redeem_access_code,
    set_booking_options,
    set_up_online_booking,
    set_working_hours,
    sign_in,
    sign_up,
    sign_up_with_office,
)

OFFICE_ZONE = ZoneInfo("America/Toronto")  # create_office's default time zone
OWNER = "Ana Lima"  # new_person's default practitioner name
PATIENT = "Paulo Souza"  # and its default patient name
SERVICE = "Initial assessment"


def tomorrow() -> date:
    return (datetime.now(OFFICE_ZONE) + timedelta(days=1)).date()


def day_button(day: date) -> str:
    """How the booking page names a day's chip: "Tue 24 Nov"."""
    return f"{day:%a} {day.day} {day:%b}"


def show_week_of(page: Page, day: date, practitioner: str = OWNER) -> None:
    """On the week view: go one week on when `day` isn't in the week shown (today's)."""
    lane = calendar_lane(page, practitioner, day)
    if lane.count() == 0:
        page.get_by_role("button", name="Next week").click()
    expect(lane).to_be_visible()


def block(page: Page, time: str, patient: str, status: str = "Booked", service: str = SERVICE):
    return page.get_by_role("button", name=f"{time} {patient}, {service}, {status}", exact=True)


def new_patient_page(new_page: Callable[[], Page], app: RunningApp) -> Page:
    patient_page = new_page()
    sign_up(patient_page, app.mailbox, new_person("patient", name=PATIENT))
    return patient_page


def test_new_patient_books_online_staff_see_it_live_and_the_patient_cancels(
    page: Page, new_page: Callable[[], Page], app: RunningApp
) -> None:
    office = "Harbour Physiotherapy"
    sign_up_with_office(page, app.mailbox, office, name=OWNER)
    office_id = set_up_online_booking(page, SERVICE, 30, cancellation_notice=1)
    day = tomorrow()
    show_week_of(page, day)
    expect(block(page, "10:00", PATIENT)).to_have_count(0)
    mark_page(page)

    patient_page = new_page()
    patient = new_person("patient", name=PATIENT)
    sign_up(patient_page, app.mailbox, patient)
    book_online(patient_page, office_id, day_button(day), "10:00", OWNER)
    with patient_page.expect_download() as download:
        patient_page.get_by_role("button", name="Add to calendar").click()
    assert download.value.suggested_filename == "appointment.ics"
    mail = app.mailbox.wait_for_mail(patient.email, f"Your appointment at {office}")
    assert mail.subject.startswith(f"Your appointment at {office}")

    # The staff calendar, open all along, shows it without a reload.
    expect(block(page, "10:00", PATIENT)).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect_not_reloaded(page)

    patient_page.get_by_role("link", name="See my appointments").click()
    expect(patient_page).to_have_url(re.compile(r"/portal/appointments/?$"))
    expect(patient_page.get_by_role("heading", name="Upcoming")).to_be_visible()
    cancel = patient_page.get_by_role("button", name=re.compile(rf"^Cancel {SERVICE} on "))
    expect(cancel).to_have_count(1)
    cancel.click()
    confirm = patient_page.get_by_role("alertdialog", name="Cancel this appointment?")
    expect(confirm).to_be_visible()
    confirm.get_by_role("button", name="Cancel appointment").click()
    expect(patient_page.get_by_text("Appointment cancelled.")).to_be_visible()
    expect(cancel).to_have_count(0)

    # On the staff calendar the booking is no longer live.
    expect(block(page, "10:00", PATIENT)).to_have_count(0, timeout=LIVE_TIMEOUT_MS)
    expect_not_reloaded(page)


def test_late_cancellation_is_not_offered(page: Page, new_page: Callable[[], Page], app: RunningApp) -> None:
    sign_up_with_office(page, app.mailbox, "Riverside Clinic", name=OWNER)
    office_id = set_up_online_booking(page, SERVICE, 30, cancellation_notice=720)

    patient_page = new_patient_page(new_page, app)
    book_online(patient_page, office_id, day_button(tomorrow()), "11:00", OWNER)
    patient_page.get_by_role("link", name="See my appointments").click()
    expect(patient_page).to_have_url(re.compile(r"/portal/appointments/?$"))
    card = patient_page.get_by_text(f"{SERVICE} with {OWNER}")
    expect(card).to_be_visible()
    expect(patient_page.get_by_role("button", name=re.compile(r"^Cancel"))).to_have_count(0)


def test_staff_book_from_the_grid_reschedule_and_mark_arrived(page: Page, app: RunningApp) -> None:
    sign_up_with_office(page, app.mailbox, "Maple Health", name=OWNER)
    open_patients(page)
    lucia = f"lucia-{uuid.uuid4().hex[:8]}@example.com"
    create_patient(page, "Lucia", "Fernandes", email=lucia)
    open_calendar(page)
    open_calendar_setup(page)
    add_service(page, SERVICE, 30)
    set_working_hours(page)
    open_calendar(page)
    day = tomorrow()
    show_week_of(page, day)

    book_free_time(page, OWNER, day, "10:00")
    dialog = page.get_by_role("dialog", name=f"Book with {OWNER}")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Patient").fill("Fern")
    dialog.get_by_role("button", name=re.compile(r"^Fernandes, Lucia")).first.click()
    choose_option(page, dialog.get_by_role("combobox", name="Service"), f"{SERVICE} · 30 min")
    # The week's cells are half-hours; the time can be set to any minute before booking.
    expect(dialog.get_by_label("Time")).to_have_value("10:00")
    dialog.get_by_label("Time").fill("10:15")
    dialog.get_by_role("button", name="Book", exact=True).click()
    expect(page.get_by_text(re.compile(r"^Booked Fernandes, Lucia for .*, 10:15\.$"))).to_be_visible()
    expect(dialog).to_be_hidden()
    first = block(page, "10:15", "Lucia Fernandes")
    expect(first).to_be_visible()

    first.click()
    opened = page.get_by_role("dialog", name="Lucia Fernandes")
    expect(opened).to_be_visible()
    opened.get_by_label("Time").fill("14:00")
    opened.get_by_role("button", name="Move appointment").click()
    expect(page.get_by_text("Appointment moved.")).to_be_visible()
    moved = block(page, "14:00", "Lucia Fernandes")
    expect(moved).to_be_visible()
    expect(first).to_have_count(0)
    # Lucia is told both times (issue 14), each with the visit for her calendar; the move names the new time.
    booked_mail = app.mailbox.wait_for_mail(lucia, "Your appointment at Maple Health: ")
    assert ", 10:15" in booked_mail.subject and "BEGIN:VCALENDAR" in booked_mail.calendar
    moved_mail = app.mailbox.wait_for_mail(lucia, "Your appointment at Maple Health has moved to")
    assert moved_mail.subject.endswith(", 14:00"), moved_mail.subject
    assert moved_mail.calendar.startswith("REQUEST") and "SEQUENCE:1" in moved_mail.calendar, moved_mail.calendar

    moved.click()
    expect(opened).to_be_visible()
    opened.get_by_role("button", name="Mark arrived").click()
    expect(block(page, "14:00", "Lucia Fernandes", status="Arrived")).to_be_visible()


def test_a_booking_a_move_and_a_rename_on_one_screen_show_on_another_open_calendar_within_seconds(
    page: Page, new_page: Callable[[], Page], app: RunningApp
) -> None:
    owner = sign_up_with_office(page, app.mailbox, "Cedar Clinic", name=OWNER)
    open_patients(page)
    record = create_patient(page, "Lucia", "Fernandes")
    open_calendar(page)
    open_calendar_setup(page)
    add_service(page, SERVICE, 30)
    set_working_hours(page)
    open_calendar(page)
    day = tomorrow()
    show_week_of(page, day)

    # A second screen on the same calendar (another browser), left open.
    other = new_page()
    sign_in(other, owner.email, owner.password)
    expect(other.get_by_role("heading", name="Home")).to_be_visible()
    open_calendar(other)
    show_week_of(other, day)
    mark_page(other)
    # Its pointer rests on the time about to be booked here: a free time to book, until it is taken.
    other_ten = point_at_free_time(other, calendar_lane(other, OWNER, day), "10:00")
    expect(other_ten).to_be_visible()

    book_free_time(page, OWNER, day, "10:00")
    dialog = page.get_by_role("dialog", name=f"Book with {OWNER}")
    dialog.get_by_label("Patient").fill("Fern")
    dialog.get_by_role("button", name=re.compile(r"^Fernandes, Lucia")).first.click()
    choose_option(page, dialog.get_by_role("combobox", name="Service"), f"{SERVICE} · 30 min")
    dialog.get_by_role("button", name="Book", exact=True).click()
    expect(page.get_by_text(re.compile(r"^Booked Fernandes, Lucia for .*, 10:00\.$"))).to_be_visible()
    expect(block(other, "10:00", "Lucia Fernandes")).to_be_visible(timeout=PUSHED_TIMEOUT_MS)
    expect(other_ten).to_have_count(0)  # taken: no free time offered under the resting pointer

    block(page, "10:00", "Lucia Fernandes").click()
    opened = page.get_by_role("dialog", name="Lucia Fernandes")
    opened.get_by_label("Time").fill("15:00")
    opened.get_by_role("button", name="Move appointment").click()
    expect(page.get_by_text("Appointment moved.")).to_be_visible()
    expect(block(other, "15:00", "Lucia Fernandes")).to_be_visible(timeout=PUSHED_TIMEOUT_MS)
    expect(block(other, "10:00", "Lucia Fernandes")).to_have_count(0)

    # Her name corrected on her record: the open calendar's block follows.
    open_page(page, record)
    page.get_by_label("First name").fill("Luciana")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()
    expect(block(other, "15:00", "Luciana Fernandes")).to_be_visible(timeout=PUSHED_TIMEOUT_MS)
    expect(block(other, "15:00", "Lucia Fernandes")).to_have_count(0)
    expect_not_reloaded(other)


def test_the_booking_page_preselects_service_and_practitioner_from_the_link(
    page: Page, new_page: Callable[[], Page], app: RunningApp
) -> None:
    sign_up_with_office(page, app.mailbox, "Bayview Osteopathy", name=OWNER)
    open_calendar(page)
    open_calendar_setup(page)
    add_service(page, SERVICE, 30)
    add_service(page, "Follow-up", 45)
    set_working_hours(page)
    open_calendar(page)
    office_id = set_booking_options(page, enabled=True, min_notice=0)

    # Signed out, choose the second service, the practitioner and a time: the page offers
    # to sign in, and its sign-up link comes back to the same choices (ids in the query).
    visitor = new_page()
    open_page(visitor, f"/book/{office_id}")
    service = visitor.get_by_role("combobox", name="Service")
    practitioner = visitor.get_by_role("combobox", name="Practitioner")
    expect(practitioner).to_have_text("Any practitioner")
    choose_option(visitor, service, "Follow-up · 45 min")
    choose_option(visitor, practitioner, OWNER)
    choose_booking_day(visitor, day_button(tomorrow()))
    visitor.get_by_role("button", name=f"Book at 10:00 with {OWNER}", exact=True).click()
    expect(visitor.get_by_label("E-mail")).to_be_visible()
    expect(visitor.get_by_label("Password")).to_be_visible()
    link = visitor.get_by_role("link", name="Create a portal account")
    next_path = parse_qs(urlparse(link.get_attribute("href") or "").query)["next"][0]
    chosen = parse_qs(urlparse(next_path).query)
    service_id, practitioner_id = chosen["service"][0], chosen["practitioner"][0]
    assert service_id.isdigit() and practitioner_id.isdigit(), next_path

    # A link with those ids (as "Book again" makes) opens with them chosen.
    fresh = new_page()
    open_page(fresh, f"/book/{office_id}?service={service_id}&practitioner={practitioner_id}")
    expect(fresh.get_by_role("combobox", name="Service")).to_have_text("Follow-up · 45 min")
    expect(fresh.get_by_role("combobox", name="Practitioner")).to_have_text(OWNER)
    expect(fresh.get_by_role("button", name=re.compile(rf"^Book at \d\d:\d\d with {OWNER}$")).first).to_be_visible()


def test_book_again_on_a_past_appointment_books_the_same_service_and_practitioner(
    page: Page, new_page: Callable[[], Page], app: RunningApp
) -> None:
    sign_up_with_office(page, app.mailbox, "Lakeside Chiropractic", name=OWNER)
    office_id = set_up_online_booking(page, SERVICE, 30)
    open_calendar_setup(page)
    add_service(page, "Follow-up", 45)  # not the first service: "Book again" must choose it
    open_patients(page)
    create_patient(page, "Paulo", "Souza")
    words = generate_access_code(page, PATIENT)
    close_access_code_dialog(page, PATIENT)

    patient_page = new_patient_page(new_page, app)
    redeem_access_code(patient_page, words)
    expect_record_unlocked(patient_page, PATIENT)

    # The front desk records last week's visit on the calendar (a past time).
    open_calendar(page)
    last_week = (datetime.now(OFFICE_ZONE) - timedelta(days=7)).date()
    page.get_by_role("button", name="Previous week").click()
    book_free_time(page, OWNER, last_week, "10:00")
    dialog = page.get_by_role("dialog", name=f"Book with {OWNER}")
    dialog.get_by_label("Patient").fill("Souza")
    dialog.get_by_role("button", name=re.compile(r"^Souza, Paulo")).first.click()
    choose_option(page, dialog.get_by_role("combobox", name="Service"), "Follow-up · 45 min")
    dialog.get_by_role("button", name="Book", exact=True).click()
    expect(block(page, "10:00", PATIENT, service="Follow-up")).to_be_visible()

    # The patient sees it under Past and books the same again.
    open_page(patient_page, "/portal/appointments")
    expect(patient_page.get_by_role("heading", name="Past")).to_be_visible()
    expect(patient_page.get_by_text(f"Follow-up with {OWNER}")).to_be_visible()
    patient_page.get_by_role("link", name=f"Book again: Follow-up with {OWNER}").click()
    expect(patient_page).to_have_url(re.compile(rf"/book/{office_id}\?service=\d+&practitioner=\d+$"))
    expect(patient_page.get_by_role("combobox", name="Service")).to_have_text("Follow-up · 45 min")
    expect(patient_page.get_by_role("combobox", name="Practitioner")).to_have_text(OWNER)
    day = tomorrow()
    choose_booking_day(patient_page, day_button(day))
    patient_page.get_by_role("button", name=f"Book at 11:00 with {OWNER}", exact=True).click()
    patient_page.get_by_role("button", name="Confirm booking").click()
    expect(patient_page.get_by_text("You're booked! A confirmation e-mail is on its way.")).to_be_visible()

    # The new booking is the 45-minute follow-up with the same practitioner, on the staff calendar too.
    show_week_of(page, day)
    expect(block(page, "11:00", PATIENT, service="Follow-up")).to_be_visible(timeout=LIVE_TIMEOUT_MS)


def test_the_calendar_shows_the_practitioners_chosen(page: Page, new_page: Callable[[], Page], app: RunningApp) -> None:
    office = "Northside Physio"
    sign_up_with_office(page, app.mailbox, office, name=OWNER)
    colleague = new_person("practitioner", name="Ben Okri")
    open_team_tab(page)
    invite_to_office(page, "practitioner", colleague.email)
    other = new_page()
    sign_up(other, app.mailbox, colleague)
    invitation = invitation_dialog(other, office)
    expect(invitation).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    invitation.get_by_role("button", name="Approve").click()
    expect(other.get_by_text(f"Welcome to {office}!")).to_be_visible()

    open_calendar(page)
    day = tomorrow()
    show_week_of(page, day)
    # Neither has set working hours yet: the columns are shaded, and their free times say so in words.
    ana_lane, ben_lane = calendar_lane(page, OWNER, day), calendar_lane(page, "Ben Okri", day)
    expect(point_at_free_time(page, ana_lane, "10:00", not_working=True)).to_be_visible()
    expect(point_at_free_time(page, ben_lane, "10:00", not_working=True)).to_be_visible()

    filter_button = page.get_by_role("button", name="Practitioners shown")
    expect(filter_button).to_have_text("Everyone")
    filter_button.click()
    chosen = page.get_by_role("group", name="Practitioners shown")
    chosen.get_by_role("checkbox", name=OWNER).click()
    expect(ana_lane).to_have_count(0)
    expect(ben_lane).to_be_visible()
    expect(filter_button).to_have_text("1 of 2")
    # The last one shown stays.
    chosen.get_by_role("checkbox", name="Ben Okri").click()
    expect(page.get_by_text("Keep at least one practitioner on the calendar.")).to_be_visible()
    expect(chosen.get_by_role("checkbox", name="Ben Okri")).to_be_checked()
    expect(ben_lane).to_be_visible()
    # The browser remembers the choice; moving on a week keeps it; "Show everyone" brings Ana back.
    page.keyboard.press("Escape")
    second_tab = page.context.new_page()  # same browser, a fresh page state
    open_calendar(second_tab)
    show_week_of(second_tab, day, practitioner="Ben Okri")
    expect(second_tab.get_by_role("button", name="Practitioners shown")).to_have_text("1 of 2")
    expect(calendar_lane(second_tab, OWNER, day)).to_have_count(0)
    second_tab.close()
    page.get_by_role("button", name="Next week").click()
    week_on = day + timedelta(days=7)
    next_ben, next_ana = calendar_lane(page, "Ben Okri", week_on), calendar_lane(page, OWNER, week_on)
    resting = point_at_free_time(page, next_ben, "10:00", not_working=True)
    expect(resting).to_be_visible()
    expect(next_ana).to_have_count(0)
    # The window narrows under the resting pointer: the lanes narrow and move under it, and the free
    # time offered there is the one of the lane now under it.
    box = resting.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2 + 2
    page.set_viewport_size({"width": 1000, "height": 720})
    page.mouse.move(x, y)
    under = page.evaluate(
        """([x, y]) => {
          const lane = document.elementsFromPoint(x, y).find((el) => el.classList.contains('cal-lane'));
          return document.getElementById(lane.getAttribute('aria-labelledby')).textContent;
        }""",
        [x, y],
    )
    assert under != f"Ben Okri, {week_on:%a} {week_on.day} {week_on:%b}", "the lanes should have moved"
    expect(page.get_by_role("button", name=re.compile(rf"^Book {re.escape(under)} \d\d:\d\d"))).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 720})
    filter_button.click()
    page.get_by_role("button", name="Show everyone").click()
    expect(next_ana).to_be_visible()
    expect(filter_button).to_have_text("Everyone")
    page.keyboard.press("Escape")  # the list of practitioners closed, the grid is free to point at
    expect(point_at_free_time(page, next_ana, "10:00", not_working=True)).to_be_visible()
