"""axe-core in the browser tests: `assert_accessible(page, name)` checks the page as it is now.

axe-core is an npm package pinned in tests/e2e/axe/package.json (and its package-lock.json),
installed into tests/e2e/axe/node_modules by `make axe` (part of `make test-e2e`); when it is
missing, the first check installs it the same way with the venv's npm.

The app's Content-Security-Policy forbids inline and eval'd script, so axe is not added as a
`<script>` tag: Playwright's `evaluate` runs it through the DevTools protocol, which the page's
CSP does not govern. The page's own policy stays on for everything else the test does.

The rules are WCAG 2.0, 2.1 and 2.2 at levels A and AA; any violation whose impact is
"serious" or "critical" fails the test with a readable list (rule, what it asks, and each
offending element with axe's summary of why).
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_DIR = Path(__file__).resolve().parent / "axe"
AXE_SCRIPT = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
FAILING_IMPACTS = ("serious", "critical")

# Wait until the animations that end have ended (a dialog fading in would otherwise be measured
# half transparent); a spinner's endless animation is not waited for.
_SETTLED = """() => document.getAnimations().every(animation => {
    const timing = animation.effect && animation.effect.getComputedTiming();
    return animation.playState !== 'running' || !timing || timing.iterations === Infinity;
})"""

_RUN = """async ([tags, within]) => {
    const context = within ? {include: [[within]]} : document;
    const results = await window.axe.run(context, {
        runOnly: {type: 'tag', values: tags},
        // Off by default in axe, wanted here (WCAG 2.2 2.5.8, 2.1 2.5.3).
        rules: {'target-size': {enabled: true}, 'label-content-name-mismatch': {enabled: true}},
        resultTypes: ['violations'],
    });
    return results.violations.map(v => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map(n => ({
            impact: n.impact,
            target: n.target.join(' '),
            html: n.html.slice(0, 160),
            summary: (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 300),
        })),
    }));
}"""


@functools.cache
def axe_source() -> str:
    """axe.min.js of the pinned version, installed with `npm ci` if it is not there yet."""
    if not AXE_SCRIPT.exists():
        npm = Path(sys.prefix) / "bin" / "npm"
        env = {**os.environ, "PATH": f"{npm.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
        subprocess.run(
            [str(npm), "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
            cwd=AXE_DIR,
            env=env,
            check=True,
            capture_output=True,
        )
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page: Page, within: str = "") -> list[dict[str, Any]]:
    """Every WCAG A/AA violation axe finds on the page as it is now (all impacts); with `within`
    (a CSS selector), only in that part of it."""
    page.wait_for_function(_SETTLED, polling=100)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate(_RUN, [WCAG_TAGS, within])


def serious(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    kept = []
    for violation in violations:
        nodes = [n for n in violation["nodes"] if (n["impact"] or violation["impact"]) in FAILING_IMPACTS]
        if nodes:
            kept.append({**violation, "nodes": nodes})
    return kept


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}\n      {node['html']}\n      {node['summary']}")
    return "\n".join(lines)


def assert_accessible(page: Page, name: str) -> None:
    """Fail when axe finds a serious or critical WCAG 2.x A/AA violation on the page as it is now."""
    found = serious(axe_violations(page))
    assert not found, f"axe: {len(found)} serious or critical violation(s) on {name} ({page.url}):\n{describe(found)}"


@dataclass
class Audit:
    """The serious and critical violations of every state checked, gathered for one failure."""

    found: dict[str, str] = field(default_factory=dict)
    states: list[str] = field(default_factory=list)

    def check(self, page: Page, name: str, within: str = "") -> None:
        self.states.append(name)
        violations = serious(axe_violations(page, within))
        if violations:
            self.found[name] = describe(violations)

    def assert_clean(self) -> None:
        report = "\n\n".join(f"== {name}\n{text}" for name, text in self.found.items())
        assert not self.found, (
            f"axe found serious or critical violations on {len(self.found)} of {len(self.states)} states:\n{report}"
        )
