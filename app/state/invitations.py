"""Invitations addressed to the signed-in account, and the tab's live re-check (`heartbeat`).

No page polls: the server sends a signed-in tab its `heartbeat` event when something it
follows changes (app/live/, services/live_versions.py): an invitation to the account's
address, the account's sessions ended, a family record's access revoked, the team of one of
its offices changed (a member removed, two-factor sign-in required). Also about a second after
the tab (re)connects (state/tab_guard.py), and when the session's idle timeout comes. The
heartbeat picks up a new invitation without a reload, notices when the session has ended, takes
a removed member off the office's pages at once, and follows the topics again. It does not
count as activity, so the idle timeout still applies.
"""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx
from sqlmodel import Session

from app.services import formatting, live_versions, sessions
from app.services.actor import Actor
from app.services.errors import DomainError, NotSignedIn
from app.services.ids import parse_id
from app.services.permissions import OfficeAction, can
from app.services.team import invitations as team_invitations
from app.services.two_factor import requirement
from app.state.clinic import ClinicState
from app.state.errors import answer, to_two_factor_setup
from app.state.notices import notify
from app.state.session import SessionState


@dataclass(frozen=True)
class Checked:
    invitations: list[team_invitations.IncomingInvitation]
    still_member: bool
    needs_two_factor: bool
    topics: dict[str, int]  # what the tab follows from now on, with the versions just read
    idle_seconds: float


class InvitationState(SessionState):
    incoming: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    dismissed: rx.Field[list[str]] = rx.field(default_factory=list)
    answer_error: rx.Field[str] = rx.field("")
    answering: rx.Field[bool] = rx.field(False)

    @rx.var
    def current(self) -> dict[str, str]:
        """The first invitation not put off until later, or an empty dict."""
        waiting = [i for i in self.incoming if i["id"] not in self.dismissed]
        return waiting[0] if waiting else {}

    @rx.var
    def dialog_open(self) -> bool:
        return bool(self.current)

    def _show(self, invitations: list[team_invitations.IncomingInvitation]) -> None:
        rows = [
            {
                "id": str(i.id),
                "office_name": i.office_name,
                "inviter_name": i.inviter_name,
                "role": i.role.value,
                "role_words": formatting.joining_as(i.role.value),
            }
            for i in invitations
        ]
        if rows != self.incoming:
            self.incoming = rows

    @rx.event
    async def heartbeat(self):
        clinic = await self.get_state(ClinicState)
        office_id = clinic.office_id if self.router.url.path.startswith("/clinic") else 0

        def work(db: Session, actor: Actor) -> Checked:
            still_member = not office_id or can(db, actor, office_id, OfficeAction.view_office)
            needs_two_factor = not still_member and requirement.missing_for_office(db, actor, office_id)
            return Checked(
                team_invitations.incoming_invitations(db, actor),
                still_member,
                needs_two_factor,
                live_versions.page_topics(db, actor),
                sessions.seconds_until_idle(db, actor),
            )

        try:
            checked = await self._as_actor(work, poll=True)
        except NotSignedIn as error:
            await self._unfollow(HEARTBEAT)
            if self.user_kind:
                return self._to_sign_in(error.message)
            return None
        except DomainError:
            return None
        # Heard again when a followed topic moves, or once the session would have idled out.
        await self._follow(HEARTBEAT, checked.topics, recheck_in=checked.idle_seconds + 1)
        self._show(checked.invitations)
        if checked.needs_two_factor:  # the owner has just required it for the team
            clinic.office_id = 0
            return to_two_factor_setup(f"{clinic.office_name} now requires two-factor sign-in. Set it up to continue.")
        if not checked.still_member:
            name = clinic.office_name
            clinic.office_id = 0
            return [rx.redirect("/clinic"), notify.warning(f"You no longer have access to {name}.")]
        return None

    @rx.event
    def put_off(self, open_: bool) -> None:
        """Closing the dialog puts the invitation off until the next page load."""
        if not open_ and self.current:
            self.dismissed = [*self.dismissed, self.current["id"]]
            self.answer_error = ""

    @rx.event
    def reset_dismissed(self) -> None:
        self.dismissed = []
        self.answer_error = ""

    @rx.event
    async def approve(self, invitation_id: str):
        self.answering, self.answer_error = True, ""
        yield

        def work(db: Session, actor: Actor) -> int:
            return team_invitations.accept_invitation(db, actor, parse_id(invitation_id, team_invitations.GONE))

        try:
            await self._as_actor(work)
        except Exception as error:
            self.answering = False
            if isinstance(error, DomainError) and not isinstance(error, NotSignedIn):
                self.answer_error = error.message  # shown in the dialog
                return
            yield answer(self, error)
            return
        office = self.current.get("office_name", "the office")
        self.answering = False
        self.incoming = [i for i in self.incoming if i["id"] != invitation_id]
        yield rx.redirect("/clinic")
        yield notify.success(f"Welcome to {office}!")

    @rx.event
    async def decline(self, invitation_id: str):
        self.answering, self.answer_error = True, ""
        yield

        def work(db: Session, actor: Actor) -> None:
            team_invitations.decline_invitation(db, actor, parse_id(invitation_id, team_invitations.GONE))

        try:
            await self._as_actor(work)
        except Exception as error:
            if not isinstance(error, DomainError) or isinstance(error, NotSignedIn):
                self.answering = False
                yield answer(self, error)
                return
            # any other refusal: already gone, nothing left to decline
        self.answering = False
        self.incoming = [i for i in self.incoming if i["id"] != invitation_id]
        yield notify.info("Invitation declined.")


# The event name the server sends a tab to have it re-check (app/live/).
HEARTBEAT = f"{InvitationState.get_full_name()}.heartbeat"
