"""Charts: one chart (write, autosave, lock, addenda, notes), Chart Sharing Options, Smart Charts,
the sharing list, and the portal's Treatment plans.

What the reader may do with a chart comes from the service with the chart (ChartView.may_*); the
services check it again on every action. Ids from the browser are requests (parse_id in services).

Autosave keeps typing safe: the chart's text areas are uncontrolled, so what is typed lives in the
page, and each save carries a field's whole text (the last one wins). A reconnect re-runs the page's
load: for the chart already shown it keeps the editor mounted and only refreshes what the server
holds, which never replaces text a person has typed (the browser keeps an edited field's value).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import reflex as rx
from sqlmodel import Session

from app.services import formatting, offices
from app.services.actor import Actor
from app.services.charts import charts, portal, shares, views
from app.services.charts.charts import CHART_FIELDS
from app.services.errors import PermissionDenied
from app.services.sharing import pins
from app.state.clinic import ClinicState
from app.state.forms import FormMixin, text, ticked
from app.state.notices import notify
from app.state.patients import page_number
from app.state.portal import PortalState

SAVABLE = (*CHART_FIELDS, "visit_date")
RECIPIENT_PREFIX = "to:"  # the Chart Sharing Options' checkboxes: "to:practitioner:12", "to:office:3"
SMART_TABS = ("mine", "shared", "list")
NOT_FOR_YOUR_ROLE = "Charts are for the office's practitioners."
LOCKED_LINE_ID = "chart-locked-line"
ADDENDUM_FIELD_ID = "chart-addendum"
NOTE_FIELD_ID = "chart-note"
PIN_FIELD_ID = "share-pin"
SHARING_LIST_HEADING_ID = "sharing-list-label"


def chart_row(row: views.ChartRow) -> dict[str, str]:
    return {
        "id": str(row.id),
        "href": f"/clinic/charts/{row.id}",
        "patient_name": row.patient_name,
        "author": row.author,
        "office_name": row.office_name,
        "visit_label": row.visit_label,
        "status": row.status,
        "status_words": "Locked" if row.status == "locked" else "Draft",
        "shared": "true" if row.shared else "false",
    }


def _dated(item: views.AddendumView | views.NoteView) -> dict[str, str]:
    return {"id": str(item.id), "author": item.author, "when": item.when, "text": item.text}


class ChartState(FormMixin, ClinicState):
    """/clinic/charts/[chart_id]: the chart as its reader may see it."""

    shown_id: int = 0  # the chart on the page (0 while none is)
    chart: dict[str, str] = {}
    fields: dict[str, str] = {}  # what the server holds: the text areas' starting values
    saved_at: str = ""
    saving: bool = False
    addenda: list[dict[str, str]] = []
    notes: list[dict[str, str]] = []
    may_edit: bool = False
    may_lock: bool = False
    may_amend: bool = False
    may_add_note: bool = False
    may_share: bool = False
    locking: bool = False
    _saved: dict[str, str] = {}  # the text the server holds per field: nothing to send again
    _zone: str = "UTC"

    def _wanted(self) -> object:
        return getattr(self, "chart_id", "")  # the route's [chart_id]: a request, checked by the service

    def _show(self, view: views.ChartView) -> None:
        self.shown_id = view.id
        self.chart = {
            "patient_name": view.patient_name,
            "patient_href": f"/clinic/patients/{view.patient_id}?tab=charts",
            "office_name": view.office_name,
            "author": view.author,
            "visit_date": view.visit_date,
            "visit_label": view.visit_label,
            "status": view.status,
            "status_words": "Locked" if view.status == "locked" else "Draft",
            "locked_line": view.locked_line,
        }
        self.fields = dict(view.fields)
        self._saved = {**view.fields, "visit_date": view.visit_date}
        self._zone = view.time_zone
        self.saved_at = view.saved_at
        self.addenda = [_dated(a) for a in view.addenda]
        self.notes = [_dated(n) for n in view.notes]
        self.may_edit, self.may_lock, self.may_amend = view.may_edit, view.may_lock, view.may_amend
        self.may_add_note, self.may_share = view.may_add_note, view.may_share

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        wanted = self._wanted()
        # The same chart again (a reconnect, a reload of this tab): the editor stays as it is.
        again = self.shown_id != 0 and str(self.shown_id) == str(wanted)
        if not again:
            self.shown_id, self.chart, self.fields, self.addenda, self.notes = 0, {}, {}, [], []
            self.clear_errors()
        self.saving, self.locking = False, False

        def work(db: Session, actor: Actor, _shell: offices.ClinicShell) -> views.ChartView:
            return views.view_chart(db, actor, wanted, seen=not again)  # one audited reading per opening

        ok, view = await self._load_page(work, loading=True)
        if not ok:
            self.shown_id = 0  # withdrawn, or not theirs: the page says so instead of the chart
            return view
        self._show(view)
        return None

    @rx.event
    async def autosave(self, field: str, value: str):  # type: ignore[no-untyped-def]
        """One field of the author's draft, as typed (on a pause in typing, and when leaving the field)."""
        name = field if isinstance(field, str) else ""
        typed = value if isinstance(value, str) else ""
        if name not in SAVABLE or not self.may_edit or self._saved.get(name) == typed:
            return
        chart_id, zone = self.shown_id, self._zone
        self.saving = True
        yield

        def work(db: Session, actor: Actor) -> str:
            return formatting.clock(charts.save_draft(db, actor, chart_id, {name: typed}), zone)

        done, outcome = await self._submit(work)
        self.saving = False
        if not done:
            yield outcome
            return
        self._saved = {**self._saved, name: typed}
        if name in CHART_FIELDS:
            # What a reload or reconnect starts from: never older than what was saved.
            self.fields = {**self.fields, name: typed}
        self.saved_at = outcome
        self.errors = {key: message for key, message in self.errors.items() if key != name}
        self.form_error = ""
        if name == "visit_date":
            self.chart = {**self.chart, "visit_date": typed}

    async def _change(self, change: Any) -> tuple[bool, Any]:
        """Apply a change to the chart and read it again, in one transaction."""
        chart_id = self.shown_id

        def work(db: Session, actor: Actor) -> views.ChartView:
            change(db, actor, chart_id)
            return views.view_chart(db, actor, chart_id, seen=False)

        done, outcome = await self._submit(work)
        if done:
            self._show(outcome)
        return done, outcome

    @rx.event
    async def lock(self):  # type: ignore[no-untyped-def]
        self.locking = True
        self.form_error = ""
        yield
        done, outcome = await self._change(lambda db, actor, chart_id: charts.lock_chart(db, actor, chart_id))
        self.locking = False
        if not done:
            yield outcome
            return
        yield notify.success("Chart locked. It can no longer be changed: add an addendum to amend it.")
        yield rx.set_focus(LOCKED_LINE_ID)  # the Lock button is gone: focus goes to what replaced it

    @rx.event
    async def add_addendum(self, form: dict):  # type: ignore[no-untyped-def]
        self._start()
        yield
        written = text(form, "addendum")
        done, outcome = await self._change(
            lambda db, actor, chart_id: charts.add_addendum(db, actor, chart_id, written)
        )
        if not done:
            yield outcome
            return
        self.busy = False
        yield rx.set_value(ADDENDUM_FIELD_ID, "")  # emptied in place: focus stays in the form
        yield notify.success("Addendum added.")

    @rx.event
    async def add_note(self, form: dict):  # type: ignore[no-untyped-def]
        self._start()
        yield
        written = text(form, "note")
        done, outcome = await self._change(lambda db, actor, chart_id: charts.add_note(db, actor, chart_id, written))
        if not done:
            yield outcome
            return
        self.busy = False
        yield rx.set_value(NOTE_FIELD_ID, "")
        yield notify.success("Note added.")


