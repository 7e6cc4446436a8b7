"""`make demo` (issue 14): the living clinic it loads shows on the staff calendar and in the family's
portal. The demo is loaded into the suite's app database, through the same `load_demo` that
`make demo` runs, with the app's own data directory (its secret key) and address."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from app.db import make_engine
from app.demo import DEMO_PASSWORD, load_demo
from app.demo.people import FAMILY, OWNER
from tests.e2e.harness import RunningApp
from tests.e2e.steps import open_calendar, record_switcher, sign_in


def test_the_demo_clinic_is_alive_on_the_calendar_and_in_the_family_portal(
    page: Page, new_page: Callable[[], Page], app: RunningApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRAXIS_DATA_DIR", str(app.data_dir))
    monkeypatch.setenv("PRAXIS_BASE_URL", app.base_url)
    engine = make_engine(f"sqlite:///{app.data_dir / 'praxis.db'}")
    try:
        demo = load_demo(engine)
        assert load_demo(engine).office_id == demo.office_id  # again: nothing made twice
    finally:
        engine.dispose()

    # The owner's calendar this week has the demo's appointments.
    sign_in(page, OWNER, DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()
    open_calendar(page)
    blocks = page.locator(".cal-appt")
    expect(blocks.first).to_be_visible()
    assert blocks.count() >= 5, blocks.count()

    # The family's account holds the three Garcia records and switches between them.
    family = new_page()
    sign_in(family, FAMILY, DEMO_PASSWORD)
    expect(family).to_have_url(re.compile(r"/portal/?$"))
    people = record_switcher(family)
    for name in ("Maria", "Luis", "Sofia"):
        expect(people.get_by_text(re.compile(name))).to_be_visible()
