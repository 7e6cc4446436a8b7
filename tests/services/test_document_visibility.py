"""Who sees a document in every list, and after every change that takes it away (issue 12)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.models import Appointment, AuditEntry, Patient, PortalAccess
from app.services import access_codes
from app.services.actor import Actor
from app.services.documents import access, lists, portal, shares
from app.services.documents.storage import DiskStore
from app.services.errors import Invalid, NotFound, PermissionDenied
from app.services.sharing import pins
from app.services.team import members as team
from tests.documents_support import image_bytes, pdf_bytes, upload
from tests.services.test_document_sharing import share_pin
from tests.world import World


@pytest.fixture
def store(tmp_path: Path) -> DiskStore:
    return DiskStore(tmp_path / "files")


def names(page: lists.DocumentPage) -> list[str]:
    return [row.name for row in page.rows]


def clinic_sees(db: Session, actor: Actor, office_id: int, show: str = "all") -> list[str]:
    return sorted(names(lists.all_documents(db, actor, office_id, lists.ListQuery(show=show))))


def portal_sees(db: Session, actor: Actor, record: int | None) -> tuple[list[str], list[str]]:
    found = portal.portal_documents(db, actor, record)
    return sorted(d.name for d in found.shared), sorted(d.name for d in found.uploads)


def opens(db: Session, actor: Actor, document_id: int | None) -> bool:
    try:
        access.access_document(db, actor, document_id)
    except NotFound:
        return False
    return True


def test_all_documents_and_a_patients_documents(world: World, db: Session, store: DiskStore) -> None:
    office, staff = world.maple.office_id, world.maple.staff
    upload(db, store, staff, pdf_bytes(), "letter.pdf", office=office)
    upload(db, store, staff, pdf_bytes(2), "ana-lab.pdf", office=office, patient=world.ana.id)
    upload(db, store, world.birch.staff, pdf_bytes(3), "birch.pdf", office=world.birch.office_id)
    parent = world.actor(world.parent)
    upload(db, store, parent, image_bytes("JPEG"), "rash.jpg", patient=world.ana.id)
    assert clinic_sees(db, world.maple.practitioner, office) == ["letter.pdf"]
    tab = lists.patient_documents(db, staff, world.ana.id, lists.ListQuery())
    assert sorted(names(tab)) == ["ana-lab.pdf", "rash.jpg"]
    from_patient = lists.patient_documents(db, staff, world.ana.id, lists.ListQuery(show="patient"))
    assert names(from_patient) == ["rash.jpg"] and from_patient.rows[0].from_patient
    assert from_patient.rows[0].uploaded_by == "Pat Parent"
    with pytest.raises(NotFound):
        lists.patient_documents(db, world.birch.owner, world.ana.id, lists.ListQuery())
    with pytest.raises(PermissionDenied):
        lists.all_documents(db, world.birch.owner, office, lists.ListQuery())
    with pytest.raises(PermissionDenied):
        lists.all_documents(db, parent, office, lists.ListQuery())


def test_a_practitioner_of_another_office_sees_what_is_shared_with_them_until_it_stops(
    world: World, db: Session, store: DiskStore
) -> None:
    office, staff, dr_birch = world.maple.office_id, world.maple.staff, world.birch.practitioner
    pins.add_by_pin(db, staff, share_pin(db, dr_birch.user_id))
    doc = upload(db, store, staff, pdf_bytes(), "referral.pdf", office=office, patient=world.ana.id)
    other = upload(db, store, staff, pdf_bytes(2), "other.pdf", office=office)
    key = f"practitioner:{dr_birch.user_id}"
    shares.apply_labels(db, staff, office, [doc.id], {key: True})
    db.commit()
    assert clinic_sees(db, dr_birch, world.birch.office_id) == ["referral.pdf"]
    assert clinic_sees(db, dr_birch, world.birch.office_id, "shared") == ["referral.pdf"]
    [row] = lists.all_documents(db, dr_birch, world.birch.office_id, lists.ListQuery()).rows
    assert row.shared_by == "Shared by Sam Maple · Maple Street Clinic"
    assert not row.manage and row.labels == [] and row.shared_with == []
    assert opens(db, dr_birch, doc.id) and not opens(db, dr_birch, other.id)
    assert not access.access_document(db, dr_birch, doc.id).manage
    with pytest.raises(NotFound):
        access.access_document(db, dr_birch, doc.id, manage=True)
    assert not opens(db, world.birch.owner, doc.id)  # shared with her, not with her office
    # Unshared: gone at once.
    shares.apply_labels(db, staff, office, [doc.id], {key: False})
    db.commit()
    assert clinic_sees(db, dr_birch, world.birch.office_id) == [] and not opens(db, dr_birch, doc.id)
    # Shared again, then taken off the sharer's list: gone (they are no longer related).
    shares.apply_labels(db, staff, office, [doc.id], {key: True})
    db.commit()
    assert opens(db, dr_birch, doc.id)
    [entry] = pins.sharing_list(db, staff)
    pins.remove_entry(db, staff, entry.id)
    db.commit()
    assert not opens(db, dr_birch, doc.id)
    # On the list again, then the sharer leaves the office: the office's shares by them lapse.
    pins.add_by_pin(db, staff, share_pin(db, dr_birch.user_id))
    db.commit()
    assert opens(db, dr_birch, doc.id)
    team.remove_member(db, world.maple.owner, office, staff.user_id)
    db.commit()
    assert not opens(db, dr_birch, doc.id) and clinic_sees(db, dr_birch, world.birch.office_id) == []


def test_removal_from_the_office_takes_its_documents_away(world: World, db: Session, store: DiskStore) -> None:
    office, staff, priya = world.maple.office_id, world.maple.staff, world.maple.practitioner
    doc = upload(db, store, staff, pdf_bytes(), "team.pdf", office=office)
    shares.apply_labels(db, staff, office, [doc.id], {f"practitioner:{priya.user_id}": True})
    db.commit()
    assert opens(db, priya, doc.id) and clinic_sees(db, priya, office) == ["team.pdf"]
    team.remove_member(db, world.maple.owner, office, priya.user_id)
    db.commit()
    assert not opens(db, priya, doc.id)  # neither as a member nor through the colleague's share
    with pytest.raises(PermissionDenied):
        clinic_sees(db, priya, office)


def test_the_portal_shows_shared_documents_only_with_a_code_and_own_uploads_always(
    world: World, db: Session, store: DiskStore
) -> None:
    office, staff = world.maple.office_id, world.maple.staff
    parent = world.actor(world.parent)
    letter = upload(db, store, staff, pdf_bytes(), "letter.pdf", office=office)
    for_ben = upload(db, store, staff, pdf_bytes(2), "ben.pdf", office=office, patient=world.ben.id)
    upload(db, store, staff, pdf_bytes(3), "unshared.pdf", office=office, patient=world.ana.id)
    shares.apply_labels(db, staff, office, [letter.id], {f"patient:{world.ana.id}": True})
    shares.apply_labels(db, staff, office, [for_ben.id], {f"patient:{world.ben.id}": True})
    db.commit()
    photo = upload(db, store, parent, image_bytes("PNG"), "photo.png", patient=world.ana.id)
    assert portal_sees(db, parent, world.ana.id) == (["letter.pdf"], ["photo.png"])
    assert portal_sees(db, parent, world.ben.id) == (["ben.pdf"], [])
    assert opens(db, parent, letter.id) and opens(db, parent, photo.id)
    stranger = world.actor(world.stranger)
    assert not opens(db, stranger, letter.id) and not opens(db, stranger, photo.id)
    with pytest.raises(NotFound):
        portal.portal_documents(db, stranger, world.ana.id)
    # Revoked: the shared letter is gone; the account's own upload stays with it.
    access_id = next(h.access_id for h in access_codes.holders(db, staff, world.ana.id) if h.name == "Pat Parent")  # type: ignore[arg-type]
    access_codes.revoke_access(db, staff, access_id)
    db.commit()
    assert not opens(db, parent, letter.id) and opens(db, parent, photo.id)
    assert portal_sees(db, parent, world.ben.id) == (["ben.pdf"], ["photo.png"])
    # Unshared and deleted documents leave the portal too.
    shares.apply_labels(db, staff, office, [for_ben.id], {f"patient:{world.ben.id}": False})
    db.commit()
    assert portal_sees(db, parent, world.ben.id) == ([], ["photo.png"])


def test_an_account_without_a_code_uploads_to_its_online_client_record(
    world: World, db: Session, store: DiskStore
) -> None:
    stranger = world.actor(world.stranger)
    assert not portal.portal_documents(db, stranger, None).can_upload
    with pytest.raises(Invalid, match="Book an appointment online"):
        upload(db, store, stranger, image_bytes("PNG"), "x.png")
    db.rollback()
    online = Patient(office_id=world.maple.office_id, first_name="Stan", last_name="Stranger", new_online_client=True)
    db.add(online)
    db.flush()
    start = datetime.now(UTC) + timedelta(days=2)
    db.add(
        Appointment(
            office_id=world.maple.office_id,
            practitioner_id=world.maple.practitioner.user_id,
            patient_id=online.id,  # type: ignore[arg-type]
            starts_at=start,
            ends_at=start + timedelta(minutes=30),
            booked_online=True,
            booked_by_user_id=stranger.user_id,
        )
    )
    db.commit()
    found = portal.portal_documents(db, stranger, None)
    assert found.can_upload and found.upload_to == "Maple Street Clinic" and not found.unlocked
    doc = upload(db, store, stranger, image_bytes("PNG"), "insurance card.png")
    assert doc.patient_id == online.id and doc.office_id == world.maple.office_id
    assert portal_sees(db, stranger, None) == ([], ["insurance card.png"])
    tab = lists.patient_documents(db, world.maple.staff, online.id, lists.ListQuery(show="patient"))
    assert names(tab) == ["insurance card.png"]
    # Someone else's record, even by its id, is refused.
    with pytest.raises(NotFound):
        upload(db, store, stranger, image_bytes("PNG"), "y.png", patient=world.ana.id)


def test_deleting_hides_a_document_everywhere_and_undo_brings_it_back(
    world: World, db: Session, store: DiskStore
) -> None:
    from app.services.documents import manage

    office, staff = world.maple.office_id, world.maple.staff
    parent = world.actor(world.parent)
    doc = upload(db, store, staff, pdf_bytes(), "gone.pdf", office=office)
    shares.apply_labels(db, staff, office, [doc.id], {f"patient:{world.ana.id}": True})
    db.commit()
    deleted = manage.delete(db, staff, office, [doc.id])
    db.commit()
    assert deleted.names == ["gone.pdf"]
    assert clinic_sees(db, staff, office) == [] and portal_sees(db, parent, world.ana.id) == ([], [])
    assert not opens(db, staff, doc.id) and not opens(db, parent, doc.id)
    with pytest.raises(NotFound):
        manage.restore(db, world.birch.owner, world.birch.office_id, [doc.id])
    assert manage.restore(db, world.maple.owner, office, [doc.id]) == 1
    db.commit()
    assert portal_sees(db, parent, world.ana.id) == (["gone.pdf"], [])
    manage.delete(db, staff, office, [doc.id], now=datetime.now(UTC) - timedelta(minutes=manage.UNDO_MINUTES + 1))
    db.commit()
    with pytest.raises(NotFound, match="no longer be undone"):
        manage.restore(db, staff, office, [doc.id])
    actions = [e.action for e in db.exec(select(AuditEntry).where(AuditEntry.target_id == doc.id)).all()]
    assert actions.count("document.deleted") == 2 and actions.count("document.restored") == 1


def test_moving_into_a_workspace_and_renaming(world: World, db: Session, store: DiskStore) -> None:
    from app.services.documents import manage

    office, staff = world.maple.office_id, world.maple.staff
    doc = upload(db, store, staff, pdf_bytes(), "scan.pdf", office=office)
    shared = upload(db, store, staff, pdf_bytes(2), "shared.pdf", office=office)
    shares.apply_labels(db, staff, office, [shared.id], {f"patient:{world.ben.id}": True})
    db.commit()
    with pytest.raises(Invalid, match="shared with another patient"):
        manage.move_to_patient(db, staff, office, [shared.id], world.ana.id)
    db.rollback()
    with pytest.raises(NotFound):
        manage.move_to_patient(db, staff, office, [doc.id], world.cleo.id)
    db.rollback()
    assert manage.move_to_patient(db, staff, office, [doc.id], world.ana.id) == "Ana Souza"
    db.commit()
    assert clinic_sees(db, staff, office) == ["shared.pdf"]
    assert names(lists.patient_documents(db, staff, world.ana.id, lists.ListQuery())) == ["scan.pdf"]
    with pytest.raises(Invalid):  # now a workspace document: Ana's only
        shares.apply_labels(db, staff, office, [doc.id], {f"patient:{world.ben.id}": True})
    db.rollback()
    with pytest.raises(Invalid, match="Only documents in All Documents"):
        manage.move_to_patient(db, staff, office, [doc.id], world.ana.id)
    db.rollback()
    assert manage.rename(db, staff, doc.id, "  Ana's  scan.pdf ").name == "Ana's scan.pdf"
    with pytest.raises(NotFound):
        manage.rename(db, world.birch.owner, doc.id, "mine.pdf")
    with pytest.raises(Invalid):
        manage.rename(db, staff, doc.id, "   ")


def test_search_label_filter_sort_and_pages(world: World, db: Session, store: DiskStore) -> None:
    from app.services.documents import labels

    office, staff = world.maple.office_id, world.maple.staff
    made = [upload(db, store, staff, pdf_bytes(), f"report {i:02d}.pdf", office=office) for i in range(30)]
    lab = labels.save_label(db, staff, office, None, "Imaging", "blue")
    shares.apply_labels(db, staff, office, [made[3].id, made[7].id], {f"label:{lab.id}": True})
    db.commit()
    first = lists.all_documents(db, staff, office, lists.ListQuery(sort="name"))
    assert (first.total, first.pages, len(first.rows)) == (30, 2, 25) and first.rows[0].name == "report 00.pdf"
    second = lists.all_documents(db, staff, office, lists.ListQuery(sort="name", page=2))
    assert [r.name for r in second.rows][-1] == "report 29.pdf"
    assert names(lists.all_documents(db, staff, office, lists.ListQuery(text="REPORT 14"))) == ["report 14.pdf"]
    by_label = lists.all_documents(db, staff, office, lists.ListQuery(label=str(lab.id), sort="name"))
    assert names(by_label) == ["report 03.pdf", "report 07.pdf"]
    assert sorted(names(lists.all_documents(db, staff, office, lists.ListQuery(text="imag")))) == names(by_label)
    assert by_label.rows[0].labels == [lists.Tag("Imaging", "blue")]
    with pytest.raises(NotFound):
        lists.all_documents(db, staff, office, lists.ListQuery(label="1e3"))


def test_a_merge_moves_documents_and_shares_to_the_surviving_record(
    world: World, db: Session, store: DiskStore
) -> None:
    from app.services import patient_merge

    office, staff = world.maple.office_id, world.maple.staff
    online = Patient(office_id=office, first_name="Ana", last_name="S.", new_online_client=True)
    db.add(online)
    db.commit()
    in_workspace = upload(db, store, staff, pdf_bytes(), "online.pdf", office=office, patient=online.id)
    filed = upload(db, store, staff, pdf_bytes(2), "both.pdf", office=office)
    shares.apply_labels(db, staff, office, [filed.id], {f"patient:{online.id}": True, f"patient:{world.ana.id}": True})
    db.commit()
    patient_merge.merge_into(db, staff, online.id, world.ana.id)  # type: ignore[arg-type]
    db.commit()
    tab = lists.patient_documents(db, staff, world.ana.id, lists.ListQuery())
    assert names(tab) == ["online.pdf"] and in_workspace.id
    parent = world.actor(world.parent)
    assert portal_sees(db, parent, world.ana.id)[0] == ["both.pdf"]
    assert db.exec(select(PortalAccess).where(PortalAccess.patient_id == online.id)).all() == []
