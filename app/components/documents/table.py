"""The document table and its toolbar, for any state built on DocumentsMixin (All Documents, a patient's tab)."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import ObjectVar

from app.components.tables import pagination
from app.state.documents import DocumentView

SORTS = [
    ("newest", "Newest first"),
    ("oldest", "Oldest first"),
    ("name", "Name"),
    ("size", "Largest"),
    ("type", "Type"),
]


def download_link(document_id: rx.Var, name: rx.Var, **props: Any) -> rx.Component:
    """A link the browser follows itself (rx.el.a is React Router's Link: `reload_document` hands the click back
    to the browser), so the route's attachment is downloaded instead of routed to inside the app."""
    return rx.button(
        rx.el.a(
            rx.icon("download", size=14),
            "Download",
            href="/_documents/" + document_id.to(str) + "/download",
            reload_document=True,
            download="",
            aria_label="Download " + name.to(str),
        ),
        as_child=True,
        **{"size": "1", "variant": "soft", "color_scheme": "gray", **props},
    )


def _thumbnail(S: Any, row: ObjectVar[DocumentView]) -> rx.Component:
    icon = rx.center(
        rx.icon("file_text", size=18, color=rx.color("gray", 10)),
        width="36px",
        height="36px",
        border_radius="var(--radius-2)",
        background_color=rx.color("gray", 3),
        flex_shrink="0",
    )
    image = rx.image(
        src="/_documents/" + row.id.to(str) + "/thumbnail",
        alt="",
        width="36px",
        height="36px",
        object_fit="cover",
        border_radius="var(--radius-2)",
        border=f"1px solid {rx.color('gray', 5)}",
        flex_shrink="0",
    )
    return rx.cond(row.thumbnail, image, icon)


def _name_cell(S: Any, row: ObjectVar[DocumentView]) -> rx.Component:
    name = rx.cond(
        row.previewable,
        rx.link(
            rx.el.button(
                row.name,
                type="button",
                on_click=S.open_preview(row.id),
                title="Preview",
                text_align="left",
            ),
            as_child=True,
            weight="medium",
            overflow_wrap="break-word",
        ),
        rx.text(row.name, weight="medium", overflow_wrap="break-word"),
    )
    return rx.hstack(
        _thumbnail(S, row),
        rx.vstack(
            name,
            rx.cond(row.shared_by != "", rx.text(row.shared_by, size="1", color_scheme="gray")),
            rx.cond(row.from_patient, rx.badge("From the patient", color_scheme="amber", size="1")),
            spacing="1",
        ),
        align="center",
        spacing="3",
    )


def _row(S: Any, row: ObjectVar[DocumentView]) -> rx.Component:
    selected = S.selected.contains(row.id)
    return rx.table.row(
        rx.table.cell(
            rx.cond(
                row.manage,
                rx.checkbox(
                    checked=selected,
                    on_click=lambda event: S.toggle_row(row.id, event["shift_key"]),
                    aria_label="Select " + row.name.to(str),
                ),
            )
        ),
        rx.table.row_header_cell(_name_cell(S, row), min_width="180px"),
        rx.table.cell(rx.text(row.type_label, size="2")),
        rx.table.cell(rx.text(row.size, size="2", white_space="nowrap")),
        rx.table.cell(rx.text(row.uploaded_by, size="2")),
        rx.table.cell(rx.text(row.uploaded_on, size="2")),
        rx.table.cell(
            rx.flex(
                rx.foreach(row.labels, lambda tag: rx.badge(tag.name, color_scheme=tag.color, variant="soft")),
                wrap="wrap",
                gap="1",
            )
        ),
        rx.table.cell(
            rx.flex(
                rx.foreach(
                    row.shared_with,
                    lambda who: rx.badge(rx.icon("share_2", size=12), who, color_scheme="gray", variant="outline"),
                ),
                wrap="wrap",
                gap="1",
            )
        ),
        rx.table.cell(
            rx.hstack(
                download_link(row.id, row.name),
                rx.cond(
                    row.manage,
                    rx.icon_button(
                        rx.icon("pencil", size=14),
                        size="1",
                        variant="ghost",
                        color_scheme="gray",
                        on_click=S.open_rename(row.id),
                        aria_label="Rename " + row.name.to(str),
                    ),
                ),
                spacing="2",
                align="center",
            )
        ),
        background_color=rx.cond(selected, rx.color("accent", 2), "transparent"),
    )


