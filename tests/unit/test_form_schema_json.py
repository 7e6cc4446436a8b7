"""A form version's stored JSON: written by hand (schema.to_json), it must stay what asdict wrote."""

from __future__ import annotations

import json
from dataclasses import asdict

from app.services.forms.schema import Condition, FormSchema, Question, Section, from_json


def _schema() -> FormSchema:
    smoke = Question("q1", "yes_no", "Do you smoke?", help="Be honest.", required=True)
    many = Question("q2", "number", "How many a day?", min="1", max="100", show_if=Condition("q1", "is", "yes"))
    colours = Question("q3", "multiple_choice", "Colours « ok »", options=["Red", "Grün"])
    pain = Question("q4", "scale", "Pain", min="0", max="10", min_label="None", max_label="Worst")
    return FormSchema(
        "Intake",
        "Before your visit.\nThank you.",
        [Section("s1", "About you", [smoke, many]), Section("s2", "", [colours, pain]), Section("s3", "")],
    )


def test_the_stored_json_is_what_asdict_would_write_and_reads_back_the_same() -> None:
    schema = _schema()
    written = schema.to_json()
    assert written == json.dumps(asdict(schema), separators=(",", ":"), ensure_ascii=False)
    assert from_json(written) == schema
    assert json.loads(written)["sections"][0]["questions"][1]["show_if"] == {
        "question": "q1",
        "op": "is",
        "value": "yes",
    }
    assert "Grün" in written  # kept as written, not escaped
