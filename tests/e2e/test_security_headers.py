"""Security headers and the Content-Security-Policy (issue 9), against the real prod build.

The app itself (`reflex run --env prod --single-port`, as `make run` starts it)
sends the headers on every answer: pages, assets, API routes, redirects, 404s,
304s. In Chromium, pages run under the strict policy (no 'unsafe-eval', inline
scripts only by hash) without a single violation, while the things that used
to need eval happen: toasts from the server, a client-side toast, printing,
the QR code image.
"""

from __future__ import annotations

import http.client
import re
from collections.abc import Callable

from playwright.sync_api import ConsoleMessage, Page, Response, expect

from tests.e2e.harness import RunningApp
from tests.e2e.steps import (
    create_patient,
    generate_access_code,
    new_person,
    open_calendar,
    open_page,
    open_patients,
    set_booking_options,
    sign_up,
    sign_up_with_office,
    wait_until_interactive,
)

RESOURCE_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

# Installed before any of the page's own scripts run (CDP, not subject to the page's CSP).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => window.__cspViolations.push(
  [event.effectiveDirective, event.blockedURI, event.sourceFile, event.lineNumber].join(' ')));
"""


def directives(policy: str) -> dict[str, str]:
    parts = [part.strip().split(" ", 1) for part in policy.split(";") if part.strip()]
    return {part[0]: (part[1] if len(part) > 1 else "") for part in parts}


def assert_common_headers(headers: dict[str, str], where: str) -> None:
    assert headers.get("x-content-type-options") == "nosniff", where
    assert headers.get("x-frame-options") == "DENY", where
    assert headers.get("referrer-policy") == "same-origin", where
    assert "camera=()" in headers.get("permissions-policy", ""), where
    # The e2e app's public address is http://localhost:<port>: no HSTS over plain HTTP.
    assert "strict-transport-security" not in headers, where


def assert_page_headers(headers: dict[str, str], app: RunningApp, where: str) -> None:
    assert_common_headers(headers, where)
    policy = directives(headers.get("content-security-policy", ""))
    script_src = policy["script-src"].split()
    assert script_src[0] == "'self'", where
    assert len(script_src) > 5 and all(source.startswith("'sha256-") for source in script_src[1:]), where
    assert "'unsafe-eval'" not in headers["content-security-policy"], where
    assert policy["connect-src"] == f"'self' ws://localhost:{app.port}", where
    assert policy["frame-ancestors"] == "'none'", where
    assert policy["form-action"] == "'self'", where
    assert policy["base-uri"] == "'self'", where
    assert policy["object-src"] == "'none'", where
    assert policy["img-src"] == "'self' data:", where
    assert policy["default-src"] == "'self'", where


def assert_resource_headers(headers: dict[str, str], where: str) -> None:
    assert_common_headers(headers, where)
    assert headers.get("content-security-policy") == RESOURCE_POLICY, where


class Watch:
    """What a page's documents and assets answered, and every CSP or Permissions-Policy complaint."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.documents: list[Response] = []
        self.scripts: list[Response] = []
        self.complaints: list[str] = []
        page.context.add_init_script(RECORD_VIOLATIONS)
        page.on("response", self._response)
        page.on("console", self._console)

    def _response(self, response: Response) -> None:
        kind = response.request.resource_type
        if kind == "document" and response.status == 200:
            self.documents.append(response)
        elif kind == "script" and "/assets/" in response.url:
            self.scripts.append(response)

    def _console(self, message: ConsoleMessage) -> None:
        if re.search(r"Content.Security.Policy|Permissions.Policy", message.text, re.IGNORECASE):
            self.complaints.append(f"{message.type}: {message.text}")

    def assert_clean(self) -> None:
        """No violation on the document open now, and no complaint in the console so far."""
        recorded = self.page.evaluate("window.__cspViolations || []")
        assert recorded == [], f"CSP violations on {self.page.url}: {recorded}"
        assert self.complaints == [], "\n".join(self.complaints)


