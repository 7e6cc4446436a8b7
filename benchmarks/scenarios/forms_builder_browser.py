"""SmartForms builder in Chromium: a form of 100 questions, click → rendered (issue 13's target: 100 ms).

A form of 100 questions in 5 sections (every type, 10 of them shown only after an answer: the
in-process scenario's form, forms_builder.py) is written through the services for the
practitioner the run signs up, in their office; they sign in through the UI and open
/clinic/forms/ID. Then, each repetition:
- *add a question*: the middle section's *Add question*, the question typed in its inline editor
  (not timed), then from the click on *Save question* until the new row ("N. Added K") is in the
  outline;
- *move up*: from the click on *Move “Number 54” up* until the outline shows it one number higher
  up; then *move down* back the same way (so the form is the same at every repetition).

Times are in page (performance.now()): from the click event (capture phase) until the frame after
a MutationObserver sees the row's new text in the Questions region has been painted (the DOM
committed, then styled, laid out and painted). "answer" splits it: click → the last websocket
message before the commit (the server's delta: event sent, handler run, delta back), the rest is
the browser drawing it. `--builder-profile` traces one more add and prints where the browser's
time went (and which script forced style passes).
"wall" is the same in Python around Playwright's mouse click and its await of the page's promise.
`--only forms-builder-browser`.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Browser, Locator, Page, expect

from benchmarks.common import Context, Results, Scenario, database_url, new_context, summary
from benchmarks.scenarios.forms_builder import KINDS, QUESTIONS, SECTIONS
from benchmarks.trace import print_trace
from tests.e2e.harness import RunningApp
from tests.e2e.steps import sign_in, wait_until_interactive

BUILDER_REPETITIONS = 15
LIMIT_MS = 100
MOVING = "Number 54"  # not a yes/no (nothing hangs on it) nor a follow-up: free to move either way
QUESTIONS_REGION = '[aria-labelledby="questions-heading"]'

# Installed in the builder's page: when the mouse last clicked, every websocket message after it,
# and (checked on every DOM change, and by Playwright on every frame) when the row we wait for shows.
BUILDER_MARKS_SCRIPT = """(() => {
  const fresh = () => ({messages: []});
  window.__praxisBuilder = fresh();
  window.__praxisBuilderReset = (target) => {
    window.__praxisBuilder = fresh();
    window.__praxisBuilderTarget = target;
    // Settled when the frame after the commit has been painted: awaited by the harness, which
    // then does nothing in the page until it is (no polling on every frame).
    window.__praxisBuilderDone = new Promise((resolve) => { window.__praxisBuilderResolve = resolve; });
  };
  document.addEventListener('click', () => { window.__praxisBuilder.click = performance.now(); }, true);
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => {
        const marks = window.__praxisBuilder;
        if (marks.click !== undefined && marks.committed === undefined) marks.messages.push(performance.now());
      });
    }
  };
  window.__praxisBuilderShown = () => {
    const marks = window.__praxisBuilder, target = window.__praxisBuilderTarget;
    if (!target) return false;
    if (marks.committed !== undefined) return marks.shown !== undefined;
    const region = document.querySelector('QUESTIONS_REGION');
    if (!region) return false;
    // A question's row: its number beside its card (components/form_builder/numbering.py).
    for (const row of region.querySelectorAll('.q-row')) {
      const label = row.querySelector('.q-label'), number = row.querySelector('.q-num');
      // Text only: asking for visibility here would force a style pass at every DOM change.
      if (label && label.textContent.trim() === target.label
          && (!target.number || (number && number.textContent.trim() === `${target.number}.`))) {
        marks.committed = performance.now();
        // Shown = the frame after the commit has been styled, laid out and painted.
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => { marks.shown = performance.now(); window.__praxisBuilderResolve(); };
          channel.port2.postMessage(null);
        });
        return false;
      }
    }
    return false;
  };
  new MutationObserver(() => { if (window.__praxisBuilder.click !== undefined) window.__praxisBuilderShown(); })
    .observe(document, {subtree: true, childList: true, characterData: true});
})();""".replace("QUESTIONS_REGION", QUESTIONS_REGION)


def seed_form(app: RunningApp, owner_email: str) -> dict[str, Any]:
    """The 100-question form, written through the builder's services as its author (the run's practitioner)."""
    from sqlmodel import select

    from app.db import make_engine, unit_of_work
    from app.models import Membership, User
    from app.services.actor import Actor
    from app.services.forms import builder, library, sections

    engine = make_engine(database_url(app))
    started = time.perf_counter()
    with unit_of_work(engine) as db:
        owner = db.exec(select(User).where(User.email_normalized == owner_email.lower())).one()
        office_id = db.exec(select(Membership.office_id).where(Membership.user_id == owner.id)).one()
        assert owner.id is not None
        actor = Actor(
            user_id=owner.id,
            session_id=0,
            kind=owner.kind,
            email=owner.email,
            full_name=owner.full_name,
            current_office_id=office_id,
        )
        form = library.create_form(db, actor, office_id, f"Intake, {QUESTIONS} questions")
        assert form.id is not None
        form_id = form.id
        section_ids = [builder.builder_view(db, actor, form_id).schema.sections[0].id]
        for index in range(1, SECTIONS):
            section_ids.append(sections.add_section(db, actor, form_id, f"Part {index + 1}").changed)
        ids: list[str] = []
        for n in range(QUESTIONS):
            fields: dict[str, Any] = {key: value.format(n=n + 1) for key, value in KINDS[n % 10].items()}
            if n % 10 == 8:
                fields.update(show_if_question=ids[n - 8], show_if_op="is", show_if_value="yes")
            ids.append(builder.add_question(db, actor, form_id, section_ids[n * SECTIONS // QUESTIONS], fields).changed)
    engine.dispose()
    return {
        "form_id": form_id,
        "middle_section": section_ids[SECTIONS // 2],
        "seconds": time.perf_counter() - started,
    }


def _click_and_time(page: Page, box: dict[str, float], target: dict[str, Any]) -> dict[str, float]:
    """Click the centre of `box` with the mouse; wait until the outline shows the question `target["label"]`
    (at number `target["number"]`, when given)."""
    page.evaluate("(t) => window.__praxisBuilderReset(t)", target)
    start = time.perf_counter()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    _wait_shown(page)
    wall = (time.perf_counter() - start) * 1000
    seen = page.evaluate("window.__praxisBuilder")
    answered = [t for t in seen["messages"] if t <= seen["committed"]]
    taken = {"wall": wall, "in_page": seen["shown"] - seen["click"]}
    if answered:
        taken["answer"] = answered[-1] - seen["click"]
        taken["render"] = seen["shown"] - answered[-1]
    return taken


def _box_to_click(page: Page, target: Locator) -> dict[str, float]:
    """Where the mouse will click `target`: scrolled into view, and checked to be what is under the
    pointer there (cards off screen draw their buttons only once in view, which can move them)."""
    for _ in range(20):
        target.scroll_into_view_if_needed()
        page.wait_for_timeout(50)  # any smooth scrolling settled
        box = target.bounding_box()
        assert box is not None
        centre = [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2]
        if target.evaluate("(el, [x, y]) => el.contains(document.elementFromPoint(x, y))", centre):
            return box
    raise AssertionError("the button never settled under the pointer")


def _number_of(page: Page, label: str) -> int:
    """The outline's number of the question with this label ("54." beside "Number 54" → 54)."""
    row = page.locator(QUESTIONS_REGION).locator(".q-row").filter(has=page.get_by_text(label, exact=True))
    return int(row.locator(".q-num").text_content().strip().rstrip("."))  # text: off-screen rows skip rendering


