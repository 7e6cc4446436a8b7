"""Smart Charts: Your Charts, Charts Shared With You, and the sharing list."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from app.components.chart_share_dialog import share_dialog
from app.components.empty_state import empty_state
from app.components.forms import field_error
from app.components.layout import clinic_page, loading_panel
from app.components.tables import data_table, pagination
from app.components.workspace.charts_tab import status_badges
from app.state.smart_charts import SharingListState, SmartChartsState

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


def _open_link(row: ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.link(row["patient_name"], href=row["href"], weight="medium")


def _mine_row(row: ObjectVar[dict[str, str]]) -> rx.Component:
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


def _shared_row(row: ObjectVar[dict[str, str]]) -> rx.Component:
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


def _list_entry(entry: ObjectVar[dict[str, str]]) -> rx.Component:
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
