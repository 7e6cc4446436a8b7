"""Security headers for every HTTP response of the app.

The Content-Security-Policy allows what the Reflex production build needs and
nothing else; see the README's security section for what each part is for.
"""

from __future__ import annotations

import functools

from app.settings import get_settings

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",  # TEMPORARY: backend toasts are eval'd (see issue 9 work)
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self' ws: wss:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), interest-cohort=()"
)


@functools.cache
def security_headers() -> tuple[tuple[bytes, bytes], ...]:
    headers = [
        ("content-security-policy", CONTENT_SECURITY_POLICY),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
        ("permissions-policy", PERMISSIONS_POLICY),
        ("cross-origin-opener-policy", "same-origin"),
    ]
    if get_settings().base_url.startswith("https://"):
        headers.append(("strict-transport-security", "max-age=31536000; includeSubDomains"))
    return tuple((name.encode(), value.encode()) for name, value in headers)
