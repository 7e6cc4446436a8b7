"""Input cleaning: every refusal is an Invalid that names its field."""

from __future__ import annotations

import pytest

from app.services.errors import Invalid
from app.services.validation import (
    email_address,
    normalize_email,
    phone_number,
    required_text,
    time_zone,
    time_zone_names,
)

# --- e-mail ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("ada@example.com", "ada@example.com"),
        ("  Ada.Lovelace@Example.COM \n", "Ada.Lovelace@Example.COM"),
        ("o'brien+clinic@mail.example.co.uk", "o'brien+clinic@mail.example.co.uk"),
    ],
)
def test_valid_addresses_are_trimmed_and_keep_their_case(raw: str, cleaned: str) -> None:
    assert email_address(raw) == cleaned


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_missing_address_asks_for_one(raw: str) -> None:
    with pytest.raises(Invalid) as refused:
        email_address(raw)
    assert refused.value.message == "Enter your e-mail address."
    assert refused.value.field == "email"


@pytest.mark.parametrize(
    "raw",
    [
        "ada",
        "ada@example",
        "@example.com",
        "ada@.",
        "ada lovelace@example.com",
        "ada@exa mple.com",
        "ada@@example.com",
        "a@b@example.com",
        "a" * 243 + "@example.com",  # 255 characters
    ],
)
def test_malformed_addresses_refused(raw: str) -> None:
    with pytest.raises(Invalid) as refused:
        email_address(raw)
    assert refused.value.message == "Enter an e-mail address like name@example.com."
    assert refused.value.field == "email"


def test_longest_allowed_address_is_254_characters() -> None:
    address = "a" * 242 + "@example.com"
    assert len(address) == 254
    assert email_address(address) == address


def test_email_field_name_is_passed_through() -> None:
    with pytest.raises(Invalid) as refused:
        email_address("nope", "invite_email")
    assert refused.value.field == "invite_email"


def test_addresses_are_compared_without_case() -> None:
    assert normalize_email("  Ada.Lovelace@Example.COM ") == "ada.lovelace@example.com"
    assert normalize_email(None) == ""  # type: ignore[arg-type]


# --- phone ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("+1 416 555 0100", "+1 416 555 0100"),
        ("(416) 555-0100", "(416) 555-0100"),
        ("416.555.0100", "416.555.0100"),
        ("  +44   20 7946  0958 ", "+44 20 7946 0958"),
        ("416 555 0100 ext. 12", "416 555 0100 ext. 12"),
        ("416 555 0100 x 123", "416 555 0100 x 123"),
        ("5550100", "5550100"),  # 7 digits: the shortest accepted
        ("+123 456 789 012 345", "+123 456 789 012 345"),  # 15 digits: the longest accepted
    ],
)
def test_valid_phone_numbers(raw: str, cleaned: str) -> None:
    assert phone_number(raw) == cleaned


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_missing_phone_is_required(raw: str) -> None:
    with pytest.raises(Invalid) as refused:
        phone_number(raw)
    assert refused.value.message == "Phone number is required."
    assert refused.value.field == "phone"


@pytest.mark.parametrize(
    "raw",
    [
        "555010",  # 6 digits
        "+1234 5678 9012 3456",  # 16 digits
        "call the front desk",
        "416-555-O100",  # a letter O for a zero
        "416 555 0100; DROP TABLE",
        "ext. 123456",  # an extension and no number
    ],
)
def test_bad_phone_numbers_refused(raw: str) -> None:
    with pytest.raises(Invalid) as refused:
        phone_number(raw)
    assert refused.value.message == "Enter a phone number like +1 416 555 0100."
    assert refused.value.field == "phone"


# --- time zone ------------------------------------------------------------


@pytest.mark.parametrize("zone", ["America/Toronto", "Europe/Paris", "Australia/Sydney", "UTC"])
def test_known_time_zones_accepted(zone: str) -> None:
    assert time_zone(zone) == zone


@pytest.mark.parametrize("zone", ["", "Mars/Olympus_Mons", "america/toronto", "EST", "US/Eastern", "Etc/GMT+5"])
def test_unknown_or_legacy_time_zones_refused(zone: str) -> None:
    with pytest.raises(Invalid) as refused:
        time_zone(zone)
    assert refused.value.message == "Choose the office's time zone from the list."
    assert refused.value.field == "time_zone"


def test_time_zone_list_is_sorted_and_canonical() -> None:
    names = time_zone_names()
    assert list(names) == sorted(names)
    assert "UTC" in names
    assert "America/Toronto" in names
    assert not any(name.startswith(("Etc/", "US/", "SystemV/")) for name in names)
    assert len(names) > 300


# --- required text --------------------------------------------------------


def test_required_text_collapses_whitespace() -> None:
    assert required_text("  Maple \t Street\n Clinic ", "name", "Office name", 120) == "Maple Street Clinic"


@pytest.mark.parametrize("raw", ["", "  \t\n ", None])
def test_required_text_refuses_blank(raw: str) -> None:
    with pytest.raises(Invalid) as refused:
        required_text(raw, "name", "Office name", 120)
    assert refused.value.message == "Office name is required."
    assert refused.value.field == "name"


def test_required_text_length_limit_counts_the_cleaned_value() -> None:
    assert required_text("abcde", "name", "Office name", 5) == "abcde"
    assert required_text("ab    cd", "name", "Office name", 5) == "ab cd"
    with pytest.raises(Invalid) as refused:
        required_text("abcdef", "name", "Office name", 5)
    assert refused.value.message == "Office name can be at most 5 characters."
    assert refused.value.field == "name"