def document_table(S: Any, empty: rx.Component) -> rx.Component:
    header = rx.table.row(
        rx.table.column_header_cell(
            rx.checkbox(
                checked=S.all_on_page,
                on_click=S.toggle_page,
                aria_label="Select all on this page",
            ),
            width="40px",
        ),
        *[rx.table.column_header_cell(name) for name in ("Name", "Type", "Size", "Uploaded by", "Date")],
        rx.table.column_header_cell("Labels"),
        rx.table.column_header_cell("Shared with"),
        rx.table.column_header_cell(rx.text("Actions", class_name="sr-only")),
    )
    table = rx.box(
        rx.table.root(
            rx.el.caption("Documents", class_name="sr-only"),
            rx.table.header(header),
            rx.table.body(rx.foreach(S.rows, lambda row: _row(S, row))),
            variant="surface",
            width="100%",
        ),
        overflow_x="auto",
        width="100%",
    )
    return rx.cond(
        S.total > 0,
        rx.vstack(
            table,
            pagination(S.page, S.pages, S.total, S.go_to_page, "document", "documents", S.listing),
            spacing="3",
            width="100%",
        ),
        empty,
    )


def toolbar(S: Any, *actions: rx.Component, show: rx.Component | None = None) -> rx.Component:
    """Search, the label filter and sort; with a selection: Assign Labels and the page's own actions."""
    search = rx.input(
        rx.input.slot(rx.cond(S.listing, rx.spinner(size="1"), rx.icon("search", size=16))),
        placeholder="Search by name or label",
        aria_label="Search documents",
        type="search",
        on_change=S.search.debounce(300),
        auto_complete="off",
        min_width="240px",
    )
    labels = rx.select.root(
        rx.select.trigger(placeholder="Any label", aria_label="Filter by label"),
        rx.select.content(
            rx.select.item("Any label", value="any"),
            rx.foreach(S.label_options, lambda lb: rx.select.item(lb["name"], value=lb["id"])),
        ),
        value=rx.cond(S.label_filter == "", "any", S.label_filter),
        on_change=S.filter_label,
    )
    sort = rx.select.root(
        rx.select.trigger(aria_label="Sort"),
        rx.select.content(*[rx.select.item(words, value=key) for key, words in SORTS]),
        value=S.sort,
        on_change=S.sort_by,
    )
    chosen = rx.hstack(
        rx.text(S.selected_count, " selected", size="2", color_scheme="gray", white_space="nowrap"),
        rx.button(rx.icon("tags", size=16), "Assign Labels", on_click=S.open_panel),
        *actions,
        rx.button(
            rx.icon("trash_2", size=16), "Delete", color_scheme="red", variant="soft", on_click=S.delete_selected
        ),
        align="center",
        spacing="2",
        wrap="wrap",
    )
    return rx.flex(
        search,
        labels,
        sort,
        show if show is not None else rx.fragment(),
        rx.spacer(),
        rx.cond(S.selected_count > 0, chosen),
        align="center",
        gap="3",
        wrap="wrap",
        width="100%",
    )


def undo_bar(S: Any) -> rx.Component:
    return rx.cond(
        S.undo_text != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("trash_2", size=16)),
            rx.flex(
                rx.callout.text(S.undo_text),
                rx.button("Undo", size="1", variant="soft", on_click=S.undo_delete),
                rx.icon_button(
                    rx.icon("x", size=14),
                    size="1",
                    variant="ghost",
                    color_scheme="gray",
                    on_click=S.dismiss_undo,
                    aria_label="Dismiss",
                ),
                align="center",
                gap="3",
            ),
            color_scheme="gray",
            role="status",
            width="100%",
        ),
    )
