"""A form version's questions: sections of questions, as the JSON a FormVersion stores.

    {"title": "Intake", "description": "…", "sections": [
        {"id": "s1a2b3c4", "title": "About you", "questions": [
            {"id": "q5d6e7f8", "type": "yes_no", "label": "Do you smoke?", "help": "", "required": true},
            {"id": "q9a8b7c6", "type": "number", "label": "How many a day?", "min": "1", "max": "100",
             "show_if": {"question": "q5d6e7f8", "op": "is", "value": "yes"}}]}]}

Conditional questions: "show this question only when question X is / is not / includes Y", where X is
an earlier question of type single choice, multiple choice or yes/no (earlier, so a form has no loops
and reads top to bottom). "is not" holds only once X is answered: a follow-up waits for its question.
A question whose condition does not hold is hidden: never required, and its answer is not kept.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from typing import Any

from app.services.errors import Invalid

QUESTION_TYPES = {
    "short_text": "Short text",
    "long_text": "Long text",
    "number": "Number",
    "date": "Date",
    "single_choice": "Single choice",
    "multiple_choice": "Multiple choice",
    "yes_no": "Yes / no",
    "scale": "Scale",
    "signature": "Signature",
}
CHOICE_TYPES = ("single_choice", "multiple_choice")
CONDITION_SOURCES = (*CHOICE_TYPES, "yes_no")
YES_NO = {"yes": "Yes", "no": "No"}
# Which comparisons a source question offers, in the builder's words.
CONDITION_OPS = {
    "single_choice": {"is": "is", "is_not": "is not"},
    "yes_no": {"is": "is", "is_not": "is not"},
    "multiple_choice": {"includes": "includes", "is_not": "does not include"},
}
TITLE_LIMIT, DESCRIPTION_LIMIT = 200, 2000
LABEL_LIMIT, HELP_LIMIT, OPTION_LIMIT, END_LABEL_LIMIT = 500, 1000, 200, 60
MAX_SECTIONS, MAX_QUESTIONS, MAX_OPTIONS = 50, 300, 50
NUMBER_BOUND = Decimal("1e12")
SCALE_LOW, SCALE_HIGH, SCALE_MAX_STEPS = -100, 100, 100


@dataclass
class Condition:
    question: str  # an earlier question's id
    op: str  # "is", "is_not", "includes"
    value: str  # one of its options ("yes"/"no" for a yes/no question)


@dataclass
class Question:
    id: str
    type: str
    label: str
    help: str = ""
    required: bool = False
    options: list[str] = field(default_factory=list)  # single and multiple choice
    min: str = ""  # number: optional bounds as text; scale: whole numbers
    max: str = ""
    min_label: str = ""  # scale: the words at its ends ("No pain", "Worst pain")
    max_label: str = ""
    show_if: Condition | None = None


@dataclass
class Section:
    id: str
    title: str
    questions: list[Question] = field(default_factory=list)


@dataclass
class FormSchema:
    title: str
    description: str = ""
    sections: list[Section] = field(default_factory=list)

    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions() if q.id == question_id), None)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def to_json(self) -> str:
        # By hand, not dataclasses.asdict: asdict deep-copies every value, which took ~12 ms of a
        # builder edit on 100 questions; the JSON is the same (tests/unit/test_form_schema_json.py).
        sections = [
            {"id": s.id, "title": s.title, "questions": [_plain(q) for q in s.questions]} for s in self.sections
        ]
        plain = {"title": self.title, "description": self.description, "sections": sections}
        return json.dumps(plain, separators=(",", ":"), ensure_ascii=False)


_QUESTION_FIELDS = tuple(f.name for f in fields(Question))


def _plain(question: Question) -> dict[str, Any]:
    plain = {name: getattr(question, name) for name in _QUESTION_FIELDS}
    if (condition := question.show_if) is not None:
        plain["show_if"] = {"question": condition.question, "op": condition.op, "value": condition.value}
    return plain


def new_id(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(4)}"


def empty_schema(title: str) -> FormSchema:
    return FormSchema(title=title, sections=[Section(new_id("s"), "")])


def from_json(content: str) -> FormSchema:
    """A stored version (written by this module, so trusted in shape)."""
    data = json.loads(content)
    sections = []
    for s in data.get("sections", []):
        questions = []
        for q in s.get("questions", []):
            condition = q.get("show_if")
            questions.append(Question(**{**q, "show_if": Condition(**condition) if condition else None}))
        sections.append(Section(s["id"], s.get("title", ""), questions))
    return FormSchema(data.get("title", ""), data.get("description", ""), sections)


# ---- cleaning what the builder sends --------------------------------------------------------


def _text(value: object, name: str, label: str, limit: int, *, required: bool = False) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        raise Invalid(f"{label} is required.", name)
    if len(text) > limit:
        raise Invalid(f"{label} can be at most {limit:,} characters.", name)
    return text.replace("\r\n", "\n")


def clean_title(value: object) -> str:
    return " ".join(_text(value, "title", "Title", TITLE_LIMIT, required=True).split())


def clean_description(value: object) -> str:
    return _text(value, "description", "Description", DESCRIPTION_LIMIT)


def clean_section_title(value: object) -> str:
    return " ".join(_text(value, "section_title", "Section title", TITLE_LIMIT).split())


def _options(value: object) -> list[str]:
    raw = value.splitlines() if isinstance(value, str) else value if isinstance(value, list) else []
    options = [" ".join(o.split()) for o in raw if isinstance(o, str) and o.strip()]
    if not options:
        raise Invalid("Write at least one option, one per line.", "options")
    if len(options) > MAX_OPTIONS:
        raise Invalid(f"A question can have at most {MAX_OPTIONS} options.", "options")
    if any(len(o) > OPTION_LIMIT for o in options):
        raise Invalid(f"Each option can be at most {OPTION_LIMIT} characters.", "options")
    if len({o.casefold() for o in options}) != len(options):
        raise Invalid("Each option must be different.", "options")
    return options


def parse_decimal(value: object) -> Decimal | None:
    """A plain decimal number ("12", "-3.5"); None when it is not one (no "1e3", "NaN", "١٢")."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = str(value).strip().replace(",", ".") if isinstance(value, str) else str(value)
    if not text or any(ch not in "0123456789.-+" for ch in text):
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() and abs(number) <= NUMBER_BOUND else None


