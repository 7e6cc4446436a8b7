"""Browser tests against the real app: one server per test run, one browser
context (own cookies) per test.

The app is started as users start it (`reflex run --env prod`) by
tests/e2e/harness.py, with a temporary database and an SMTP server in this
process that keeps every e-mail the app sends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

from tests.e2e.harness import RunningApp, launch_browser, running_app
from tests.e2e.steps import Person, new_person, sign_up

ACTION_TIMEOUT_MS = 15_000
expect.set_options(timeout=10_000)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def app() -> Iterator[RunningApp]:
    with running_app() as running:
        yield running


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = launch_browser(playwright)
    yield browser
    browser.close()


@pytest.fixture
def new_page(browser: Browser, app: RunningApp) -> Iterator[Callable[[], Page]]:
    """Opens a page in a fresh browser context (no cookies), as often as a test needs.

    Uncaught JavaScript errors on any of these pages fail the test.
    """
    contexts: list[BrowserContext] = []
    page_errors: list[str] = []

    def open_new() -> Page:
        context = browser.new_context(base_url=app.base_url, locale="en-CA", timezone_id="America/Toronto")
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: page_errors.append(f"{page.url}: {error}"))
        return page

    yield open_new
    for context in contexts:
        context.close()
    assert not page_errors, "Uncaught errors in the page:\n" + "\n".join(page_errors)


@pytest.fixture
def page(new_page: Callable[[], Page]) -> Page:
    return new_page()


@pytest.fixture
def make_account(new_page: Callable[[], Page], app: RunningApp) -> Callable[..., Person]:
    """A confirmed account, made through the UI in a context of its own (the test's page stays signed out)."""

    def make(kind: str = "practitioner") -> Person:
        person = new_person(kind)
        sign_up(new_page(), app.mailbox, person)
        return person

    return make


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """On a failure, show the end of the server log next to the test's output."""
    report = yield
    if report.failed and call.when in ("call", "teardown"):
        running = item.funcargs.get("app") if hasattr(item, "funcargs") else None
        if isinstance(running, RunningApp):
            report.sections.append(("server log (tail)", running.log_tail(80)))
    return report
