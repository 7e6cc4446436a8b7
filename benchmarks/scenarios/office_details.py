"""Office Details: from page.goto(/clinic/office) to the Office Share PIN being visible, in one
signed-in context; every visit is a full page load (browser cache warm, new websocket, hydrate,
on_load)."""

from __future__ import annotations

import time

from playwright.sync_api import Browser, expect

from benchmarks.common import Context, Results, Scenario, marks, new_context, summary
from tests.e2e.harness import RunningApp
from tests.e2e.steps import sign_in

PIN_VISIBLE = """() => {
    const el = document.querySelector('[aria-label="Office Share PIN"]');
    return !!el && /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/.test(el.textContent.trim()) && el.checkVisibility();
}"""


def bench_office_details(browser: Browser, app: RunningApp, email: str, password: str, runs: int) -> tuple[list, list]:
    context = new_context(browser, app)
    page = context.new_page()
    sign_in(page, email, password)
    expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()
    wall, in_page = [], []
    for _ in range(runs):
        page.goto("about:blank")
        start = time.perf_counter()
        page.goto(app.url("/clinic/office"), wait_until="commit")
        page.wait_for_function(PIN_VISIBLE, polling="raf")
        wall.append((time.perf_counter() - start) * 1000)
        in_page.append(marks(page)["pin"])
    context.close()
    return wall, in_page


def run(ctx: Context) -> Results:
    browser, app, person = ctx.live()
    wall, in_page = bench_office_details(browser, app, person.email, person.password, ctx.runs)
    skip = ctx.args.warmup
    return {
        "office_details_load": {
            "label": "Office Details: goto -> Share PIN shown",
            "in_page_label": "navigation start -> PIN visible",
            "wall": summary(wall[skip:]),
            "in_page": summary(in_page[skip:]),
            "warm_up_wall": [round(value, 1) for value in wall[:skip]],
        }
    }


SCENARIO = Scenario(name="office-details", order=20, summary="Office Details: goto -> Share PIN visible", run=run)
