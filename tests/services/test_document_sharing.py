"""The label panel and its rule: where a document is filed × whom it is shared with × which label (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.models import AuditEntry, DocumentShare, User
from app.services.documents import labels, shares
from app.services.documents.storage import DiskStore
from app.services.errors import Invalid, NotFound, PermissionDenied
from app.services.sharing import pins
from tests.documents_support import pdf_bytes, upload
from tests.world import World


@pytest.fixture
def store(tmp_path: Path) -> DiskStore:
    return DiskStore(tmp_path / "files")


def share_pin(db: Session, user_id: int) -> str:
    user = db.get(User, user_id)
    assert user is not None and user.share_pin
    return user.share_pin


def docs(world: World, db: Session, store: DiskStore) -> dict[str, int]:
    """One document in Maple's All Documents, one in Ana's workspace, one in Ben's; Sam (staff) has Birch's
    practitioner on his sharing list (by her Share PIN)."""
    office, staff = world.maple.office_id, world.maple.staff
    pins.add_by_pin(db, staff, share_pin(db, world.birch.practitioner.user_id))
    db.commit()
    return {
        "all": upload(db, store, staff, pdf_bytes(), "letter.pdf", office=office).id,  # type: ignore[dict-item]
        "ana": upload(db, store, staff, pdf_bytes(2), "ana.pdf", office=office, patient=world.ana.id).id,  # type: ignore[dict-item]
        "ben": upload(db, store, staff, pdf_bytes(3), "ben.pdf", office=office, patient=world.ben.id).id,  # type: ignore[dict-item]
    }


def recipient(world: World, who: str) -> str:
    return {
        "patient ana": f"patient:{world.ana.id}",
        "patient ben": f"patient:{world.ben.id}",
        "patient of birch": f"patient:{world.cleo.id}",
        "colleague": f"practitioner:{world.maple.practitioner.user_id}",
        "listed practitioner": f"practitioner:{world.birch.practitioner.user_id}",
        "unrelated practitioner": f"practitioner:{world.birch.owner.user_id}",
        "staff colleague": f"practitioner:{world.maple.staff.user_id}",
    }[who]


MATRIX = [
    # (where the document is, the share label, allowed?)
    ("all", "patient ana", True),
    ("all", "patient ben", True),
    ("all", "patient of birch", False),
    ("all", "colleague", True),
    ("all", "listed practitioner", True),
    ("all", "unrelated practitioner", False),
    ("all", "staff colleague", False),  # Practitioner Share Labels are for practitioners
    ("ana", "patient ana", True),
    ("ana", "patient ben", False),
    ("ana", "patient of birch", False),
    ("ana", "colleague", True),
    ("ana", "listed practitioner", True),
    ("ana", "unrelated practitioner", False),
]


@pytest.mark.parametrize(("where", "who", "allowed"), MATRIX)
def test_the_share_rule(world: World, db: Session, store: DiskStore, where: str, who: str, allowed: bool) -> None:
    ids = docs(world, db, store)
    key = recipient(world, who)
    apply = lambda: shares.apply_labels(  # noqa: E731
        db, world.maple.staff, world.maple.office_id, [str(ids[where])], {key: True}
    )
    if allowed:
        assert apply().shared == 1
        db.commit()
        panel = shares.label_panel(db, world.maple.staff, world.maple.office_id, [ids[where]])
        assert any(c.key == key and c.state == "on" for c in panel.patients + panel.practitioners)
    else:
        with pytest.raises((Invalid, NotFound)):
            apply()
        db.rollback()
        assert db.exec(select(DocumentShare)).all() == []


def test_the_panel_offers_only_what_the_rule_allows(world: World, db: Session, store: DiskStore) -> None:
    ids, office, staff = docs(world, db, store), world.maple.office_id, world.maple.staff
    filed = shares.label_panel(db, staff, office, [ids["all"]])
    assert filed.any_patient and filed.patient_rule == "" and filed.patients == []
    offered = {c.name: c.detail for c in filed.practitioners}
    assert offered == {
        "Olive Maple": "Your office",
        "Priya Maple": "Your office",
        "Priya Birch": "On your sharing list",
    }
    found = shares.find_patients(db, staff, office, [ids["all"]], "souza")
    assert [c.name for c in found] == ["Souza, Ana", "Souza, Ben"]
    workspace = shares.label_panel(db, staff, office, [ids["ana"]])
    assert not workspace.any_patient and workspace.patient_rule == shares.ONE_WORKSPACE
    assert [c.key for c in workspace.patients] == [f"patient:{world.ana.id}"]
    assert shares.find_patients(db, staff, office, [ids["ana"]], "souza") == []
    mixed = shares.label_panel(db, staff, office, [ids["all"], ids["ana"]])
    assert [c.key for c in mixed.patients] == [f"patient:{world.ana.id}"]
    several = shares.label_panel(db, staff, office, [ids["ana"], ids["ben"]])
    assert several.patients == [] and several.patient_rule == shares.SEVERAL_WORKSPACES
    with pytest.raises(Invalid, match="Souza, Ana's workspace"):
        shares.apply_labels(db, staff, office, [ids["all"], ids["ana"]], {f"patient:{world.ben.id}": True})


def test_labels_and_shares_apply_at_once_and_unchecking_removes(world: World, db: Session, store: DiskStore) -> None:
    ids, office, staff = docs(world, db, store), world.maple.office_id, world.maple.staff
    lab = labels.save_label(db, staff, office, None, "Lab results", "teal")
    db.commit()
    both = [ids["all"], ids["ana"]]
    done = shares.apply_labels(
        db,
        staff,
        office,
        both,
        {f"label:{lab.id}": True, f"practitioner:{world.birch.practitioner.user_id}": True},
    )
    db.commit()
    assert done == shares.Applied(labelled=2, shared=2, unshared=0)
    shares.apply_labels(db, staff, office, [ids["all"]], {f"patient:{world.ben.id}": True})
    db.commit()
    panel = shares.label_panel(db, staff, office, both)
    states = {c.key: c.state for c in panel.labels + panel.patients + panel.practitioners}
    assert states[f"label:{lab.id}"] == "on"
    assert states[f"practitioner:{world.birch.practitioner.user_id}"] == "on"
    assert states[f"patient:{world.ana.id}"] == "off"  # Ana's workspace document may go to Ana only
    assert states[f"patient:{world.ben.id}"] == "some"  # shown, so that it can be removed
    alone = shares.label_panel(db, staff, office, [ids["all"]])
    assert {c.key: c.state for c in alone.patients} == {f"patient:{world.ben.id}": "on"}
    shares.apply_labels(
        db, staff, office, both, {f"label:{lab.id}": False, f"practitioner:{world.birch.practitioner.user_id}": False}
    )
    db.commit()
    live = db.exec(select(DocumentShare).where(DocumentShare.removed_at.is_(None))).all()  # type: ignore[union-attr]
    assert [(s.document_id, s.patient_id) for s in live] == [(ids["all"], world.ben.id)]
    actions = [e.action for e in db.exec(select(AuditEntry).order_by(AuditEntry.id)).all()]
    assert actions.count("document.shared") == 3 and actions.count("document.unshared") == 2
    assert actions.count("document.labelled") == 4


def test_hand_made_changes_are_refused_whole(world: World, db: Session, store: DiskStore) -> None:
    ids, office, staff = docs(world, db, store), world.maple.office_id, world.maple.staff
    birch_label = labels.save_label(db, world.birch.staff, world.birch.office_id, None, "Birch", "red")
    db.commit()
    bad = [
        {"label:1e3": True},
        {"patient:12": "yes"},
        {"nonsense:1": True},
        {f"label:{birch_label.id}": True},
        {},
        ["patient:1"],
    ]
    for changes in bad:
        with pytest.raises((Invalid, NotFound)):
            shares.apply_labels(db, staff, office, [ids["all"]], changes)
        db.rollback()
    cleo_doc = upload(db, store, world.birch.staff, pdf_bytes(), office=world.birch.office_id)
    for selection in ([cleo_doc.id], [ids["all"], cleo_doc.id], [], ["²"], "1", [ids["all"]] * 300):
        with pytest.raises((Invalid, NotFound)):
            shares.apply_labels(db, staff, office, selection, {f"patient:{world.ana.id}": True})
        db.rollback()
    with pytest.raises(PermissionDenied):  # another office's people never label this office's documents
        shares.apply_labels(db, world.birch.practitioner, office, [ids["all"]], {f"patient:{world.ana.id}": True})
    with pytest.raises(PermissionDenied):
        shares.label_panel(db, world.actor(world.parent), office, [ids["all"]])
    assert db.exec(select(DocumentShare)).all() == []


def test_labels_are_the_offices_own(world: World, db: Session) -> None:
    office, staff = world.maple.office_id, world.maple.staff
    lab = labels.save_label(db, staff, office, None, "  Insurance   forms ", "blue")
    db.commit()
    assert lab.name == "Insurance forms"
    with pytest.raises(Invalid, match="already a label"):
        labels.save_label(db, world.maple.owner, office, None, "insurance FORMS", "red")
    with pytest.raises(Invalid):
        labels.save_label(db, staff, office, None, "x", "#ff0000")
    labels.save_label(db, staff, office, lab.id, "Insurance", "purple")
    db.commit()
    assert [(v.name, v.color) for v in labels.office_labels(db, staff, office)] == [("Insurance", "purple")]
    with pytest.raises(NotFound):
        labels.save_label(db, world.birch.owner, world.birch.office_id, lab.id, "Mine now", "red")
    with pytest.raises(PermissionDenied):
        labels.delete_label(db, world.birch.owner, office, lab.id)
    assert labels.delete_label(db, staff, office, lab.id) == "Insurance"
    db.commit()
    assert labels.office_labels(db, staff, office) == []
