"""Page frames: public card pages, the clinic workspace and the portal."""

from __future__ import annotations

import reflex as rx

from app.components.invitation_dialog import heartbeat, invitation_dialog
from app.components.record_switcher import record_switcher
from app.components.user_menu import user_menu
from app.state.clinic import ClinicState
from app.state.session import SessionState


def brand() -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.icon("stethoscope", size=22, color=rx.color("accent", 10)),
            rx.heading("Praxis", size="5", weight="bold"),
            align="center",
            spacing="2",
        ),
        href="/",
        underline="none",
        color_scheme="gray",
        high_contrast=True,
    )


def public_page(title: str, subtitle: str, *children: rx.Component) -> rx.Component:
    """A centred card for sign-in, sign-up and other pages anyone can open."""
    return rx.center(
        rx.vstack(
            brand(),
            rx.card(
                rx.vstack(
                    rx.heading(title, size="6", as_="h1"),
                    rx.cond(subtitle != "", rx.text(subtitle, color_scheme="gray", size="2")),
                    *children,
                    spacing="4",
                    width="100%",
                ),
                size="4",
                width="100%",
            ),
            align="center",
            spacing="5",
            width="100%",
            max_width="440px",
        ),
        min_height="100vh",
        padding="var(--space-4)",
        background_color=rx.color("gray", 2),
    )


def loading_panel() -> rx.Component:
    return rx.center(
        rx.hstack(rx.spinner(size="3"), rx.text("Loading…", color_scheme="gray"), align="center", spacing="3"),
        padding="var(--space-9)",
        width="100%",
        aria_busy="true",
    )


def denied_panel() -> rx.Component:
    """Why the server refused this page, and the way back to where this account belongs."""
    is_patient = SessionState.patient_account
    return rx.center(
        rx.card(
            rx.vstack(
                rx.icon("shield_alert", size=28, color=rx.color("amber", 10)),
                rx.heading("You can't open this page", size="4", as_="h1"),
                rx.text(SessionState.page_message, color_scheme="gray"),
                rx.link(
                    rx.cond(is_patient, "Go to your portal", "Go to your workspace"),
                    href=rx.cond(is_patient, "/portal", "/clinic"),
                ),
                align="center",
                spacing="3",
                text_align="center",
            ),
            size="3",
            max_width="420px",
        ),
        padding="var(--space-9)",
        width="100%",
    )


def page_header(title: str, subtitle: str = "", action: rx.Component | None = None) -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.heading(title, size="7", as_="h1"),
            rx.cond(subtitle != "", rx.text(subtitle, color_scheme="gray")),
            spacing="1",
        ),
        rx.spacer(),
        action if action is not None else rx.fragment(),
        align="end",
        spacing="4",
        wrap="wrap",
        width="100%",
    )


def status_switch(ready: rx.Component, steady: rx.Var | None = None) -> rx.Component:
    """The page once its data has arrived. Reflex marks the state unhydrated on every
    navigation until the page's on_load handlers finish, so no stale page shows.

    `steady`: while it holds, the page stays as it is, also through a reconnect's hydrate and
    reload (a chart being typed into must not be taken down and rebuilt from older values)."""
    switch = rx.cond(
        SessionState.is_hydrated,
        rx.match(
            SessionState.page_status,
            ("ready", ready),
            ("denied", denied_panel()),
            loading_panel(),
        ),
        loading_panel(),
    )
    return switch if steady is None else rx.cond(steady, ready, switch)


# ---- clinic workspace -------------------------------------------------------

CLINIC_NAV = [
    ("Home", "/clinic", "house"),
    ("Calendar", "/clinic/calendar", "calendar_days"),
    ("Patients", "/clinic/patients", "users"),
    ("Office", "/clinic/office", "building_2"),
]
# Smart Charts, after Patients, for those who may read charts (never staff).
CHARTS_NAV = ("Charts", "/clinic/charts", "clipboard_list")
PORTAL_NAV = [
    ("Overview", "/portal", "house"),
    ("Appointments", "/portal/appointments", "calendar"),
    ("Treatment plans", "/portal/treatment-plans", "clipboard_list"),
    ("Profile", "/portal/profile", "user"),
]


def nav_link(label: str, href: str, icon: str, full_width: bool = True) -> rx.Component:
    path = SessionState.router.url.path
    # A section stays highlighted on its sub-pages (a patient's workspace under Patients).
    active = (path == href) | (path.to(str).startswith(href + "/") & (href.count("/") > 1))
    # The portal's links must fit a phone (375 px) without scrolling: tighter there (and they wrap).
    compact = rx.breakpoints(initial="2", sm="3") if not full_width else "3"
    return rx.link(
        rx.hstack(
            rx.icon(icon, size=18),
            rx.text(label, size=compact, white_space="nowrap"),
            align="center",
            spacing=rx.breakpoints(initial="2", sm="3") if not full_width else "3",
        ),
        href=href,
        underline="none",
        padding_x=["var(--space-2)", "var(--space-3)"] if not full_width else "var(--space-3)",
        padding_y="var(--space-2)",
        border_radius="var(--radius-3)",
        color=rx.cond(active, rx.color("accent", 11), rx.color("gray", 11)),
        background_color=rx.cond(active, rx.color("accent", 3), "transparent"),
        _hover={"background_color": rx.color("gray", 3)},
        aria_current=rx.cond(active, "page", "false"),
        width="100%" if full_width else "auto",
    )


