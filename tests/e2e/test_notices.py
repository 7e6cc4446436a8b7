"""Notices and reminders (issue 14 item 6) through the real UI in Chromium: the owner chooses
the clinic notices on Office Details and the day-before reminder in Online Booking Options; a
patient's online booking then reaches the clinic at once, and the patient's mail carries the
visit as a text/calendar part (read from the local SMTP server the app sends to)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.e2e.harness import RunningApp
from tests.e2e.steps import (
    book_online,
    choose_option,
    new_person,
    open_page,
    set_up_online_booking,
    sign_up,
    sign_up_with_office,
)

OFFICE_ZONE = ZoneInfo("America/Toronto")
OWNER = "Ana Lima"
PATIENT = "Paulo Souza"
SERVICE = "Initial assessment"
DESK = "desk@lakeside.example.com"


def open_booking_options(page: Page):  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Calendar settings").click()
    page.get_by_role("menuitem", name="Online Booking Options").click()
    dialog = page.get_by_role("dialog", name="Online Booking Options")
    expect(dialog).to_be_visible()
    return dialog


def test_the_owner_chooses_notices_and_reminders_and_an_online_booking_tells_everyone(
    page: Page, new_page: Callable[[], Page], app: RunningApp
) -> None:
    office = "Lakeside Osteopathy"
    sign_up_with_office(page, app.mailbox, office, name=OWNER)

    # Office Details → Clinic notices: the morning digest to the owner at first; the owner
    # chooses a mail for each event, at the front desk's address.
    card = page.get_by_role("heading", name="Clinic notices").locator("xpath=ancestor::form")
    expect(card.get_by_role("radio", name="One mail each morning (07:00) with the day before")).to_be_checked()
    expect(card.get_by_text("They go to the owner's address now:")).to_be_visible()
    card.get_by_role("radio", name="A mail for each event").click()
    card.get_by_label("Send clinic notices to").fill("desk@lakeside")  # the server checks, too
    card.get_by_role("button", name="Save clinic notices").click()
    expect(card.get_by_text("Enter an e-mail address like name@example.com.")).to_be_visible()
    card.get_by_label("Send clinic notices to").fill(DESK)
    card.get_by_role("button", name="Save clinic notices").click()
    expect(page.get_by_text("Clinic notices saved.")).to_be_visible()
    open_page(page, "/clinic/office")
    card = page.get_by_role("heading", name="Clinic notices").locator("xpath=ancestor::form")
    expect(card.get_by_role("radio", name="A mail for each event")).to_be_checked()
    expect(card.get_by_label("Send clinic notices to")).to_have_value(DESK)

    # Online Booking Options: the reminder the day before is off until turned on, from 08:00.
    office_id = set_up_online_booking(page, SERVICE)
    dialog = open_booking_options(page)
    reminder = dialog.get_by_role("switch", name="Send a reminder the day before")
    expect(reminder).not_to_be_checked()
    expect(dialog.get_by_role("combobox", name="Send reminders from")).to_have_text("17:00")
    reminder.click()
    choose_option(page, dialog.get_by_role("combobox", name="Send reminders from"), "08:00")
    dialog.get_by_role("button", name="Save options").click()
    # The setup above saved once already; its toast may still be showing.
    expect(page.get_by_text("Online Booking Options saved.").last).to_be_visible()
    expect(dialog).to_be_hidden()
    dialog = open_booking_options(page)
    expect(dialog.get_by_role("switch", name="Send a reminder the day before")).to_be_checked()
    expect(dialog.get_by_role("combobox", name="Send reminders from")).to_have_text("08:00")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    # A patient books online: the confirmation carries the visit for their calendar, and the
    # clinic hears of it at once.
    patient_page = new_page()
    patient = new_person("patient", name=PATIENT)
    sign_up(patient_page, app.mailbox, patient)
    day = (datetime.now(OFFICE_ZONE) + timedelta(days=1)).date()
    book_online(patient_page, office_id, f"{day:%a} {day.day} {day:%b}", "10:00", OWNER)
    confirmation = app.mailbox.wait_for_mail(patient.email, f"Your appointment at {office}")
    assert "You're booked" in confirmation.body
    method, _, ics = confirmation.calendar.partition("\n")
    assert method == "REQUEST"
    assert "BEGIN:VEVENT" in ics and "METHOD:REQUEST" in ics and "SEQUENCE:0" in ics
    starts = datetime(day.year, day.month, day.day, 10, tzinfo=OFFICE_ZONE).astimezone(ZoneInfo("UTC"))
    assert f"DTSTART:{starts:%Y%m%dT%H%M%SZ}" in ics
    notice = app.mailbox.wait_for_mail(DESK, "Booked online")
    assert f"Booked online: {PATIENT}" in notice.subject and f"{SERVICE} with {OWNER}" in notice.subject
    assert notice.calendar == ""
