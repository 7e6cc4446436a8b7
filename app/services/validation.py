"""Input cleaning shared by every form. Each raises Invalid naming its field."""

from __future__ import annotations

import functools
import re
import zoneinfo

from app.services.errors import Invalid

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_ALLOWED = re.compile(r"^[0-9+()\-.\s]*(?:\s*(?:x|ext\.?)\s*\d{1,6})?$", re.IGNORECASE)


def required_text(value: str, field: str, label: str, max_length: int) -> str:
    cleaned = " ".join((value or "").split())
    if not cleaned:
        raise Invalid(f"{label} is required.", field)
    if len(cleaned) > max_length:
        raise Invalid(f"{label} can be at most {max_length} characters.", field)
    return cleaned


def email_address(value: str, field: str = "email") -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise Invalid("Enter your e-mail address.", field)
    if len(cleaned) > 254 or not EMAIL_PATTERN.match(cleaned):
        raise Invalid("Enter an e-mail address like name@example.com.", field)
    return cleaned


def normalize_email(value: str) -> str:
    """Addresses are compared without case."""
    return (value or "").strip().lower()


def phone_number(value: str, field: str = "phone") -> str:
    cleaned = " ".join((value or "").split())
    digits = re.sub(r"\D", "", re.split(r"x|ext", cleaned, flags=re.IGNORECASE)[0])
    if not cleaned:
        raise Invalid("Phone number is required.", field)
    if not PHONE_ALLOWED.match(cleaned) or not 7 <= len(digits) <= 15:
        raise Invalid("Enter a phone number like +1 416 555 0100.", field)
    return cleaned


@functools.cache
def time_zone_names() -> tuple[str, ...]:
    """Canonical region/city zones, sorted, for pickers and validation."""
    names = {
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "Canada/", "Brazil/", "Mexico/", "Chile/"))
    }
    return tuple(sorted(names | {"UTC"}))


def time_zone(value: str, field: str = "time_zone") -> str:
    if value not in time_zone_names():
        raise Invalid("Choose the office's time zone from the list.", field)
    return value
