"""Accounts and offices, through the real UI in Chromium.

Each test has its own browser context (its own cookies) and its own
e-mail addresses; all tests share one running app and one SMTP inbox.

Mind the sign-in throttle when adding tests: every browser here signs in
from 127.0.0.1, and after 20 failed sign-ins from one client address within
an hour (5 for one account), sign-ins from it are refused for a while.
This module fails 3.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.harness import RunningApp
from tests.e2e.steps import (
    CONFIRM_SUBJECT,
    RESET_SUBJECT,
    SHARE_PIN,
    SIGN_IN_FAILED,
    Person,
    create_office,
    expect_sign_in_refused,
    fill_sign_up,
    new_person,
    office_share_pin,
    open_account_menu,
    open_page,
    sign_in,
    sign_out,
    sign_up,
)


def test_practitioner_signs_up_confirms_and_creates_an_office(page: Page, app: RunningApp) -> None:
    person = new_person("practitioner")
    open_page(page, "/sign-up")
    expect(page.get_by_role("radio", name="Practitioner")).to_be_checked()
    expect(page.get_by_role("radio", name="Patient")).not_to_be_checked()
    page.get_by_label("Full name").fill(person.name)
    page.get_by_label("E-mail").fill(person.email)
    page.get_by_label("Password").fill(person.password)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Check your inbox")).to_be_visible()
    expect(page.get_by_text(person.email)).to_be_visible()

    mail = app.mailbox.wait_for_mail(person.email, CONFIRM_SUBJECT)
    assert mail.subject == CONFIRM_SUBJECT
    link = app.mailbox.link_in(mail, "/confirm-email?token=")
    assert link.startswith(app.base_url + "/confirm-email?token=")
    page.goto(link)

    expect(page).to_have_url(re.compile(r"/clinic/?$"))
    expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()
    expect(page.get_by_text("Set up your office")).to_be_visible()
    page.get_by_role("link", name="Create your office").click()

    expect(page).to_have_url(re.compile(r"/clinic/office/new/?$"))
    time_zone = page.get_by_role("combobox", name="Time zone")
    expect(time_zone).to_have_text("America/Toronto")
    page.get_by_label("Office name").fill("Lima Physiotherapy")
    page.get_by_label("Address").fill("12 King Street West, Toronto")
    page.get_by_label("Phone").fill("+1 416 555 0100")
    time_zone.click()
    page.get_by_role("option", name="America/Vancouver", exact=True).click()
    expect(time_zone).to_have_text("America/Vancouver")
    page.get_by_role("button", name="Create office").click()

    expect(page).to_have_url(re.compile(r"/clinic/office/?$"))
    expect(page.get_by_role("heading", name="Office Details")).to_be_visible()
    expect(page.get_by_text("Office Share PIN", exact=True)).to_be_visible()
    office_pin = office_share_pin(page)
    assert SHARE_PIN.match(office_pin)
    expect(page.get_by_text("Lima Physiotherapy").first).to_be_visible()
    expect(page.get_by_text("America/Vancouver")).to_be_visible()

    open_account_menu(page)
    page.get_by_role("menuitem", name="View Share PIN").click()
    dialog = page.get_by_role("dialog", name="Your Practitioner Share PIN")
    expect(dialog).to_be_visible()
    dialog_pin = dialog.get_by_text(SHARE_PIN)
    expect(dialog_pin).to_be_visible()
    practitioner_pin = dialog_pin.inner_text().strip()
    assert practitioner_pin != office_pin
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()


def test_patient_signs_up_to_an_empty_portal_and_cannot_open_the_clinic(page: Page, app: RunningApp) -> None:
    person = new_person("patient")
    fill_sign_up(page, person)
    expect(page.get_by_text("Check your inbox")).to_be_visible()
    mail = app.mailbox.wait_for_mail(person.email, CONFIRM_SUBJECT)
    page.goto(app.mailbox.link_in(mail, "/confirm-email?token="))

    expect(page).to_have_url(re.compile(r"/portal/?$"))
    expect(page.get_by_role("heading", name="Your portal is ready, and empty for now")).to_be_visible()
    expect(page.get_by_text("Medical Records Access Code")).to_be_visible()
    expect(page.get_by_text(f"Signed in as {person.name}")).to_be_visible()

    page.goto("/clinic/office")
    expect(page.get_by_role("heading", name="You can't open this page")).to_be_visible()
    expect(page.get_by_role("link", name="Go to your portal")).to_be_visible()
    expect(page.get_by_text("Office Share PIN")).to_have_count(0)
    expect(page.get_by_role("heading", name="Office Details")).to_have_count(0)

    page.get_by_role("link", name="Go to your portal").click()
    expect(page).to_have_url(re.compile(r"/portal/?$"))
    expect(page.get_by_role("heading", name="Your portal is ready, and empty for now")).to_be_visible()


def test_wrong_password_and_unknown_email_get_the_same_answer(
    page: Page, new_page: Callable[[], Page], make_account: Callable[..., Person]
) -> None:
    person = make_account("practitioner")

    sign_in(page, person.email, person.password + " wrong")
    expect_sign_in_refused(page)
    wrong_password_message = page.get_by_role("alert").inner_text()

    # A fresh browser, so the first message cannot linger on the page.
    other = new_page()
    sign_in(other, "nobody-" + person.email, person.password)
    expect_sign_in_refused(other)
    unknown_email_message = other.get_by_role("alert").inner_text()

    assert wrong_password_message == unknown_email_message == SIGN_IN_FAILED
    for refused in (page, other):
        expect(refused.get_by_role("button", name="Account menu")).to_have_count(0)
        expect(refused.get_by_label("E-mail")).not_to_have_attribute("aria-invalid", "true")
        expect(refused.get_by_label("Password")).not_to_have_attribute("aria-invalid", "true")


def test_after_sign_out_the_office_page_sends_you_to_sign_in(
    page: Page, new_page: Callable[[], Page], app: RunningApp
) -> None:
    person = new_person("practitioner")
    sign_up(page, app.mailbox, person)
    create_office(page, "Sign-out Test Clinic")
    office_share_pin(page)
    cookies_while_signed_in = page.context.cookies()

    sign_out(page)
    expect(page.get_by_role("heading", name="Sign in to Praxis")).to_be_visible()

    page.goto("/clinic/office")
    expect(page).to_have_url(re.compile(r"/sign-in/?\?next="))
    expect(page.get_by_role("heading", name="Sign in to Praxis")).to_be_visible()
    expect(page.get_by_text("Office Share PIN")).to_have_count(0)
    expect(page.get_by_text("Sign-out Test Clinic")).to_have_count(0)

    # The old session cookie, replayed in another browser, opens nothing either:
    # signing out ended the session on the server.
    other = new_page()
    other.context.add_cookies(cookies_while_signed_in)
    other.goto("/clinic/office")
    expect(other).to_have_url(re.compile(r"/sign-in/?\?next="))
    expect(other.get_by_text("Office Share PIN")).to_have_count(0)
    expect(other.get_by_text("Sign-out Test Clinic")).to_have_count(0)


def test_sign_up_refuses_a_password_longer_than_72_bytes(page: Page) -> None:
    password = "a" + "é" * 36
    assert len(password.encode()) == 73
    person = Person(name="Long Password", email=new_person().email, password=password)

    fill_sign_up(page, person)
    password_field = page.get_by_label("Password")
    expect(password_field).to_have_attribute("aria-invalid", "true")
    expect(password_field).to_have_accessible_description(re.compile("too long"))
    expect(page.get_by_role("alert").filter(has_text="too long")).to_be_visible()
    expect(page.get_by_text("Check your inbox")).to_have_count(0)
    expect(page.get_by_role("button", name="Create account")).to_be_enabled()


def test_forgotten_password_is_reset_through_the_emailed_link(
    page: Page, make_account: Callable[..., Person], app: RunningApp
) -> None:
    person = make_account("practitioner")
    new_password = "a brand new morning " + person.email[-16:]

    open_page(page, "/sign-in")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page).to_have_url(re.compile(r"/forgot-password/?$"))
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    page.get_by_label("E-mail").fill(person.email)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_text("If an account exists for")).to_be_visible()

    mail = app.mailbox.wait_for_mail(person.email, RESET_SUBJECT)
    assert mail.subject == RESET_SUBJECT
    open_page(page, app.mailbox.link_in(mail, "/reset-password?token="))
    page.get_by_label("New password", exact=True).fill(new_password)
    page.get_by_label("New password again", exact=True).fill(new_password)
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_text("Your password is changed")).to_be_visible()

    sign_in(page, person.email, person.password)
    expect_sign_in_refused(page)

    sign_in(page, person.email, new_password)
    expect(page).to_have_url(re.compile(r"/clinic/?$"))
    expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()
    expect(page.get_by_text("Set up your office")).to_be_visible()
