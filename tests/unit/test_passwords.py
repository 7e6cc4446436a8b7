"""Password rules and bcrypt hashing (SPEC §1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.services import passwords
from app.services.errors import Invalid
from app.services.passwords import check_password, hash_password, validate_new_password
from app.settings import Settings, get_settings

ROUNDS = 4
TOO_LONG = "This password is too long: at most 72 bytes (about 72 letters, fewer with accents or emoji)."


def test_eleven_characters_refused_twelve_accepted() -> None:
    with pytest.raises(Invalid) as refused:
        validate_new_password("abcdefghijk")
    assert refused.value.message == "Use at least 12 characters."
    assert refused.value.field == "password"
    validate_new_password("abcdefghijkl")


def test_length_counts_characters_not_bytes() -> None:
    validate_new_password("é" * 12)  # 12 characters, 24 bytes
    with pytest.raises(Invalid, match="at least 12 characters"):
        validate_new_password("日本語" * 3)  # 9 characters, 27 bytes


def test_the_field_name_is_passed_through() -> None:
    with pytest.raises(Invalid) as refused:
        validate_new_password("short", "new_password")
    assert refused.value.field == "new_password"


@pytest.mark.parametrize(
    "password",
    [
        "a" * 73,
        "é" * 36 + "a",  # 37 characters, 73 bytes
        "🦄" * 18 + "a",  # 19 characters, 73 bytes
    ],
    ids=["ascii", "accents", "emoji"],
)
def test_73_bytes_refused_with_a_clear_message(password: str) -> None:
    assert len(password.encode("utf-8")) == 73
    with pytest.raises(Invalid) as refused:
        validate_new_password(password)
    assert refused.value.message == TOO_LONG
    assert refused.value.field == "password"


def test_exactly_72_bytes_accepted_and_checked_in_full() -> None:
    password = "é" * 36  # 72 bytes
    validate_new_password(password)
    password_hash = hash_password(password, ROUNDS)
    assert check_password(password, password_hash)
    assert not check_password("é" * 35 + "e", password_hash)


@pytest.mark.parametrize("password", ["a" * 73, "é" * 36 + "a"], ids=["ascii", "accents"])
def test_a_long_password_is_never_truncated(password: str) -> None:
    first_72_bytes = password.encode("utf-8")[:72].decode("utf-8")
    password_hash = hash_password(first_72_bytes, ROUNDS)
    assert check_password(first_72_bytes, password_hash)
    assert check_password(password, password_hash) is False


def test_the_list_of_common_passwords_is_shipped() -> None:
    common = passwords._common_passwords()
    assert len(common) > 3000
    assert "password1234" in common
    assert not any(entry.startswith("#") for entry in common)


@pytest.mark.parametrize("password", ["password1234", "PASSWORD1234", "PassWord1234", "LeaveMeAlone", "1qaz2wsx3edc"])
def test_common_passwords_refused_without_case(password: str) -> None:
    with pytest.raises(Invalid) as refused:
        validate_new_password(password)
    assert refused.value.message == "This password is too common. Choose one that is harder to guess."
    assert refused.value.field == "password"


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "            ",  # twelve spaces: no composition rules
        "пароль для клиники",
        "日本語のパスワードですよ",
        "🦄🦄🦄 unicorn rides",
        "Ünïcödé päss wörd",
    ],
)
def test_spaces_and_unicode_accepted_and_round_trip(password: str) -> None:
    validate_new_password(password)
    password_hash = hash_password(password, ROUNDS)
    assert password_hash.startswith("$2b$04$")
    assert check_password(password, password_hash)
    assert not check_password(password + "x", password_hash)


def test_hash_is_salted() -> None:
    first = hash_password("correct horse battery staple", ROUNDS)
    second = hash_password("correct horse battery staple", ROUNDS)
    assert first != second
    assert check_password("correct horse battery staple", first)
    assert check_password("correct horse battery staple", second)


@pytest.fixture
def default_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Settings]:
    monkeypatch.setenv("PRAXIS_DATA_DIR", str(tmp_path))
    for name in ("PRAXIS_BCRYPT_ROUNDS", "PRAXIS_SECRET_KEY", "PRAXIS_DATABASE_URL", "PRAXIS_SMTP_HOST"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    try:
        yield get_settings()
    finally:
        get_settings.cache_clear()


def test_default_bcrypt_cost_is_12(default_settings: Settings, tmp_path: Path) -> None:
    assert default_settings.data_dir == tmp_path
    assert default_settings.bcrypt_rounds == 12
    password_hash = hash_password("correct horse battery staple", default_settings.bcrypt_rounds)
    assert password_hash.startswith("$2b$12$")
    assert check_password("correct horse battery staple", password_hash)
