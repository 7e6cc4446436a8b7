"""Patient records (SPEC §3, issue 4): validation, search, pagination, office isolation and the audit log."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert
from sqlmodel import Session, func, select

from app.models import AuditEntry, Membership, Office, OfficeRole, Patient
from app.services.actor import Actor
from app.services.errors import Invalid, NotFound, PermissionDenied
from app.services.patients import proposals, records
from app.services.patients import search as patient_search
from app.services.patients.records import PatientInput
from tests.factories import make_user, sign_in_as
from tests.world import Team, World

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
MISSING_ID = 987_654


# --- helpers -----------------------------------------------------------------


def create(db: Session, actor: Actor, office: Office, **values: str) -> Patient:
    data = PatientInput(**{"first_name": "Ana", "last_name": "Smith", **values})
    patient = records.create_patient(db, actor, office.id, data, now=NOW)  # type: ignore[arg-type]
    db.commit()
    return patient


def count(db: Session, model: type, *where) -> int:  # type: ignore[no-untyped-def]
    return db.exec(select(func.count()).select_from(model).where(*where)).one()


def fresh(db: Session, patient_id: int) -> Patient:
    db.expire_all()
    patient = db.get(Patient, patient_id)
    assert patient is not None
    return patient


def names(page: patient_search.PatientPage) -> list[str]:
    return [row.name for row in page.rows]


# --- create and validation ---------------------------------------------------


def test_create_patient_stores_the_cleaned_record_and_audits_it(db: Session, world: World) -> None:
    patient = create(
        db,
        world.maple.staff,
        world.maple.office,
        first_name="  Ana  ",
        last_name=" Smith ",
        date_of_birth="2015-04-02",
        sex="Female",
        email=" ana@example.com ",
        phone=" 416  555 0199 ",
        address="12   Elm St,\n Toronto",
        emergency_contact="Maria  Smith 416 555 0123",
        notes="  allergic to penicillin  ",
    )
    row = fresh(db, patient.id)  # type: ignore[arg-type]
    assert row.office_id == world.maple.office_id
    assert (row.first_name, row.last_name) == ("Ana", "Smith")
    assert row.date_of_birth == date(2015, 4, 2)
    assert row.sex == "female"
    assert row.email == "ana@example.com"
    assert row.phone == "416 555 0199"
    assert row.address == "12 Elm St, Toronto"
    assert row.emergency_contact == "Maria Smith 416 555 0123"
    assert row.notes == "allergic to penicillin"
    assert (row.created_at, row.updated_at) == (NOW, NOW)
    assert row.search_text == "ana smith ana@example.com 4165550199 2015-04-02"
    [entry] = world.audit_since_built("patient.created")
    assert (entry.actor_user_id, entry.office_id, entry.patient_id) == (
        world.maple.staff.user_id,
        world.maple.office_id,
        row.id,
    )
    assert (entry.target_type, entry.target_id) == ("patient", row.id)


def test_only_names_are_required(db: Session, world: World) -> None:
    patient = create(db, world.maple.owner, world.maple.office, first_name="Bo", last_name="Li")
    row = fresh(db, patient.id)  # type: ignore[arg-type]
    assert row.date_of_birth is None
    assert (row.sex, row.email, row.phone, row.address) == ("", "", "", "")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"first_name": ""}, "first_name"),
        ({"first_name": "   "}, "first_name"),
        ({"last_name": ""}, "last_name"),
        ({"last_name": " \t "}, "last_name"),
        ({"first_name": "x" * 81}, "first_name"),
        ({"date_of_birth": (NOW.date() + timedelta(days=1)).isoformat()}, "date_of_birth"),
        ({"date_of_birth": "2030-01-01"}, "date_of_birth"),
        ({"date_of_birth": "02/04/2015"}, "date_of_birth"),
        ({"date_of_birth": "2015-02-30"}, "date_of_birth"),
        ({"date_of_birth": "1850-01-01"}, "date_of_birth"),
        ({"email": "ana@example"}, "email"),
        ({"email": "ana example.com"}, "email"),
        ({"email": "@example.com"}, "email"),
        ({"phone": "call me maybe"}, "phone"),
        ({"phone": "12345"}, "phone"),
        ({"phone": "1234567890123456"}, "phone"),
        ({"sex": "robot"}, "sex"),
    ],
)
def test_create_refuses_invalid_input_and_writes_nothing(
    db: Session, world: World, values: dict[str, str], field: str
) -> None:
    data = PatientInput(**{"first_name": "Ana", "last_name": "Smith", **values})
    before = count(db, Patient)
    with pytest.raises(Invalid) as caught:
        records.create_patient(db, world.maple.staff, world.maple.office_id, data, now=NOW)  # type: ignore[arg-type]
    db.rollback()
    assert caught.value.field == field
    assert caught.value.message
    assert count(db, Patient) == before
    assert world.audit_since_built("patient.created") == []


def test_date_of_birth_today_is_accepted_but_tomorrow_is_not(db: Session, world: World) -> None:
    patient = create(db, world.maple.staff, world.maple.office, date_of_birth=NOW.date().isoformat())
    assert fresh(db, patient.id).date_of_birth == NOW.date()  # type: ignore[arg-type]
    with pytest.raises(Invalid, match="future") as caught:
        records.clean_date_of_birth((NOW.date() + timedelta(days=1)).isoformat(), NOW.date())
    assert caught.value.field == "date_of_birth"


@pytest.mark.parametrize(
    ("zone", "now", "local_today"),
    [
        # 20:00 on 3 March in Toronto is already 4 March in UTC.
        ("America/Toronto", datetime(2025, 3, 4, 1, 0, tzinfo=UTC), date(2025, 3, 3)),
        # 08:00 on 4 March in Tokyo is still 3 March in UTC.
        ("Asia/Tokyo", datetime(2025, 3, 3, 23, 0, tzinfo=UTC), date(2025, 3, 4)),
    ],
)
def test_the_future_is_judged_in_the_offices_time_zone(
    db: Session, world: World, zone: str, now: datetime, local_today: date
) -> None:
    """Bug: create_patient compares the date of birth with the UTC date, not the office's local date.

    A Tokyo clinic cannot register a baby born this morning, and a Toronto clinic accepts tomorrow's date in the
    evening.
    """
    world.set_time_zone(world.maple, zone)
    tomorrow = PatientInput("Tom", "Morrow", date_of_birth=(local_today + timedelta(days=1)).isoformat())
    with pytest.raises(Invalid) as caught:
        records.create_patient(db, world.maple.staff, world.maple.office_id, tomorrow, now=now)  # type: ignore[arg-type]
    db.rollback()
    assert caught.value.field == "date_of_birth"
    today = PatientInput("Newborn", "Baby", date_of_birth=local_today.isoformat())
    patient = records.create_patient(db, world.maple.staff, world.maple.office_id, today, now=now)  # type: ignore[arg-type]
    db.commit()
    assert fresh(db, patient.id).date_of_birth == local_today  # type: ignore[arg-type]


def test_clean_date_of_birth() -> None:
    today = date(2025, 3, 3)
    assert records.clean_date_of_birth("", today) is None
    assert records.clean_date_of_birth("   ", today) is None
    assert records.clean_date_of_birth(" 1984-03-09 ", today) == date(1984, 3, 9)
    assert records.clean_date_of_birth("1900-01-01", today) == date(1900, 1, 1)
    with pytest.raises(Invalid) as caught:
        records.clean_date_of_birth("1899-12-31", today)
    assert caught.value.field == "date_of_birth"
    with pytest.raises(Invalid) as caught:
        records.clean_date_of_birth("2025-03-04", today, field="dob")
    assert caught.value.field == "dob"
    with pytest.raises(Invalid):
        records.clean_date_of_birth("yesterday", today)


def test_valid_phone_formats_are_accepted(db: Session, world: World) -> None:
    for phone in ("+1 (416) 555-0199", "416.555.0199", "416 555 0199 ext 12"):
        patient = create(db, world.maple.staff, world.maple.office, phone=phone)
        assert fresh(db, patient.id).phone == phone  # type: ignore[arg-type]


# --- update and view ---------------------------------------------------------


def test_update_patient_changes_the_record_and_audits(db: Session, world: World) -> None:
    patient = create(db, world.maple.staff, world.maple.office, phone="416 555 0199", email="ana@example.com")
    later = NOW + timedelta(hours=2)
    records.update_patient(
        db,
        world.maple.staff,
        patient.id,  # type: ignore[arg-type]
        PatientInput(first_name="Anna", last_name="Smith-Jones", email="anna@example.org", phone="647 555 0100"),
        now=later,
    )
    db.commit()
    row = fresh(db, patient.id)  # type: ignore[arg-type]
    assert (row.first_name, row.last_name, row.email, row.phone) == (
        "Anna",
        "Smith-Jones",
        "anna@example.org",
        "647 555 0100",
    )
    assert (row.created_at, row.updated_at) == (NOW, later)
    assert "6475550100" in row.search_text and "4165550199" not in row.search_text
    [entry] = world.audit_since_built("patient.updated")
    assert (entry.actor_user_id, entry.patient_id, entry.office_id) == (
        world.maple.staff.user_id,
        row.id,
        world.maple.office_id,
    )
    # The search follows the change.
    assert names(search(db, world.maple, "647-555-0100")) == ["Smith-Jones, Anna"]
    assert search(db, world.maple, "416 555 0199").total == 0


def test_invalid_update_leaves_the_record_as_it_was(db: Session, world: World) -> None:
    patient = create(db, world.maple.staff, world.maple.office, email="ana@example.com")
    with pytest.raises(Invalid) as caught:
        records.update_patient(
            db,
            world.maple.staff,
            patient.id,  # type: ignore[arg-type]
            PatientInput(first_name="Changed", last_name="Smith", email="not-an-email"),
            now=NOW,
        )
    db.rollback()
    assert caught.value.field == "email"
    row = fresh(db, patient.id)  # type: ignore[arg-type]
    assert (row.first_name, row.email) == ("Ana", "ana@example.com")
    assert world.audit_since_built("patient.updated") == []


def test_every_view_is_audited(db: Session, world: World) -> None:
    patient = create(db, world.maple.staff, world.maple.office)
    for actor in (world.maple.staff, world.maple.owner):
        assert records.get_patient(db, actor, patient.id).id == patient.id  # type: ignore[arg-type]
        db.commit()
    entries = world.audit_since_built("patient.viewed")
    assert [(e.actor_user_id, e.patient_id, e.office_id) for e in entries] == [
        (world.maple.staff.user_id, patient.id, world.maple.office_id),
        (world.maple.owner.user_id, patient.id, world.maple.office_id),
    ]
    assert all(e.client_ip == "203.0.113.9" for e in entries)


# --- search and pagination ---------------------------------------------------


@pytest.fixture
def people(db: Session, world: World) -> dict[str, Patient]:
    specs = {
        "ana_smith": {"first_name": "Ana", "last_name": "Smith", "email": "ana.smith@example.com",
                      "phone": "416 555 0199", "date_of_birth": "2015-04-02"},
        "ana_jones": {"first_name": "Ana", "last_name": "Jones", "email": "aj@example.org",
                      "phone": "+1 (647) 555-0123", "date_of_birth": "1980-11-30"},
        "bob_smith": {"first_name": "Bob", "last_name": "Smith", "email": "bob@mail.test",
                      "phone": "905-555-0142", "date_of_birth": "2015-04-03"},
        "cy_lovelace": {"first_name": "Cy", "last_name": "Lovelace"},
    }  # fmt: skip
    return {key: create(db, world.maple.staff, world.maple.office, **values) for key, values in specs.items()}


def search(db: Session, team: Team, query: str, page: int = 1) -> patient_search.PatientPage:
    return patient_search.search_patients(db, team.staff, team.office_id, query, page)


def test_empty_search_lists_everyone_by_last_then_first_name(db: Session, world: World, people) -> None:  # type: ignore[no-untyped-def]
    result = search(db, world.maple, "")  # the world's Ana and Ben Souza are Maple's too
    assert names(result) == ["Jones, Ana", "Lovelace, Cy", "Smith, Ana", "Smith, Bob", "Souza, Ana", "Souza, Ben"]
    assert (result.total, result.page, result.pages) == (6, 1, 1)
    row = result.rows[2]
    assert (row.id, row.date_of_birth, row.email, row.phone) == (
        people["ana_smith"].id,
        "2015-04-02",
        "ana.smith@example.com",
        "416 555 0199",
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("smith", ["Smith, Ana", "Smith, Bob"]),
        ("SMITH", ["Smith, Ana", "Smith, Bob"]),
        ("lovel", ["Lovelace, Cy"]),
        ("ana", ["Jones, Ana", "Smith, Ana", "Souza, Ana"]),  # Ana Souza is the world's
        ("bob", ["Smith, Bob"]),
        ("ana.smith@example.com", ["Smith, Ana"]),
        ("aj@example.org", ["Jones, Ana"]),
        ("example.org", ["Jones, Ana"]),
        ("416-555-0199", ["Smith, Ana"]),
        ("416 555 0199", ["Smith, Ana"]),
        ("4165550199", ["Smith, Ana"]),
        ("(416) 555-0199", ["Smith, Ana"]),
        ("647-555-0123", ["Jones, Ana"]),
        ("905.555.0142", ["Smith, Bob"]),
        ("2015-04-02", ["Smith, Ana", "Souza, Ana"]),  # born the same day
        ("2015-04", ["Smith, Ana", "Smith, Bob", "Souza, Ana"]),
        ("1980-11-30", ["Jones, Ana"]),
        ("ana smith", ["Smith, Ana"]),
        ("smith ana", ["Smith, Ana"]),
        ("smith 2015-04-03", ["Smith, Bob"]),
        ("ana 905-555-0142", []),
        ("nobody", []),
        ("%", []),
        ("_", []),
    ],
)
def test_search(db: Session, world: World, people, query: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = search(db, world.maple, query)
    assert names(result) == expected
    assert result.total == len(expected)
    assert result.pages == 1


@pytest.mark.parametrize("typed", ["+1 416 555 0199", "+1 (416) 555-0199", "+1 416-555-0199"])
def test_search_finds_a_phone_typed_as_it_is_stored(db: Session, world: World, typed: str) -> None:
    """The app asks for phones "like +1 416 555 0100"; typing one back that way must find the patient.

    Bug: the "+1" word is compared literally (its single digit is below the 3-digit threshold), and
    search_text keeps only digits, so the search finds nothing.
    """
    create(db, world.maple.staff, world.maple.office, first_name="Ana", last_name="Smith", phone="+1 416 555 0199")
    create(db, world.maple.staff, world.maple.office, first_name="Bob", last_name="Jones", phone="+1 905 555 0142")
    assert names(search(db, world.maple, typed)) == ["Smith, Ana"]


def test_search_is_paginated_25_per_page(db: Session, world: World) -> None:
    for i in range(30):
        create(db, world.maple.staff, world.maple.office, first_name=f"Kid{i:02d}", last_name="Smith")
    for i in range(31):
        create(db, world.maple.staff, world.maple.office, first_name=f"Kid{i:02d}", last_name="Jones")
    everyone = [search(db, world.maple, "", page) for page in (1, 2, 3)]  # and the world's two Souzas
    assert [(p.total, p.page, p.pages, len(p.rows)) for p in everyone] == [
        (63, 1, 3, 25),
        (63, 2, 3, 25),
        (63, 3, 3, 13),
    ]
    ids = [row.id for p in everyone for row in p.rows]
    assert len(ids) == len(set(ids)) == 63
    assert names(everyone[0])[:2] == ["Jones, Kid00", "Jones, Kid01"]
    assert names(everyone[2])[-3:] == ["Smith, Kid29", "Souza, Ana", "Souza, Ben"]
    # Out-of-range pages are clamped.
    assert search(db, world.maple, "", 99).page == 3
    assert names(search(db, world.maple, "", 0)) == names(everyone[0])
    # The total follows the filter.
    smiths = search(db, world.maple, "smith", 2)
    assert (smiths.total, smiths.page, smiths.pages, len(smiths.rows)) == (30, 2, 2, 5)
    assert all(name.startswith("Smith, ") for name in names(smiths))
    assert search(db, world.maple, "nobody").pages == 1


def _bulk_rows(office_id: int, count: int, offset: int = 0) -> list[dict]:
    last_names = ["Smith", "Jones", "Nguyen", "Garcia", "Tremblay", "Singh", "Roy", "Martin", "Lee", "Brown"]
    rows = []
    for i in range(offset, offset + count):
        patient = Patient(
            office_id=office_id,
            first_name=f"First{i:05d}",
            last_name=last_names[i % 10],
            date_of_birth=date(1940, 1, 1) + timedelta(days=i * 3),
            email=f"person{i:05d}@example.com",
            phone=f"416 55{i // 10000} {i % 10000:04d}",
            created_at=NOW,
            updated_at=NOW,
        )
        patient.search_text = patient_search.search_text(patient)
        rows.append(patient.model_dump(exclude={"id"}))
    return rows


def test_search_over_hundreds_of_patients_counts_pages_and_matches_every_word(db: Session, world: World) -> None:
    """The cases benchmarks/scenarios/search_cases.py times on 10,000 patients, on a few hundred: right
    answers here, fast answers there."""
    already = search(db, world.maple, "").total  # the world's own
    db.execute(insert(Patient), _bulk_rows(world.maple.office_id, 500))  # type: ignore[arg-type]
    db.execute(insert(Patient), _bulk_rows(world.birch.office_id, 100, offset=500))  # type: ignore[arg-type]
    db.commit()
    target = 242  # a Nguyen
    born = (date(1940, 1, 1) + timedelta(days=target * 3)).isoformat()
    cases = [
        ("", 1, already + 500),
        ("smith", 1, 50),
        ("smith", 2, 50),
        (f"person{target:05d}@example.com", 1, 1),
        (f"416-550-{target:04d}", 1, 1),
        (born, 1, 1),
        (f"first{target:05d} smith", 1, 0),  # AND-ed words exclude it
        (f"first{target:05d} nguyen", 1, 1),
        ("zzz", 1, 0),
    ]
    for query, page, total in cases:
        assert search(db, world.maple, query, page).total == total, query
    assert search(db, world.maple, "").pages == -(-(already + 500) // 25)
    assert len(search(db, world.maple, "smith", 2).rows) == 25
    assert names(search(db, world.maple, f"first{target:05d}"))[0] == f"Nguyen, First{target:05d}"
    # The other office's 100 are never counted, even when they match.
    assert search(db, world.maple, "first00550").total == 0
    assert search(db, world.birch, "first00550").total == 1


# --- office isolation --------------------------------------------------------


def test_staff_of_another_office_cannot_see_search_get_or_update(db: Session, world: World) -> None:
    mine = create(db, world.maple.staff, world.maple.office, last_name="Smith")
    theirs = create(db, world.birch.staff, world.birch.office, last_name="Smith", email="theirs@example.com")
    # Searching in my office never shows their patient.
    assert [r.id for r in search(db, world.maple, "smith").rows] == [mine.id]
    # Searching their office is refused.
    with pytest.raises(PermissionDenied):
        patient_search.search_patients(db, world.maple.staff, world.birch.office_id, "smith")  # type: ignore[arg-type]
    db.rollback()
    # Their record looks exactly like a missing one.
    with pytest.raises(NotFound) as missing:
        records.get_patient(db, world.maple.staff, MISSING_ID)
    db.rollback()
    with pytest.raises(NotFound) as foreign:
        records.get_patient(db, world.maple.staff, theirs.id)  # type: ignore[arg-type]
    db.rollback()
    assert foreign.value.message == missing.value.message
    with pytest.raises(NotFound) as foreign_update:
        records.update_patient(
            db,
            world.maple.staff,
            theirs.id,
            PatientInput(first_name="Hacked", last_name="Smith"),
            now=NOW,  # type: ignore[arg-type]
        )
    db.rollback()
    assert foreign_update.value.message == missing.value.message
    with pytest.raises(NotFound):
        proposals.pending_proposals(db, world.maple.staff, theirs.id)  # type: ignore[arg-type]
    db.rollback()
    with pytest.raises(PermissionDenied):
        records.create_patient(
            db,
            world.maple.staff,
            world.birch.office_id,
            PatientInput(first_name="Sneaky", last_name="Add"),
            now=NOW,  # type: ignore[arg-type]
        )
    db.rollback()
    row = fresh(db, theirs.id)  # type: ignore[arg-type]
    assert (row.first_name, row.email) == ("Ana", "theirs@example.com")
    assert count(db, Patient, Patient.office_id == world.birch.office_id) == 2  # Cleo and theirs
    mine_on_theirs = (AuditEntry.patient_id == theirs.id, AuditEntry.actor_user_id == world.maple.staff.user_id)
    assert count(db, AuditEntry, *mine_on_theirs) == 0
    # The owner of the other office is refused just the same.
    with pytest.raises(NotFound):
        records.get_patient(db, world.birch.owner, mine.id)  # type: ignore[arg-type]
    db.rollback()


def test_a_clinic_user_outside_every_office_is_refused(db: Session, world: World) -> None:
    patient = create(db, world.maple.staff, world.maple.office)
    stranger, _ = sign_in_as(db, make_user(db, email="stranger@example.com"))
    with pytest.raises(PermissionDenied):
        patient_search.search_patients(db, stranger, world.maple.office_id, "")  # type: ignore[arg-type]
    db.rollback()
    with pytest.raises(NotFound):
        records.get_patient(db, stranger, patient.id)  # type: ignore[arg-type]
    db.rollback()
    assert world.audit_since_built("patient.viewed") == []


def test_a_patient_account_is_refused(db: Session, world: World) -> None:
    patient = create(db, world.maple.staff, world.maple.office)
    patients_before = count(db, Patient)
    portal_user = world.actor(world.parent)  # holds two of the office's records, and is still no staff
    # Even pretending the session points at the office, a patient account is not staff.
    portal_user = replace(portal_user, current_office_id=world.maple.office_id)
    with pytest.raises(PermissionDenied):
        patient_search.search_patients(db, portal_user, world.maple.office_id, "")  # type: ignore[arg-type]
    db.rollback()
    with pytest.raises(NotFound):
        records.get_patient(db, portal_user, patient.id)  # type: ignore[arg-type]
    db.rollback()
    with pytest.raises(NotFound):
        records.update_patient(db, portal_user, patient.id, PatientInput("X", "Y"), now=NOW)  # type: ignore[arg-type]
    db.rollback()
    with pytest.raises(PermissionDenied):
        records.create_patient(db, portal_user, world.maple.office_id, PatientInput("X", "Y"), now=NOW)  # type: ignore[arg-type]
    db.rollback()
    assert count(db, Patient) == patients_before
    assert fresh(db, patient.id).first_name == "Ana"  # type: ignore[arg-type]


def test_a_patient_account_even_with_a_membership_row_is_refused(db: Session, world: World) -> None:
    """The account kind is checked, not only the membership table."""
    patient = create(db, world.maple.staff, world.maple.office)
    db.add(Membership(office_id=world.maple.office_id, user_id=world.stranger.user_id, role=OfficeRole.owner))
    db.commit()
    portal_user = world.actor(world.stranger)
    with pytest.raises(PermissionDenied):
        patient_search.search_patients(db, portal_user, world.maple.office_id, "")  # type: ignore[arg-type]
    db.rollback()
    with pytest.raises(NotFound):
        records.get_patient(db, portal_user, patient.id)  # type: ignore[arg-type]
    db.rollback()
