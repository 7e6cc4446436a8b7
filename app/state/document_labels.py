"""The label panel of a document list: ordinary labels, Patient Share Labels, Practitioner Share Labels.

Opened for the selected documents; each choice shows whether all, some or none of them have it. Ticking
and unticking only changes the panel; *Apply Labels* sends the changes at once (services/documents/
shares.py checks the rule again, whatever the panel showed). A mixin beside DocumentsMixin.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import reflex as rx
from sqlmodel import Session

from app.services import offices
from app.services.actor import Actor
from app.services.documents import labels, shares
from app.services.documents.labels import COLORS
from app.services.errors import Invalid
from app.services.sharing import pins
from app.state.errors import answer
from app.state.forms import text
from app.state.notices import notify


@dataclass(frozen=True)
class ChoiceView:
    key: str
    name: str
    detail: str = ""
    color: str = ""
    state: str = "off"  # "on", "some", "off": what the panel shows now
    original: str = "off"  # what the documents have


def _views(choices: list[shares.Choice], pending: dict[str, str]) -> list[ChoiceView]:
    return [ChoiceView(c.key, c.name, c.detail, c.color, pending.get(c.key, c.state), c.state) for c in choices]


if TYPE_CHECKING:  # mixed in beside DocumentsMixin only: its selection and `_refresh`
    from app.state.documents import DocumentsMixin

    _Base = DocumentsMixin
else:
    _Base = rx.State


class LabelPanelMixin(_Base, mixin=True):
    panel_open: rx.Field[bool] = rx.field(False)
    panel_labels: rx.Field[list[ChoiceView]] = rx.field(default_factory=list)
    panel_patients: rx.Field[list[ChoiceView]] = rx.field(default_factory=list)
    panel_practitioners: rx.Field[list[ChoiceView]] = rx.field(default_factory=list)
    panel_any_patient: rx.Field[bool] = rx.field(False)
    panel_rule: rx.Field[str] = rx.field("")
    share_matches: rx.Field[list[ChoiceView]] = rx.field(default_factory=list)
    applying: rx.Field[bool] = rx.field(False)
    label_error: rx.Field[str] = rx.field("")
    editing_label: rx.Field[str] = rx.field("")  # the label being renamed or recoloured ("" for a new one)
    editing_name: rx.Field[str] = rx.field("")
    editing_color: rx.Field[str] = rx.field("teal")
    label_to_delete: rx.Field[str] = rx.field("")
    label_to_delete_name: rx.Field[str] = rx.field("")
    pin_error: rx.Field[str] = rx.field("")

    @rx.var
    def label_colors(self) -> list[str]:
        return list(COLORS)

    @rx.var
    def panel_changes(self) -> int:
        return sum(
            1 for c in [*self.panel_labels, *self.panel_patients, *self.panel_practitioners] if c.state != c.original
        )

    def _pending(self) -> dict[str, str]:
        return {
            c.key: c.state
            for c in [*self.panel_labels, *self.panel_patients, *self.panel_practitioners]
            if c.state != c.original
        }

    def _show_panel(self, panel: shares.LabelPanel, pending: dict[str, str]) -> None:
        self.panel_labels = _views(panel.labels, pending)
        added = [c for c in self.panel_patients if c.original == "off" and c.key in pending]
        patients = _views(panel.patients, pending)
        known = {c.key for c in patients}
        self.panel_patients = patients + [c for c in added if c.key not in known and panel.any_patient]
        self.panel_practitioners = _views(panel.practitioners, pending)
        self.panel_any_patient, self.panel_rule = panel.any_patient, panel.patient_rule

    async def _panel(self, change=None, *, pending: dict[str, str] | None = None):
        """Apply `change` (if any) and read the panel for the selection again, in one transaction."""
        chosen, office = list(self.selected), self.documents_office

        def work(db: Session, actor: Actor, _shell: offices.ClinicShell) -> tuple[object, shares.LabelPanel]:
            result = change(db, actor) if change is not None else None
            return result, shares.label_panel(db, actor, office, chosen)

        ok, outcome = await self._load_page(work)
        if not ok:
            return False, outcome
        result, panel = outcome
        self._show_panel(panel, self._pending() if pending is None else pending)
        return True, result

    @rx.event
    async def open_panel(self):
        self.share_matches, self.label_error, self.editing_label = [], "", ""
        ok, outcome = await self._panel(pending={})
        if not ok:
            return outcome
        self.panel_open = True
        return None

    @rx.event
    def close_panel(self) -> None:
        self.panel_open, self.share_matches = False, []

    @rx.event
    def toggle_choice(self, key: str) -> None:
        def flip(choice: ChoiceView) -> ChoiceView:
            return replace(choice, state="off" if choice.state == "on" else "on") if choice.key == key else choice

        self.panel_labels = [flip(c) for c in self.panel_labels]
        self.panel_patients = [flip(c) for c in self.panel_patients]
        self.panel_practitioners = [flip(c) for c in self.panel_practitioners]

    @rx.event
    async def find_share_patient(self, query: str):
        words, chosen, office = str(query)[:100], list(self.selected), self.documents_office

        def work(db: Session, actor: Actor) -> list[shares.Choice]:
            return shares.find_patients(db, actor, office, chosen, words)

        try:
            found = await self._as_actor(work)
        except Exception as error:
            return answer(self, error)
        shown = {c.key for c in self.panel_patients}
        self.share_matches = [ChoiceView(c.key, c.name, c.detail) for c in found if c.key not in shown]
        return None

    @rx.event
    def add_share_patient(self, key: str) -> None:
        """Add a patient found by the search to the column, ticked (only one the search offered)."""
        match = next((c for c in self.share_matches if c.key == key), None)
        if match is None or not self.panel_any_patient:
            return
        self.panel_patients = [*self.panel_patients, replace(match, state="on")]
        self.share_matches = []

    @rx.event
    async def apply_labels(self):
        changes = {key: state == "on" for key, state in self._pending().items() if state in ("on", "off")}
        if not changes:
            yield notify.info("Tick or untick a label first.")
            return
        chosen, office = list(self.selected), self.documents_office
        self.applying = True
        yield
        ok, outcome = await self._refresh(lambda db, actor: shares.apply_labels(db, actor, office, chosen, changes))
        self.applying = False
        if not ok:
            yield outcome
            return
        self.panel_open, self.share_matches = False, []
        counts = ((outcome.shared, "shared"), (outcome.unshared, "unshared"))
        done = ", ".join(f"{n} {what}" for n, what in counts if n)
        yield notify.success(f"Labels applied ({done})." if done else "Labels applied.")

    @rx.event
    def edit_label(self, label_id: str) -> None:
        label = next((c for c in self.panel_labels if c.key == f"label:{label_id}"), None)
        self.editing_label = label_id if label else ""
        self.editing_name, self.editing_color = (label.name, label.color) if label else ("", "teal")
        self.label_error = ""

    @rx.event
    def choose_label_color(self, value: str) -> None:
        self.editing_color = value if value in COLORS else "teal"

    @rx.event
    async def save_label(self, form: dict):
        label_id, name, color, office = (
            self.editing_label,
            text(form, "label_name"),
            self.editing_color,
            self.documents_office,
        )
        try:
            await self._as_actor(lambda db, actor: labels.save_label(db, actor, office, label_id, name, color))
        except Invalid as error:
            self.label_error = error.message
            return None
        except Exception as error:
            return answer(self, error)
        self.label_error, self.editing_label, self.editing_name = "", "", ""
        ok, outcome = await self._panel()
        if not ok:
            return outcome
        ok, outcome = await self._refresh()
        return notify.success(f"Label {name.strip()} saved.") if ok else outcome

    @rx.event
    def ask_delete_label(self, label_id: str) -> None:
        label = next((c for c in self.panel_labels if c.key == f"label:{label_id}"), None)
        self.label_to_delete, self.label_to_delete_name = (label_id, label.name) if label else ("", "")

    @rx.event
    def set_delete_label_open(self, value: bool) -> None:
        if value is not True:
            self.label_to_delete, self.label_to_delete_name = "", ""

    @rx.event
    async def delete_label(self):
        label_id, office = self.label_to_delete, self.documents_office
        self.label_to_delete, self.label_to_delete_name = "", ""
        ok, outcome = await self._panel(lambda db, actor: labels.delete_label(db, actor, office, label_id))
        if not ok:
            return outcome
        ok, listed = await self._refresh()
        return notify.success(f"Label {outcome} deleted.") if ok else listed

    @rx.event
    async def add_by_pin(self, form: dict):
        """Add a practitioner (or an office's practitioners) to the sharing list by Share PIN (sharing/pins.py)."""
        pin = text(form, "pin")

        def work(db: Session, actor: Actor) -> str:
            return pins.add_by_pin(db, actor, pin).name

        try:
            name = await self._as_actor(work)
        except Invalid as error:
            self.pin_error = error.message
            return None
        except Exception as error:
            return answer(self, error)
        self.pin_error = ""
        ok, outcome = await self._panel()
        return notify.success(f"{name} is on your sharing list.") if ok else outcome
