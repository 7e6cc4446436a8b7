"""Where sign-in lands (issue 14 item 9): the page the person was going to, when their kind of
account can open it; otherwise their own home, so the address bar shows a page they can use."""

from __future__ import annotations

import pytest

from app.web.session_routes import landing_path


@pytest.mark.parametrize(
    ("kind", "next_path", "lands"),
    [
        ("practitioner", "/clinic/patients/12", "/clinic/patients/12"),
        ("staff", "/clinic/calendar?day=2026-05-06&view=day", "/clinic/calendar?day=2026-05-06&view=day"),
        ("practitioner", "", "/clinic"),
        ("practitioner", "/portal/profile", "/clinic"),  # another kind's area: home instead of a refusal
        ("practitioner", "/portal", "/clinic"),
        ("patient", "/clinic", "/portal"),
        ("patient", "/clinic/patients/3?tab=forms", "/portal"),
        ("patient", "/portal/redeem?code=maple-river", "/portal/redeem?code=maple-river"),
        ("patient", "/book/3?service=2", "/book/3?service=2"),
        ("patient", "/account", "/account"),
        ("practitioner", "/sign-in?next=/clinic", "/clinic"),  # never the sign-in page again
        ("patient", "/sign-up", "/portal"),
        ("practitioner", "//evil.example/clinic", "/clinic"),  # no open redirects
        ("practitioner", "https://evil.example/", "/clinic"),
        ("practitioner", "/clinical-notes", "/clinical-notes"),  # only whole path segments count
        ("patient", "/portals", "/portals"),
    ],
)
def test_sign_in_lands_on_a_page_the_account_can_open(kind: str, next_path: str, lands: str) -> None:
    assert landing_path(kind, next_path) == lands
