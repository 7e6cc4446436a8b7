"""An address Praxis does not have gets Praxis's own page (issue 14 item 9), with a way on."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.steps import wait_until_interactive


def test_an_unknown_address_shows_a_styled_page_with_ways_back(page: Page) -> None:
    page.goto("/clinic/no-such-page")
    expect(page.get_by_role("heading", name="Page not found", level=1)).to_be_visible()
    expect(page).to_have_title("Page not found · Praxis")
    wait_until_interactive(page)
    page.get_by_role("link", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/sign-in/?$"))
    expect(page.get_by_role("heading", name="Sign in to Praxis")).to_be_visible()