def _bound(value: object, name: str, label: str) -> str:
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        return ""
    number = parse_decimal(value)
    if number is None:
        raise Invalid(f"{label} must be a number like 0 or 12.5.", name)
    return format(number.normalize(), "f")


def _whole(value: object, name: str, label: str, default: int) -> int:
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        return default
    number = parse_decimal(value)
    if number is None or number != number.to_integral_value() or not SCALE_LOW <= number <= SCALE_HIGH:
        raise Invalid(f"{label} must be a whole number from {SCALE_LOW} to {SCALE_HIGH}.", name)
    return int(number)


def clean_question(fields: dict[str, Any], question_id: str) -> Question:
    """A question from the builder's dialog; each mistake names its field."""
    fields = fields if isinstance(fields, dict) else {}
    kind = fields.get("type")
    if kind not in QUESTION_TYPES:
        raise Invalid("Choose the type of question.", "type")
    question = Question(
        id=question_id,
        type=str(kind),
        label=_text(fields.get("label"), "label", "The question", LABEL_LIMIT, required=True),
        help=_text(fields.get("help"), "help", "Help text", HELP_LIMIT),
        required=fields.get("required") in (True, "on", "true"),
    )
    if kind in CHOICE_TYPES:
        question.options = _options(fields.get("options"))
    if kind == "number":
        question.min = _bound(fields.get("min"), "min", "The smallest answer")
        question.max = _bound(fields.get("max"), "max", "The largest answer")
        if question.min and question.max and Decimal(question.min) > Decimal(question.max):
            raise Invalid("The largest answer must not be smaller than the smallest.", "max")
    if kind == "scale":
        low = _whole(fields.get("min"), "min", "The scale's start", 0)
        high = _whole(fields.get("max"), "max", "The scale's end", 10)
        if not low < high <= low + SCALE_MAX_STEPS:
            raise Invalid(f"The scale's end must be above its start, at most {SCALE_MAX_STEPS} steps.", "max")
        question.min, question.max = str(low), str(high)
        question.min_label = _text(fields.get("min_label"), "min_label", "The start's words", END_LABEL_LIMIT)
        question.max_label = _text(fields.get("max_label"), "max_label", "The end's words", END_LABEL_LIMIT)
    source = fields.get("show_if_question")
    if isinstance(source, str) and source:
        op, value = fields.get("show_if_op"), fields.get("show_if_value")
        question.show_if = Condition(source, op if isinstance(op, str) else "", value if isinstance(value, str) else "")
    return question


def check(schema: FormSchema) -> None:
    """The whole form hangs together: sizes, unique ids, and conditions on earlier questions' options."""
    if len(schema.sections) > MAX_SECTIONS:
        raise Invalid(f"A form can have at most {MAX_SECTIONS} sections.")
    if not schema.sections:
        raise Invalid("A form needs at least one section.")
    seen: dict[str, Question] = {}
    for question in schema.questions():
        if question.id in seen:
            raise Invalid("Two questions have the same id.")
        condition = question.show_if
        if condition is not None:
            source = seen.get(condition.question)
            if source is None or source.type not in CONDITION_SOURCES:
                raise Invalid(
                    "Show it only after an earlier choice or yes/no question: choose one above it.",
                    "show_if_question",
                )
            if condition.op not in CONDITION_OPS[source.type]:
                raise Invalid("Choose how to compare the answer.", "show_if_op")
            allowed = list(YES_NO) if source.type == "yes_no" else source.options
            if condition.value not in allowed:
                raise Invalid(f"Choose one of the answers of “{source.label}”.", "show_if_value")
        seen[question.id] = question
    if len(seen) > MAX_QUESTIONS:
        raise Invalid(f"A form can have at most {MAX_QUESTIONS} questions.")


# ---- conditions ----------------------------------------------------------------------------


def holds(condition: Condition, answer: object) -> bool:
    if answer in (None, "", []):
        return False
    if condition.op == "includes":
        return isinstance(answer, list) and condition.value in answer
    if condition.op == "is":
        return answer == condition.value
    if isinstance(answer, list):  # "does not include"
        return condition.value not in answer
    return answer != condition.value


def visible_ids(schema: FormSchema, answers: dict[str, object]) -> set[str]:
    """The questions shown for these answers (conditions refer to earlier questions: one pass)."""
    shown: set[str] = set()
    for question in schema.questions():
        condition = question.show_if
        if condition is None or (condition.question in shown and holds(condition, answers.get(condition.question))):
            shown.add(question.id)
    return shown


def dependents(schema: FormSchema, question_id: str) -> list[Question]:
    return [q for q in schema.questions() if q.show_if is not None and q.show_if.question == question_id]
