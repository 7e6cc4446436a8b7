"""Smart Charts: Your Charts, Charts Shared With You, and the sharing list (Share PINs)."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from app.services import offices
from app.services.actor import Actor
from app.services.charts import views
from app.services.errors import PermissionDenied
from app.services.sharing import pins
from app.state.charts import NOT_FOR_YOUR_ROLE, chart_row
from app.state.clinic import ClinicState
from app.state.forms import FormMixin, text
from app.state.notices import notify
from app.state.patients import page_number

SMART_TABS = ("mine", "shared", "list")


PIN_FIELD_ID = "share-pin"


SHARING_LIST_HEADING_ID = "sharing-list-label"


class SmartChartsState(ClinicState):
    """/clinic/charts: Your Charts, Charts Shared With You (and the Sharing list's tab)."""

    tab: rx.Field[str] = rx.field("mine")
    query: rx.Field[str] = rx.field("")
    mine: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    mine_total: rx.Field[int] = rx.field(0)
    mine_page: rx.Field[int] = rx.field(1)
    mine_pages: rx.Field[int] = rx.field(1)
    shared: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    shared_total: rx.Field[int] = rx.field(0)
    shared_page: rx.Field[int] = rx.field(1)
    shared_pages: rx.Field[int] = rx.field(1)
    searching: rx.Field[bool] = rx.field(False)

    async def _read(self, *, loading: bool = False):
        query, mine_page, shared_page = self.query, self.mine_page, self.shared_page

        def work(db: Session, actor: Actor, shell: offices.ClinicShell) -> tuple[views.ChartPage, views.ChartPage]:
            if not shell.can.read_charts:  # staff: neither the page nor the data (the services agree)
                raise PermissionDenied(NOT_FOR_YOUR_ROLE)
            return views.my_charts(db, actor, query, mine_page), views.charts_shared_with_me(
                db, actor, query, shared_page
            )

        ok, found = await self._load_page(work, loading=loading)
        self.searching = False
        if not ok:
            return found
        mine, shared = found
        self.mine = [chart_row(r) for r in mine.rows]
        self.mine_total, self.mine_page, self.mine_pages = mine.total, mine.page, mine.pages
        self.shared = [chart_row(r) for r in shared.rows]
        self.shared_total, self.shared_page, self.shared_pages = shared.total, shared.page, shared.pages
        return None

    @rx.event
    async def load(self):
        wanted = self.router.url.query_parameters.get("tab", "mine")
        self.tab = wanted if wanted in SMART_TABS else "mine"
        self.query, self.mine_page, self.shared_page, self.searching = "", 1, 1, False
        answered = await self._read(loading=True)
        if answered is not None:
            return answered
        return SharingListState.load_list if self.tab == "list" else None

    @rx.event
    async def choose_tab(self, value: str):
        """Each opening reads again: a share withdrawn a moment ago is gone on this click."""
        self.tab = value if value in SMART_TABS else "mine"
        if self.tab == "list":
            return SharingListState.load_list
        return await self._read()

    @rx.event
    async def refresh(self):
        return await self._read()

    @rx.event
    async def set_query(self, value: str):
        self.query, self.mine_page, self.shared_page, self.searching = str(value)[:100], 1, 1, True
        yield
        yield await self._read()

    @rx.event
    async def go_to_page(self, page: int | str):
        if self.tab == "shared":
            self.shared_page = page_number(page)
        else:
            self.mine_page = page_number(page)
        return await self._read()


class SharingListState(FormMixin, ClinicState):
    """Smart Charts → Sharing list: practitioners and offices added by their Share PIN."""

    entries: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    found: rx.Field[dict[str, str]] = rx.field(default_factory=dict)  # whom the PIN typed names, before adding them
    loading_list: rx.Field[bool] = rx.field(False)
    _pin: str = ""  # the PIN that was looked up: what *Add to sharing list* adds

    def _show(self, entries: list[pins.ListEntry]) -> None:
        self.entries = [
            {
                "id": str(e.id),
                "name": e.name,
                "detail": e.detail,
                "kind_words": "Office" if e.kind == "office" else "Practitioner",
            }
            for e in entries
        ]

    @rx.event
    async def load_list(self):
        self.found, self._pin, self.loading_list = {}, "", True
        self.clear_errors()
        yield
        ok, entries = await self._load_page(lambda db, actor, _shell: pins.sharing_list(db, actor))
        self.loading_list = False
        if not ok:
            yield entries
            return
        self._show(entries)

    @rx.event
    async def look_up(self, form: dict):
        self._start()
        self.found, self._pin = {}, ""
        yield
        typed = text(form, "pin")[:40]

        def work(db: Session, actor: Actor) -> tuple[str, pins.PinTarget]:
            return pins.normalize_pin(typed), pins.lookup(db, actor, typed)

        done, outcome = await self._submit(work)
        if not done:
            yield outcome
            return
        self._pin, target = outcome
        self.found = {
            "kind_words": "Office" if target.kind == "office" else "Practitioner",
            "name": target.name,
            "detail": target.detail,
        }
        self.busy = False

    @rx.event
    async def add_found(self):
        if not self._pin:
            return
        self._start()
        yield
        pin = self._pin

        def work(db: Session, actor: Actor) -> tuple[pins.PinTarget, list[pins.ListEntry]]:
            return pins.add_by_pin(db, actor, pin), pins.sharing_list(db, actor)

        done, outcome = await self._submit(work)
        if not done:
            yield outcome
            return
        target, entries = outcome
        self._show(entries)
        self.found, self._pin, self.busy = {}, "", False
        yield rx.set_value(PIN_FIELD_ID, "")
        yield rx.set_focus(PIN_FIELD_ID)  # the button just used is gone: back to the PIN field
        yield notify.success(f"{target.name} is on your sharing list. You can now share charts with them.")

    @rx.event
    async def remove(self, entry_id: str):
        def work(db: Session, actor: Actor) -> list[pins.ListEntry]:
            pins.remove_entry(db, actor, entry_id)
            return pins.sharing_list(db, actor)

        done, outcome = await self._submit(work)
        if not done:
            return outcome if outcome is not None else notify.error(self.form_error)
        self._show(outcome)
        return [
            rx.set_focus(SHARING_LIST_HEADING_ID),  # the Remove button is gone with its entry
            notify.success(
                "Removed from your sharing list. Charts already shared stay shared until you withdraw them."
            ),
        ]
