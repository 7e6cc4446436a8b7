"""The builder's Sharing options dialog: who may administer the form, and who sees all its submissions."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from app.services.actor import Actor
from app.services.forms import sharing
from app.state.clinic import ClinicState
from app.state.form_builder import FormBuilderState
from app.state.forms import FormMixin, ticked
from app.state.notices import notify

RECIPIENT_PREFIX = "to:"  # the checkboxes: "to:practitioner:12", "to:office:3"


class FormSharingState(FormMixin, ClinicState):
    dialog_open: rx.Field[bool] = rx.field(False)
    recipients: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    allow_others: rx.Field[bool] = rx.field(False)  # "Allow other practitioners to have access to this form"
    author_sees_all: rx.Field[bool] = rx.field(False)
    recipients_see_all: rx.Field[bool] = rx.field(False)
    form_key: rx.Field[int] = rx.field(0)

    def _show(self, options: sharing.SharingOptions) -> None:
        chosen = set(options.chosen)
        self.recipients = [
            {
                "key": r.key,
                "name": RECIPIENT_PREFIX + r.key,
                "label": r.name,
                "detail": r.detail,
                "kind_words": "Office" if r.kind == "office" else "Practitioner",
                "checked": "true" if r.key in chosen else "false",
            }
            for r in options.offered
        ]
        self.allow_others = bool(chosen)
        self.author_sees_all, self.recipients_see_all = options.author_sees_all, options.recipients_see_all

    @rx.event
    async def set_open(self, value: bool):
        self.clear_errors()
        if value is not True:
            self.dialog_open = False
            return None
        page = await self.get_state(FormBuilderState)
        form_id = page.shown_id
        done, options = await self._submit(lambda db, actor: sharing.sharing_options(db, actor, form_id))
        if not done:
            return options if options is not None else notify.error(self.form_error)
        self._show(options)
        self.form_key, self.dialog_open = self.form_key + 1, True
        return None

    @rx.event
    def set_allow_others(self, value: bool) -> None:
        self.allow_others = value is True

    @rx.event
    async def save(self, form: dict):
        self._start()
        yield
        data = form if isinstance(form, dict) else {}
        chosen = (
            [
                name[len(RECIPIENT_PREFIX) :]
                for name in data
                if isinstance(name, str) and name.startswith(RECIPIENT_PREFIX) and ticked(data, name)
            ]
            if self.allow_others
            else []
        )
        author_all, others_all = ticked(data, "author_sees_all"), ticked(data, "recipients_see_all")
        page = await self.get_state(FormBuilderState)
        form_id = page.shown_id

        def work(db: Session, actor: Actor) -> sharing.SharingOptions:
            return sharing.save_sharing(
                db, actor, form_id, recipients=chosen, author_sees_all=author_all, recipients_see_all=others_all
            )

        done, options = await self._submit(work)
        if not done:
            yield options
            return
        self._show(options)
        page = await self.get_state(FormBuilderState)
        page.shared = bool(options.chosen)
        self.busy, self.dialog_open = False, False
        yield notify.success(
            "Sharing options saved." if options.chosen else "Sharing options saved: only you use this form."
        )