def office_switcher() -> rx.Component:
    return rx.cond(
        ClinicState.office_id != 0,
        rx.dropdown_menu.root(
            rx.dropdown_menu.trigger(
                rx.button(
                    rx.icon("building_2", size=16, flex_shrink="0"),
                    rx.text(
                        ClinicState.office_name,
                        flex="1",
                        min_width="0",
                        text_align="left",
                        white_space="nowrap",
                        overflow="hidden",
                        text_overflow="ellipsis",
                    ),
                    rx.icon("chevrons_up_down", size=14, flex_shrink="0"),
                    variant="soft",
                    color_scheme="gray",
                    width="100%",
                    justify="start",
                    aria_label="Switch office",
                ),
            ),
            rx.dropdown_menu.content(
                rx.text(
                    "Your offices",
                    size="1",
                    color_scheme="gray",
                    padding_x="var(--space-2)",
                    padding_y="var(--space-1)",
                ),
                rx.foreach(
                    ClinicState.offices,
                    lambda office: rx.dropdown_menu.item(
                        office["name"], on_select=ClinicState.switch_office(office["id"])
                    ),
                ),
                rx.cond(
                    ClinicState.can.create_office,
                    rx.fragment(
                        rx.dropdown_menu.separator(),
                        rx.dropdown_menu.item("Create another office", on_select=rx.redirect("/clinic/office/new")),
                    ),
                ),
            ),
        ),
    )


def sidebar() -> rx.Component:
    return rx.flex(
        brand(),
        office_switcher(),
        rx.el.nav(
            rx.vstack(
                *[nav_link(*item) for item in CLINIC_NAV[:3]],
                rx.cond(ClinicState.can.read_charts, nav_link(*CHARTS_NAV)),
                *[nav_link(*item) for item in CLINIC_NAV[3:]],
                spacing="1",
                width="100%",
            ),
            aria_label="Main",
            width="100%",
        ),
        direction="column",
        spacing="5",
        padding="var(--space-4)",
        width="240px",
        min_width="240px",
        min_height="100vh",
        border_right=f"1px solid {rx.color('gray', 5)}",
        background_color=rx.color("gray", 2),
        display=["none", "none", "flex"],
    )


def clinic_page(
    title: str, subtitle: str, body: rx.Component, action: rx.Component | None = None, steady: rx.Var | None = None
) -> rx.Component:
    return rx.flex(
        sidebar(),
        rx.flex(
            rx.flex(
                rx.box(rx.box(brand(), display=["block", "block", "none"])),
                rx.spacer(),
                user_menu(),
                padding_x="var(--space-6)",
                padding_y="var(--space-3)",
                align="center",
                border_bottom=f"1px solid {rx.color('gray', 4)}",
            ),
            rx.el.main(
                status_switch(rx.vstack(page_header(title, subtitle, action), body, spacing="6", width="100%"), steady),
                padding=["var(--space-4)", "var(--space-6)", "var(--space-8)"],
                width="100%",
                max_width="1100px",
            ),
            direction="column",
            flex="1",
            min_width="0",
        ),
        invitation_dialog(),
        heartbeat(),
        min_height="100vh",
    )


# ---- patient portal ----------------------------------------------------------


def portal_nav() -> rx.Component:
    return rx.el.nav(
        # On a phone the links wrap onto a second row rather than run off the screen.
        rx.hstack(*[nav_link(*item, full_width=False) for item in PORTAL_NAV], spacing="1", wrap="wrap"),
        aria_label="Portal",
    )


def portal_page(title: str, subtitle: str, body: rx.Component) -> rx.Component:
    return rx.box(
        rx.flex(
            brand(),
            rx.box(portal_nav(), display=["none", "block"]),
            rx.spacer(),
            user_menu(),
            padding_x=["var(--space-4)", "var(--space-6)"],
            padding_y="var(--space-3)",
            align="center",
            spacing="5",
            border_bottom=f"1px solid {rx.color('gray', 4)}",
            background_color=rx.color("gray", 1),
        ),
        rx.box(
            portal_nav(),
            display=["block", "none"],
            padding_x="var(--space-4)",
            padding_top="var(--space-3)",
            overflow_x="auto",
        ),
        rx.el.main(
            status_switch(rx.vstack(record_switcher(), page_header(title, subtitle), body, spacing="5", width="100%")),
            padding=["var(--space-4)", "var(--space-6)"],
            margin_x="auto",
            width="100%",
            max_width="760px",
        ),
        invitation_dialog(),
        heartbeat(),
        min_height="100vh",
        background_color=rx.color("gray", 2),
    )
