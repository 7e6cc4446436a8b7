"""Save and come back: a patient who reopens a form lands where they left off, not on section 1."""

from __future__ import annotations

from app.services.forms.filling import resume_section
from app.services.forms.render import ShownQuestion, ShownSection


def question(qid: str, required: bool = False) -> ShownQuestion:
    return ShownQuestion(
        id=qid,
        type="short_text",
        type_label="Short text",
        label=qid,
        help="",
        required=required,
        options=[],
        min="",
        max="",
        min_label="",
        max_label="",
        condition="",
        condition_question="",
        condition_op="",
        condition_value="",
        answer="",
        image="",
    )


# Three sections: a1 (required) and a2; b1 (required); c1 (optional).
FORM = [
    ShownSection(id="a", title="About you", questions=[question("a1", True), question("a2")]),
    ShownSection(id="b", title="Health", questions=[question("b1", True)]),
    ShownSection(id="c", title="Consent", questions=[question("c1")]),
]
ALL = {"a1", "a2", "b1", "c1"}


def test_a_fresh_form_opens_at_the_first_section() -> None:
    assert resume_section(FORM, {}, ALL) == 0


def test_after_finishing_a_section_the_next_one_opens() -> None:
    assert resume_section(FORM, {"a1": "Ana", "a2": "x"}, ALL) == 1
    assert resume_section(FORM, {"a1": "Ana"}, ALL) == 1  # a2 is optional


def test_a_half_filled_section_reopens_itself() -> None:
    three = [*FORM[:2], ShownSection(id="c", title="Consent", questions=[question("c1"), question("c2", True)])]
    answers = {"a1": "Ana", "b1": "fine", "c1": "yes"}
    assert resume_section(three, answers, ALL | {"c2"}) == 2


def test_a_required_answer_still_missing_earlier_wins() -> None:
    # b1 was emptied in another tab (blank answers count as none): back to Health, not on to Consent
    assert resume_section(FORM, {"a1": "Ana", "b1": "  ", "c1": "yes"}, ALL) == 1


def test_everything_answered_opens_the_last_section_and_hidden_questions_do_not_count() -> None:
    assert resume_section(FORM, {"a1": "Ana", "b1": "fine", "c1": "yes"}, ALL) == 2
    # b1 hidden by a condition: not required, so section a done → next is Health, which has nothing to do
    assert resume_section(FORM, {"a1": "Ana"}, ALL - {"b1"}) == 1
    assert resume_section([], {}, set()) == 0
