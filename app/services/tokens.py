"""Random tokens for links and cookies; only their hashes are stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def keyed_hash(secret_key: bytes, value: str) -> str:
    """HMAC-SHA256 for low-entropy secrets (access codes) that a plain hash would not hide."""
    return hmac.new(secret_key, value.encode(), hashlib.sha256).hexdigest()