def _open_editor(page: Page, seeded: dict[str, Any], label: str) -> Locator:
    """The middle section's *Add question*: its inline editor, the question typed in."""
    page.locator(f"#add-question-{seeded['middle_section']}").click()
    editor = page.get_by_role("region", name="Add a question")
    expect(editor).to_be_visible()
    editor.get_by_label("The question", exact=True).fill(label)
    return editor


def bench_builder(
    browser: Browser,
    app: RunningApp,
    email: str,
    password: str,
    seeded: dict[str, Any],
    runs: int,
    profile: bool = False,
) -> dict[str, Any]:
    context = new_context(browser, app)
    context.add_init_script(BUILDER_MARKS_SCRIPT)
    page = context.new_page()
    sign_in(page, email, password)
    expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()
    page.goto(app.url(f"/clinic/forms/{seeded['form_id']}"))
    wait_until_interactive(page)
    outline = page.locator(QUESTIONS_REGION)
    expect(outline.get_by_text(KINDS[(QUESTIONS - 1) % 10]["label"].format(n=QUESTIONS), exact=True)).to_be_visible()
    taken: dict[str, Any] = {"add": [], "up": [], "down": []}
    taken["elements"] = page.evaluate("document.getElementsByTagName('*').length")
    for run in range(runs):
        # Add: open the section's editor and type the question (not timed); time the click on Save question.
        label = f"Added {run + 1}"
        editor = _open_editor(page, seeded, label)
        save = editor.get_by_role("button", name="Save question")
        expect(save).to_be_enabled()
        box = _box_to_click(page, save)
        taken["add"].append(_click_and_time(page, box, {"label": label, "number": 0}))
        expect(editor).to_be_hidden()
        # Move up, then down again: each until the outline shows the new number.
        for direction, step in (("up", -1), ("down", 1)):
            number = _number_of(page, MOVING)
            button = page.get_by_role("button", name=f"Move “{MOVING}” {direction}", exact=True)
            expect(button).to_be_enabled()
            box = _box_to_click(page, button)
            taken[direction].append(_click_and_time(page, box, {"label": MOVING, "number": number + step}))
    expect(outline.get_by_text(f"Added {runs}", exact=True)).to_be_visible()
    if profile:
        _profile_one_add(page, seeded)
    context.close()
    return taken


