"""A clinic's first week (issue 14): a family books for the child and the child's record gets it,
the confirm card names the day and time, the portal's groups and its call-us line, and sign-up
from the booking page preselects Patient. Each test makes its own office (owner "Ana Lima",
America/Toronto, 08:00-20:00 every day) and books tomorrow in the office's zone."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.e2e.harness import RunningApp
from tests.e2e.steps import (
    LIVE_TIMEOUT_MS,
    calendar_lane,
    choose_booking_day,
    close_access_code_dialog,
    create_patient,
    expect_record_unlocked,
    generate_access_code,
    new_person,
    open_calendar,
    open_page,
    open_patients,
    redeem_access_code,
    set_up_online_booking,
    sign_up,
    sign_up_with_office,
)

ZONE = ZoneInfo("America/Toronto")
OWNER = "Ana Lima"
SERVICE = "Initial assessment"
PHONE = "+1 416 555 0100"  # create_office's phone


def tomorrow() -> date:
    return (datetime.now(ZONE) + timedelta(days=1)).date()


def chip(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def long_day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B} {day.year}"


def block(page: Page, time: str, patient: str, status: str = "Booked", service: str = SERVICE):
    return page.get_by_role("button", name=f"{time} {patient}, {service}, {status}", exact=True)


def show_week_of(page: Page, day: date) -> None:
    lane = calendar_lane(page, OWNER, day)
    if lane.count() == 0:
        page.get_by_role("button", name="Next week").click()
    expect(lane).to_be_visible()


def give_code(page: Page, first: str, last: str) -> str:
    open_patients(page)
    create_patient(page, first, last)
    words = generate_access_code(page, f"{first} {last}")
    close_access_code_dialog(page, f"{first} {last}")
    return words


def family_page(new_page: Callable[[], Page], app: RunningApp, codes: dict[str, str]) -> Page:
    """A parent's portal account that redeemed a code for each of `codes` (name → words)."""
    family = new_page()
    sign_up(family, app.mailbox, new_person("patient", name="Paulo Souza"))
    for name, words in codes.items():
        redeem_access_code(family, words)
        expect_record_unlocked(family, name)
    return family


def test_the_family_books_for_the_child_and_the_card_names_the_day_and_time(
    page: Page, new_page: Callable[[], Page], app: RunningApp
) -> None:
    sign_up_with_office(page, app.mailbox, "Harbourfront Family Clinic", name=OWNER)
    office_id = set_up_online_booking(page, SERVICE, 30)
    codes = {"Paulo Souza": give_code(page, "Paulo", "Souza"), "Lia Souza": give_code(page, "Lia", "Souza")}
    family = family_page(new_page, app, codes)

    day = tomorrow()
    open_page(family, f"/book/{office_id}")
    choose_booking_day(family, chip(day))
    family.get_by_role("button", name=f"Book at 10:00 with {OWNER}", exact=True).click()
    card = family.get_by_label("Your appointment")
    expect(card.get_by_role("heading", name=long_day(day))).to_be_visible()
    expect(card).to_contain_text("10:00 (America/Toronto time)")
    expect(card).to_contain_text(f"{SERVICE} with {OWNER}")

    whom = family.get_by_role("radiogroup", name="Who is this appointment for?")
    expect(whom.get_by_role("radio")).to_have_count(3)  # Lia, Paulo, someone new
    expect(whom.get_by_role("radio", name="Someone new")).to_be_visible()
    # Not answered: the server's refusal is shown beside the button.
    family.get_by_role("button", name="Confirm booking").click()
    expect(family.get_by_text("Choose whom this appointment is for.")).to_be_visible()
    whom.get_by_role("radio", name="Lia Souza").click()
    family.get_by_role("button", name="Confirm booking").click()
    expect(family.get_by_text("You're booked! A confirmation e-mail is on its way.")).to_be_visible()
    expect(family.get_by_text("For Lia Souza")).to_be_visible()

    # The child's record has it: on the clinic's calendar, under her name.
    open_calendar(page)
    show_week_of(page, day)
    expect(block(page, "10:00", "Lia Souza")).to_be_visible(timeout=LIVE_TIMEOUT_MS)


