"""The client workspace of one patient: a tab per part of the record (app/components/workspace/)."""

from __future__ import annotations

import reflex as rx

from app.components.layout import clinic_page
from app.components.workspace.appointments_tab import appointments_tab
from app.components.workspace.charts_tab import charts_tab
from app.components.workspace.documents_tab import documents_tab
from app.components.workspace.forms_tab import forms_tab
from app.components.workspace.portal_access_tab import portal_access_tab
from app.components.workspace.profile_tab import profile_tab
from app.components.workspace.record_status import archive_action, archived_notice
from app.state.patient_workspace import PatientWorkspaceState as W


def _tab(value: str, body: rx.Component) -> rx.Component:
    return rx.tabs.content(rx.box(body, padding_top="var(--space-4)"), value=value)


def patient_workspace_page() -> rx.Component:
    tabs = rx.tabs.root(
        rx.tabs.list(
            rx.tabs.trigger("Profile", value="profile"),
            rx.cond(W.may_view_schedule, rx.tabs.trigger("Appointments", value="appointments")),
            rx.cond(W.may_read_charts, rx.tabs.trigger("Charts", value="charts")),
            rx.cond(W.may_administer_forms, rx.tabs.trigger("Forms", value="forms")),
            rx.cond(W.may_manage_documents, rx.tabs.trigger("Documents", value="documents")),
            rx.cond(W.may_manage_access, rx.tabs.trigger("Patient Portal Access", value="portal")),
        ),
        _tab("profile", profile_tab()),
        _tab("appointments", appointments_tab()),
        _tab("charts", rx.cond(W.may_read_charts, charts_tab())),
        _tab("forms", rx.cond(W.may_administer_forms, forms_tab())),
        _tab("documents", documents_tab()),
        _tab("portal", portal_access_tab()),
        value=W.tab,
        on_change=W.choose_tab,
        width="100%",
    )
    subtitle = rx.cond(W.born != "", "Born " + W.born, "Client workspace")
    back = rx.link(
        rx.hstack(rx.icon("arrow_left", size=14), rx.text("All patients"), align="center", spacing="1"),
        href="/clinic/patients",
        size="2",
    )
    return clinic_page(
        W.patient_name,
        subtitle,
        rx.vstack(back, archived_notice(), tabs, spacing="3", width="100%"),
        action=archive_action(),
    )
