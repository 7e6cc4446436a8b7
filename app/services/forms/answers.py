"""One answer to one question: cleaned on the server whatever the page sent, and written for reading.

What is stored per type (JSON): text → the text; number → the number as plain decimal text
("12.5"); date → "YYYY-MM-DD"; single choice → the option; multiple choice → the chosen options,
in the form's order; yes/no → "yes"/"no"; scale → a whole number; signature → {"name": the typed
name, "image": a PNG data URL or "" (the typed name alone is a signature too), "signed_at": ISO}.
`None` is "no answer". Required answers are checked at submit (services/forms/filling.py), since
a form is saved a question at a time.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import date, datetime
from decimal import Decimal

from app.services import formatting
from app.services.errors import Invalid
from app.services.forms.schema import YES_NO, Question, parse_decimal

SHORT_TEXT_LIMIT = 500
ANSWER_TEXT_LIMIT = 10_000
SIGNATURE_NAME_LIMIT = 120
SIGNATURE_IMAGE_LIMIT = 300_000  # characters of the data URL (about 220 kB of PNG)
PNG_PREFIX = "data:image/png;base64,"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _is_blank(raw: object) -> bool:
    return raw is None or raw == [] or (isinstance(raw, str) and not raw.strip())


def _text(question: Question, raw: object) -> str | None:
    if not isinstance(raw, str):
        raise Invalid("Write your answer as text.", question.id)
    limit = SHORT_TEXT_LIMIT if question.type == "short_text" else ANSWER_TEXT_LIMIT
    text = raw.replace("\r\n", "\n")
    if len(text) > limit:
        raise Invalid(f"Keep your answer under {limit:,} characters.", question.id)
    return text if text.strip() else None


def _number(question: Question, raw: object) -> str:
    number = parse_decimal(raw)
    if number is None:
        raise Invalid("Enter a number, like 42 or 3.5.", question.id)
    low = Decimal(question.min) if question.min else None
    high = Decimal(question.max) if question.max else None
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            raise Invalid(f"Enter a number from {question.min} to {question.max}.", question.id)
        if low is not None:
            raise Invalid(f"Enter a number of at least {question.min}.", question.id)
        raise Invalid(f"Enter a number of at most {question.max}.", question.id)
    return format(number.normalize(), "f")


def _date(question: Question, raw: object) -> str:
    text = raw.strip() if isinstance(raw, str) else ""
    try:
        day = date.fromisoformat(text) if _ISO_DAY.fullmatch(text) else None
    except ValueError:
        day = None
    if day is None or not 1900 <= day.year <= 2100:
        raise Invalid("Enter a date like 2026-03-14.", question.id)
    return day.isoformat()


def _choices(question: Question, raw: object) -> list[str] | None:
    if not isinstance(raw, list) or not all(isinstance(o, str) for o in raw):
        raise Invalid("Choose from the options.", question.id)
    if any(o not in question.options for o in raw):
        raise Invalid("Choose from the options.", question.id)
    chosen = [o for o in question.options if o in raw]
    return chosen or None


def _scale(question: Question, raw: object) -> int:
    number = parse_decimal(raw)
    low, high = int(question.min or 0), int(question.max or 10)
    if number is None or number != number.to_integral_value() or not low <= number <= high:
        raise Invalid(f"Choose a number from {low} to {high}.", question.id)
    return int(number)


def _signature(question: Question, raw: object, now: datetime) -> dict[str, str] | None:
    if not isinstance(raw, dict):
        raise Invalid("Sign by typing your full name.", question.id)
    name = raw.get("name", "")
    image = raw.get("image", "") or ""
    if not isinstance(name, str) or not isinstance(image, str):
        raise Invalid("Sign by typing your full name.", question.id)
    name = " ".join(name.split())
    if not name and not image:
        return None
    if not name:
        raise Invalid("Type your full name under your signature.", question.id)
    if len(name) > SIGNATURE_NAME_LIMIT:
        raise Invalid(f"Your name can be at most {SIGNATURE_NAME_LIMIT} characters.", question.id)
    if image:
        if len(image) > SIGNATURE_IMAGE_LIMIT:
            raise Invalid("This drawing is too large: clear it and sign again.", question.id)
        if not image.startswith(PNG_PREFIX) or not _is_png(image[len(PNG_PREFIX) :]):
            raise Invalid("The drawn signature could not be read: clear it and sign again.", question.id)
    return {"name": name, "image": image, "signed_at": now.isoformat()}


def _is_png(encoded: str) -> bool:
    try:
        return base64.b64decode(encoded, validate=True).startswith(PNG_MAGIC)
    except (binascii.Error, ValueError):
        return False


def clean_answer(question: Question, raw: object, now: datetime) -> object | None:
    """The answer to keep (None: no answer), or Invalid naming the question."""
    if question.type == "signature":
        return None if raw is None else _signature(question, raw, now)
    if question.type in ("short_text", "long_text"):
        return None if raw is None else _text(question, raw)
    if _is_blank(raw):
        return None
    if question.type == "number":
        return _number(question, raw)
    if question.type == "date":
        return _date(question, raw)
    if question.type == "single_choice":
        if not isinstance(raw, str) or raw not in question.options:
            raise Invalid("Choose one of the options.", question.id)
        return raw
    if question.type == "multiple_choice":
        return _choices(question, raw)
    if question.type == "yes_no":
        if raw not in YES_NO:
            raise Invalid("Answer yes or no.", question.id)
        return raw
    if question.type == "scale":
        return _scale(question, raw)
    raise Invalid("This question cannot be answered.", question.id)


def is_answered(value: object) -> bool:
    return not _is_blank(value)


def display(question: Question, value: object, zone: str = "UTC") -> str:
    """An answer as a person reads it ("" for no answer); a drawn signature's image is shown beside."""
    if not is_answered(value):
        return ""
    if question.type == "yes_no":
        return YES_NO.get(str(value), str(value))
    if question.type == "multiple_choice" and isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if question.type == "date":
        try:
            return formatting.day_with_year(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if question.type == "scale":
        return f"{value} (from {question.min} to {question.max})"
    if question.type == "signature" and isinstance(value, dict):
        signed = value.get("signed_at", "")
        try:
            when = formatting.when(datetime.fromisoformat(signed), zone, year=True) if signed else ""
        except ValueError:
            when = ""
        return f"Signed by {value.get('name', '')}" + (f" on {when}" if when else "")
    return str(value)
