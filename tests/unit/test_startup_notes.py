"""What `make run` says on start, and the two settings it reads."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from app.settings import Settings, SmtpSettings
from app.startup_notes import notes


def settings(base_url: str, smtp: SmtpSettings | None) -> Settings:
    return Settings(
        data_dir=Path("/nonexistent"),
        database_url="sqlite://",
        secret_key=b"k" * 32,
        base_url=base_url,
        mail_from="Praxis <no-reply@praxis.localhost>",
        smtp=smtp,
    )


@pytest.mark.parametrize(
    ("base_url", "local"),
    [
        ("http://localhost:3000", True),
        ("http://127.0.0.1:3000", True),
        ("http://[::1]:3000", True),
        ("http://praxis.localhost", True),
        ("https://clinic.example.com", False),
        ("http://192.168.1.20:3000", False),  # a clinic's own network reaches it
        ("https://localhost.example.com", False),
    ],
)
def test_links_are_local_only_for_loopback_addresses(base_url: str, local: bool) -> None:
    assert settings(base_url, None).links_are_local is local


def test_a_fresh_run_is_told_where_mail_goes_and_that_links_stay_on_this_computer() -> None:
    said = notes(settings("http://localhost:3000", None))
    assert len(said) == 2
    assert "printed in this terminal" in said[0]
    assert said[1].startswith("WARNING") and "http://localhost:3000" in said[1] and "PRAXIS_BASE_URL" in said[1]


def test_a_configured_clinic_hears_nothing() -> None:
    smtp = SmtpSettings(host="mail.example.com", port=587)
    configured = settings("https://clinic.example.com", smtp)
    assert notes(configured) == []
    assert not configured.mail_goes_to_terminal
    assert notes(dataclasses.replace(configured, smtp=None)) == [notes(settings("http://localhost", None))[0]]
