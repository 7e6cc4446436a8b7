"""Sign-in: from the click on "Sign in" to the workspace's "Home" heading being visible, each
repetition in a fresh browser context (so signed out).

The click is made once the sign-in page has settled (Reflex's hydration and the page's on_load
done), and the in-page time is split at the redirect to /clinic: before it, the server's sign-in
(bcrypt); after it, loading the workspace route and its data.
"""

from __future__ import annotations

import time

from playwright.sync_api import Browser

from benchmarks.common import Context, Results, Scenario, marks, new_context, summary
from tests.e2e.harness import RunningApp
from tests.e2e.steps import fill_sign_in

HOME_VISIBLE = """() => [...document.querySelectorAll('h1')]
    .some(h => h.textContent.trim() === 'Home' && h.checkVisibility())"""


def bench_sign_in(
    browser: Browser, app: RunningApp, email: str, password: str, runs: int
) -> tuple[list, list, list, list]:
    wall, in_page, to_redirect, after_redirect = [], [], [], []
    for _ in range(runs):
        context = new_context(browser, app)
        page = context.new_page()
        fill_sign_in(page, email, password)
        # Start from a settled page: the sign-in page's own on_load has finished.
        page.wait_for_function("() => window.__praxisMarks.hydrated !== undefined", polling="raf")
        start = time.perf_counter()
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_function(HOME_VISIBLE, polling="raf")
        wall.append((time.perf_counter() - start) * 1000)
        seen = marks(page)
        in_page.append(seen["home"] - seen["submit"])
        to_redirect.append(seen["clinic"] - seen["submit"])
        after_redirect.append(seen["home"] - seen["clinic"])
        context.close()
    return wall, in_page, to_redirect, after_redirect


def run(ctx: Context) -> Results:
    browser, app, person = ctx.live()
    wall, in_page, to_redirect, after_redirect = bench_sign_in(browser, app, person.email, person.password, ctx.runs)
    skip = ctx.args.warmup
    return {
        "sign_in_to_workspace": {
            "label": 'Sign in: click "Sign in" -> "Home" shown',
            "in_page_label": "submit -> Home visible",
            "wall": summary(wall[skip:]),
            "in_page": summary(in_page[skip:]),
            "warm_up_wall": [round(value, 1) for value in wall[:skip]],
            "breakdown_in_page": {
                "submit_to_redirect": summary(to_redirect[skip:]),
                "redirect_to_home_visible": summary(after_redirect[skip:]),
            },
        }
    }


SCENARIO = Scenario(name="sign-in", order=10, summary="sign-in: click -> Home visible", run=run)
