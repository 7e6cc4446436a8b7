"""The role × action matrix bound to the write services themselves (issue 10, item 12).

test_role_matrix.py proves `permissions.require` follows the SPEC's table. Here every write
service is called, in the world's Maple Street Clinic, as each of five people: its owner, its
practitioner, its front desk, another office's owner and a portal account (the world's parent,
who holds two of Maple's records). A role the table (SPEC_ALLOWED, written out by hand) does not
allow the action — or a per-object rule forbids, like a practitioner setting a colleague's
hours — is refused (PermissionDenied, or NotFound where the id names another office's thing), and
not one row of the database changes, not even before the refusal (the tables are read in the
same transaction, so anything the service added is flushed and seen). A role that may, does: a
row changes, and the service writes one audit entry in that person's name.

And the calendar's appointment detail (`appointments.for_staff`): the office's people get it;
another office's people and portal accounts get the same NotFound as a missing id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
import pytest
from sqlalchemy import select as select_table
from sqlmodel import Session, SQLModel, func, select

from app.models import AppointmentStatus, AuditEntry, OfficeRole, Patient, ProfileProposal
from app.services import access_codes, offices, patient_merge, portal
from app.services.actor import Actor
from app.services.clinic_notices import choice
from app.services.errors import NotFound, PermissionDenied
from app.services.forms import assign, booking, builder, library, review, sharing
from app.services.patients import proposals, records
from app.services.permissions import OfficeAction
from app.services.scheduling import (
    appointments,
    booking_options,
    service_catalog,
    time_off,
    working_hours,
)
from app.services.scheduling.slots import WeeklyInterval
from app.services.sharing import pins
from app.services.team import invitations, members
from app.services.two_factor import enrolment, requirement
from tests.factories import PASSWORD
from tests.forms_support import Intake, assign_to, build_intake, fill_and_submit
from tests.services.test_role_matrix import SPEC_ALLOWED
from tests.world import BOOKING_OPTIONS, NOW, World

A = OfficeAction
TUESDAY_TEN = datetime(2026, 12, 1, 15, tzinfo=UTC)  # 10:00 in Toronto
OWNER, PRACTITIONER, STAFF = "owner", "practitioner", "staff"
OTHER_OWNER, PORTAL = "another office's owner", "portal account"
PEOPLE = (OWNER, PRACTITIONER, STAFF, OTHER_OWNER, PORTAL)
ROLE_OF = {OWNER: OfficeRole.owner, PRACTITIONER: OfficeRole.practitioner, STAFF: OfficeRole.staff}
MISSING_ID = 987_654


def person(world: World, who: str) -> Actor:
    return {
        OWNER: world.maple.owner,
        PRACTITIONER: world.maple.practitioner,
        STAFF: world.maple.staff,
        OTHER_OWNER: world.birch.owner,
        PORTAL: world.actor(world.parent),
    }[who]


# ---- what the writes need in place, made by someone who may ----------------------------------


def consultation(world: World) -> int:
    """A service the owner and the practitioner offer."""
    return world.add_service(world.maple, "Consultation", 30, world.maple.owner, world.maple.practitioner).id  # type: ignore[return-value]


def booked(world: World) -> int:
    """Ana with the owner on Tuesday at 10:00, booked by the front desk."""
    service = consultation(world)
    appointment = appointments.book(
        world.db,
        world.maple.staff,
        world.maple.office_id,
        practitioner_id=world.maple.owner.user_id,
        patient_id=world.ana.id,  # type: ignore[arg-type]
        service_id=service,
        starts_at=TUESDAY_TEN,
    )
    world.db.commit()
    return appointment.id  # type: ignore[return-value]


def archived_ben(world: World) -> int:
    records.archive_patient(world.db, world.maple.staff, world.ben.id)  # type: ignore[arg-type]
    world.db.commit()
    return world.ben.id  # type: ignore[return-value]


def unused_code(world: World) -> int:
    generated = access_codes.generate(world.db, world.settings, world.maple.staff, world.ana.id)  # type: ignore[arg-type]
    world.db.commit()
    return generated.access_code_id


def parents_access(world: World) -> int:
    [holder] = access_codes.holders(world.db, world.maple.staff, world.ana.id)  # type: ignore[arg-type]
    world.db.rollback()
    return holder.access_id


def proposal(world: World) -> int:
    portal.propose_changes(world.db, world.actor(world.parent), world.ana.id, {"phone": "647 555 0100"})
    world.db.commit()
    return world.db.exec(select(ProfileProposal.id)).one()  # type: ignore[return-value]


def online_client(world: World) -> int:
    """A record the online booking made for someone the office already knows as Ana."""
    online = Patient(office_id=world.maple.office_id, first_name="Ana", last_name="S", new_online_client=True)
    world.db.add(online)
    world.db.commit()
    return online.id  # type: ignore[return-value]


def a_service(world: World) -> int:
    return world.add_service(world.maple, "Massage", 60).id  # type: ignore[return-value]


def time_off_of(who: Callable[[World], Actor]) -> Callable[[World], int]:
    def arrange(world: World) -> int:
        row = time_off.add_time_off(
            world.db, world.maple.owner, world.maple.office_id, who(world).user_id, NOW, NOW + timedelta(hours=2)
        )
        world.db.commit()
        return row.id  # type: ignore[return-value]

    return arrange


def an_invitation(world: World) -> int:
    invited = invitations.invite(
        world.db, world.settings, world.maple.owner, world.maple.office_id, "new@x.test", "staff"
    )
    world.db.commit()
    return invited.id  # type: ignore[return-value]


def owner_with_two_factor(world: World) -> None:
    """The owner turns two-factor sign-in on first: only then may the office require it."""
    owner = world.maple.owner
    started = enrolment.start_enrolment(world.db, world.settings, owner, now=NOW)
    world.db.commit()
    code = pyotp.TOTP(started.secret).at(NOW)
    enrolment.confirm_enrolment(world.db, world.settings, owner, code=code, password=PASSWORD, now=NOW)
    world.db.commit()


def nothing(world: World) -> None:
    return None


def priyas_form(world: World) -> int:
    """The practitioner's intake form, not shared with anyone."""
    return build_intake(world.db, world.maple.practitioner, world.maple.office_id).form_id


