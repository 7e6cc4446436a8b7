"""The signature field's drawing pad (signature_pad.jsx), wrapped for Reflex.

A canvas drawn on with a finger or the mouse; when a stroke ends the page's state hears the drawing
as a PNG data URL (`on_drawn`, "" once cleared) and saves it with the typed name through the
service, which checks it again. The typed name beside it signs on its own (keyboard users).
"""

from __future__ import annotations

import reflex as rx
from reflex.event import EventHandler, passthrough_event_spec

_SOURCE = rx.asset("signature_pad.jsx", shared=True)


class SignaturePad(rx.Component):
    library = _SOURCE.importable_path
    tag = "SignaturePad"

    image: rx.Var[str]
    label: rx.Var[str]
    disabled: rx.Var[bool]
    on_drawn: EventHandler[passthrough_event_spec(str)]


def signature_pad(**props) -> rx.Component:
    return SignaturePad.create(**props)
