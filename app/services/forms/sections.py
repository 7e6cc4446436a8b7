"""The builder's edits of a form's frame: its title and description, and its sections.

Each goes through builder.edit: the author only, the whole form checked, written in place or as a
new version, audited once per stretch of editing.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from app.services.actor import Actor
from app.services.errors import Invalid
from app.services.forms.builder import BuilderView, conditions_still_hold, edit, find_section, one_step
from app.services.forms.schema import FormSchema, Section, clean_description, clean_section_title, clean_title, new_id


def save_details(
    db: Session, actor: Actor, form_id: object, title: object, description: object, now: datetime | None = None
) -> BuilderView:
    clean = clean_title(title), clean_description(description)

    def change(schema: FormSchema) -> str:
        schema.title, schema.description = clean
        return ""

    return edit(db, actor, form_id, change, now)


def add_section(db: Session, actor: Actor, form_id: object, title: object, now: datetime | None = None) -> BuilderView:
    clean = clean_section_title(title)

    def change(schema: FormSchema) -> str:
        section = Section(new_id("s"), clean)
        schema.sections.append(section)
        return section.id

    return edit(db, actor, form_id, change, now)


def rename_section(
    db: Session, actor: Actor, form_id: object, section_id: object, title: object, now: datetime | None = None
) -> BuilderView:
    clean = clean_section_title(title)

    def change(schema: FormSchema) -> str:
        section = schema.sections[find_section(schema, section_id)]
        section.title = clean
        return section.id

    return edit(db, actor, form_id, change, now)


def move_section(
    db: Session, actor: Actor, form_id: object, section_id: object, step: object, now: datetime | None = None
) -> BuilderView:
    by = one_step(step)

    def change(schema: FormSchema) -> str:
        index = find_section(schema, section_id)
        other = index + by
        if not 0 <= other < len(schema.sections):
            raise Invalid("This section cannot move further.")
        sections = schema.sections
        sections[index], sections[other] = sections[other], sections[index]
        conditions_still_hold(schema)
        return sections[other].id

    return edit(db, actor, form_id, change, now)


def delete_section(
    db: Session, actor: Actor, form_id: object, section_id: object, now: datetime | None = None
) -> BuilderView:
    def change(schema: FormSchema) -> str:
        index = find_section(schema, section_id)
        if len(schema.sections) == 1:
            raise Invalid("A form keeps at least one section.")
        gone = {q.id for q in schema.sections[index].questions}
        for question in schema.questions():
            if question.id not in gone and question.show_if is not None and question.show_if.question in gone:
                raise Invalid(f"“{question.label}” depends on a question of this section: change its condition first.")
        del schema.sections[index]
        return schema.sections[max(index - 1, 0)].id

    return edit(db, actor, form_id, change, now)
