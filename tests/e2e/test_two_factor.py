"""Two-factor sign-in in the browser (issue 9, item 8): a practitioner sets it up from the Account
page, signs in with password + code, then with a recovery code, which works only once; and an
office that requires it sends a member without it to set it up.

The test reads the set-up key shown on the page and computes codes with pyotp, as a phone would.
Wrong codes here: 2 for one account (the throttle allows 5).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pyotp
from playwright.sync_api import Page, expect

from tests.e2e.accessibility import assert_accessible
from tests.e2e.harness import RunningApp
from tests.e2e.steps import (
    LIVE_TIMEOUT_MS,
    Person,
    create_office,
    fill_sign_in,
    invitation_dialog,
    invitation_subject,
    invite_to_office,
    new_person,
    open_page,
    open_team_tab,
    sign_out,
    sign_up,
)

CODE_PROMPT = "Enter the 6-digit code from your authenticator app."
CODE_FAILED = "That code didn't work. Check your authenticator app and try again."
RECOVERY_FAILED = "That recovery code didn't work. Check it, or use another one."


def next_code(secret: str) -> str:
    """The code of the coming 30-second step: accepted now (one step of slack) and never used yet.

    Each step's code works once, so a sign-in right after set-up cannot reuse the set-up's code."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def set_up_two_factor(page: Page, person: Person) -> tuple[str, list[str]]:
    """Account → Two-factor sign-in → set up with the key shown; returns the secret and the recovery codes."""
    open_page(page, "/account")
    card = page.locator("#two-factor")
    expect(card.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    expect(card.get_by_text("Off", exact=True)).to_be_visible()
    card.get_by_role("button", name="Set up two-factor sign-in").click()
    expect(card.get_by_role("img", name="QR code to add Praxis to your authenticator app")).to_be_visible()
    key = card.get_by_label("Set-up key")
    expect(key).to_have_text(re.compile(r"^[A-Z2-7]{4}( [A-Z2-7]{4}){7}$"))
    assert_accessible(page, "two-factor set-up (QR code and key)")
    secret = key.inner_text().replace(" ", "")

    card.get_by_label("6-digit code").fill(pyotp.TOTP(secret).now())
    card.get_by_label("Your password").fill(person.password)
    card.get_by_role("button", name="Turn on").click()

    codes_list = card.get_by_role("list", name="Recovery codes")
    expect(codes_list.get_by_role("listitem")).to_have_count(10)
    assert_accessible(page, "two-factor recovery codes")
    codes = [item.strip() for item in codes_list.get_by_role("listitem").all_inner_texts()]
    assert all(re.fullmatch(r"[0-9a-z]{5}-[0-9a-z]{5}", code) for code in codes), codes
    expect(card.get_by_text("They are shown only now.", exact=False)).to_be_visible()
    card.get_by_role("button", name="I have saved them").click()
    expect(codes_list).to_be_hidden()
    expect(card.get_by_text("On", exact=True)).to_be_visible()
    expect(card.get_by_text(re.compile(r"10 of 10 recovery codes left"))).to_be_visible()
    return secret, codes


def password_step(page: Page, person: Person) -> None:
    fill_sign_in(page, person.email, person.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(CODE_PROMPT)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/sign-in/?(\?|$)"))


def test_practitioner_sets_up_two_factor_and_signs_in_with_code_and_recovery_code(page: Page, app: RunningApp) -> None:
    person = new_person("practitioner")
    sign_up(page, app.mailbox, person)
    secret, codes = set_up_two_factor(page, person)
    sign_out(page)

    # Password, then the code: a wrong one is refused beside the field, the right one signs in.
    password_step(page, person)
    code_field = page.get_by_label("6-digit code")
    expect(code_field).to_be_focused()
    assert_accessible(page, "sign-in, the code step")
    expect(code_field).to_have_attribute("autocomplete", "one-time-code")
    expect(code_field).to_have_attribute("inputmode", "numeric")
    right = next_code(secret)
    code_field.fill("000000" if right != "000000" else "111111")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text(CODE_FAILED)).to_be_visible()
    expect(code_field).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("button", name="Verify")).to_be_enabled()  # the busy flag is off again
    code_field.fill(next_code(secret))
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/clinic/?$"))
    expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()
    sign_out(page)

    # Password, then a recovery code instead.
    password_step(page, person)
    page.get_by_role("button", name="Use a recovery code instead").click()
    page.get_by_label("Recovery code").fill(codes[0])
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/clinic/?$"))
    open_page(page, "/account")
    expect(page.get_by_text(re.compile(r"9 of 10 recovery codes left"))).to_be_visible()
    sign_out(page)

    # The same recovery code a second time: refused.
    password_step(page, person)
    page.get_by_role("button", name="Use a recovery code instead").click()
    page.get_by_label("Recovery code").fill(codes[0])
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text(RECOVERY_FAILED)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/sign-in/?(\?|$)"))
    # Another of the codes still works.
    page.get_by_label("Recovery code").fill(codes[1])
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/clinic/?$"))


def test_an_office_that_requires_two_factor_sends_a_member_to_set_it_up(
    new_page: Callable[[], Page], app: RunningApp
) -> None:
    owner_page, member_page = new_page(), new_page()
    owner, member = new_person("practitioner", name="Olga Owner"), new_person("practitioner", name="Mia Member")
    office_name = "Birch Two-Factor Clinic"
    sign_up(owner_page, app.mailbox, owner)
    create_office(owner_page, office_name)
    sign_up(member_page, app.mailbox, member)

    open_team_tab(owner_page)
    invite_to_office(owner_page, "practitioner", member.email)
    app.mailbox.wait_for_mail(member.email, invitation_subject(owner.name, office_name))
    dialog = invitation_dialog(member_page, office_name)
    expect(dialog).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    dialog.get_by_role("button", name="Approve").click()
    expect(member_page.get_by_text(f"Welcome to {office_name}!")).to_be_visible()
    open_page(member_page, "/clinic/office")
    expect(member_page.get_by_role("heading", name="Office Details")).to_be_visible()
    # Only the owner may turn the requirement on: the member's switch is disabled.
    expect(member_page.get_by_role("switch", name="Require two-factor sign-in for the team")).to_be_disabled()

    # The owner sets it up for themselves, then requires it for the team.
    set_up_two_factor(owner_page, owner)
    open_page(owner_page, "/clinic/office")
    switch = owner_page.get_by_role("switch", name="Require two-factor sign-in for the team")
    expect(switch).not_to_be_checked()
    switch.click()
    expect(owner_page.get_by_text("Two-factor sign-in is now required for the team.")).to_be_visible()
    expect(switch).to_be_checked()

    # The member's open page sends them to set it up; every page of the office does, until they have.
    expect(member_page).to_have_url(re.compile(r"/account/?$"), timeout=LIVE_TIMEOUT_MS)
    expect(member_page.get_by_text(f"{office_name} requires two-factor sign-in for its team")).to_be_visible()
    open_page(member_page, "/clinic/patients")
    expect(member_page).to_have_url(re.compile(r"/account/?$"))
    set_up_two_factor(member_page, member)
    open_page(member_page, "/clinic/patients")
    expect(member_page.get_by_role("heading", name="Patients", exact=True)).to_be_visible()
