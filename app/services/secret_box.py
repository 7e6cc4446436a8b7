"""Small secrets sealed at rest (the TOTP secrets), keyed by the app's secret key.

AES-256-GCM from the `cryptography` package, with a key derived from the
app's secret key by HKDF-SHA256. The context (for example "totp:42") is the
authenticated associated data: a sealed value copied to another account's row
does not open. A database dump alone reveals nothing; whoever holds both the
database and the secret key holds the secrets, as with any server-side key.
"""

from __future__ import annotations

import base64
import binascii
import functools
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = "v2"
NONCE_BYTES = 12


@functools.lru_cache(maxsize=8)
def _cipher(secret_key: bytes) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"praxis secret box v2").derive(secret_key)
    return AESGCM(key)


def seal(secret_key: bytes, plaintext: str, context: str) -> str:
    """The plaintext encrypted and authenticated, as printable text ("v2." + base64)."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = _cipher(secret_key).encrypt(nonce, plaintext.encode(), context.encode())
    return f"{VERSION}." + base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(secret_key: bytes, sealed: str, context: str) -> str:
    """The plaintext of a sealed value; ValueError when it was changed, sealed elsewhere or with another key."""
    prefix, _, body = sealed.partition(".")
    if prefix != VERSION:
        raise ValueError("unknown sealed format")
    try:
        raw = base64.urlsafe_b64decode(body.encode())
    except (binascii.Error, ValueError) as error:
        raise ValueError("sealed value is not base64") from error
    if len(raw) <= NONCE_BYTES:
        raise ValueError("sealed value too short")
    try:
        return _cipher(secret_key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()).decode()
    except InvalidTag as error:
        raise ValueError("sealed value does not verify") from error
