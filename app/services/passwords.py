"""Password rules and bcrypt hashing.

bcrypt takes about 250 ms at cost 12: callers run these off the event loop.
"""

from __future__ import annotations

import functools
from pathlib import Path

import bcrypt

from app.services.errors import Invalid

MIN_LENGTH = 12
MAX_BYTES = 72  # bcrypt ignores everything after 72 bytes: refuse, never truncate
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "common_passwords.txt"


@functools.cache
def _common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def validate_new_password(password: str, field: str = "password") -> None:
    """Length 12+ characters, at most 72 bytes in UTF-8, not a common password.

    No composition rules: spaces and any Unicode are welcome.
    """
    if len(password) < MIN_LENGTH:
        raise Invalid(f"Use at least {MIN_LENGTH} characters.", field)
    if len(password.encode("utf-8")) > MAX_BYTES:
        raise Invalid(
            f"This password is too long: at most {MAX_BYTES} bytes (about 72 letters, fewer with accents or emoji).",
            field,
        )
    if password.strip().lower() in _common_passwords():
        raise Invalid("This password is too common. Choose one that is harder to guess.", field)


def hash_password(password: str, rounds: int) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode()


def check_password(password: str, password_hash: str) -> bool:
    encoded = password.encode("utf-8")
    if len(encoded) > MAX_BYTES:
        # Never compare a truncated password; still spend the same time.
        bcrypt.checkpw(b"x", password_hash.encode())
        return False
    return bcrypt.checkpw(encoded, password_hash.encode())


@functools.cache
def dummy_hash(rounds: int) -> str:
    """A hash to check against when the address is unknown, so timing matches."""
    return hash_password("no account has this password", rounds)