def _profile_one_add(page: Page, seeded: dict[str, Any]) -> None:
    """One more add, then one more move, under Chrome's tracing: prints where the page's time went.
    Clicked with the mouse like the measured runs (a locator's click adds Playwright's own queries)."""
    editor = _open_editor(page, seeded, "Profiled")
    box = _box_to_click(page, editor.get_by_role("button", name="Save question"))
    _traced(page, "add", lambda: _click_centre(page, box), {"label": "Profiled", "number": 0})
    number = _number_of(page, MOVING)
    box = _box_to_click(page, page.get_by_role("button", name=f"Move “{MOVING}” up", exact=True))
    _traced(page, "move up", lambda: _click_centre(page, box), {"label": MOVING, "number": number - 1})


def _click_centre(page: Page, box: dict[str, float]) -> None:
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def _traced(page: Page, what: str, click: Callable[[], None], target: dict[str, Any]) -> None:
    def act() -> None:
        page.evaluate("(t) => window.__praxisBuilderReset(t)", target)
        click()
        _wait_shown(page)

    print_trace(page, what, act)
    seen = page.evaluate("window.__praxisBuilder")
    print(f"Profiled {what}: click → shown {seen['shown'] - seen['click']:.0f} ms in page")


def _wait_shown(page: Page) -> None:
    """Until the row we wait for is painted: the page's MutationObserver notices it and resolves the
    promise awaited here, so the harness costs the page nothing meanwhile (Playwright's polling on
    every animation frame kept the renderer drawing frames and ran the check in each)."""
    page.evaluate(
        """() => Promise.race([window.__praxisBuilderDone,
          new Promise((_, reject) => setTimeout(() => reject(new Error('the row never showed')), 15000))])"""
    )


def _rows(samples: list[dict[str, float]], key: str) -> dict[str, Any]:
    return summary([s[key] for s in samples if key in s])


def builder_results(taken: dict[str, Any], skip: int, reps: int, seeded: dict[str, Any]) -> Results:
    add, up, down = taken["add"][skip:], taken["up"][skip:], taken["down"][skip:]
    common = {"digits": 1, "repetitions": reps, "limit_ms": LIMIT_MS}
    return {
        "forms_builder_browser_add": {
            **common,
            "label": f"Builder ({QUESTIONS} q.): Save question -> row",
            "in_page_label": "click event -> new row in outline",
            "wall": _rows(add, "wall"),
            "in_page": _rows(add, "in_page"),
            "breakdown_in_page": {
                "click_to_answer": _rows(add, "answer"),
                "answer_to_row_shown": _rows(add, "render"),
            },
            "warm_up_in_page": [round(s["in_page"], 1) for s in taken["add"][:skip]],
            "seed_seconds": round(seeded["seconds"], 1),
            "page_elements": taken["elements"],  # the builder's DOM when opened: outline and preview
        },
        "forms_builder_browser_move": {
            **common,
            "label": f"Builder ({QUESTIONS} q.): Move up -> new order",
            "in_page_label": "click event -> outline renumbered",
            "wall": _rows(up, "wall"),
            "in_page": _rows(up, "in_page"),
            "breakdown_in_page": {
                "click_to_answer": _rows(up, "answer"),
                "answer_to_order_shown": _rows(up, "render"),
                "move_down_in_page": _rows(down, "in_page"),
                "move_down_wall": _rows(down, "wall"),
            },
            "warm_up_in_page": [round(s["in_page"], 1) for s in taken["up"][:skip]],
        },
    }


def footnote(results: Results) -> str:
    lines = []
    for key in ("forms_builder_browser_add", "forms_builder_browser_move"):
        result = results[key]
        p90 = result["in_page"]["p90"]
        verdict = "within" if p90 < result["limit_ms"] else "OVER"
        lines.append(f"{result['label']}: in page p90 {p90} ms, {verdict} {result['limit_ms']} ms")
    return "\n".join(lines)


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--builder-reps", type=int, default=BUILDER_REPETITIONS, help="SmartForms builder add/move rounds in Chromium"
    )
    parser.add_argument("--builder-profile", action="store_true", help="print a CPU profile of one more add")


def run(ctx: Context) -> Results:
    browser, app, person = ctx.live()
    seeded = seed_form(app, person.email)
    print(f"Seeded a form of {QUESTIONS} questions in {seeded['seconds']:.1f}s", flush=True)
    runs = ctx.args.warmup + ctx.args.builder_reps
    taken = bench_builder(browser, app, person.email, person.password, seeded, runs, ctx.args.builder_profile)
    return builder_results(taken, ctx.args.warmup, ctx.args.builder_reps, seeded)


SCENARIO = Scenario(
    name="forms-builder-browser",
    order=40,
    summary="SmartForms builder in Chromium: add a question, move one, on 100 questions",
    run=run,
    arguments=arguments,
    footnote=footnote,
)
