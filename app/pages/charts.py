"""Clinic charts: one chart (/clinic/charts/[chart_id]) and Smart Charts (/clinic/charts)."""

from __future__ import annotations

import reflex as rx

from app.components.chart_editor import chart_editor
from app.components.chart_record import chart_addenda, chart_notes, chart_read_only
from app.components.chart_share_dialog import share_dialog
from app.components.layout import clinic_page
from app.state.charts import ChartState as C

# ---- one chart -------------------------------------------------------------------------------


def _lock_button() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(rx.button(rx.icon("lock", size=16), "Lock chart", loading=C.locking)),
        rx.alert_dialog.content(
            rx.alert_dialog.title("Lock this chart?"),
            rx.alert_dialog.description(
                "Locking signs the chart with your name and the time. It becomes read-only for ever: "
                "changes after that are dated addenda below it.",
                size="2",
            ),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Keep editing", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(rx.button(rx.icon("lock", size=16), "Lock chart", on_click=C.lock)),
                justify="end",
                spacing="3",
                margin_top="var(--space-4)",
            ),
        ),
    )


def _chart_actions() -> rx.Component:
    return rx.hstack(
        rx.cond(
            C.may_share,
            share_dialog(
                rx.button(rx.icon("share_2", size=16), "Share…", variant="soft"),
                C.shown_id.to_string(),
            ),
        ),
        rx.cond(C.may_lock, _lock_button()),
        spacing="3",
    )


def _back_link() -> rx.Component:
    def link(label: rx.Var | str, href: rx.Var | str) -> rx.Component:
        return rx.link(
            rx.hstack(rx.icon("arrow_left", size=14), rx.text(label), align="center", spacing="1"),
            href=href,
            size="2",
        )

    return rx.cond(
        C.may_add_note,
        link("Charts shared with you", "/clinic/charts?tab=shared"),
        link(C.chart.get("patient_name", "").to(str) + "'s charts", C.chart.get("patient_href", "/clinic/charts")),
    )


def chart_page() -> rx.Component:
    subtitle = "Chart by " + C.chart.get("author", "").to(str) + " · " + C.chart.get("office_name", "").to(str)
    return clinic_page(
        C.chart.get("patient_name", "Chart"),
        subtitle,
        rx.vstack(
            _back_link(),
            rx.cond(C.may_edit, chart_editor(), chart_read_only()),
            chart_addenda(),
            chart_notes(),
            spacing="5",
            width="100%",
        ),
        action=_chart_actions(),
        # The author's draft stays on the page through a reconnect: no typing is lost. (A reader's
        # view is loaded again, so a share withdrawn meanwhile never shows the chart once more.)
        steady=(C.shown_id != 0) & C.may_edit & (C.page_status != "denied"),
    )
