"""Office Details → Practitioners and Staff: members, invitations, removal, ownership."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from app.services import formatting, offices
from app.services.actor import Actor
from app.services.errors import DomainError, OfficeGone
from app.services.ids import parse_id
from app.services.team import invitations, members
from app.settings import get_settings
from app.state.clinic import ClinicState, Loaded
from app.state.errors import answer, leaves_the_page
from app.state.forms import text
from app.state.notices import notify


def _team_of(db: Session, actor: Actor, shell: offices.ClinicShell) -> members.TeamView:
    if not shell.office_id:
        raise OfficeGone()
    return members.team(db, actor, shell.office_id)


class OfficeTeamState(ClinicState):
    practitioners: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    staff: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    invited_practitioners: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    invited_staff: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    invite_errors: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    inviting: rx.Field[str] = rx.field("")  # the role whose invite form is busy
    # The member a confirmation dialog asks about: {"user_id", "name", "action"}.
    confirming: rx.Field[dict[str, str]] = rx.field(default_factory=dict)

    def _fill(self, view: members.TeamView, zone: str) -> None:
        me = self.user_email

        def member(m: members.MemberView) -> dict[str, str]:
            return {
                "user_id": str(m.user_id),
                "name": m.name,
                "initial": formatting.initials(m.name)[0],
                "email": m.email,
                "role": m.role.value,
                "is_owner": str(m.is_owner).lower(),
                "may_become_owner": str(m.may_become_owner).lower(),
                "is_me": str(m.email == me).lower(),
            }

        def invited(i: invitations.InvitationView) -> dict[str, str]:
            return {"id": str(i.id), "email": i.email, "expires": formatting.day_of(i.expires_at, zone)}

        self.practitioners = [member(m) for m in view.practitioners]
        self.staff = [member(m) for m in view.staff]
        self.invited_practitioners = [invited(i) for i in view.invited_practitioners]
        self.invited_staff = [invited(i) for i in view.invited_staff]

    def _show(self, loaded: Loaded[members.TeamView]) -> None:
        self._show_shell(loaded)
        self._fill(loaded.data, loaded.shell.current.time_zone if loaded.shell.current else "UTC")

    async def _reload(self, change=None) -> Loaded[members.TeamView]:
        """Apply a change (if any) to the office the page shows, and reload the shell and the team in
        the same transaction. OfficeGone when the actor is in no office any more."""
        office_id = self.office_id

        def work(db: Session, actor: Actor) -> Loaded[members.TeamView]:
            shell = offices.clinic_shell(db, actor)
            if change is not None:
                if not any(o.id == office_id for o in shell.offices):
                    raise OfficeGone()
                change(db, actor, office_id)
                shell = offices.clinic_shell(db, actor)  # a handed-over office changes what the actor may do
            return Loaded(actor, shell, _team_of(db, actor, shell))

        return await self._as_actor(work)

    @rx.event
    async def load(self):
        self.invite_errors, self.inviting, self.confirming = {}, "", {}
        try:
            self._show(await self._reload())
        except OfficeGone:
            return None  # no office: the details loader already sends the person on
        except Exception as error:
            return answer(self, error, loading=True)
        return None

    async def _invite(self, role: str, form: dict):
        self.invite_errors, self.inviting = {}, role
        yield
        email = text(form, "email")

        def change(db: Session, actor: Actor, office_id: int) -> None:
            invitations.invite(db, get_settings(), actor, office_id, email, role)

        try:
            loaded = await self._reload(change)
        except Exception as error:
            self.inviting = ""
            if isinstance(error, DomainError) and not leaves_the_page(error):
                self.invite_errors = {role: error.message}
                return
            yield answer(self, error)
            return
        self._show(loaded)
        self.inviting = ""
        yield rx.set_value(f"invite-{role}-email", "")
        yield notify.success(f"Invitation sent to {email.strip()}.")

    @rx.event
    async def invite_practitioner(self, form: dict):
        async for update in self._invite("practitioner", form):
            yield update

    @rx.event
    async def invite_staff(self, form: dict):
        async for update in self._invite("staff", form):
            yield update

    async def _apply(self, change, success: str):
        try:
            loaded = await self._reload(change)
        except Exception as error:
            return answer(self, error)
        self._show(loaded)
        return notify.success(success)

    @rx.event
    async def revoke(self, invitation_id: str):
        def change(db: Session, actor: Actor, office_id: int) -> None:
            invitations.revoke_invitation(db, actor, parse_id(invitation_id, invitations.INVITATION_NOT_FOUND))

        return await self._apply(change, "Invitation revoked.")

    @rx.event
    def ask(self, action: str, user_id: str, name: str) -> None:
        """Open the confirmation dialog for removing a member or handing over ownership."""
        if action in ("remove", "make_owner"):
            self.confirming = {"action": action, "user_id": str(user_id), "name": str(name)}

    @rx.event
    def set_confirm_open(self, open_: bool) -> None:
        if not open_:
            self.confirming = {}

    @rx.event
    async def confirm(self):
        action, user_id, name = (self.confirming.get(k, "") for k in ("action", "user_id", "name"))
        self.confirming = {}
        if action == "remove":

            def change(db: Session, actor: Actor, office_id: int) -> None:
                members.remove_member(db, actor, office_id, parse_id(user_id, members.NOT_A_MEMBER))

            return await self._apply(change, f"{name} was removed from the office.")
        if action == "make_owner":

            def hand_over(db: Session, actor: Actor, office_id: int) -> None:
                members.transfer_ownership(db, actor, office_id, parse_id(user_id, members.NOT_A_MEMBER))

            return await self._apply(hand_over, f"{name} now owns the office.")
        return None
