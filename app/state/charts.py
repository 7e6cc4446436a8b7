"""One chart: write, autosave, lock, addenda, notes (Chart Sharing Options: chart_sharing.py;
Smart Charts and the sharing list: smart_charts.py; the portal's Treatment plans: treatment_plans.py).

What the reader may do with a chart comes from the service with the chart (ChartView.may_*); the
services check it again on every action. Ids from the browser are requests (parse_id in services).

Autosave keeps typing safe: the chart's text areas are uncontrolled, so what is typed lives in the
page, and each save carries a field's whole text (the last one wins). A reconnect re-runs the page's
load: for the chart already shown it keeps the editor mounted and only refreshes what the server
holds, which never replaces text a person has typed (the browser keeps an edited field's value).
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from sqlmodel import Session

from app.services import formatting, offices
from app.services.actor import Actor
from app.services.charts import charts, views
from app.services.charts.charts import CHART_FIELDS
from app.state.clinic import ClinicState
from app.state.forms import FormMixin, text
from app.state.notices import notify

SAVABLE = (*CHART_FIELDS, "visit_date")
NOT_FOR_YOUR_ROLE = "Charts are for the office's practitioners."
LOCKED_LINE_ID = "chart-locked-line"
ADDENDUM_FIELD_ID = "chart-addendum"
NOTE_FIELD_ID = "chart-note"


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

    shown_id: rx.Field[int] = rx.field(0)  # the chart on the page (0 while none is)
    chart: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    # what the server holds: the text areas' starting values
    fields: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    saved_at: rx.Field[str] = rx.field("")
    saving: rx.Field[bool] = rx.field(False)
    addenda: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    notes: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    may_edit: rx.Field[bool] = rx.field(False)
    may_lock: rx.Field[bool] = rx.field(False)
    may_amend: rx.Field[bool] = rx.field(False)
    may_add_note: rx.Field[bool] = rx.field(False)
    may_share: rx.Field[bool] = rx.field(False)
    locking: rx.Field[bool] = rx.field(False)
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
    async def load(self):
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
    async def autosave(self, field: str, value: str):
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
    async def lock(self):
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
    async def add_addendum(self, form: dict):
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
    async def add_note(self, form: dict):
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


# ---- the portal: treatment plans ------------------------------------------------------------
