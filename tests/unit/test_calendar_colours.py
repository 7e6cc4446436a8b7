"""A calendar block takes its service's colour from a class of assets/calendar.css ("c-teal"), not
from inline styles: every colour a service may have needs its class, or its blocks would show
uncoloured."""

from __future__ import annotations

import re
from pathlib import Path

from app.services.scheduling.service_catalog import COLORS

CSS = (Path(__file__).resolve().parents[2] / "assets" / "calendar.css").read_text()


def test_every_service_colour_has_its_calendar_class() -> None:
    for colour in COLORS:
        rule = re.search(r"\.cal-appt\.c-" + colour + r" \{([^}]*)\}", CSS)
        assert rule, f"assets/calendar.css has no .cal-appt.c-{colour}"
        assert f"var(--{colour}-9)" in rule.group(1) and f"var(--{colour}-3)" in rule.group(1)
