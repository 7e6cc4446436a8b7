"""A fresh `make run` has no mail server (issue 14): every mail is printed in the terminal. Here a
second copy of the app runs without SMTP, and a new owner signs up, creates an office and invites a
front desk, opening each link from the app's own output (its log) as a person would from the
terminal."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ACTION_TIMEOUT_MS
from tests.e2e.harness import RunningApp, project_copy, running_app
from tests.e2e.steps import (
    CONFIRM_SUBJECT,
    LIVE_TIMEOUT_MS,
    create_office,
    fill_sign_up,
    fill_sign_up_here,
    invitation_dialog,
    invitation_subject,
    invite_to_office,
    new_person,
    open_page,
    open_team_tab,
)

PRINTED = re.compile(
    r"^={72}\nE-MAIL \(no SMTP server set[^\n]*\nTo: (?P<to>[^\n]+)\nSubject: (?P<subject>[^\n]+)\n-{72}\n"
    r"(?P<body>.*?)\n={72}$",
    re.MULTILINE | re.DOTALL,
)


def printed_link(log: Path, to: str, subject: str, path: str, timeout: float = 20.0) -> str:
    """The link to `path` in the mail printed for `to` with `subject` (waits for the mail worker)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for mail in PRINTED.finditer(log.read_text(errors="replace")):
            if mail["to"] == to and mail["subject"] == subject:
                found = re.search(r"https?://\S*" + re.escape(path) + r"\S*", mail["body"])
                assert found, f"No {path} link in the printed mail:\n{mail['body']}"
                return found.group(0)
        time.sleep(0.3)
    raise AssertionError(f"No mail to {to} ({subject}) was printed. Log tail:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def app_without_smtp() -> Iterator[RunningApp]:
    with project_copy() as root, running_app(smtp=False, root=root) as running:
        yield running


def new_tab(browser: Browser, app: RunningApp) -> Page:
    context = browser.new_context(base_url=app.base_url, locale="en-CA", timezone_id="America/Toronto")
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    return context.new_page()


def test_a_new_office_signs_up_and_invites_with_the_mail_printed_in_the_terminal(
    browser: Browser, app_without_smtp: RunningApp
) -> None:
    app, log = app_without_smtp, app_without_smtp.log_path
    owner, office = new_person("practitioner", name="Rosa Owner"), "Harbour Physio"
    page = new_tab(browser, app)
    fill_sign_up(page, owner)
    expect(page.get_by_text("Check your inbox")).to_be_visible()
    expect(
        page.get_by_text(re.compile("the e-mail was printed in the terminal where Praxis was started"))
    ).to_be_visible()
    page.goto(printed_link(log, owner.email, CONFIRM_SUBJECT, "/confirm-email?token="))
    expect(page).to_have_url(re.compile(r"/clinic/?$"))
    create_office(page, office)

    # The front desk's invitation is printed too; they sign up from it and join.
    desk = new_person("practitioner", name="Dora Desk")
    open_team_tab(page)
    invite_to_office(page, "staff", desk.email)
    expect(page.get_by_text(f"Invitation sent to {desk.email}.")).to_be_visible()
    desk_page = new_tab(browser, app)
    open_page(desk_page, printed_link(log, desk.email, invitation_subject(owner.name, office), "/sign-up"))
    fill_sign_up_here(desk_page, desk)
    desk_page.goto(printed_link(log, desk.email, CONFIRM_SUBJECT, "/confirm-email?token="))
    dialog = invitation_dialog(desk_page, office)
    expect(dialog).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    dialog.get_by_role("button", name="Approve").click()
    expect(desk_page.get_by_text(f"Welcome to {office}!")).to_be_visible()
    for tab in (page, desk_page):
        tab.context.close()
