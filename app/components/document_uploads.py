"""The document uploader (document_uploads.jsx), wrapped for Reflex.

Files go to our own upload route one by one, with a progress bar and an error
each; the page's state hears `on_done` when the queue is empty and reloads its
list. The route checks everything again (who, where, size, type): the size
check here only saves a doomed upload's time.
"""

from __future__ import annotations

import reflex as rx
from reflex.event import EventHandler, no_args_event_spec

_SOURCE = rx.asset("document_uploads.jsx", shared=True)


class DocumentUploads(rx.Component):
    library = _SOURCE.importable_path
    tag = "DocumentUploads"

    url: rx.Var[str]
    accept: rx.Var[str]
    max_bytes: rx.Var[int]
    button_label: rx.Var[str]
    hint: rx.Var[str]
    input_id: rx.Var[str]
    disabled: rx.Var[bool]
    on_done: EventHandler[no_args_event_spec]


CLINIC_ACCEPT = ".pdf,.jpg,.jpeg,.png,.heic,.heif,.gif,.webp,.txt,.docx,.xlsx,.odt,application/pdf,image/*,text/plain"
PORTAL_ACCEPT = "image/*,application/pdf"  # on a phone, image/* offers the camera


def document_uploads(**props) -> rx.Component:
    return DocumentUploads.create(**props)
