"""Office Details → Practitioners and Staff: two columns, members and invitations."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventCallback
from reflex.vars import ArrayVar, ObjectVar

from app.components.forms import field_error
from app.state.team import OfficeTeamState


def _member_row(member: ObjectVar[dict[str, str]], can_remove: bool) -> rx.Component:
    is_owner = member["is_owner"] == "true"
    actions = rx.cond(
        OfficeTeamState.can.manage_team & ~is_owner,
        rx.hstack(
            rx.cond(
                member["may_become_owner"] == "true",
                rx.button(
                    "Make owner",
                    size="1",
                    variant="ghost",
                    on_click=OfficeTeamState.ask("make_owner", member["user_id"], member["name"]),
                    aria_label="Make owner: " + member["name"].to(str),
                ),
            ),
            rx.button(
                "Remove",
                size="1",
                variant="soft",
                color_scheme="red",
                on_click=OfficeTeamState.ask("remove", member["user_id"], member["name"]),
                aria_label="Remove " + member["name"].to(str),
            ),
            spacing="2",
        ),
    )
    return rx.flex(
        rx.avatar(fallback=member["initial"], size="2", radius="full"),
        rx.vstack(
            rx.hstack(
                rx.text(member["name"], weight="medium", size="2"),
                rx.cond(is_owner, rx.badge("Owner", variant="soft", size="1")),
                rx.cond(member["is_me"] == "true", rx.badge("You", color_scheme="gray", size="1")),
                spacing="2",
                align="center",
            ),
            rx.text(member["email"], size="1", color_scheme="gray"),
            spacing="0",
            min_width="0",
        ),
        rx.spacer(),
        actions if can_remove else rx.fragment(),
        align="center",
        spacing="3",
        padding_y="var(--space-2)",
        role="listitem",
        width="100%",
    )


def _invitation_row(invitation: ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.flex(
        rx.icon("mail", size=18, color=rx.color("gray", 9)),
        rx.vstack(
            rx.text(invitation["email"], size="2"),
            rx.text("Invited · expires " + invitation["expires"].to(str), size="1", color_scheme="gray"),
            spacing="0",
        ),
        rx.spacer(),
        rx.cond(
            OfficeTeamState.can.manage_team,
            rx.button(
                "Revoke",
                size="1",
                variant="soft",
                color_scheme="gray",
                on_click=OfficeTeamState.revoke(invitation["id"]),
                aria_label="Revoke invitation for " + invitation["email"].to(str),
            ),
        ),
        align="center",
        spacing="3",
        padding_y="var(--space-2)",
        role="listitem",
        width="100%",
    )


def _invite_form(role: str, label: str, handler: EventCallback[dict]) -> rx.Component:
    field_id = f"invite-{role}-email"
    error = OfficeTeamState.invite_errors.get(role, "")
    return rx.form(
        rx.vstack(
            rx.el.label(rx.text(label, size="2", weight="medium"), html_for=field_id),
            rx.hstack(
                rx.input(
                    id=field_id,
                    name="email",
                    type="email",
                    placeholder="name@example.com",
                    auto_complete="off",
                    aria_invalid=rx.cond(error != "", "true", "false"),
                    aria_describedby=f"{field_id}-error",
                    flex="1",
                ),
                rx.button("Invite", type="submit", loading=OfficeTeamState.inviting == role),
                width="100%",
                spacing="2",
            ),
            field_error(error, field_id),
            spacing="1",
            width="100%",
        ),
        on_submit=handler,
        reset_on_submit=False,
    )


def _column(
    title: str,
    description: str,
    members: ArrayVar,
    invitations: ArrayVar,
    role: str,
    invite_label: str,
    handler: EventCallback[dict],
) -> rx.Component:
    return rx.card(
        rx.el.section(
            rx.vstack(
                rx.heading(title, size="4", as_="h2"),
                rx.text(description, size="2", color_scheme="gray"),
                rx.cond(
                    members.length() > 0,
                    rx.box(rx.foreach(members, lambda m: _member_row(m, True)), role="list", width="100%"),
                    rx.text(f"No {title.lower()} yet.", size="2", color_scheme="gray"),
                ),
                rx.cond(
                    invitations.length() > 0,
                    rx.vstack(
                        rx.text("Pending invitations", size="1", weight="medium", color_scheme="gray"),
                        rx.box(rx.foreach(invitations, _invitation_row), role="list", width="100%"),
                        spacing="1",
                        width="100%",
                    ),
                ),
                rx.cond(OfficeTeamState.can.manage_team, _invite_form(role, invite_label, handler)),
                spacing="3",
                width="100%",
            ),
            aria_label=title,
        ),
        size="3",
        width="100%",
    )


def _confirm_dialog() -> rx.Component:
    confirming = OfficeTeamState.confirming
    removing = confirming["action"] == "remove"
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(
                rx.cond(removing, "Remove " + confirming["name"].to(str) + "?", "Hand over ownership?")
            ),
            rx.alert_dialog.description(
                rx.cond(
                    removing,
                    "They lose access to this office's schedule, patients and documents at once.",
                    confirming["name"].to(str)
                    + " becomes the owner of this office. You stay on the team as a practitioner.",
                ),
            ),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button(
                        rx.cond(removing, "Remove", "Make owner"),
                        color_scheme=rx.cond(removing, "red", "teal"),
                        on_click=OfficeTeamState.confirm,
                    )
                ),
                justify="end",
                spacing="3",
                margin_top="var(--space-4)",
            ),
            max_width="440px",
        ),
        open=confirming.length() > 0,
        on_open_change=OfficeTeamState.set_confirm_open,
    )


def team_panel() -> rx.Component:
    return rx.fragment(
        rx.grid(
            _column(
                "Practitioners",
                "Clinicians who see patients: own schedule, charts, forms and documents.",
                OfficeTeamState.practitioners,
                OfficeTeamState.invited_practitioners,
                "practitioner",
                "Invite a practitioner by e-mail",
                OfficeTeamState.invite_practitioner,
            ),
            _column(
                "Staff",
                "Front desk and administration: schedule, patient list, access codes, documents.",
                OfficeTeamState.staff,
                OfficeTeamState.invited_staff,
                "staff",
                "Invite a staff member by e-mail",
                OfficeTeamState.invite_staff,
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        _confirm_dialog(),
    )
