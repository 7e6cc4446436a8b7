"""The builder's inline question editor (state/form_question.py): it opens in place, a save closes it,
puts focus on the question's Edit button and says what happened in the live region; a refused save
keeps it open with the message beside the field and changes nothing; Cancel goes back to the button
that opened it. The services are stand-ins here (their rules: tests/services/test_forms_builder.py)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest
import reflex as rx

import app.app  # noqa: F401  (registers every state)
from app.services.errors import Invalid
from app.services.forms import builder
from app.services.forms.schema import from_json
from app.state.form_builder import FormBuilderState
from app.state.form_question import QuestionEditorState
from app.state.session import SessionState

SECTION, SMOKE, NEW = "s1a2b3c4", "q5d6e7f8", "q9a8b7c6"


def view(*questions: dict[str, Any], changed: str = "") -> builder.BuilderView:
    content = {"title": "Intake", "description": "", "sections": [{"id": SECTION, "title": "", "questions": questions}]}
    return builder.BuilderView(
        form_id=7,
        schema=from_json(json.dumps(content)),
        version=1,
        in_use=False,
        shared=False,
        author_sees_all=False,
        recipients_see_all=False,
        changed=changed,
    )


SMOKES = {"id": SMOKE, "type": "yes_no", "label": "Do you smoke?", "help": "", "required": True}
REFERRED = {"id": NEW, "type": "short_text", "label": "Who referred you?", "help": "", "required": False}


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple]]:
    """The builder's services as stand-ins: what they were asked; the work runs as a signed-in author."""
    made: list[tuple[str, tuple]] = []

    async def as_actor(self: SessionState, work: Callable[[Any, Any], Any], **_: Any) -> Any:
        return work(None, None)

    def service(name: str) -> Callable[..., builder.BuilderView]:
        def answer(db: Any, actor: Any, *args: Any) -> builder.BuilderView:
            made.append((name, args))
            if not str(args[-1].get("label", "")).strip():
                raise Invalid("The question is required.", "label")
            if name == "add_question":
                return view(SMOKES, {**REFERRED, "label": args[-1]["label"]}, changed=NEW)
            return view({**SMOKES, "label": args[-1]["label"]}, changed=SMOKE)

        return answer

    monkeypatch.setattr(SessionState, "_as_actor", as_actor)
    monkeypatch.setattr(builder, "add_question", service("add_question"))
    monkeypatch.setattr(builder, "update_question", service("update_question"))
    return made


async def _states() -> tuple[FormBuilderState, QuestionEditorState]:
    root = rx.State(_reflex_internal_init=True)
    page = await root.get_state(FormBuilderState)
    page._show(view(SMOKES))
    return page, await root.get_state(QuestionEditorState)


async def _save(editor: QuestionEditorState, form: dict[str, str]) -> None:
    async for _ in editor.save(form):
        pass


def test_adding_closes_the_editor_focuses_the_new_question_and_announces_it(calls: list) -> None:
    async def run() -> None:
        page, editor = await _states()
        editor.announcement = "Question added: “Earlier”."
        await editor.open_add(SECTION)
        assert editor.editor_open and editor.editing == "" and editor.section == SECTION
        assert (page.editor_section, page.editor_question) == (SECTION, "")  # the outline shows it there
        assert editor.announcement == ""  # cleared, so the next one is announced even if it reads the same
        key = page.focus_key
        await _save(editor, {"label": "Who referred you?", "help": ""})
        assert calls == [("add_question", (7, SECTION, calls[0][1][-1]))]
        assert calls[0][1][-1]["label"] == "Who referred you?" and calls[0][1][-1]["type"] == "short_text"
        assert not editor.editor_open and not editor.busy
        assert (page.editor_section, page.editor_question) == ("", "")
        assert editor.announcement == "Question added: “Who referred you?”."
        assert [r.label for r in page.rows if r.kind == "question"] == ["Do you smoke?", "Who referred you?"]
        assert (page.focus_to, page.focus_key) == (f"edit-{NEW}", key + 1)

    asyncio.run(run())


def test_a_double_click_adds_the_question_once(calls: list) -> None:
    """No "busy" update disables the button first: the second submit (queued behind the first by
    Reflex) finds the editor closed and does nothing, as does a save sent with no editor open."""

    async def run() -> None:
        page, editor = await _states()
        await _save(editor, {"label": "Sent with no editor open"})
        assert calls == []
        await editor.open_add(SECTION)
        await _save(editor, {"label": "Who referred you?"})
        rows, key = list(page.rows), page.focus_key
        await _save(editor, {"label": "Who referred you?"})
        assert [c[0] for c in calls] == ["add_question"]
        assert page.rows == rows and page.focus_key == key
        assert editor.announcement == "Question added: “Who referred you?”."

    asyncio.run(run())


def test_a_refused_question_keeps_the_editor_open_with_the_message_beside_the_field(calls: list) -> None:
    async def run() -> None:
        page, editor = await _states()
        await editor.open_add(SECTION)
        rows, key = list(page.rows), page.focus_key
        await _save(editor, {"label": "  "})
        assert editor.editor_open and not editor.busy and page.editor_section == SECTION
        assert editor.errors == {"label": "The question is required."}
        assert editor.announcement == ""
        assert page.rows == rows and page.focus_key == key  # nothing changed on the page

    asyncio.run(run())


def test_editing_saves_that_question_and_says_so(calls: list) -> None:
    async def run() -> None:
        page, editor = await _states()
        await editor.open_edit(SMOKE)
        assert editor.editor_open and editor.editing == SMOKE and editor.draft["label"] == "Do you smoke?"
        assert (page.editor_section, page.editor_question) == ("", SMOKE)
        await _save(editor, {"label": "Do you smoke or vape?"})
        assert [(name, args[:2]) for name, args in calls] == [("update_question", (7, SMOKE))]
        assert editor.announcement == "Question saved: “Do you smoke or vape?”."
        assert page.focus_to == f"edit-{SMOKE}" and not editor.editor_open

    asyncio.run(run())


def test_cancel_closes_without_saving_and_focus_goes_back_to_what_opened_it(calls: list) -> None:
    async def run() -> None:
        page, editor = await _states()
        await editor.open_add(SECTION)
        await _save(editor, {"label": ""})
        assert editor.errors
        await editor.cancel()
        assert not editor.editor_open and editor.errors == {}
        assert (page.focus_to, page.editor_section, page.editor_question) == (f"add-question-{SECTION}", "", "")
        await editor.open_edit(SMOKE)
        await editor.cancel()
        assert (page.focus_to, page.editor_question) == (f"edit-{SMOKE}", "")
        key = page.focus_key
        await editor.cancel()  # already closed (a hand-made event): nothing moves
        assert page.focus_key == key
        assert [name for name, _ in calls] == ["add_question"]  # only the refused save reached a service

    asyncio.run(run())


def test_the_editor_opens_only_where_the_form_has_that_section_or_question(calls: list) -> None:
    async def run() -> None:
        page, editor = await _states()
        await editor.open_add("s-unknown")
        await editor.open_edit(SECTION)  # a section is not a question
        assert not editor.editor_open and (page.editor_section, page.editor_question) == ("", "")

    asyncio.run(run())