def office_form(world: World) -> int:
    """The practitioner's intake form, shared with the whole office (so the front desk uses it too)."""
    form_id = priyas_form(world)
    office = f"office:{world.maple.office_id}"
    sharing.save_sharing(
        world.db,
        world.maple.practitioner,
        form_id,
        recipients=[office],
        author_sees_all=False,
        recipients_see_all=False,
    )
    world.db.commit()
    return form_id


def a_submission(world: World) -> int:
    """Ana's family submitted the office's intake form."""
    form_id = office_form(world)
    assignment = assign_to(world.db, world.settings, world.maple.practitioner, world.ana.id or 0, form_id)
    return fill_and_submit(
        world.db, world.actor(world.parent), assignment, Intake(form_id, *intake_ids(world, form_id))
    )


def intake_ids(world: World, form_id: int) -> list[str]:
    schema = library.preview(world.db, world.maple.practitioner, form_id).schema
    return [schema.sections[0].id, *[q.id for q in schema.questions()]]


def service_and_form(world: World) -> tuple[int, int]:
    return a_service(world), office_form(world)


# ---- the writes ---------------------------------------------------------------------------------

PRIYA = lambda world: world.maple.practitioner  # noqa: E731 - whose hours and time off: the practitioner's own
OLIVE = lambda world: world.maple.owner  # noqa: E731 - a colleague's, for the practitioner


