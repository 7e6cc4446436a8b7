"""Clinic charts: one chart (/clinic/charts/[chart_id]) and Smart Charts (/clinic/charts)."""

from __future__ import annotations

import reflex as rx
from reflex_components_core.core.banner import has_connection_errors

from app.components.chart_share_dialog import share_dialog
from app.components.empty_state import empty_state
from app.components.forms import field_error, form_error, submit_button
from app.components.layout import clinic_page, loading_panel
from app.components.tables import data_table, pagination
from app.components.workspace.charts_tab import status_badges
from app.services.charts.charts import PLAN_FIELDS, SOAP_FIELDS
from app.state.charts import LOCKED_LINE_ID, SharingListState, SmartChartsState
from app.state.charts import ChartState as C

AUTOSAVE_PAUSE_MS = 1500  # a pause in typing this long saves the field (leaving it saves at once)
PLAN_NOTE = (
    "These sections are the patient's treatment plan: the portal shows them for records unlocked with an "
    "access code. Subjective, Objective and Assessment never show there."
)


# ---- one chart -------------------------------------------------------------------------------


def _text_field(name: str, label: str) -> rx.Component:
    """A multi-line field of the draft. Uncontrolled: the typing stays in the page whatever the
    connection does; each pause in typing and each leaving of the field saves its whole text."""
    field_id = f"chart-{name}"
    error = C.errors.get(name, "")
    return rx.flex(
        rx.el.label(rx.text(label, size="3", weight="bold"), html_for=field_id),
        rx.text_area(
            id=field_id,
            name=name,
            default_value=C.fields.get(name, ""),
            rows="4",
            size="3",
            resize="vertical",
            aria_invalid=rx.cond(error != "", "true", "false"),
            aria_describedby=f"{field_id}-error",
            on_change=lambda value: C.autosave(name, value).debounce(AUTOSAVE_PAUSE_MS),
            on_blur=lambda value: C.autosave(name, value),
        ),
        field_error(error, field_id),
        direction="column",
        spacing="1",
        width="100%",
    )


def _visit_date_field() -> rx.Component:
    error = C.errors.get("visit_date", "")
    return rx.flex(
        rx.el.label(rx.text("Visit date", size="2", weight="medium"), html_for="chart-visit_date"),
        rx.input(
            id="chart-visit_date",
            type="date",
            default_value=C.chart.get("visit_date", ""),
            size="3",
            aria_invalid=rx.cond(error != "", "true", "false"),
            aria_describedby="chart-visit_date-error",
            on_change=lambda value: C.autosave("visit_date", value).debounce(800),
            on_blur=lambda value: C.autosave("visit_date", value),
        ),
        field_error(error, "chart-visit_date"),
        direction="column",
        spacing="1",
        max_width="220px",
    )


def _save_status() -> rx.Component:
    return rx.hstack(
        rx.badge(rx.icon("pencil", size=12), "Draft", variant="soft", color_scheme="amber"),
        rx.text(
            rx.cond(C.saving, "Saving…", rx.cond(C.saved_at != "", "Saved " + C.saved_at, "")),
            size="2",
            color_scheme="gray",
            role="status",
            aria_live="polite",
        ),
        rx.cond(
            has_connection_errors,
            rx.text(
                "Offline: keep typing, your text stays here and is saved when the connection is back.",
                size="2",
                color_scheme="amber",
            ),
        ),
        align="center",
        spacing="3",
        wrap="wrap",
    )


def _editor() -> rx.Component:
    return rx.vstack(
        rx.flex(_save_status(), rx.spacer(), _visit_date_field(), align="end", spacing="4", wrap="wrap", width="100%"),
        form_error(C.form_error),
        rx.card(
            rx.vstack(*[_text_field(name, label) for name, label in SOAP_FIELDS.items()], spacing="4"),
            size="3",
            width="100%",
        ),
        rx.card(
            rx.vstack(
                rx.heading("Plan", size="4", as_="h2"),
                rx.text(PLAN_NOTE, size="2", color_scheme="gray"),
                *[_text_field(name, label) for name, label in PLAN_FIELDS.items()],
                spacing="4",
            ),
            size="3",
            width="100%",
        ),
        spacing="4",
        width="100%",
        key=C.shown_id.to_string(),  # the same chart keeps its fields mounted; another one starts afresh
    )


