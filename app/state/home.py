"""Home, the clinic workspace's first page: today's appointments (mine or the office's), what waits
for the team, and a new office's setup checklist (services/home.py decides what each person sees)."""

from __future__ import annotations

from dataclasses import asdict

import reflex as rx
from sqlmodel import Session

from app.services import home, home_waiting, offices
from app.services.actor import Actor
from app.state.clinic import ClinicState

SCOPES = ("mine", "office")


def _waiting(found: home_waiting.WaitingList) -> list[dict[str, str]]:
    return [{key: str(value) for key, value in asdict(item).items()} for item in found.items]


class HomeState(ClinicState):
    # Whose appointments the person last chose to see, kept in the browser: "mine", "office" or
    # "" (the default: their own when they have a column). Only a display choice: the server decides.
    scope: str = rx.LocalStorage("", name="praxis_home_scope")
    today_label: rx.Field[str] = rx.field("")
    today_iso: rx.Field[str] = rx.field("")
    time_zone: rx.Field[str] = rx.field("")
    mine: rx.Field[bool] = rx.field(False)
    may_choose: rx.Field[bool] = rx.field(False)
    appointments: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    proposals: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    proposals_more: rx.Field[int] = rx.field(0)
    uploads: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    uploads_more: rx.Field[int] = rx.field(0)
    submissions: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    submissions_more: rx.Field[int] = rx.field(0)
    setup: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)  # empty: nothing left to set up
    setup_done: rx.Field[int] = rx.field(0)
    switching: rx.Field[bool] = rx.field(False)

    @rx.var
    def calendar_href(self) -> str:
        return f"/clinic/calendar?day={self.today_iso}&view=day" if self.today_iso else "/clinic/calendar"

    @rx.var
    def shown_scope(self) -> str:
        return "mine" if self.mine else "office"

    def _show_today(self, today: home.Today) -> None:
        self.today_label, self.today_iso, self.time_zone = today.label, today.day, today.time_zone
        self.mine, self.may_choose = today.mine, today.may_choose
        self.appointments = [{key: str(value) for key, value in asdict(a).items()} for a in today.appointments]

    def _show(self, view: home.HomeView | None) -> None:
        if view is None:  # no office yet: the page explains how to get one
            self.appointments, self.proposals, self.uploads, self.submissions, self.setup = [], [], [], [], []
            return
        self._show_today(view.today)
        self.proposals, self.proposals_more = _waiting(view.proposals), view.proposals.more
        self.uploads, self.uploads_more = _waiting(view.uploads), view.uploads.more
        self.submissions, self.submissions_more = _waiting(view.submissions), view.submissions.more
        self.setup = [{**asdict(step), "done": str(step.done).lower()} for step in view.setup]
        self.setup_done = sum(1 for step in view.setup if step.done)

    @rx.event
    async def load(self):
        wanted = {"mine": True, "office": False}.get(self.scope)

        def work(db: Session, actor: Actor, shell: offices.ClinicShell) -> home.HomeView | None:
            return home.home(db, actor, shell.office_id, wanted) if shell.office_id else None

        ok, view = await self._load_page(work, loading=True)
        if not ok:
            return view
        self._show(view)
        return None

    @rx.event
    async def choose_scope(self, scope: str | list[str]):
        """Mine or the office's: the server answers whose it shows (the front desk: always the office's)."""
        mine = scope == "mine"
        self.switching = True
        yield

        def work(db: Session, actor: Actor, shell: offices.ClinicShell) -> home.Today | None:
            return home.today_appointments(db, actor, shell.office_id, mine) if shell.office_id else None

        ok, today = await self._load_page(work)
        self.switching = False
        if not ok:
            yield today
            return
        if today is not None:
            self._show_today(today)
            self.scope = SCOPES[0] if today.mine else SCOPES[1]
