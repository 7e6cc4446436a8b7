"""The one id parser (issue 9): a plain ASCII decimal or a real int, 1..2**63-1; anything else is NotFound."""

from __future__ import annotations

from enum import IntEnum

import pytest

from app.services.errors import NotFound
from app.services.ids import MAX_ID, is_id, optional_id, parse_id


class Seven(IntEnum):
    seven = 7


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", 1), ("42", 42), (42, 42), (str(MAX_ID), MAX_ID), (MAX_ID, MAX_ID), (Seven.seven, 7)],
)
def test_ids(value: object, expected: int) -> None:
    assert parse_id(value) == expected
    assert type(parse_id(value)) is int
    assert is_id(value)


@pytest.mark.parametrize(
    "value",
    [
        "²",  # passes str.isdigit(), fails int()
        "٣",  # Arabic-Indic three: int() reads it as 3
        "１",  # a full-width one: int() reads it too
        "1e3",
        " 1",
        "1 ",
        "1\n",
        "\n1",
        "+1",
        "-1",
        "0",
        "00",
        "007",
        "1_000",
        "0x10",
        "1.0",
        "",
        " ",
        str(MAX_ID + 1),
        "9" * 30,
        "1" * 5000,  # longer than int() accepts
        True,
        False,
        None,
        [],
        ["1"],
        {},
        {"id": 1},
        (1,),
        1.0,
        float("nan"),
        0,
        -5,
        MAX_ID + 1,
        10**30,
        b"1",
        object(),
    ],
)
def test_anything_else_is_not_found(value: object) -> None:
    with pytest.raises(NotFound) as refused:
        parse_id(value)
    assert refused.value.message == "Not found."
    assert not is_id(value)


def test_the_callers_words_for_missing() -> None:
    with pytest.raises(NotFound, match=r"^This code was not found\.$"):
        parse_id("²", "This code was not found.")


def test_optional_ids() -> None:
    assert optional_id("") is None and optional_id(None) is None
    assert optional_id("12") == 12
    for odd in ("²", "any", 0, True, []):
        with pytest.raises(NotFound):
            optional_id(odd)
