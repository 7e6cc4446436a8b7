"""The Chart Sharing Options dialog: rule, recipients, the patient's consent, current shares."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from app.services.actor import Actor
from app.services.charts import shares
from app.state.clinic import ClinicState
from app.state.forms import FormMixin, text, ticked
from app.state.notices import notify

RECIPIENT_PREFIX = "to:"  # the Chart Sharing Options' checkboxes: "to:practitioner:12", "to:office:3"


class ChartShareState(FormMixin, ClinicState):
    """The Chart Sharing Options dialog (from a chart, or a row of Your Charts)."""

    dialog_open: rx.Field[bool] = rx.field(False)
    chart_for: rx.Field[str] = rx.field("")  # the chart the dialog is about
    patient_name: rx.Field[str] = rx.field("")
    recipients: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    # the author's shares that cover this chart
    current_shares: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    consent: rx.Field[str] = rx.field("")  # "yes" / "no": Share Chart waits for YES (and the server refuses without it)
    form_key: rx.Field[int] = rx.field(0)  # a fresh form (nothing ticked) every time the dialog opens
    withdrawing: rx.Field[str] = rx.field("")

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
    async def set_open(self, value: bool, chart_id: str = ""):
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
    async def share(self, form: dict):
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
    async def withdraw(self, share_id: str):
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
