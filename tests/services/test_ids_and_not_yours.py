"""Issue 9: one answer for "not yours" and "does not exist"; one id parser for whatever the browser sends.

Staff of one office must not learn which ids exist in another: every service that takes an id
answers another office's id exactly as it answers a missing one (the same exception, the same
words) and writes nothing either way. And an id that is not a plain decimal in range ("²", "٣",
"1e3", True, a list, 10**30...) is NotFound, never another exception.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, SQLModel, select

from app.db import fail
from app.models import AccountKind, AppointmentStatus, Invitation, Office, Patient, ProfileProposal
from app.services import access_codes, offices, patient_merge, portal
from app.services.actor import Actor
from app.services.errors import DomainError, NotFound
from app.services.ids import MAX_ID
from app.services.patients import proposals, records
from app.services.scheduling import (
    appointment_lists,
    appointments,
    availability,
    booking_page,
    online_booking,
    portal_appointments,
    service_catalog,
    working_hours,
)
from app.services.scheduling import time_off as time_off_module
from app.services.scheduling.slots import WeeklyInterval
from app.services.team import invitations, members
from app.settings import Settings
from tests.factories import make_office, make_user, sign_in_as

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TEN = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # a Monday, 10:00 in Toronto
MISSING = 987_654
ODD_IDS = [
    "²",
    "٣",
    "1e3",
    " 1",
    "1 ",
    "1\n",
    "+1",
    "-1",
    "0",
    "007",
    "",
    "1.0",
    "9" * 30,
    True,
    False,
    None,
    [],
    ["1"],
    {},
    {"id": 1},
    1.0,
    0,
    -5,
    MAX_ID + 1,
    10**30,
]


@dataclass
class World:
    maple: Office
    birch: Office
    owner: Actor  # owns Maple
    stranger: Actor  # owns Birch: has every right there, none in Maple
    parent: Actor  # a portal account holding Ana's record
    invitee: Actor  # invited to Maple as staff
    ana: Patient
    zed: Patient  # Birch's patient
    service_id: int
    appointment_id: int
    time_off_id: int
    code_id: int  # an unused access code for Ana
    access_id: int  # the parent's access to Ana
    proposal_id: int  # the parent's pending change to Ana's phone
    invitation_id: int


@pytest.fixture
def world(db: Session, settings: Settings) -> World:
    owner, _ = sign_in_as(db, make_user(db, "owner@maple.test", full_name="Olivia Owner"))
    maple = make_office(db, owner, "Maple Street Clinic")
    stranger, _ = sign_in_as(db, make_user(db, "owner@birch.test", full_name="Bruno Birch"))
    birch = make_office(db, stranger, "Birch Road Clinic")
    service = service_catalog.save_service(
        db, owner, maple.id, service_catalog.ServiceInput("Consultation", 30, "teal", True, (owner.user_id,))
    )
    working_hours.set_weekly_hours(
        db, owner, maple.id, owner.user_id, [WeeklyInterval(d, 9 * 60, 17 * 60) for d in range(5)]
    )
    ana = records.create_patient(db, owner, maple.id, records.PatientInput("Ana", "Silva"), now=NOW)  # type: ignore[arg-type]
    zed = records.create_patient(db, stranger, birch.id, records.PatientInput("Zed", "Other"), now=NOW)  # type: ignore[arg-type]
    appointment = appointments.book(
        db, owner, maple.id, practitioner_id=owner.user_id, patient_id=ana.id, service_id=service.id, starts_at=TEN
    )  # type: ignore[arg-type]
    time_off = time_off_module.add_time_off(
        db, owner, maple.id, owner.user_id, TEN + timedelta(days=1), TEN + timedelta(days=1, hours=2)
    )  # type: ignore[arg-type]
    db.commit()
    parent, _ = sign_in_as(db, make_user(db, "parent@example.com", AccountKind.patient, full_name="Pat Parent"))
    used = access_codes.generate(db, settings, owner, ana.id, now=NOW)  # type: ignore[arg-type]
    unused = access_codes.generate(db, settings, owner, ana.id, now=NOW)  # type: ignore[arg-type]
    db.commit()
    access_codes.redeem(db, settings, parent, used.code, now=NOW)
    db.commit()
    [holder] = access_codes.holders(db, owner, ana.id)  # type: ignore[arg-type]
    portal.propose_changes(db, parent, ana.id, {"phone": "+1 416 555 0199"}, now=NOW)
    invitation = invitations.invite(db, settings, owner, maple.id, "desk@example.com", "staff", now=NOW)  # type: ignore[arg-type]
    db.commit()
    invitee, _ = sign_in_as(db, make_user(db, "desk@example.com", full_name="Dana Desk"))
    proposal_id = db.exec(select(ProfileProposal.id)).one()
    return World(
        maple=maple,
        birch=birch,
        owner=owner,
        stranger=stranger,
        parent=parent,
        invitee=invitee,
        ana=ana,
        zed=zed,
        service_id=service.id,  # type: ignore[arg-type]
        appointment_id=appointment.id,  # type: ignore[arg-type]
        time_off_id=time_off.id,  # type: ignore[arg-type]
        code_id=unused.access_code_id,
        access_id=holder.access_id,
        proposal_id=proposal_id,
        invitation_id=invitation.id,  # type: ignore[arg-type]
    )


def snapshot(db: Session) -> dict[str, list[str]]:
    """Every row of every table, as this transaction sees it (flushed writes included)."""
    db.flush()
    return {
        table.name: sorted(repr(tuple(row)) for row in db.execute(table.select()).all())
        for table in SQLModel.metadata.sorted_tables
    }


def refusal(db: Session, call: Callable[[], Any], strict: bool = True) -> DomainError:
    """The error a call ends with. It writes nothing: `strict`, not even before the rollback;
    otherwise nothing that outlives the transaction (app.db.unit_of_work rolls back a refusal)."""
    before = snapshot(db)
    with pytest.raises(DomainError) as caught:
        call()
    if strict:
        after = snapshot(db)
        db.rollback()
    else:
        fail(db)
        after = snapshot(db)
    assert after == before, f"{caught.value!r} left writes behind"
    return caught.value


def same_answer(
    db: Session, foreign: Callable[[], Any], missing: Callable[[], Any], strict: bool = True
) -> DomainError:
    answer, expected = refusal(db, foreign, strict), refusal(db, missing, strict)
    assert (type(answer), answer.message, answer.field) == (type(expected), expected.message, expected.field)
    return answer


# --- the four handlers named in the issue -------------------------------------


def test_revoke_code_of_another_office_answers_like_a_missing_code(db: Session, world: World) -> None:
    answer = same_answer(
        db,
        lambda: access_codes.revoke_code(db, world.stranger, world.code_id, now=NOW),
        lambda: access_codes.revoke_code(db, world.stranger, MISSING, now=NOW),
    )
    assert isinstance(answer, NotFound) and answer.message == access_codes.CODE_NOT_FOUND
    # And for the owner a missing code is the same answer again.
    assert refusal(db, lambda: access_codes.revoke_code(db, world.owner, MISSING, now=NOW)).message == answer.message


def test_revoke_access_of_another_office_answers_like_a_missing_one(db: Session, world: World) -> None:
    answer = same_answer(
        db,
        lambda: access_codes.revoke_access(db, world.stranger, world.access_id, now=NOW),
        lambda: access_codes.revoke_access(db, world.stranger, MISSING, now=NOW),
    )
    assert isinstance(answer, NotFound)
    # Once revoked, another office still sees exactly "missing", not "already revoked".
    access_codes.revoke_access(db, world.owner, world.access_id, now=NOW)
    db.commit()
    same_answer(
        db,
        lambda: access_codes.revoke_access(db, world.stranger, world.access_id, now=NOW),
        lambda: access_codes.revoke_access(db, world.stranger, MISSING, now=NOW),
    )


@pytest.mark.parametrize("decide", [proposals.accept_proposal, proposals.dismiss_proposal])
def test_a_proposal_of_another_office_answers_like_a_missing_one(db: Session, world: World, decide) -> None:  # type: ignore[no-untyped-def]
    answer = same_answer(
        db,
        lambda: decide(db, world.stranger, world.proposal_id, now=NOW),
        lambda: decide(db, world.stranger, MISSING, now=NOW),
    )
    assert isinstance(answer, NotFound) and answer.message == proposals.PROPOSAL_GONE
    # Handled by Maple: Birch still cannot tell it from a missing one.
    proposals.dismiss_proposal(db, world.owner, world.proposal_id, now=NOW)
    db.commit()
    same_answer(
        db,
        lambda: decide(db, world.stranger, world.proposal_id, now=NOW),
        lambda: decide(db, world.stranger, MISSING, now=NOW),
    )
    assert db.get(ProfileProposal, world.proposal_id).status == "dismissed"  # type: ignore[union-attr]


def test_revoking_another_offices_invitation_answers_like_a_missing_one(db: Session, world: World) -> None:
    answer = same_answer(
        db,
        lambda: invitations.revoke_invitation(db, world.stranger, world.invitation_id, now=NOW),
        lambda: invitations.revoke_invitation(db, world.stranger, MISSING, now=NOW),
    )
    assert isinstance(answer, NotFound) and answer.message == invitations.INVITATION_NOT_FOUND
    # Nor can the person invited, or a portal account, tell the two apart.
    for actor in (world.invitee, world.parent):
        same_answer(
            db,
            lambda actor=actor: invitations.revoke_invitation(db, actor, world.invitation_id, now=NOW),
            lambda actor=actor: invitations.revoke_invitation(db, actor, MISSING, now=NOW),
        )
    assert db.get(Invitation, world.invitation_id).status == "pending"  # type: ignore[union-attr]


# --- the other id-taking services ---------------------------------------------


def _foreign_and_missing(world: World, settings: Settings) -> list[tuple[str, Callable[[Session, Any], Any], Any]]:
    """(name, call(db, id), another office's id) for every service that loads a row by id."""
    s = world.stranger
    return [
        ("get_patient", lambda db, i: records.get_patient(db, s, i), world.ana.id),
        (
            "update_patient",
            lambda db, i: records.update_patient(db, s, i, records.PatientInput("X", "Y")),
            world.ana.id,
        ),
        ("pending_proposals", lambda db, i: proposals.pending_proposals(db, s, i), world.ana.id),
        ("merge source", lambda db, i: patient_merge.merge_into(db, s, i, world.zed.id), world.ana.id),
        ("merge target", lambda db, i: patient_merge.merge_into(db, s, world.zed.id, i), world.ana.id),
        ("generate code", lambda db, i: access_codes.generate(db, settings, s, i), world.ana.id),
        ("unused_codes", lambda db, i: access_codes.unused_codes(db, s, i), world.ana.id),
        ("holders", lambda db, i: access_codes.holders(db, s, i), world.ana.id),
        ("for_staff", lambda db, i: appointments.for_staff(db, s, i), world.appointment_id),
        (
            "set_status",
            lambda db, i: appointments.set_status(db, s, i, AppointmentStatus.cancelled),
            world.appointment_id,
        ),
        ("reschedule", lambda db, i: appointments.reschedule(db, s, i, starts_at=TEN), world.appointment_id),
        ("for_patient", lambda db, i: appointment_lists.for_patient(db, s, i), world.ana.id),
        ("switch_office", lambda db, i: offices.switch_office(db, s, i), world.maple.id),
        ("retire_service", lambda db, i: service_catalog.retire_service(db, s, world.birch.id, i), world.service_id),
        (
            "save_service",
            lambda db, i: service_catalog.save_service(
                db, s, world.birch.id, service_catalog.ServiceInput("X", 30, "teal", True, ()), i
            ),
            world.service_id,
        ),
        ("remove_time_off", lambda db, i: time_off_module.remove_time_off(db, s, world.birch.id, i), world.time_off_id),
        ("remove_member", lambda db, i: members.remove_member(db, s, world.birch.id, i), world.owner.user_id),
        ("transfer_ownership", lambda db, i: members.transfer_ownership(db, s, world.birch.id, i), world.owner.user_id),
        (
            "book a Maple patient in Birch",
            lambda db, i: appointments.book(
                db,
                s,
                world.birch.id,
                practitioner_id=s.user_id,
                patient_id=i,
                service_id=world.service_id,
                starts_at=TEN,
            ),
            world.ana.id,
        ),
    ]


def test_every_id_taking_service_answers_another_offices_id_like_a_missing_one(
    db: Session, settings: Settings, world: World
) -> None:
    for name, call, foreign_id in _foreign_and_missing(world, settings):
        try:
            # Merging reads (and audits) its first record before it looks at the second: the
            # refusal rolls that back, like every refusal.
            strict = not name.startswith("merge")
            same_answer(db, lambda call=call, i=foreign_id: call(db, i), lambda call=call: call(db, MISSING), strict)
        except AssertionError as error:
            raise AssertionError(f"{name}: {error}") from error


def test_portal_services_answer_another_familys_record_like_a_missing_one(db: Session, world: World) -> None:
    stranger_parent, _ = sign_in_as(db, make_user(db, "other@example.com", AccountKind.patient))
    for call in (
        lambda i: portal.choose_record(db, stranger_parent, i),
        lambda i: portal.profile(db, stranger_parent, i),
        lambda i: portal.propose_changes(db, stranger_parent, i, {"phone": "+1 416 555 0100"}),
    ):
        same_answer(db, lambda call=call: call(world.ana.id), lambda call=call: call(MISSING))
    same_answer(
        db,
        lambda: portal_appointments.cancel_online(db, stranger_parent, world.appointment_id),
        lambda: portal_appointments.cancel_online(db, stranger_parent, MISSING),
    )


# --- odd ids -------------------------------------------------------------------


def _odd_id_calls(world: World, settings: Settings) -> list[tuple[str, Callable[[Session, Any], Any]]]:
    """Every service entry that takes an id, called by someone who may use real ids there."""
    o, p, office = world.owner, world.parent, world.maple.id
    return [
        ("revoke_code", lambda db, i: access_codes.revoke_code(db, o, i)),
        ("revoke_access", lambda db, i: access_codes.revoke_access(db, o, i)),
        ("generate", lambda db, i: access_codes.generate(db, settings, o, i)),
        ("unused_codes", lambda db, i: access_codes.unused_codes(db, o, i)),
        ("holders", lambda db, i: access_codes.holders(db, o, i)),
        ("get_patient", lambda db, i: records.get_patient(db, o, i)),
        ("update_patient", lambda db, i: records.update_patient(db, o, i, records.PatientInput("A", "B"))),
        ("pending_proposals", lambda db, i: proposals.pending_proposals(db, o, i)),
        ("accept_proposal", lambda db, i: proposals.accept_proposal(db, o, i)),
        ("dismiss_proposal", lambda db, i: proposals.dismiss_proposal(db, o, i)),
        ("merge source", lambda db, i: patient_merge.merge_into(db, o, i, world.ana.id)),
        ("merge target", lambda db, i: patient_merge.merge_into(db, o, world.ana.id, i)),
        ("revoke_invitation", lambda db, i: invitations.revoke_invitation(db, o, i)),
        ("accept_invitation", lambda db, i: invitations.accept_invitation(db, world.invitee, i)),
        ("decline_invitation", lambda db, i: invitations.decline_invitation(db, world.invitee, i)),
        ("remove_member", lambda db, i: members.remove_member(db, o, office, i)),
        ("transfer_ownership", lambda db, i: members.transfer_ownership(db, o, office, i)),
        ("switch_office", lambda db, i: offices.switch_office(db, o, i)),
        ("for_staff", lambda db, i: appointments.for_staff(db, o, i)),
        ("set_status", lambda db, i: appointments.set_status(db, o, i, AppointmentStatus.arrived)),
        ("reschedule", lambda db, i: appointments.reschedule(db, o, i, starts_at=TEN)),
        (
            "reschedule to a practitioner",
            lambda db, i: appointments.reschedule(db, o, world.appointment_id, starts_at=TEN, practitioner_id=i),
        ),
        ("for_patient", lambda db, i: appointment_lists.for_patient(db, o, i)),
        (
            "book: practitioner",
            lambda db, i: appointments.book(
                db, o, office, practitioner_id=i, patient_id=world.ana.id, service_id=world.service_id, starts_at=TEN
            ),
        ),
        (
            "book: patient",
            lambda db, i: appointments.book(
                db, o, office, practitioner_id=o.user_id, patient_id=i, service_id=world.service_id, starts_at=TEN
            ),
        ),
        (
            "book: service",
            lambda db, i: appointments.book(
                db, o, office, practitioner_id=o.user_id, patient_id=world.ana.id, service_id=i, starts_at=TEN
            ),
        ),
        ("retire_service", lambda db, i: service_catalog.retire_service(db, o, office, i)),
        (
            "save_service",
            lambda db, i: service_catalog.save_service(
                db, o, office, service_catalog.ServiceInput("X", 30, "teal", True, ()), i
            ),
        ),
        ("remove_time_off", lambda db, i: time_off_module.remove_time_off(db, o, office, i)),
        ("set_weekly_hours", lambda db, i: working_hours.set_weekly_hours(db, o, office, i, [])),
        ("add_time_off", lambda db, i: time_off_module.add_time_off(db, o, office, i, TEN, TEN + timedelta(hours=1))),
        ("choose_record", lambda db, i: portal.choose_record(db, p, i)),
        ("profile", lambda db, i: portal.profile(db, p, i)),
        ("propose_changes", lambda db, i: portal.propose_changes(db, p, i, {"phone": "+1 416 555 0100"})),
        ("cancel_online", lambda db, i: portal_appointments.cancel_online(db, p, i)),
        ("booking_page", lambda db, i: booking_page.booking_page(db, i)),
        ("available_slots: office", lambda db, i: availability.available_slots(db, i, world.service_id, None, TEN)),
        ("available_slots: service", lambda db, i: availability.available_slots(db, office, i, None, TEN)),
        (
            "available_slots: practitioner",
            lambda db, i: availability.available_slots(db, office, world.service_id, i, TEN),
        ),
        (
            "book_online: service",
            lambda db, i: online_booking.book_online(
                db, settings, p, office, service_id=i, practitioner_id=None, starts_at=TEN
            ),
        ),
        (
            "book_online: practitioner",
            lambda db, i: online_booking.book_online(
                db, settings, p, office, service_id=world.service_id, practitioner_id=i, starts_at=TEN
            ),
        ),
    ]


# An optional id ("" or None) means "no choice" where the service allows none.
OPTIONAL = {"reschedule to a practitioner", "available_slots: practitioner", "book_online: practitioner"}


def test_odd_ids_are_not_found_everywhere(db: Session, settings: Settings, world: World) -> None:
    before = snapshot(db)
    db.rollback()
    for name, call in _odd_id_calls(world, settings):
        for odd in ODD_IDS:
            if name in OPTIONAL and odd in ("", None):
                continue
            if name == "save_service" and odd is None:
                continue  # None: a new service
            try:
                call(db, odd)
            except NotFound:
                pass
            except Exception as error:
                raise AssertionError(f"{name}({odd!r}) raised {error!r} instead of NotFound") from error
            else:
                raise AssertionError(f"{name}({odd!r}) did not refuse")
            assert snapshot(db) == before, f"{name}({odd!r}) wrote something"
            db.rollback()


# --- the same, through the states (what a hand-made websocket event reaches) ------------------

STATE_ODD_IDS = ["²", "٣", "1e3", " 1", "-1", "0", "", "9" * 30, True, None, [], {"id": 1}, 1.5, 10**30]


def _state_calls(world: World) -> list[tuple[str, str, Callable[[Any, Any], Any]]]:
    """(state class name, who acts, call(state, odd id)) for every handler that turns a value into an id."""

    async def confirm(state: Any, action: str, odd: Any) -> None:
        state.ask(action, odd, "Someone")
        await state.confirm()

    async def book(state: Any, odd: Any) -> Any:
        state.new_slot = {
            "day": "2026-11-30",
            "practitioner_id": str(world.owner.user_id),
            "label": "Mon",
            "time": "10:00",
        }
        state.choose_patient(odd, "Someone")
        return [u async for u in state.book({"service": str(world.service_id), "time": "10:00"})]

    async def opened(state: Any, odd: Any, handler: str, *args: Any) -> Any:
        state.opened = {"id": odd if isinstance(odd, str) else str(odd)}
        return await getattr(state, handler)(*args)

    async def save_hours(state: Any, odd: Any) -> Any:
        state.hours_for = odd if isinstance(odd, str) else str(odd)
        return await state.save_hours({"day-0": "09:00-17:00"})

    async def save_service(state: Any, odd: Any) -> Any:
        state.open_service({"id": odd})
        return await state.save_service({"name": "X", "duration_minutes": "30", "color": "teal"})

    async def to_practitioner(state: Any, odd: Any) -> Any:
        state.opened = {"id": str(world.appointment_id)}
        return await state.reschedule({"date": "2026-11-30", "time": "11:00", "practitioner": odd})

    owner, parent, invitee = "owner", "parent", "invitee"
    return [
        ("ClinicState", owner, lambda s, i: s.switch_office(i)),
        ("PatientWorkspaceState", owner, lambda s, i: s.accept_proposal(i)),
        ("PatientWorkspaceState", owner, lambda s, i: s.dismiss_proposal(i)),
        ("WorkspaceAccessState", owner, lambda s, i: s.revoke_code(i)),
        ("WorkspaceAccessState", owner, lambda s, i: s.revoke_access(i)),
        ("PatientWorkspaceState", owner, lambda s, i: s.merge_into(i)),
        ("PatientListState", owner, lambda s, i: s.go_to_page(i)),
        ("OfficeTeamState", owner, lambda s, i: s.revoke(i)),
        ("OfficeTeamState", owner, lambda s, i: confirm(s, "remove", i)),
        ("OfficeTeamState", owner, lambda s, i: confirm(s, "make_owner", i)),
        ("InvitationState", invitee, lambda s, i: _drain(s.approve(i))),
        ("InvitationState", invitee, lambda s, i: _drain(s.decline(i))),
        ("PortalState", parent, lambda s, i: s.choose_record(i)),
        ("PortalAppointmentsState", parent, lambda s, i: s.cancel(i)),
        ("ScheduleSetupState", owner, lambda s, i: s.retire_service(i)),
        ("ScheduleSetupState", owner, lambda s, i: s.remove_time_off(i)),
        ("ScheduleSetupState", owner, lambda s, i: s.show_hours_of(i)),
        ("ScheduleSetupState", owner, save_hours),
        ("ScheduleSetupState", owner, save_service),
        ("BookingCalendarState", owner, book),
        ("BookingCalendarState", owner, lambda s, i: opened(s, i, "set_status", "arrived")),
        (
            "BookingCalendarState",
            owner,
            lambda s, i: opened(s, i, "reschedule", {"date": "2026-11-30", "time": "11:00"}),
        ),
        ("BookingCalendarState", owner, to_practitioner),
        ("BookingCalendarState", owner, lambda s, i: s.move(i)),
        ("BookingCalendarState", owner, lambda s, i: s.open_appointment(i)),
        ("BookingCalendarState", owner, lambda s, i: s.open_slot("2026-11-30", i, "600")),
        ("PublicBookingState", parent, lambda s, i: s.choose_service(i)),
        ("PublicBookingState", parent, lambda s, i: s.choose_practitioner(i)),
        ("PublicBookingState", parent, lambda s, i: s.choose_day(i)),
        ("PublicBookingState", parent, lambda s, i: s.choose_slot(i)),
    ]


async def _drain(updates: Any) -> list[Any]:
    return [update async for update in updates]


def test_odd_ids_through_the_states_are_refused_kindly(
    db: Session, world: World, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    import asyncio
    import logging

    import reflex as rx

    import app.app  # noqa: F401
    from app.state import session as session_module
    from app.state.session import SessionState, app_state_classes

    actors = {"owner": world.owner, "parent": world.parent, "invitee": world.invitee}
    acting: list[Actor] = []

    async def run_here(self, work, *, read_only: bool = False):  # type: ignore[no-untyped-def]
        try:
            result = work(db)
        except DomainError:
            fail(db)
            raise
        except Exception:
            db.rollback()
            raise
        db.commit()
        return result

    monkeypatch.setattr(SessionState, "_run", run_here)
    monkeypatch.setattr(SessionState, "_session_hash", lambda self: "a-session-hash")
    monkeypatch.setattr(session_module.sessions, "resolve_hashed", lambda *args, **kwargs: acting[-1])
    classes = {cls.__name__: cls for cls in app_state_classes()}

    async def one(state_name: str, who: str, call: Callable[[Any, Any], Any], odd: Any) -> None:
        acting.append(actors[who])
        state = await rx.State(_reflex_internal_init=True).get_state(classes[state_name])
        result = call(state, odd)
        if inspect.isasyncgen(result):
            await _drain(result)
        elif inspect.isawaitable(result):
            await result
        flags = {
            n: getattr(state, n) for n in ("busy", "answering", "generating", "loading_slots") if hasattr(state, n)
        }
        assert not any(flags.values()), f"{state_name}: {flags}"

    with caplog.at_level(logging.ERROR, logger="praxis"):
        for state_name, who, call in _state_calls(world):
            for odd in STATE_ODD_IDS:
                try:
                    asyncio.run(one(state_name, who, call, odd))
                except Exception as error:
                    raise AssertionError(f"{state_name} with {odd!r}: {error!r}") from error
    assert [r.getMessage()[:200] for r in caplog.records if r.levelno >= logging.ERROR] == []
    # Nothing was changed by any of it.
    db.expire_all()
    assert db.get(Invitation, world.invitation_id).status == "pending"  # type: ignore[union-attr]
    assert db.get(ProfileProposal, world.proposal_id).status == "pending"  # type: ignore[union-attr]