@dataclass(frozen=True)
class Write:
    name: str
    action: OfficeAction  # what the role table must allow
    call: Callable[[World, Actor, Any], Any]
    arrange: Callable[[World], Any] = nothing
    also_refused: frozenset[str] = frozenset()  # roles the table allows but a rule of the object refuses

    def may(self, who: str) -> bool:
        role = ROLE_OF.get(who)
        return role is not None and self.action in SPEC_ALLOWED[role] and who not in self.also_refused


ALL_HOURS = [WeeklyInterval(day, 9 * 60, 17 * 60) for day in range(5)]
WRITES = [
    Write(
        "create a patient",
        A.edit_demographics,
        lambda w, a, _: records.create_patient(w.db, a, w.maple.office_id, records.PatientInput("Nia", "New")),
    ),
    Write(
        "update a patient",
        A.edit_demographics,
        lambda w, a, _: records.update_patient(
            w.db, a, w.ana.id, records.PatientInput("Ana", "Souza", phone="416 555 0142")
        ),
    ),
    Write("archive a patient", A.edit_demographics, lambda w, a, _: records.archive_patient(w.db, a, w.ben.id)),
    Write(
        "restore a patient", A.edit_demographics, lambda w, a, ben: records.restore_patient(w.db, a, ben), archived_ben
    ),
    Write(
        "merge an online client",
        A.edit_demographics,
        lambda w, a, online: patient_merge.merge_into(w.db, a, online, w.ana.id),
        online_client,
    ),
    Write("accept a proposal", A.edit_demographics, lambda w, a, p: proposals.accept_proposal(w.db, a, p), proposal),
    Write("dismiss a proposal", A.edit_demographics, lambda w, a, p: proposals.dismiss_proposal(w.db, a, p), proposal),
    Write(
        "generate an access code",
        A.manage_access_codes,
        lambda w, a, _: access_codes.generate(w.db, w.settings, a, w.ana.id),
    ),
    Write("revoke a code", A.manage_access_codes, lambda w, a, c: access_codes.revoke_code(w.db, a, c), unused_code),
    Write(
        "revoke portal access",
        A.manage_access_codes,
        lambda w, a, access: access_codes.revoke_access(w.db, a, access),
        parents_access,
    ),
    Write(
        "book an appointment",
        A.manage_schedule,
        lambda w, a, service: appointments.book(
            w.db,
            a,
            w.maple.office_id,
            practitioner_id=w.maple.owner.user_id,
            patient_id=w.ana.id,
            service_id=service,
            starts_at=TUESDAY_TEN,
        ),
        consultation,
    ),
    Write(
        "reschedule an appointment",
        A.manage_schedule,
        lambda w, a, booking: appointments.reschedule(w.db, a, booking, starts_at=TUESDAY_TEN + timedelta(hours=1)),
        booked,
    ),
    Write(
        "set an appointment's status",
        A.manage_schedule,
        lambda w, a, booking: appointments.set_status(w.db, a, booking, AppointmentStatus.arrived),
        booked,
    ),
    Write(
        "save a service",
        A.manage_schedule,
        lambda w, a, _: service_catalog.save_service(
            w.db, a, w.maple.office_id, service_catalog.ServiceInput("Yoga", 45)
        ),
    ),
    Write(
        "retire a service",
        A.manage_schedule,
        lambda w, a, service: service_catalog.retire_service(w.db, a, w.maple.office_id, service),
        a_service,
    ),
    Write(
        "set the practitioner's hours",
        A.manage_schedule,
        lambda w, a, _: working_hours.set_weekly_hours(w.db, a, w.maple.office_id, PRIYA(w).user_id, ALL_HOURS),
    ),
    Write(
        "set a colleague's hours",
        A.manage_schedule,
        lambda w, a, _: working_hours.set_weekly_hours(w.db, a, w.maple.office_id, OLIVE(w).user_id, ALL_HOURS),
        also_refused=frozenset({PRACTITIONER}),  # practitioners keep their own hours only
    ),
    Write(
        "add the practitioner's time off",
        A.manage_schedule,
        lambda w, a, _: time_off.add_time_off(
            w.db, a, w.maple.office_id, PRIYA(w).user_id, NOW, NOW + timedelta(hours=1)
        ),
    ),
    Write(
        "add a colleague's time off",
        A.manage_schedule,
        lambda w, a, _: time_off.add_time_off(
            w.db, a, w.maple.office_id, OLIVE(w).user_id, NOW, NOW + timedelta(hours=1)
        ),
        also_refused=frozenset({PRACTITIONER}),
    ),
    Write(
        "remove the practitioner's time off",
        A.manage_schedule,
        lambda w, a, row: time_off.remove_time_off(w.db, a, w.maple.office_id, row),
        time_off_of(PRIYA),
    ),
    Write(
        "remove a colleague's time off",
        A.manage_schedule,
        lambda w, a, row: time_off.remove_time_off(w.db, a, w.maple.office_id, row),
        time_off_of(OLIVE),
        also_refused=frozenset({PRACTITIONER}),
    ),
    Write(
        "save the booking options",
        A.manage_schedule,
        lambda w, a, _: booking_options.save_booking_options(w.db, a, w.maple.office_id, BOOKING_OPTIONS),
    ),
    Write(
        "invite a member",
        A.manage_team,
        lambda w, a, _: invitations.invite(w.db, w.settings, a, w.maple.office_id, "desk@x.test", "staff"),
    ),
    Write(
        "revoke an invitation",
        A.manage_team,
        lambda w, a, invitation: invitations.revoke_invitation(w.db, a, invitation),
        an_invitation,
    ),
    Write(
        "remove a member",
        A.manage_team,
        lambda w, a, _: members.remove_member(w.db, a, w.maple.office_id, w.maple.staff.user_id),
    ),
    Write(
        "transfer ownership",
        A.manage_team,
        lambda w, a, _: members.transfer_ownership(w.db, a, w.maple.office_id, w.maple.practitioner.user_id),
    ),
    Write(
        "edit the office",
        A.edit_office,
        lambda w, a, _: offices.update_office(
            w.db, a, w.maple.office_id, offices.OfficeInput("Maple Physio", "12 Maple St", "+1 416 555 0100", "UTC")
        ),
    ),
    Write(
        "choose the clinic notices",
        A.edit_office,
        lambda w, a, _: choice.save_notice_choice(w.db, a, w.maple.office_id, "each", "desk@maple.test"),
    ),
    Write(
        "renew the office's Share PIN", A.edit_office, lambda w, a, _: pins.renew_office_pin(w.db, a, w.maple.office_id)
    ),
    Write("create a form", A.manage_forms, lambda w, a, _: library.create_form(w.db, a, w.maple.office_id, "Intake")),
    Write(
        "edit the practitioner's form",
        A.manage_forms,
        lambda w, a, form: builder.add_question(
            w.db,
            a,
            form,
            library.preview(w.db, w.maple.practitioner, form).schema.sections[0].id,
            {"type": "date", "label": "Born"},
        ),
        priyas_form,
        also_refused=frozenset({OWNER}),  # only the author edits a form
    ),
    Write(
        "save the practitioner's form's sharing options",
        A.manage_forms,
        lambda w, a, form: sharing.save_sharing(
            w.db, a, form, recipients=[], author_sees_all=True, recipients_see_all=False
        ),
        priyas_form,
        also_refused=frozenset({OWNER}),
    ),
    Write(
        "assign a form",
        A.administer_forms,
        lambda w, a, form: assign.assign_form(w.db, w.settings, a, w.ana.id, form),
        office_form,
    ),
    Write(
        "mark a submission reviewed",
        A.administer_forms,
        lambda w, a, submission: review.mark_reviewed(w.db, a, submission),
        a_submission,
    ),
    Write(
        "attach a form to a service's online booking",
        A.manage_schedule,
        lambda w, a, chosen: booking.set_booking_form(w.db, a, w.maple.office_id, chosen[0], chosen[1]),
        service_and_form,
    ),
    Write(
        "require two-factor sign-in",
        A.edit_office,
        lambda w, a, _: requirement.set_office_requirement(w.db, a, w.maple.office_id, True),
        owner_with_two_factor,
    ),
]
CASES = [
    pytest.param(write, who, id=f"{write.name} as {who}".replace(" ", "-").replace("'", ""))
    for write in WRITES
    for who in PEOPLE
]


