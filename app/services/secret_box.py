"""Small secrets sealed at rest (the TOTP secrets), keyed by the app's secret key.

No encryption library is among the app's dependencies, so this uses only the
standard library: HMAC-SHA256 as a pseudo-random function in counter mode for
the keystream, and a separate HMAC-SHA256 tag over the nonce, the context and
the ciphertext (encrypt-then-MAC). Both keys are derived from the secret key
with distinct labels. The context (for example "totp:42") binds a sealed value
to its row, so a value copied to another account's row does not open.

A database dump alone reveals nothing; whoever holds both the database and the
secret key holds the secrets, as they would with any server-side key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

VERSION = "v1"
NONCE_BYTES = 16
TAG_BYTES = 32


def _key(secret_key: bytes, label: str) -> bytes:
    return hmac.new(secret_key, f"praxis secret box {VERSION} {label}".encode(), hashlib.sha256).digest()


def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = (length + 31) // 32
    return b"".join(hmac.new(key, nonce + i.to_bytes(4, "big"), hashlib.sha256).digest() for i in range(blocks))


def _tag(key: bytes, nonce: bytes, context: str, ciphertext: bytes) -> bytes:
    message = VERSION.encode() + nonce + len(context).to_bytes(4, "big") + context.encode() + ciphertext
    return hmac.new(key, message, hashlib.sha256).digest()


def seal(secret_key: bytes, plaintext: str, context: str) -> str:
    """The plaintext encrypted and authenticated, as printable text ("v1." + base64)."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    data = plaintext.encode()
    stream = _keystream(_key(secret_key, "encrypt"), nonce, len(data))
    ciphertext = bytes(a ^ b for a, b in zip(data, stream, strict=False))
    tag = _tag(_key(secret_key, "authenticate"), nonce, context, ciphertext)
    return f"{VERSION}." + base64.urlsafe_b64encode(nonce + ciphertext + tag).decode()


def unseal(secret_key: bytes, sealed: str, context: str) -> str:
    """The plaintext of a sealed value; ValueError when it was changed, sealed elsewhere or with another key."""
    prefix, _, body = sealed.partition(".")
    if prefix != VERSION:
        raise ValueError("unknown sealed format")
    raw = base64.urlsafe_b64decode(body.encode())
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise ValueError("sealed value too short")
    nonce, ciphertext, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    if not hmac.compare_digest(tag, _tag(_key(secret_key, "authenticate"), nonce, context, ciphertext)):
        raise ValueError("sealed value does not verify")
    stream = _keystream(_key(secret_key, "encrypt"), nonce, len(ciphertext))
    return bytes(a ^ b for a, b in zip(ciphertext, stream, strict=False)).decode()
