"""Notices to the clinic (issue 14 item 6): online bookings, online cancellations and profile
proposals, as the owner chose (a mail each, the morning digest, or none), in the event's own
transaction; the digest once per office and day even with several workers at once."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from app.db import make_engine
from app.models import ClinicDigest, ClinicNotice, OutboxMessage
from app.services import portal
from app.services.clinic_notices import choice, digest
from app.services.errors import Conflict, Invalid
from app.services.scheduling import online_booking, portal_appointments
from tests.world import World

BOOKED_AT = datetime(2030, 1, 10, 15, tzinfo=UTC)  # Thu 10 Jan 2030, 10:00 in Toronto
WEDNESDAY_TEN = datetime(2030, 1, 16, 15, tzinfo=UTC)  # Wed 16 Jan 2030, 10:00 in Toronto
NEXT_MORNING = datetime(2030, 1, 11, 12, tzinfo=UTC)  # Fri 11 Jan, 07:00 in Toronto: the digest's hour
OWNER = "owner@maple.test"


@dataclass(frozen=True)
class Online:
    world: World
    massage: int

    def book(self, starts_at: datetime = WEDNESDAY_TEN, now: datetime = BOOKED_AT) -> int:
        world = self.world
        booked = online_booking.book_online(
            world.db,
            world.settings,
            world.actor(world.parent),
            world.maple.office_id,
            service_id=self.massage,
            practitioner_id=world.maple.practitioner.user_id,
            starts_at=starts_at,
            patient_id=world.ben.id,
            now=now,
        )
        world.db.commit()
        return booked.id  # type: ignore[return-value]

    def cancel(self, appointment_id: int, now: datetime = BOOKED_AT) -> None:
        portal_appointments.cancel_online(self.world.db, self.world.actor(self.world.parent), appointment_id, now)
        self.world.db.commit()

    def propose(self, phone: str = "416 555 0142", now: datetime = BOOKED_AT) -> None:
        world = self.world
        portal.propose_changes(world.db, world.actor(world.parent), world.ana.id, {"phone": phone}, now)
        world.db.commit()


@pytest.fixture
def online(world: World) -> Online:
    world.set_booking_options(world.maple)
    world.set_hours(world.maple, world.maple.practitioner, range(7), "08:00", "18:00")
    massage = world.add_service(world.maple, "Massage", 30, world.maple.practitioner)
    return Online(world, massage.id)  # type: ignore[arg-type]


def choose(world: World, mode: str, email: str = "") -> None:
    choice.save_notice_choice(world.db, world.maple.owner, world.maple.office_id, mode, email)
    world.db.commit()


def clinic_mails(world: World, to: str = OWNER) -> list[OutboxMessage]:
    world.db.expire_all()
    found = world.new_rows(OutboxMessage, OutboxMessage.to_address == to)
    world.db.commit()
    return found


def waiting(world: World) -> list[ClinicNotice]:
    world.db.expire_all()
    found = list(world.db.exec(select(ClinicNotice).order_by(ClinicNotice.id)).all())  # type: ignore[arg-type]
    world.db.commit()
    return found


def run_digests(engine: Engine, world: World, now: datetime) -> int:
    world.db.commit()
    return digest.send_due_digests(engine, world.settings, now)


# --- the owner's choice -------------------------------------------------------------------------


def test_a_new_office_gets_the_digest_at_the_owners_address(world: World) -> None:
    shown = choice.notice_choice(world.db, world.maple.owner, world.maple.office_id)
    assert (shown.mode, shown.email, shown.owner_email, shown.may_change) == ("digest", "", OWNER, True)
    # The team sees the choice; only the owner may change it.
    for member in (world.maple.practitioner, world.maple.staff):
        assert not choice.notice_choice(world.db, member, world.maple.office_id).may_change


@pytest.mark.parametrize(
    ("mode", "email", "field"),
    [("sometimes", "", "notice_mode"), ("", "", "notice_mode"), ("each", "x@example", "notice_email")],
)
def test_a_bad_choice_is_refused_beside_its_field(world: World, mode: str, email: str, field: str) -> None:
    with pytest.raises(Invalid) as refused:
        choice.save_notice_choice(world.db, world.maple.owner, world.maple.office_id, mode, email)
    assert refused.value.field == field
    world.db.rollback()
    assert choice.notice_choice(world.db, world.maple.owner, world.maple.office_id).mode == "digest"


def test_a_hand_made_call_with_odd_values_is_refused(world: World) -> None:
    with pytest.raises(Invalid):
        choice.save_notice_choice(world.db, world.maple.owner, world.maple.office_id, ["each"], {"x": 1})


# --- a mail for each event ----------------------------------------------------------------------


def test_each_event_mails_the_owner_at_once(world: World, online: Online) -> None:
    choose(world, "each")
    visit = online.book()
    online.cancel(visit)
    online.propose()
    booked, cancelled, proposed = clinic_mails(world)
    assert booked.subject == (
        "Maple Street Clinic: Booked online: Ben Souza — Massage with Priya Maple, Wed 16 Jan 2030, 10:00"
    )
    assert f"/clinic/patients/{world.ben.id}" in booked.body_text
    assert 'Clinic notices are set to "A mail for each event"' in booked.body_text
    assert cancelled.subject.startswith("Maple Street Clinic: Cancelled online: Ben Souza — Massage with Priya Maple")
    assert proposed.subject == "Maple Street Clinic: Profile changes proposed: Ana Souza — Phone"
    assert booked.ics_text is None  # the clinic's mails carry no calendar entry
    assert waiting(world) == []
    # The same pending value sent again is nothing new for the clinic.
    online.propose()
    assert len(clinic_mails(world)) == 3


def test_the_office_notice_address_takes_them_instead_of_the_owner(world: World, online: Online) -> None:
    choose(world, "each", "  desk@maple.example.com ")
    online.book()
    assert clinic_mails(world) == []
    [mail] = clinic_mails(world, "desk@maple.example.com")
    assert mail.subject.startswith("Maple Street Clinic: Booked online: Ben Souza")


def test_off_tells_the_clinic_nothing(world: World, online: Online) -> None:
    choose(world, "off")
    online.cancel(online.book())
    online.propose()
    assert clinic_mails(world) == [] and waiting(world) == []


def test_a_refused_booking_tells_nobody(world: World, online: Online) -> None:
    choose(world, "each")
    online.book()
    before = len(world.new_rows(OutboxMessage))
    with pytest.raises(Conflict):
        online.book()  # the same slot, taken
    world.db.rollback()
    assert len(world.new_rows(OutboxMessage)) == before and len(clinic_mails(world)) == 1


def test_the_patient_who_cancels_online_gets_a_calendar_cancellation(world: World, online: Online) -> None:
    visit = online.book()
    online.cancel(visit)
    confirmation, cancellation = clinic_mails(world, "parent@family.test")
    assert "METHOD:REQUEST" in (confirmation.ics_text or "") and "SEQUENCE:0" in (confirmation.ics_text or "")
    assert cancellation.subject == "Cancelled: your appointment at Maple Street Clinic on Wed 16 Jan 2030, 10:00"
    assert "You cancelled this appointment" in cancellation.body_text
    ics = cancellation.ics_text or ""
    assert "METHOD:CANCEL" in ics and "SEQUENCE:1" in ics and "STATUS:CANCELLED" in ics
    assert f"UID:appointment-{visit}@" in ics


# --- the morning digest -------------------------------------------------------------------------


def test_the_digest_lists_the_day_before_once_the_morning_comes(engine: Engine, world: World, online: Online) -> None:
    online.cancel(online.book())
    online.propose(now=BOOKED_AT + timedelta(hours=2))
    assert clinic_mails(world) == []
    assert [n.event.value for n in waiting(world)] == ["online_booking", "online_cancellation", "profile_proposal"]

    assert run_digests(engine, world, NEXT_MORNING - timedelta(minutes=1)) == 0  # 06:59 in Toronto
    assert run_digests(engine, world, NEXT_MORNING) == 1
    [sent] = clinic_mails(world)
    assert sent.subject == "Daily digest, Maple Street Clinic: 3 online events"
    assert "Booked online: Ben Souza — Massage with Priya Maple, Wed 16 Jan 2030, 10:00" in sent.body_text
    assert "Cancelled online: Ben Souza" in sent.body_text
    assert "Thu 10 Jan, 12:00  Profile changes proposed: Ana Souza — Phone" in sent.body_text
    assert "/clinic/calendar" in sent.body_text
    # Once a day: later rounds, and a second worker, send nothing more.
    assert run_digests(engine, world, NEXT_MORNING + timedelta(hours=3)) == 0
    office_id = world.maple.office_id
    world.db.commit()  # reading the id reloaded the office: end that read before another worker writes
    assert digest.send_digest(engine, world.settings, office_id, NEXT_MORNING.date(), NEXT_MORNING) is False
    assert len(clinic_mails(world)) == 1


def test_what_happens_after_the_digest_waits_for_the_next_one(engine: Engine, world: World, online: Online) -> None:
    online.book()
    assert run_digests(engine, world, NEXT_MORNING) == 1
    online.propose(now=NEXT_MORNING + timedelta(hours=2))  # Friday 09:00
    assert run_digests(engine, world, NEXT_MORNING + timedelta(hours=3)) == 0
    assert run_digests(engine, world, NEXT_MORNING + timedelta(days=1)) == 1
    first, second = clinic_mails(world)
    assert "Booked online" in first.body_text and "Profile changes" not in first.body_text
    assert "Profile changes proposed: Ana Souza" in second.body_text and "Booked online" not in second.body_text
    assert second.subject == "Daily digest, Maple Street Clinic: 1 online event"


def test_a_quiet_day_sends_nothing(engine: Engine, world: World, online: Online) -> None:
    assert run_digests(engine, world, NEXT_MORNING) == 0
    assert clinic_mails(world) == []
    assert world.db.exec(select(ClinicDigest)).all() == []


def test_turned_off_before_the_morning_the_waiting_events_are_not_sent(
    engine: Engine, world: World, online: Online
) -> None:
    online.book()
    choose(world, "off")
    assert run_digests(engine, world, NEXT_MORNING) == 0
    assert clinic_mails(world) == []


def test_two_workers_at_once_send_one_digest(engine: Engine, world: World, online: Online) -> None:
    for hours in range(4):
        online.propose(phone=f"416 555 014{hours}", now=BOOKED_AT + timedelta(hours=hours))
    world.db.commit()
    engines = [engine, make_engine(engine.url.render_as_string(hide_password=False))]
    barrier = threading.Barrier(2)
    sent: list[int] = []
    errors: list[BaseException] = []

    def worker(own: Engine) -> None:
        try:
            barrier.wait()
            sent.append(digest.send_due_digests(own, world.settings, NEXT_MORNING))
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(own,)) for own in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    engines[1].dispose()

    assert errors == [] and sorted(sent) == [0, 1]
    [mail] = clinic_mails(world)
    assert mail.body_text.count("Profile changes proposed: Ana Souza") == 4
    assert len(world.db.exec(select(ClinicDigest)).all()) == 1
    assert {n.digest_id for n in waiting(world)} == {world.db.exec(select(ClinicDigest.id)).one()}
