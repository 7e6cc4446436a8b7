"""A question's number in the builder, beside the question rather than inside it (assets/forms.css).

Its own React memo, outside the question's: adding a question renumbers the ones below it, and only
these small numbers draw again, not the cards and preview fields they stand beside."""

from __future__ import annotations

import reflex as rx


@rx.memo
def question_number(number: rx.Var[str], where: rx.Var[str]) -> rx.Component:
    return rx.el.span(number.to(str) + ".", class_name="q-num in-" + where.to(str))


def numbered(number: rx.Var, where: str, question: rx.Component, *rest: rx.Component) -> rx.Component:
    """The number, then the question (and what follows it in its column): one row of the grid."""
    return rx.el.div(question_number(number=number, where=where), question, *rest, class_name="q-row")
