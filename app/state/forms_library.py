"""/clinic/forms: My forms, Shared with me, and *New form* (SmartForms, issue 13).

What the reader may do comes from the services (`library.may_build`, the role table's
administer_forms); the services check again on every action.
"""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from app.services import offices
from app.services.actor import Actor
from app.services.errors import PermissionDenied
from app.services.forms import library
from app.state.clinic import ClinicState
from app.state.forms import FormMixin, text
from app.state.notices import notify

LIBRARY_TABS = ("mine", "shared")
NOT_FOR_YOUR_ROLE = "Forms are for the office's team."


def form_row(row: library.FormRow) -> dict[str, str]:
    return {
        "id": str(row.id),
        "href": f"/clinic/forms/{row.id}",
        "submissions_href": f"/clinic/forms/{row.id}/submissions",
        "title": row.title,
        "questions": str(row.questions),
        "version": str(row.version),
        "updated": row.updated,
        "author": row.author,
        "shared": "true" if row.shared else "false",
        "submissions": str(row.submissions),
    }


class FormsLibraryState(FormMixin, ClinicState):
    tab: rx.Field[str] = rx.field("mine")
    mine: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    shared: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    may_build: rx.Field[bool] = rx.field(False)
    new_open: rx.Field[bool] = rx.field(False)

    @rx.event
    async def load(self):
        wanted = self.router.url.query_parameters.get("tab", "mine")
        self.tab = wanted if wanted in LIBRARY_TABS else "mine"
        self.new_open = False
        self.clear_errors()

        def work(
            db: Session, actor: Actor, shell: offices.ClinicShell
        ) -> tuple[bool, list[library.FormRow], list[library.FormRow]]:
            if not shell.can.administer_forms:
                raise PermissionDenied(NOT_FOR_YOUR_ROLE)
            return library.may_build(db, actor), library.my_forms(db, actor), library.shared_forms(db, actor)

        ok, found = await self._load_page(work, loading=True)
        if not ok:
            return found
        self.may_build, mine, shared = found
        self.mine, self.shared = [form_row(r) for r in mine], [form_row(r) for r in shared]
        if not self.may_build and self.tab == "mine":
            self.tab = "shared"  # the front desk builds nothing: what its office may use comes first
        return None

    @rx.event
    def choose_tab(self, value: str) -> None:
        self.tab = value if value in LIBRARY_TABS else "mine"

    @rx.event
    def set_new_open(self, value: bool) -> None:
        self.clear_errors()
        self.new_open = value is True

    @rx.event
    async def create(self, form: dict):
        self._start()
        yield
        title, office_id = text(form, "title"), self.office_id

        def work(db: Session, actor: Actor) -> int:
            return library.create_form(db, actor, office_id, title).id or 0

        done, form_id = await self._submit(work)
        if not done:
            yield form_id
            return
        self.busy, self.new_open = False, False
        yield rx.redirect(f"/clinic/forms/{form_id}")
        yield notify.success("Form created. Add its questions.")