class ChartShareState(FormMixin, ClinicState):
    """The Chart Sharing Options dialog (from a chart, or a row of Your Charts)."""

    dialog_open: bool = False
    chart_for: str = ""  # the chart the dialog is about
    patient_name: str = ""
    recipients: list[dict[str, str]] = []
    current_shares: list[dict[str, str]] = []  # the author's shares that cover this chart
    consent: str = ""  # "yes" / "no": Share Chart waits for YES (and the server refuses without it)
    form_key: int = 0  # a fresh form (nothing ticked) every time the dialog opens
    withdrawing: str = ""

    def _show(self, options: shares.ShareOptions) -> None:
        self.chart_for, self.patient_name = str(options.chart_id), options.patient_name
        self.recipients = [
            {"key": r.key, "name": RECIPIENT_PREFIX + r.key, "kind": r.kind, "label": r.name, "detail": r.detail}
            for r in options.recipients
        ]
        self.current_shares = [
            {
                "id": str(s.id),
                "rule_words": s.rule_words,
                "recipient": s.recipient,
                "kind_words": "Office" if s.recipient_kind == "office" else "Practitioner",
                "since": s.since,
                "consent": s.consent,
            }
            for s in options.shares
        ]

    @rx.event
    async def set_open(self, value: bool, chart_id: str = ""):  # type: ignore[no-untyped-def]
        """The dialog's trigger opens it with the chart's options loaded; closing forgets the form."""
        self.clear_errors()
        if value is not True:
            self.dialog_open = False
            return None

        def work(db: Session, actor: Actor) -> shares.ShareOptions:
            return shares.share_options(db, actor, chart_id)

        done, outcome = await self._submit(work)
        if not done:
            self.dialog_open = False
            return outcome if outcome is not None else notify.error(self.form_error)
        self._show(outcome)
        self.consent, self.form_key, self.dialog_open = "", self.form_key + 1, True
        return None

    @rx.event
    def set_consent(self, value: str) -> None:
        self.consent = value if value in ("yes", "no") else ""

    @rx.event
    async def share(self, form: dict):  # type: ignore[no-untyped-def]
        self._start()
        yield
        rule = text(form, "rule")
        chosen = [
            name[len(RECIPIENT_PREFIX) :]
            for name in (form if isinstance(form, dict) else {})
            if isinstance(name, str) and name.startswith(RECIPIENT_PREFIX) and ticked(form, name)
        ]
        consent = text(form, "consent") == "yes"
        chart_id = self.chart_for

        def work(db: Session, actor: Actor) -> tuple[int, shares.ShareOptions]:
            made = shares.share_chart(db, actor, chart_id, rule=rule, recipients=chosen, consent=consent)
            return made, shares.share_options(db, actor, chart_id)

        done, outcome = await self._submit(work)
        if not done:
            yield outcome
            return
        made, options = outcome
        self._show(options)
        self.busy, self.dialog_open = False, False
        yield notify.success(
            "Chart shared. The recipients see it in Charts Shared With You."
            if made
            else "Already shared that way: nothing new to share."
        )

    @rx.event
    async def withdraw(self, share_id: str):  # type: ignore[no-untyped-def]
        self.withdrawing = str(share_id)[:20]
        yield
        chart_id = self.chart_for

        def work(db: Session, actor: Actor) -> shares.ShareOptions:
            shares.withdraw_share(db, actor, share_id)
            return shares.share_options(db, actor, chart_id)

        done, outcome = await self._submit(work)
        self.withdrawing = ""
        if not done:
            yield outcome if outcome is not None else notify.error(self.form_error)
            return
        self._show(outcome)
        yield notify.success("Share withdrawn. The recipients no longer see these charts.")