def _read_only_part(name: str, label: str) -> rx.Component:
    value = C.fields.get(name, "")
    return rx.vstack(
        rx.heading(label, size="3", as_="h3"),
        rx.text(rx.cond(value != "", value, "—"), size="2", white_space="pre-wrap"),
        spacing="1",
        width="100%",
    )


def _read_only() -> rx.Component:
    locked = C.chart.get("status", "") == "locked"
    return rx.vstack(
        rx.cond(
            locked,
            rx.callout(
                rx.text(C.chart.get("locked_line", ""), id=LOCKED_LINE_ID, tab_index=-1),
                icon="lock",
                color_scheme="gray",
                width="100%",
            ),
            rx.badge(rx.icon("pencil", size=12), "Draft", variant="soft", color_scheme="amber"),
        ),
        rx.cond(
            C.may_add_note,
            rx.text(
                "Shared with you by ",
                C.chart.get("author", ""),
                ": you can read it and add notes; only its author changes it.",
                size="2",
                color_scheme="gray",
            ),
        ),
        rx.text("Visit date: ", rx.text.strong(C.chart.get("visit_label", "")), size="2"),
        rx.card(
            rx.vstack(*[_read_only_part(name, label) for name, label in SOAP_FIELDS.items()], spacing="4"),
            size="3",
            width="100%",
        ),
        rx.card(
            rx.vstack(
                rx.heading("Plan", size="4", as_="h2"),
                *[_read_only_part(name, label) for name, label in PLAN_FIELDS.items()],
                spacing="4",
            ),
            size="3",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def _dated_entry(entry: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.vstack(
            rx.text(rx.text.strong(entry["author"]), " · ", entry["when"], size="2", color_scheme="gray"),
            rx.text(entry["text"], size="2", white_space="pre-wrap"),
            spacing="1",
        ),
        padding_y="var(--space-3)",
        border_top=f"1px solid {rx.color('gray', 4)}",
    )


def _dated_list(items: rx.Var, label_id: str) -> rx.Component:
    return rx.el.ul(
        rx.foreach(items, _dated_entry),
        aria_labelledby=label_id,
        style={"list_style": "none", "padding": "0", "margin": "0", "width": "100%"},
    )


def _write_form(label: str, name: str, button: str, on_submit: rx.EventHandler) -> rx.Component:
    field_id = f"chart-{name}"  # ADDENDUM_FIELD_ID / NOTE_FIELD_ID: emptied once added
    error = C.errors.get(name, "")
    return rx.form(
        rx.vstack(
            rx.el.label(rx.text(label, size="2", weight="medium"), html_for=field_id),
            rx.text_area(
                id=field_id,
                name=name,
                rows="3",
                size="3",
                resize="vertical",
                aria_invalid=rx.cond(error != "", "true", "false"),
                aria_describedby=f"{field_id}-error",
            ),
            field_error(error, field_id),
            rx.hstack(submit_button(button, C.busy), justify="end", width="100%"),
            spacing="2",
            width="100%",
        ),
        on_submit=on_submit,
        width="100%",
    )


def _addenda() -> rx.Component:
    return rx.cond(
        C.chart.get("status", "") == "locked",
        rx.card(
            rx.vstack(
                rx.heading("Addenda", size="4", as_="h2", id="addenda-label"),
                rx.cond(
                    C.addenda.length() > 0,
                    _dated_list(C.addenda, "addenda-label"),
                    rx.text(
                        "No addenda. A locked chart is amended only by dated addenda.", size="2", color_scheme="gray"
                    ),
                ),
                rx.cond(
                    C.may_amend,
                    _write_form("Add addendum", "addendum", "Add addendum", C.add_addendum),
                ),
                spacing="3",
                width="100%",
            ),
            size="3",
            width="100%",
        ),
    )


def _notes() -> rx.Component:
    return rx.cond(
        (C.notes.length() > 0) | C.may_add_note,
        rx.card(
            rx.vstack(
                rx.heading("Notes", size="4", as_="h2", id="notes-label"),
                rx.text(
                    "Notes from the practitioners this chart is shared with. The author and every recipient see them.",
                    size="2",
                    color_scheme="gray",
                ),
                rx.cond(
                    C.notes.length() > 0,
                    _dated_list(C.notes, "notes-label"),
                    rx.text("No notes yet.", size="2", color_scheme="gray"),
                ),
                rx.cond(C.may_add_note, _write_form("Add note", "note", "Add note", C.add_note)),
                spacing="3",
                width="100%",
            ),
            size="3",
            width="100%",
        ),
    )


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
        link(C.chart.get("patient_name", "") + "'s charts", C.chart.get("patient_href", "/clinic/charts")),
    )


def chart_page() -> rx.Component:
    subtitle = "Chart by " + C.chart.get("author", "").to(str) + " · " + C.chart.get("office_name", "").to(str)
    return clinic_page(
        C.chart.get("patient_name", "Chart"),  # type: ignore[arg-type]
        subtitle,  # type: ignore[arg-type]
        rx.vstack(
            _back_link(),
            rx.cond(C.may_edit, _editor(), _read_only()),
            _addenda(),
            _notes(),
            spacing="5",
            width="100%",
        ),
        action=_chart_actions(),
        # The author's draft stays on the page through a reconnect: no typing is lost. (A reader's
        # view is loaded again, so a share withdrawn meanwhile never shows the chart once more.)
        steady=(C.shown_id != 0) & C.may_edit & (C.page_status != "denied"),
    )


# ---- Smart Charts ------------------------------------------------------------------------------

S = SmartChartsState
L = SharingListState


def _search() -> rx.Component:
    return rx.flex(
        rx.el.label(rx.text("Search by patient", size="2", weight="medium"), html_for="chart-search"),
        rx.input(
            rx.input.slot(rx.cond(S.searching, rx.spinner(size="1"), rx.icon("search", size=16))),
            id="chart-search",
            default_value=S.query,
            placeholder="Patient name",
            on_change=S.set_query.debounce(250),
            size="3",
            type="search",
            auto_complete="off",
        ),
        direction="column",
        spacing="1",
        width="100%",
        max_width="420px",
    )


def _open_link(row: rx.Var) -> rx.Component:
    return rx.link(row["patient_name"], href=row["href"], weight="medium")


def _mine_row(row: rx.Var) -> rx.Component:
    share = rx.button(
        rx.icon("share_2", size=14),
        "Share",
        variant="soft",
        size="1",
        aria_label="Share the chart of " + row["patient_name"].to(str) + ", " + row["visit_label"].to(str),
    )
    return rx.table.row(
        rx.table.cell(row["visit_label"]),
        rx.table.row_header_cell(_open_link(row)),
        rx.table.cell(status_badges(row)),
        rx.table.cell(share_dialog(share, row["id"], after=S.refresh)),
    )


def _shared_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["visit_label"]),
        rx.table.row_header_cell(_open_link(row)),
        rx.table.cell(
            rx.vstack(
                rx.text(row["author"], size="2"),
                rx.text(row["office_name"], size="1", color_scheme="gray"),
                spacing="0",
            )
        ),
        rx.table.cell(status_badges(row)),
    )


