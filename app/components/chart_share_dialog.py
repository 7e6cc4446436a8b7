"""The Chart Sharing Options dialog: rule, recipients, the patient's consent, and the shares in place.

One state (ChartShareState) for the chart page's *Share…* and each row's *Share* on Smart Charts;
each opener is the dialog's own trigger, so closing it returns focus there.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import ObjectVar

from app.components.forms import bare_checkbox, field_error, form_error
from app.state.chart_sharing import ChartShareState as S

RULES = (
    ("chart", "This chart", "Only this visit's chart."),
    ("patient", "All of this patient's charts", "Also the charts you write for this patient later."),
    (
        "all",
        "All of my charts",
        "Every patient's, also later ones: only with a general agreement from your patients.",
    ),
)


def _choice(item: rx.Component, label: str | rx.Var, detail: str | rx.Var = "") -> rx.Component:
    return rx.el.label(
        rx.hstack(
            item,
            rx.vstack(
                rx.text(label, size="2", weight="medium"),
                rx.cond(detail != "", rx.text(detail, size="1", color_scheme="gray")),
                spacing="0",
            ),
            align="start",
            spacing="2",
        ),
        cursor="pointer",
    )


def _rule() -> rx.Component:
    return rx.vstack(
        rx.text("What to share", size="2", weight="bold", id="share-rule-label"),
        rx.radio_group.root(
            rx.vstack(
                *[_choice(rx.radio_group.item(value=value), label, detail) for value, label, detail in RULES],
                spacing="2",
            ),
            name="rule",
            default_value="chart",
            aria_labelledby="share-rule-label",
        ),
        field_error(S.errors.get("rule", ""), "share-rule"),
        spacing="2",
        width="100%",
    )


def _recipients() -> rx.Component:
    return rx.vstack(
        rx.text("Share with", size="2", weight="bold", id="share-recipients-label"),
        rx.cond(
            S.recipients.length() > 0,
            rx.vstack(
                rx.foreach(
                    S.recipients,
                    lambda r: _choice(bare_checkbox(name=r["name"]), r["label"], r["detail"]),
                ),
                role="group",
                aria_labelledby="share-recipients-label",
                spacing="2",
            ),
            rx.text(
                "No one to share with yet. Add a practitioner or an office by their Share PIN under "
                "Charts → Sharing list.",
                size="2",
                color_scheme="gray",
            ),
        ),
        rx.text(
            "An office means every practitioner there, also those who join later.",
            size="1",
            color_scheme="gray",
        ),
        field_error(S.errors.get("recipients", ""), "share-recipients"),
        spacing="2",
        width="100%",
    )


def _consent() -> rx.Component:
    return rx.vstack(
        rx.text("Patient consent", size="2", weight="bold", id="share-consent-label"),
        rx.text(
            "Has the patient consented to sharing these charts? You are responsible for having their "
            "consent; it is recorded with the share.",
            size="1",
            color_scheme="gray",
            id="share-consent-hint",
        ),
        rx.radio_group.root(
            rx.hstack(
                _choice(rx.radio_group.item(value="yes"), "YES"),
                _choice(rx.radio_group.item(value="no"), "NO"),
                spacing="5",
            ),
            name="consent",
            value=S.consent,
            on_change=S.set_consent,
            aria_labelledby="share-consent-label",
            aria_describedby="share-consent-hint",
        ),
        rx.cond(
            S.consent == "no",
            rx.callout(
                "Without the patient's consent nothing can be shared.",
                icon="info",
                color_scheme="amber",
                size="1",
                width="100%",
            ),
        ),
        field_error(S.errors.get("consent", ""), "share-consent"),
        spacing="2",
        width="100%",
    )


def _share_row(share: ObjectVar[dict[str, str]], after: Any) -> rx.Component:
    return rx.el.li(
        rx.flex(
            rx.vstack(
                rx.text(
                    rx.text.strong(share["recipient"]),
                    " · ",
                    share["kind_words"],
                    size="2",
                ),
                rx.text(share["rule_words"], " · since ", share["since"], size="1", color_scheme="gray"),
                rx.text(share["consent"], size="1", color_scheme="gray"),
                spacing="0",
                min_width="0",
            ),
            rx.spacer(),
            rx.button(
                "Withdraw",
                type="button",
                variant="soft",
                color_scheme="red",
                size="1",
                loading=S.withdrawing == share["id"],
                aria_label="Withdraw the share with " + share["recipient"].to(str),
                on_click=[S.withdraw(share["id"]), *after],
            ),
            align="center",
            spacing="3",
            wrap="wrap",
        ),
        padding_y="var(--space-2)",
        border_top=f"1px solid {rx.color('gray', 4)}",
    )


def _shares_now(after: list) -> rx.Component:
    return rx.cond(
        S.current_shares.length() > 0,
        rx.vstack(
            rx.heading("Shared now", size="3", as_="h3", id="shares-now-label"),
            rx.el.ul(
                rx.foreach(S.current_shares, lambda share: _share_row(share, after)),
                aria_labelledby="shares-now-label",
                style={"list_style": "none", "padding": "0", "margin": "0", "width": "100%"},
            ),
            spacing="2",
            width="100%",
            margin_top="var(--space-4)",
        ),
    )


def share_dialog_content(after: Any = None) -> rx.Component:
    """`after`: an event to run once a share is made or withdrawn (a list refreshing its badges)."""
    then = [after] if after is not None else []
    return rx.dialog.content(
        rx.dialog.title("Chart Sharing Options"),
        rx.dialog.description(
            "Share ",
            S.patient_name,
            "'s charts with practitioners or offices. They can read them and add notes, never edit them. "
            "Sharing charts never shares forms or documents.",
            size="2",
            color_scheme="gray",
        ),
        rx.form(
            rx.vstack(
                form_error(S.form_error),
                _rule(),
                _recipients(),
                _consent(),
                rx.flex(
                    rx.dialog.close(rx.button("Cancel", type="button", variant="soft", color_scheme="gray")),
                    rx.button(
                        rx.icon("share_2", size=16),
                        "Share Chart",
                        type="submit",
                        loading=S.busy,
                        disabled=(S.consent != "yes") | S.busy,
                    ),
                    justify="end",
                    spacing="3",
                    width="100%",
                ),
                spacing="4",
                margin_top="var(--space-3)",
            ),
            on_submit=[S.share, *then],
            key=S.form_key,
        ),
        _shares_now(then),
        max_width="560px",
    )


def share_dialog(trigger: rx.Component, chart_id: rx.Var, after: Any = None) -> rx.Component:
    """The dialog for one chart (`chart_id` as text), opened by `trigger` (a button with no click
    handler of its own: it stays the dialog's trigger, so focus comes back to it on closing)."""
    return rx.dialog.root(
        rx.dialog.trigger(trigger),
        share_dialog_content(after),
        open=S.dialog_open & (S.chart_for == chart_id),
        on_open_change=lambda value: S.set_open(value, chart_id),
    )
