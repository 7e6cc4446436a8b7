"""The workspace's navigation: the sidebar with the office switcher, and the portal's links."""

from __future__ import annotations

import reflex as rx

from app.components.brand import brand
from app.state.clinic import ClinicState
from app.state.session import SessionState

CLINIC_NAV = [
    ("Home", "/clinic", "house"),
    ("Calendar", "/clinic/calendar", "calendar_days"),
    ("Patients", "/clinic/patients", "users"),
    ("Documents", "/clinic/documents", "files"),
    ("Office", "/clinic/office", "building_2"),
]


# Smart Charts, after Patients, for those who may read charts (never staff).
CHARTS_NAV = ("Charts", "/clinic/charts", "clipboard_list")
# SmartForms, after Charts, for the office's team (the front desk gives the forms shared with it).
FORMS_NAV = ("Forms", "/clinic/forms", "clipboard_check")


PORTAL_NAV = [
    ("Overview", "/portal", "house"),
    ("Appointments", "/portal/appointments", "calendar"),
    ("Treatment plans", "/portal/treatment-plans", "clipboard_list"),
    ("Documents", "/portal/documents", "file_text"),
    ("Forms", "/portal/forms", "clipboard_pen"),
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
                    # The name starts with what the button shows (WCAG 2.5.3), then says what it does.
                    aria_label=ClinicState.office_name + ", switch office",
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
            modal=False,  # a menu is not a dialog: the page is not hidden from screen readers while it is open
        ),
    )


def clinic_nav() -> rx.Component:
    return rx.el.nav(
        rx.vstack(
            *[nav_link(*item) for item in CLINIC_NAV[:3]],
            rx.cond(ClinicState.can.read_charts, nav_link(*CHARTS_NAV)),
            rx.cond(ClinicState.can.administer_forms, nav_link(*FORMS_NAV)),
            *[nav_link(*item) for item in CLINIC_NAV[3:]],
            spacing="1",
            width="100%",
        ),
        aria_label="Main",
        width="100%",
    )


def nav_drawer() -> rx.Component:
    """Below 768 px the sidebar is hidden: a "Menu" button opens the same office switcher and links
    in a panel from the left (a dialog: focus stays in it, Escape closes it, focus returns to the button)."""
    return rx.dialog.root(
        rx.dialog.trigger(
            rx.icon_button(rx.icon("menu", size=20), variant="ghost", color_scheme="gray", size="2", aria_label="Menu")
        ),
        rx.dialog.content(
            rx.dialog.title("Menu", class_name="visually-hidden"),
            rx.dialog.description("The office switcher and the clinic's pages", class_name="visually-hidden"),
            rx.flex(
                rx.hstack(
                    brand(),
                    rx.spacer(),
                    rx.dialog.close(
                        rx.icon_button(
                            rx.icon("x", size=18), variant="ghost", color_scheme="gray", aria_label="Close menu"
                        )
                    ),
                    align="center",
                    width="100%",
                ),
                office_switcher(),
                clinic_nav(),
                direction="column",
                spacing="5",
            ),
            class_name="nav-drawer",
        ),
    )


def sidebar() -> rx.Component:
    return rx.flex(
        brand(),
        office_switcher(),
        clinic_nav(),
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


def portal_nav() -> rx.Component:
    return rx.el.nav(
        # On a phone the links wrap onto a second row rather than run off the screen.
        rx.hstack(*[nav_link(*item, full_width=False) for item in PORTAL_NAV], spacing="1", wrap="wrap"),
        aria_label="Portal",
    )