def _nothing(searching_title: str, title: str, text: str, icon: str) -> rx.Component:
    return rx.cond(
        S.query != "",
        empty_state("search_x", searching_title, "Check the spelling of the patient's name."),
        empty_state(icon, title, text),
    )


def _your_charts() -> rx.Component:
    return rx.vstack(
        data_table(
            ["Visit", "Patient", "Status", ""],
            S.mine,
            _mine_row,
            _nothing(
                "None of your charts match",
                "No charts yet",
                "Charts you write appear here, newest first. Start one from a patient's workspace: Patients → "
                "the patient → Charts → New chart.",
                "clipboard_list",
            ),
            variant="surface",
        ),
        rx.cond(
            S.mine_pages > 1,
            pagination(S.mine_page, S.mine_pages, S.mine_total, S.go_to_page, "chart", "charts", S.searching),
        ),
        spacing="3",
        width="100%",
    )


def _shared_with_you() -> rx.Component:
    return rx.vstack(
        data_table(
            ["Visit", "Patient", "Author", "Status"],
            S.shared,
            _shared_row,
            _nothing(
                "No shared charts match",
                "No charts shared with you",
                "When a practitioner shares charts with you or your office, with their patient's consent, they "
                "appear here. Give them your Share PIN (your initials, top right → View Share PIN).",
                "inbox",
            ),
            variant="surface",
        ),
        rx.cond(
            S.shared_pages > 1,
            pagination(S.shared_page, S.shared_pages, S.shared_total, S.go_to_page, "chart", "charts", S.searching),
        ),
        spacing="3",
        width="100%",
    )