class SmartChartsState(ClinicState):
    """/clinic/charts: Your Charts, Charts Shared With You (and the Sharing list's tab)."""

    tab: str = "mine"
    query: str = ""
    mine: list[dict[str, str]] = []
    mine_total: int = 0
    mine_page: int = 1
    mine_pages: int = 1
    shared: list[dict[str, str]] = []
    shared_total: int = 0
    shared_page: int = 1
    shared_pages: int = 1
    searching: bool = False

    async def _read(self, *, loading: bool = False):  # type: ignore[no-untyped-def]
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
    async def load(self):  # type: ignore[no-untyped-def]
        wanted = self.router.url.query_parameters.get("tab", "mine")
        self.tab = wanted if wanted in SMART_TABS else "mine"
        self.query, self.mine_page, self.shared_page, self.searching = "", 1, 1, False
        answered = await self._read(loading=True)
        if answered is not None:
            return answered
        return SharingListState.load_list if self.tab == "list" else None

    @rx.event
    async def choose_tab(self, value: str):  # type: ignore[no-untyped-def]
        """Each opening reads again: a share withdrawn a moment ago is gone on this click."""
        self.tab = value if value in SMART_TABS else "mine"
        if self.tab == "list":
            return SharingListState.load_list
        return await self._read()

    @rx.event
    async def refresh(self):  # type: ignore[no-untyped-def]
        return await self._read()

    @rx.event
    async def set_query(self, value: str):  # type: ignore[no-untyped-def]
        self.query, self.mine_page, self.shared_page, self.searching = str(value)[:100], 1, 1, True
        yield
        yield await self._read()

    @rx.event
    async def go_to_page(self, page: int | str):  # type: ignore[no-untyped-def]
        if self.tab == "shared":
            self.shared_page = page_number(page)
        else:
            self.mine_page = page_number(page)
        return await self._read()


class SharingListState(FormMixin, ClinicState):
    """Smart Charts → Sharing list: practitioners and offices added by their Share PIN."""

    entries: list[dict[str, str]] = []
    found: dict[str, str] = {}  # whom the PIN typed names, before adding them
    loading_list: bool = False
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
    async def load_list(self):  # type: ignore[no-untyped-def]
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
    async def look_up(self, form: dict):  # type: ignore[no-untyped-def]
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
    async def add_found(self):  # type: ignore[no-untyped-def]
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
    async def remove(self, entry_id: str):  # type: ignore[no-untyped-def]
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


# ---- the portal: treatment plans ------------------------------------------------------------


class TreatmentPlansState(PortalState):
    """Portal → Treatment plans for the record chosen in the family switcher, and with whom its
    charts are shared. Only for records unlocked with an access code (the services decide)."""

    visits: list[portal.PlanVisit] = []
    sharing: list[dict[str, str]] = []
    unlocked: bool = False  # the record came with an access code: its clinical parts may show

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        def work(
            db: Session, actor: Actor, current: int | None
        ) -> tuple[bool, list[portal.PlanVisit], list[portal.PortalShareRow]]:
            if not current:
                return False, [], []
            visits = portal.treatment_plans(db, actor, current)  # checks the record is held
            unlocked = portal.unlocked_with_code(db, actor, current)
            return unlocked, visits, portal.shares_of_record(db, actor, current)

        ok, found = await self._open_portal(work, loading=True)
        if not ok:
            return found
        self.unlocked, self.visits, rows = found
        self.sharing = [{key: str(value) for key, value in asdict(row).items()} for row in rows]
        return None