def test_portal_groups_and_the_call_us_line(page: Page, new_page: Callable[[], Page], app: RunningApp) -> None:
    # Cancelling online needs 30 days' notice: nothing booked for tomorrow can be cancelled online.
    sign_up_with_office(page, app.mailbox, "Queen Street Physio", name=OWNER)
    office_id = set_up_online_booking(page, SERVICE, 30, cancellation_notice=720)
    family = family_page(new_page, app, {"Paulo Souza": give_code(page, "Paulo", "Souza")})

    open_page(family, "/portal/appointments")
    expect(family.get_by_role("link", name="Book an appointment")).to_have_attribute("href", f"/book/{office_id}")
    family.get_by_role("link", name="Book an appointment").click()
    expect(family).to_have_url(re.compile(rf"/book/{office_id}/?$"))
    day = tomorrow()
    for time in ("10:00", "11:00"):
        open_page(family, f"/book/{office_id}")
        choose_booking_day(family, chip(day))
        family.get_by_role("button", name=f"Book at {time} with {OWNER}", exact=True).click()
        family.get_by_role("button", name="Confirm booking").click()
        expect(family.get_by_text("You're booked! A confirmation e-mail is on its way.")).to_be_visible()

    # The front desk cancels the 11:00 one.
    open_calendar(page)
    show_week_of(page, day)
    block(page, "11:00", "Paulo Souza").click()
    page.get_by_role("dialog", name="Paulo Souza").get_by_role("button", name="Cancel appointment").click()
    expect(block(page, "11:00", "Paulo Souza")).to_have_count(0)

    open_page(family, "/portal/appointments")
    upcoming = family.get_by_role("heading", name="Upcoming")
    expect(upcoming).to_be_visible()
    expect(family.get_by_role("heading", name="Past")).to_be_visible()
    expect(family.get_by_role("heading", name="Cancelled")).to_be_visible()
    expect(family.get_by_text(f"To cancel, call the clinic at {PHONE}")).to_have_count(1)
    expect(family.get_by_role("button", name=re.compile(r"^Cancel "))).to_have_count(0)
    expect(family.get_by_role("link", name=re.compile(r" again$"))).to_have_count(0)  # nothing past yet
    expect(family.get_by_text("Cancelled", exact=True).last).to_be_visible()


def test_sign_up_from_the_booking_page_preselects_patient(
    page: Page, new_page: Callable[[], Page], app: RunningApp
) -> None:
    sign_up_with_office(page, app.mailbox, "Don Mills Clinic", name=OWNER)
    office_id = set_up_online_booking(page, SERVICE, 30)
    visitor = new_page()
    open_page(visitor, f"/book/{office_id}")
    choose_booking_day(visitor, chip(tomorrow()))
    visitor.get_by_role("button", name=f"Book at 10:00 with {OWNER}", exact=True).click()
    visitor.get_by_role("link", name="Create a portal account").click()
    expect(visitor).to_have_url(re.compile(r"/sign-up\?kind=patient&next="))
    expect(visitor.get_by_role("radio", name=re.compile(r"^Patient"))).to_be_checked()
    # The sign-in page reached from the portal carries it too.
    open_page(visitor, "/portal/redeem?code=apple-brick-cloud-delta")
    expect(visitor).to_have_url(re.compile(r"/sign-in\?next="))
    visitor.get_by_role("link", name="Create an account").click()
    expect(visitor.get_by_role("radio", name=re.compile(r"^Patient"))).to_be_checked()
    open_page(visitor, "/sign-up")
    expect(visitor.get_by_role("radio", name=re.compile(r"^Practitioner"))).to_be_checked()