def _pin_lookup() -> rx.Component:
    error = L.errors.get("pin", "")
    return rx.card(
        rx.vstack(
            rx.heading("Add by Share PIN", size="4", as_="h2"),
            rx.text(
                "Ask a practitioner for their Practitioner Share PIN, or an office for its Office Share PIN. "
                "Adding them lets you share with them; nothing is shared until you share it.",
                size="2",
                color_scheme="gray",
            ),
            rx.form(
                rx.flex(
                    rx.el.label(rx.text("Share PIN", size="2", weight="medium"), html_for="share-pin"),
                    rx.flex(
                        rx.input(
                            id="share-pin",
                            name="pin",
                            placeholder="ABCD-1234",
                            size="3",
                            auto_complete="off",
                            aria_invalid=rx.cond(error != "", "true", "false"),
                            aria_describedby="share-pin-error",
                            flex="1",
                            min_width="180px",
                            max_width="320px",
                        ),
                        rx.button("Look up", type="submit", size="3", variant="soft", loading=L.busy),
                        align="center",
                        spacing="3",
                        wrap="wrap",
                    ),
                    field_error(error, "share-pin"),
                    direction="column",
                    spacing="1",
                    width="100%",
                ),
                on_submit=L.look_up,
                width="100%",
            ),
            rx.cond(
                L.found.get("name", "") != "",
                rx.card(
                    rx.flex(
                        rx.vstack(
                            rx.text(L.found.get("kind_words", ""), size="1", color_scheme="gray"),
                            rx.text(L.found.get("name", ""), size="3", weight="bold"),
                            rx.text(L.found.get("detail", ""), size="2", color_scheme="gray"),
                            spacing="0",
                        ),
                        rx.spacer(),
                        rx.button(
                            rx.icon("user_plus", size=16),
                            "Add to sharing list",
                            on_click=L.add_found,
                            loading=L.busy,
                        ),
                        align="center",
                        spacing="3",
                        wrap="wrap",
                    ),
                    variant="surface",
                    width="100%",
                    role="region",
                    aria_label="The PIN belongs to",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        size="3",
        width="100%",
    )


def _list_entry(entry: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.flex(
            rx.vstack(
                rx.text(rx.text.strong(entry["name"]), " · ", entry["kind_words"], size="2"),
                rx.text(entry["detail"], size="1", color_scheme="gray"),
                spacing="0",
                min_width="0",
            ),
            rx.spacer(),
            rx.button(
                "Remove",
                variant="soft",
                color_scheme="red",
                size="1",
                aria_label="Remove " + entry["name"].to(str),
                on_click=L.remove(entry["id"]),
            ),
            align="center",
            spacing="3",
            wrap="wrap",
        ),
        padding_y="var(--space-3)",
        border_top=f"1px solid {rx.color('gray', 4)}",
    )


def _sharing_list() -> rx.Component:
    listed = rx.cond(
        L.entries.length() > 0,
        rx.el.ul(
            rx.foreach(L.entries, _list_entry),
            aria_labelledby="sharing-list-label",
            style={"list_style": "none", "padding": "0", "margin": "0", "width": "100%"},
        ),
        empty_state(
            "users",
            "Your sharing list is empty",
            "Practitioners and offices of your own offices are always there to share with. Add others by "
            "their Share PIN above.",
        ),
    )
    return rx.vstack(
        _pin_lookup(),
        rx.card(
            rx.vstack(
                rx.heading("Your sharing list", size="4", as_="h2", id="sharing-list-label", tab_index=-1),
                rx.text(
                    "Removing someone keeps what you already shared with them: withdraw shares from the chart's "
                    "Share dialog.",
                    size="2",
                    color_scheme="gray",
                ),
                rx.cond(L.loading_list & (L.entries.length() == 0), loading_panel(), listed),
                spacing="3",
                width="100%",
            ),
            size="3",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def _tab(value: str, body: rx.Component) -> rx.Component:
    return rx.tabs.content(rx.box(body, padding_top="var(--space-4)"), value=value)


def smart_charts_page() -> rx.Component:
    tabs = rx.tabs.root(
        rx.tabs.list(
            rx.tabs.trigger("Your Charts", value="mine"),
            rx.tabs.trigger("Charts Shared With You", value="shared"),
            rx.tabs.trigger("Sharing list", value="list"),
        ),
        _tab("mine", _your_charts()),
        _tab("shared", _shared_with_you()),
        _tab("list", _sharing_list()),
        value=S.tab,
        on_change=S.choose_tab,
        width="100%",
    )
    return clinic_page(
        "Smart Charts",
        "Your charts, the charts other practitioners share with you, and whom you share with.",
        rx.vstack(rx.cond(S.tab != "list", _search()), tabs, spacing="4", width="100%"),
    )