def every_row(db: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in key order (read in the caller's transaction)."""
    return {
        table.name: [tuple(row) for row in db.execute(select_table(table).order_by(*table.primary_key.columns))]
        for table in SQLModel.metadata.sorted_tables
    }


def last_audit_id(db: Session) -> int:
    return db.exec(select(func.max(AuditEntry.id))).one() or 0


def test_every_person_is_someone() -> None:
    """The five people: the table's three roles, and two who have no role in the office at all."""
    assert [who for who in PEOPLE if who in ROLE_OF] == [OWNER, PRACTITIONER, STAFF]
    assert {ROLE_OF[who] for who in ROLE_OF} == set(OfficeRole)
    # Each write is allowed to someone and refused to someone: the matrix is not vacuous.
    for write in WRITES:
        assert any(write.may(who) for who in PEOPLE), write.name
        assert not all(write.may(who) for who in PEOPLE), write.name


@pytest.mark.parametrize(("write", "who"), CASES)
def test_a_write_service_follows_the_role_table(world: World, write: Write, who: str) -> None:
    db = world.db
    arranged = write.arrange(world)
    actor = person(world, who)
    mark, before = last_audit_id(db), every_row(db)
    if write.may(who):
        write.call(world, actor, arranged)
        db.commit()
        assert every_row(db) != before, "nothing was written"
        entries = db.exec(select(AuditEntry).where(AuditEntry.id > mark)).all()  # type: ignore[operator]
        assert [entry.actor_user_id for entry in entries] == [actor.user_id], "one audit entry, in their name"
    else:
        with pytest.raises((PermissionDenied, NotFound)):
            write.call(world, actor, arranged)
        assert every_row(db) == before, "a refused call changed a row"
        db.rollback()
        assert last_audit_id(db) == mark


# ---- the calendar's appointment detail ----------------------------------------------------------


def test_the_appointment_detail_is_for_the_offices_people_only(world: World) -> None:
    db = world.db
    appointment_id = booked(world)
    for member in (world.maple.owner, world.maple.practitioner, world.maple.staff):
        found = appointments.for_staff(db, member, appointment_id)
        assert (found.id, found.patient_id, found.office_id) == (appointment_id, world.ana.id, world.maple.office_id)
    db.rollback()
    with pytest.raises(NotFound) as missing:
        appointments.for_staff(db, world.maple.staff, MISSING_ID)
    db.rollback()
    assert missing.value.message == appointments.APPOINTMENT_NOT_FOUND
    outsiders = (
        world.birch.staff,
        world.birch.practitioner,
        world.birch.owner,
        world.actor(world.parent),  # holds Ana's record, whose appointment it is
        world.actor(world.stranger),
    )
    mark = last_audit_id(db)
    for outsider in outsiders:
        with pytest.raises(NotFound) as foreign:
            appointments.for_staff(db, outsider, appointment_id)
        db.rollback()
        assert (type(foreign.value), foreign.value.message) == (type(missing.value), missing.value.message)
        # An id that is not an id at all reads the same.
        with pytest.raises(NotFound) as garbled:
            appointments.for_staff(db, outsider, "12; drop table")  # type: ignore[arg-type]
        db.rollback()
        assert garbled.value.message == missing.value.message
    assert last_audit_id(db) == mark  # looking is not a change
