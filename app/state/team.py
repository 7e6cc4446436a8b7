"""Office Details → Practitioners and Staff: members, invitations, removal, ownership."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import reflex as rx
from sqlmodel import Session

from app.mail_worker import wake_mail_worker
from app.models import OfficeRole
from app.services import team
from app.services.actor import Actor
from app.services.errors import DomainError, NotSignedIn
from app.services.ids import parse_id
from app.services.offices import office_details
from app.services.permissions import OfficeAction, allows
from app.settings import get_settings
from app.state.clinic import ClinicState
from app.state.failures import unexpected
from app.state.forms import text
from app.state.notices import notify


def _when(moment: datetime, zone: str) -> str:
    local = moment.astimezone(ZoneInfo(zone or "UTC"))
    return f"{local:%a} {local.day} {local:%b}"


class OfficeGone(DomainError):
    """The actor is no longer in the office the page was about (not a session problem)."""


class OfficeTeamState(ClinicState):
    practitioners: list[dict[str, str]] = []
    staff: list[dict[str, str]] = []
    invited_practitioners: list[dict[str, str]] = []
    invited_staff: list[dict[str, str]] = []
    can_manage: bool = False
    invite_errors: dict[str, str] = {}
    inviting: str = ""  # the role whose invite form is busy
    # The member a confirmation dialog asks about: {"user_id", "name", "action"}.
    confirming: dict[str, str] = {}

    def _fill(self, view: team.TeamView, role: OfficeRole, zone: str) -> None:
        me = self.user_email

        def member(m: team.MemberView) -> dict[str, str]:
            return {
                "user_id": str(m.user_id),
                "name": m.name,
                "email": m.email,
                "role": m.role.value,
                "is_owner": str(m.role == OfficeRole.owner).lower(),
                "is_me": str(m.email == me).lower(),
            }

        def invited(i: team.InvitationView) -> dict[str, str]:
            return {"id": str(i.id), "email": i.email, "expires": _when(i.expires_at, zone)}

        self.practitioners = [member(m) for m in view.practitioners]
        self.staff = [member(m) for m in view.staff]
        self.invited_practitioners = [invited(i) for i in view.invited_practitioners]
        self.invited_staff = [invited(i) for i in view.invited_staff]
        self.can_manage = allows(role, OfficeAction.manage_team)

    async def _reload(self, change=None):  # type: ignore[no-untyped-def]
        """Apply a change (if any) and reload the team in the same transaction."""

        def work(db: Session, actor: Actor) -> None:
            self._load_shell(db, actor)
            if not self.office_id:
                raise OfficeGone("You no longer have access to this office.")
            if change is not None:
                change(db, actor, self.office_id)
            details = office_details(db, actor, self.office_id)
            self._fill(team.team(db, actor, self.office_id), details.role, details.time_zone)

        await self._as_actor(work)

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        self.invite_errors, self.inviting, self.confirming = {}, "", {}
        try:
            await self._reload()
        except OfficeGone:
            return None  # no office: the details loader already sends the person on
        except DomainError as error:
            return self._refuse(error)

    async def _invite(self, role: str, form: dict):  # type: ignore[no-untyped-def]
        self.invite_errors, self.inviting = {}, role
        yield
        email = text(form, "email")

        def change(db: Session, actor: Actor, office_id: int) -> None:
            team.invite(db, get_settings(), actor, office_id, email, role)

        try:
            await self._reload(change)
        except NotSignedIn as error:
            self.inviting = ""
            yield self._to_sign_in(error.message)
            return
        except OfficeGone as error:
            self.inviting = ""
            yield [rx.redirect("/clinic"), notify.warning(error.message)]
            return
        except DomainError as error:
            self.inviting = ""
            self.invite_errors = {role: error.message}
            return
        except Exception as error:  # a bug: logged in full, and the form is usable again
            self.inviting = ""
            yield unexpected(error)
            return
        wake_mail_worker()
        self.inviting = ""
        yield rx.set_value(f"invite-{role}-email", "")
        yield notify.success(f"Invitation sent to {email.strip()}.")

    @rx.event
    async def invite_practitioner(self, form: dict):  # type: ignore[no-untyped-def]
        async for update in self._invite("practitioner", form):
            yield update

    @rx.event
    async def invite_staff(self, form: dict):  # type: ignore[no-untyped-def]
        async for update in self._invite("staff", form):
            yield update

    async def _apply(self, change, success: str):  # type: ignore[no-untyped-def]
        try:
            await self._reload(change)
        except NotSignedIn as error:
            return self._to_sign_in(error.message)
        except OfficeGone as error:
            return [rx.redirect("/clinic"), notify.warning(error.message)]
        except DomainError as error:
            return notify.error(error.message)
        return notify.success(success)

    @rx.event
    async def revoke(self, invitation_id: str):  # type: ignore[no-untyped-def]
        def change(db: Session, actor: Actor, office_id: int) -> None:
            team.revoke_invitation(db, actor, parse_id(invitation_id, team.INVITATION_NOT_FOUND))

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
    async def confirm(self):  # type: ignore[no-untyped-def]
        action, user_id, name = (self.confirming.get(k, "") for k in ("action", "user_id", "name"))
        self.confirming = {}
        if action == "remove":

            def change(db: Session, actor: Actor, office_id: int) -> None:
                team.remove_member(db, actor, office_id, parse_id(user_id, team.NOT_A_MEMBER))

            return await self._apply(change, f"{name} was removed from the office.")
        if action == "make_owner":

            def hand_over(db: Session, actor: Actor, office_id: int) -> None:
                team.transfer_ownership(db, actor, office_id, parse_id(user_id, team.NOT_A_MEMBER))

            return await self._apply(hand_over, f"{name} now owns the office.")
        return None
