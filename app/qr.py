"""QR codes as inline SVG (no image library, nothing fetched)."""

from __future__ import annotations

import base64

import qrcode
import qrcode.image.svg


def qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()