def test_pages_run_under_the_strict_policy_with_server_toasts_printing_and_qr_codes(
    page: Page, new_page: Callable[[], Page], app: RunningApp
) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    watch = Watch(page)

    for path in ("/sign-in", "/sign-up"):
        open_page(page, path)
        watch.assert_clean()
    sign_up_with_office(page, app.mailbox, "Lakeside Physiotherapy")  # confirmation link, hand-off, two pages
    watch.assert_clean()

    # A toast from the server (it used to be an eval'd `_call_function`).
    page.get_by_role("button", name="Edit details").click()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Office details saved.")).to_be_visible()
    watch.assert_clean()
    # A toast from the page itself (compiled into the bundle), after copying the PIN.
    page.get_by_role("button", name="Copy PIN").click()
    expect(page.get_by_text("Office Share PIN copied.")).to_be_visible()
    watch.assert_clean()
    # A notice is shown once: a reload does not bring it back.
    page.reload()
    wait_until_interactive(page)
    expect(page.get_by_role("heading", name="Office Details")).to_be_visible()
    page.wait_for_timeout(1500)
    expect(page.get_by_text("Office details saved.")).to_have_count(0)
    watch.assert_clean()

    open_calendar(page)
    office_id = set_booking_options(page)  # another server toast: "Online Booking Options saved."
    watch.assert_clean()

    open_patients(page)
    create_patient(page, "Ana", "Pereira")  # a redirect and a toast from the same answer
    expect(page.get_by_text("Patient record created.")).to_be_visible()
    generate_access_code(page, "Ana Pereira")
    page.wait_for_function(  # a data: image
        "() => { const qr = document.getElementById('access-code-qr'); return qr.complete && qr.naturalWidth > 0; }"
    )
    page.evaluate("() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; }")
    page.get_by_role("button", name="Print instructions").click()
    page.wait_for_function("() => window.__printed === 1")  # a compiled function, not an eval'd string
    watch.assert_clean()

    # The public booking page, signed out.
    visitor = new_page()
    visitor_watch = Watch(visitor)
    open_page(visitor, f"/book/{office_id}")
    expect(visitor.get_by_role("heading", name="Book an appointment")).to_be_visible()
    expect(visitor.get_by_text("Lakeside Physiotherapy")).to_be_visible()
    expect(visitor.get_by_role("combobox", name="Service")).to_be_visible()
    visitor_watch.assert_clean()

    # The portal, as a new patient.
    patient_page = new_page()
    patient_watch = Watch(patient_page)
    sign_up(patient_page, app.mailbox, new_person("patient"))
    wait_until_interactive(patient_page)
    patient_watch.assert_clean()

    for watched in (watch, visitor_watch, patient_watch):
        assert watched.documents and watched.scripts
        for document in watched.documents:
            assert_page_headers(document.all_headers(), app, document.url)
        assert_resource_headers(watched.scripts[0].all_headers(), watched.scripts[0].url)
    paths = {
        re.sub(r"^https?://[^/]+", "", document.url).rstrip("/")
        for watched in (watch, visitor_watch, patient_watch)
        for document in watched.documents
    }
    assert {"/sign-in", "/sign-up", "/clinic", "/clinic/office", f"/book/{office_id}", "/portal"} <= paths

    ping = page.request.get("/ping")
    assert ping.ok
    assert_resource_headers(ping.headers, "/ping")


def _answer(app: RunningApp, method: str, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("localhost", app.port, timeout=10)
    connection.request(method, path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_every_kind_of_answer_carries_the_headers(app: RunningApp) -> None:
    def headers_of(response: http.client.HTTPResponse) -> dict[str, str]:
        return {name.lower(): value for name, value in response.getheaders()}

    page = _answer(app, "GET", "/sign-in/", {"accept-encoding": "gzip"})
    assert page.status == 200 and page.getheader("content-encoding") == "gzip"  # the precompressed copy
    assert_page_headers(headers_of(page), app, "/sign-in/")

    html = _answer_body(app, "/sign-in/")
    script = re.search(r'/assets/[^"]+\.js', html)
    assert script is not None
    asset = _answer(app, "GET", script.group(0))
    assert asset.status == 200
    assert_resource_headers(headers_of(asset), script.group(0))

    # Revalidations (304, no content type) keep the policy of what they revalidate.
    revalidated_page = _answer(
        app, "GET", "/sign-in/", {"accept-encoding": "gzip", "if-none-match": page.getheader("etag") or ""}
    )
    assert revalidated_page.status == 304
    assert_page_headers(headers_of(revalidated_page), app, "304 /sign-in/")
    revalidated_asset = _answer(app, "GET", script.group(0), {"if-none-match": asset.getheader("etag") or ""})
    assert revalidated_asset.status == 304
    assert_resource_headers(headers_of(revalidated_asset), "304 " + script.group(0))

    for path in ("/ping", "/_health"):
        answer = _answer(app, "GET", path)
        assert answer.status == 200, path
        assert_resource_headers(headers_of(answer), path)

    missing = _answer(app, "GET", "/no-such-page")
    assert missing.status == 404
    assert_page_headers(headers_of(missing), app, "404")

    refused = _answer(app, "GET", "/_session/open")
    assert refused.status == 405
    assert_common_headers(headers_of(refused), "GET /_session/open")
    cross_site = _answer(app, "POST", "/_session/close", {"sec-fetch-site": "cross-site"})
    assert cross_site.status == 303
    assert_common_headers(headers_of(cross_site), "POST /_session/close")
    assert "content-security-policy" in headers_of(cross_site)


def _answer_body(app: RunningApp, path: str) -> str:
    connection = http.client.HTTPConnection("localhost", app.port, timeout=10)
    connection.request("GET", path)
    body = connection.getresponse().read().decode()
    connection.close()
    return body
