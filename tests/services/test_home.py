"""Home (issue 14 item 8): today's appointments in the office's zone (mine or the office's), profile
changes waiting, patients' uploads nobody opened, forms to review, and the owner's setup checklist;
each list by the rule its area uses, refused to those outside the office."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from app.models import AccountKind, Office, User
from app.services import home, home_waiting, office_setup, portal
from app.services.actor import Actor
from app.services.documents.storage import DiskStore
from app.services.errors import NotFound, PermissionDenied, TwoFactorRequired
from app.services.forms import review, sharing
from app.services.local_time import local_instant
from app.services.patients import proposals
from app.services.scheduling import appointments
from app.services.sharing import pins
from app.services.team import invitations, members
from app.web.document_routes import _choose
from tests.documents_support import image_bytes, pdf_bytes, upload
from tests.factories import make_office, make_user, sign_in_as
from tests.forms_support import assign_to, build_intake, fill_and_submit
from tests.world import World

ZONE = "America/Toronto"
# 15:00 in Toronto on a Wednesday (EST, UTC-5): "today" is 6 May 2026 there.
NOW = datetime(2026, 5, 6, 19, 0, tzinfo=UTC)
TODAY = date(2026, 5, 6)


@pytest.fixture
def store(tmp_path: Path) -> DiskStore:
    return DiskStore(tmp_path / "files")


def at(day: date, clock: str) -> datetime:
    hours, minutes = clock.split(":")
    return local_instant(day, int(hours) * 60 + int(minutes), ZoneInfo(ZONE))


def book(world: World, db: Session, who: Actor, patient_id: int | None, starts: datetime, service_id: int) -> int:
    assert patient_id is not None
    booked = appointments.book(
        db,
        world.maple.staff,
        world.maple.office_id,
        practitioner_id=who.user_id,
        patient_id=patient_id,
        service_id=service_id,
        starts_at=starts,
        now=NOW,
    )
    db.commit()
    return booked.id or 0


@pytest.fixture
def busy_day(world: World, db: Session) -> dict[str, int]:
    """Maple in Toronto: the owner and the practitioner both see patients today, and around it."""
    world.set_time_zone(world.maple, ZONE)
    service = world.add_service(world.maple, "Consultation", 30).id or 0
    owner, practitioner = world.maple.owner, world.maple.practitioner
    ids = {
        "owner_early": book(world, db, owner, world.ana.id, at(TODAY, "00:15"), service),
        "practitioner_morning": book(world, db, practitioner, world.ben.id, at(TODAY, "09:30"), service),
        "owner_late": book(world, db, owner, world.ben.id, at(TODAY, "23:30"), service),
        "yesterday": book(world, db, owner, world.ana.id, at(TODAY - timedelta(days=1), "23:30"), service),
        "tomorrow": book(world, db, owner, world.ana.id, at(TODAY + timedelta(days=1), "00:00"), service),
        "cancelled": book(world, db, practitioner, world.ana.id, at(TODAY, "11:00"), service),
    }
    appointments.set_status(db, world.maple.staff, ids["cancelled"], "cancelled", now=NOW)
    db.commit()
    return ids


def shown(today: home.Today) -> list[tuple[str, str, str]]:
    return [(a.time, a.patient_name, a.practitioner) for a in today.appointments]


# ---- today's appointments ------------------------------------------------------------------


def test_today_is_the_office_s_day_in_its_zone_without_the_cancelled(
    world: World, db: Session, busy_day: dict[str, int]
) -> None:
    today = home.today_appointments(db, world.maple.staff, world.maple.office_id, now=NOW)
    assert (today.day, today.label, today.time_zone) == ("2026-05-06", "Wednesday 6 May", ZONE)
    assert shown(today) == [
        ("00:15", "Ana Souza", "Olive Maple"),
        ("09:30", "Ben Souza", "Priya Maple"),
        ("23:30", "Ben Souza", "Olive Maple"),
    ]
    assert today.appointments[0].end == "00:45"
    assert (today.appointments[0].status_label, today.appointments[0].color) == ("Booked", "teal")
    # 02:00 UTC on the 7th is still the 6th in Toronto; 05:00 UTC on the 7th is the 7th.
    late = home.today_appointments(
        db, world.maple.staff, world.maple.office_id, now=datetime(2026, 5, 7, 2, tzinfo=UTC)
    )
    assert late.day == "2026-05-06"
    next_day = home.today_appointments(
        db, world.maple.staff, world.maple.office_id, now=datetime(2026, 5, 7, 5, tzinfo=UTC)
    )
    assert shown(next_day) == [("00:00", "Ana Souza", "Olive Maple")]


def test_mine_is_the_practitioner_s_own_column_and_the_front_desk_sees_the_office(
    world: World, db: Session, busy_day: dict[str, int]
) -> None:
    office = world.maple.office_id
    practitioner = home.today_appointments(db, world.maple.practitioner, office, now=NOW)
    assert (practitioner.mine, practitioner.may_choose) == (True, True)  # their own by default
    assert shown(practitioner) == [("09:30", "Ben Souza", "Priya Maple")]
    everyone = home.today_appointments(db, world.maple.practitioner, office, mine=False, now=NOW)
    assert len(everyone.appointments) == 3 and not everyone.mine
    owner = home.today_appointments(db, world.maple.owner, office, mine=True, now=NOW)
    assert [a.time for a in owner.appointments] == ["00:15", "23:30"]
    # The front desk has no column: always the office's, whatever the page asks.
    staff = home.today_appointments(db, world.maple.staff, office, mine=True, now=NOW)
    assert (staff.mine, staff.may_choose, len(staff.appointments)) == (False, False, 3)


def test_nobody_outside_the_office_reads_its_day(world: World, db: Session, busy_day: dict[str, int]) -> None:
    office = world.maple.office_id
    for outsider in (world.birch.owner, world.birch.practitioner, world.birch.staff, world.actor(world.parent)):
        with pytest.raises(PermissionDenied):
            home.home(db, outsider, office, now=NOW)
        with pytest.raises(PermissionDenied):
            home.today_appointments(db, outsider, office, now=NOW)
    members.remove_member(db, world.maple.owner, office, world.maple.practitioner.user_id)
    db.commit()
    with pytest.raises(PermissionDenied):
        home.home(db, world.maple.practitioner, office, now=NOW)


def test_an_office_that_requires_two_factor_sign_in_asks_for_it_first(world: World, db: Session) -> None:
    office = db.get(Office, world.maple.office_id)
    assert office is not None
    office.require_two_factor = True
    db.add(office)
    db.commit()
    with pytest.raises(TwoFactorRequired):
        home.home(db, world.maple.practitioner, world.maple.office_id, now=NOW)


# ---- what waits: profile changes, uploads, forms -----------------------------------------------


def test_profile_changes_wait_per_record_until_handled(world: World, db: Session) -> None:
    parent = world.actor(world.parent)
    portal.propose_changes(db, parent, world.ana.id, {"phone": "+1 416 555 0177", "address": "1 Elm"}, now=NOW)
    db.commit()
    portal.propose_changes(db, parent, world.ben.id, {"email": "ben@family.test"}, now=NOW + timedelta(hours=1))
    db.commit()
    waiting = home_waiting.pending_proposals(db, world.maple.practitioner, world.maple.office_id)
    assert [(w.patient_name, w.what, w.href) for w in waiting.items] == [
        ("Ana Souza", "Changes to phone, address", f"/clinic/patients/{world.ana.id}"),
        ("Ben Souza", "Changes to e-mail", f"/clinic/patients/{world.ben.id}"),
    ]
    assert waiting.total == 2 and waiting.more == 0
    assert home_waiting.pending_proposals(db, world.birch.owner, world.birch.office_id).items == []
    for proposal in proposals.pending_proposals(db, world.maple.staff, world.ben.id or 0):
        proposals.dismiss_proposal(db, world.maple.staff, proposal.id, now=NOW)
    db.commit()
    left = home_waiting.pending_proposals(db, world.maple.staff, world.maple.office_id)
    assert [w.patient_name for w in left.items] == ["Ana Souza"]


def test_patients_uploads_wait_until_someone_of_the_team_opens_them(
    world: World, db: Session, store: DiskStore
) -> None:
    parent, office = world.actor(world.parent), world.maple.office_id
    rash = upload(db, store, parent, image_bytes("JPEG"), "rash.jpg", patient=world.ana.id)
    upload(db, store, parent, pdf_bytes(), "referral.pdf", patient=world.ben.id)
    upload(db, store, world.maple.staff, pdf_bytes(2), "lab.pdf", office=office, patient=world.ana.id)  # the clinic's
    upload(db, store, world.birch.staff, pdf_bytes(3), "birch.pdf", office=world.birch.office_id)

    def waiting(actor: Actor) -> list[tuple[str, str]]:
        return [(w.patient_name, w.what) for w in home_waiting.new_uploads(db, actor, office).items]

    expected = [("Ana Souza", "rash.jpg"), ("Ben Souza", "referral.pdf")]
    for member in (world.maple.owner, world.maple.practitioner, world.maple.staff):
        assert waiting(member) == expected
    assert (
        home_waiting.new_uploads(db, world.maple.staff, office).items[0].href
        == f"/clinic/patients/{world.ana.id}?tab=documents"
    )
    # The patient looking at their own upload is not the team opening it.
    _choose(db, parent, str(rash.id), "preview", 1, store)
    db.commit()
    assert waiting(world.maple.staff) == expected
    # Nor is anyone of another office (they cannot open it at all).
    with pytest.raises(NotFound):
        _choose(db, world.birch.owner, str(rash.id), "preview", 1, store)
    _choose(db, world.maple.practitioner, str(rash.id), "download", 1, store)
    db.commit()
    assert waiting(world.maple.staff) == [("Ben Souza", "referral.pdf")]
    assert home_waiting.new_uploads(db, world.birch.staff, world.birch.office_id).items == []


def test_submitted_forms_wait_until_reviewed_for_this_office_only(world: World, db: Session) -> None:
    intake = build_intake(db, world.maple.practitioner, world.maple.office_id)
    parent = world.actor(world.parent)
    assigned = assign_to(db, world.settings, world.maple.practitioner, world.ana.id or 0, intake.form_id)
    not_yet = assign_to(db, world.settings, world.maple.practitioner, world.ben.id or 0, intake.form_id)
    submission = fill_and_submit(db, parent, assigned, intake)
    office = world.maple.office_id
    for member in (world.maple.owner, world.maple.practitioner, world.maple.staff):
        found = home_waiting.unreviewed_submissions(db, member, office)
        assert [(w.patient_name, w.what, w.href) for w in found.items] == [
            ("Ana Souza", "Intake", f"/clinic/form-submissions/{submission}")
        ]
    assert not_yet  # assigned but not submitted: nothing to review yet
    # A Birch practitioner the author shares the form with, submissions included, reads the
    # submission in the form's list; Home of Birch still lists only Birch's patients' forms.
    birch_prac = db.get(User, world.birch.practitioner.user_id)
    assert birch_prac is not None and birch_prac.share_pin
    pins.add_by_pin(db, world.maple.practitioner, birch_prac.share_pin)
    sharing.save_sharing(
        db,
        world.maple.practitioner,
        intake.form_id,
        recipients=[f"practitioner:{world.birch.practitioner.user_id}"],
        author_sees_all=True,
        recipients_see_all=True,
    )
    db.commit()
    assert [r.submission_id for r in review.form_submissions(db, world.birch.practitioner, intake.form_id).rows] == [
        submission
    ]
    assert home_waiting.unreviewed_submissions(db, world.birch.practitioner, world.birch.office_id).items == []
    review.mark_reviewed(db, world.maple.staff, submission)
    db.commit()
    assert home_waiting.unreviewed_submissions(db, world.maple.owner, office).total == 0


def test_each_list_shows_eight_and_counts_the_rest(world: World, db: Session, store: DiskStore) -> None:
    parent = world.actor(world.parent)
    for number in range(11):
        upload(db, store, parent, image_bytes("PNG", color="red"), f"photo-{number:02}.png", patient=world.ana.id)
    found = home_waiting.new_uploads(db, world.maple.staff, world.maple.office_id)
    assert (len(found.items), found.total, found.more) == (8, 11, 3)
    assert found.items[0].what == "photo-00.png"  # oldest first


# ---- a new office ------------------------------------------------------------------------------


def test_an_office_with_nothing_shows_empty_lists_and_its_owner_the_whole_checklist(world: World, db: Session) -> None:
    owner, _token = sign_in_as(db, make_user(db, email="new@owner.test", full_name="Nia New"))
    office = make_office(db, owner, "Fresh Start Clinic").id or 0
    view = home.home(db, owner, office, now=NOW)
    assert view.today.appointments == [] and view.today.may_choose
    assert view.proposals.items == view.uploads.items == view.submissions.items == []
    assert [(s.key, s.done) for s in view.setup] == [
        ("services", False),
        ("hours", False),
        ("online_booking", False),
        ("team", False),
    ]
    assert [s.href for s in view.setup] == [
        "/clinic/calendar/setup",
        "/clinic/calendar/setup",
        "/clinic/calendar?options=open",
        "/clinic/office?tab=team",
    ]


def test_the_checklist_follows_the_setup_and_disappears_when_all_is_done(world: World, db: Session) -> None:
    owner, _token = sign_in_as(db, make_user(db, email="new@owner.test", full_name="Nia New"))
    office = make_office(db, owner, "Fresh Start Clinic")
    team = type(world.maple)(office, owner, owner, owner)

    def done() -> list[str]:
        return [s.key for s in office_setup.setup_steps(db, owner, office.id or 0, NOW) if s.done]

    world.add_service(team, "Massage", 60)
    assert done() == ["services"]
    world.set_hours(team, owner)
    world.set_booking_options(team, enabled=True)
    assert done() == ["services", "hours", "online_booking"]
    invitation = invitations.invite(db, world.settings, owner, office.id or 0, "colleague@fresh.test", "staff", now=NOW)
    db.commit()
    assert office_setup.setup_steps(db, owner, office.id or 0, NOW) == []  # an open invitation is the step done
    # Once the invitation has run out with nobody in the team, the step is open again.
    later = NOW + invitations.INVITATION_LIFETIME + timedelta(minutes=1)
    assert [s.key for s in office_setup.setup_steps(db, owner, office.id or 0, later) if not s.done] == ["team"]
    colleague = make_user(db, email="colleague@fresh.test", kind=AccountKind.practitioner, full_name="Cal League")
    colleague_actor, _ = sign_in_as(db, colleague)
    invitations.accept_invitation(db, colleague_actor, invitation.id or 0, now=NOW)
    db.commit()
    assert office_setup.setup_steps(db, owner, office.id or 0, later) == []
    # Booking turned off again: the step comes back.
    world.set_booking_options(team, enabled=False)
    assert [s.key for s in office_setup.setup_steps(db, owner, office.id or 0, later) if not s.done] == [
        "online_booking"
    ]


def test_only_the_owner_sees_the_checklist(world: World, db: Session) -> None:
    office = world.maple.office_id  # Maple has done nothing yet beyond its team
    assert [s.key for s in home.home(db, world.maple.owner, office, now=NOW).setup if not s.done] == [
        "services",
        "hours",
        "online_booking",
    ]
    assert home.home(db, world.maple.practitioner, office, now=NOW).setup == []
    assert home.home(db, world.maple.staff, office, now=NOW).setup == []
