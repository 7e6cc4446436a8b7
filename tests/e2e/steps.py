"""What a person does in Praxis, as reusable browser steps.

Used by the e2e tests and by the benchmarks. Every step goes through the UI
only (labels, roles, visible text) and waits with Playwright's `expect`.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from playwright.sync_api import Page, expect

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


def create_office(page: Page, name: str, address: str = "12 King Street West, Toronto",
                  phone: str = "+1 416 555 0100", time_zone: str = "") -> None:
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
