"""The label panel: ordinary labels, Patient Share Labels and Practitioner Share Labels, applied at once.

*Apply Labels* sends, for each label the person changed, whether the selected
documents should have it (True) or not (False); a share label added shares the
documents, one removed stops sharing them. The rule, checked here whatever
the panel offered:
- a document filed in All Documents may be shared with any patient of its office;
- a document in a patient's workspace only with THAT patient;
- any document with the practitioners the person may share with: those of
  their own offices, and those on their sharing list (services/sharing/pins.py:
  practitioners added by Share PIN, and the practitioners of offices added by
  Office Share PIN).
Removing a share is always allowed. Only the office's own people (manage_documents)
label or share its documents; a practitioner a document was shared with reads it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from app.models import Document, DocumentLabel, DocumentLabelLink, DocumentShare, Patient, User
from app.services import audit, formatting
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.clock import now_or
from app.services.documents.access import live
from app.services.documents.labels import office_label
from app.services.documents.recipients import recipients
from app.services.errors import Invalid, NotFound
from app.services.ids import parse_id, saved_id
from app.services.patients.access import PATIENT_NOT_FOUND
from app.services.patients.search import quick_find
from app.services.permissions import OfficeAction, require

MAX_SELECTED = 200
GONE = "Some of these documents are no longer here. Reload the list and try again."
ONE_WORKSPACE = "A document in a patient's workspace is shared only with that patient (or with practitioners)."
SEVERAL_WORKSPACES = (
    "These documents are in different patients' workspaces: each can be shared only with its own patient."
)


@dataclass(frozen=True)
class Choice:
    key: str  # "label:3", "patient:12", "practitioner:9": what the panel sends back
    name: str
    detail: str = ""
    color: str = ""
    state: str = "off"  # "on": every selected document has it; "some"; "off"


@dataclass(frozen=True)
class LabelPanel:
    labels: list[Choice]
    patients: list[Choice]
    practitioners: list[Choice]
    any_patient: bool  # whether any patient of the office may be searched for and added
    patient_rule: str  # why not, when not


@dataclass(frozen=True)
class Applied:
    labelled: int
    shared: int
    unshared: int


def selected(db: Session, actor: Actor, office_id: int, document_ids: object) -> list[Document]:
    """The office's live documents these ids name (all of them, or refused)."""
    require(db, actor, office_id, OfficeAction.manage_documents)
    raw = document_ids if isinstance(document_ids, list) else []
    if not raw or len(raw) > MAX_SELECTED:
        raise Invalid(f"Select between 1 and {MAX_SELECTED} documents.")
    ids = {parse_id(value, GONE) for value in raw}
    if not ids:
        raise Invalid(f"Select between 1 and {MAX_SELECTED} documents.")
    docs = db.exec(select(Document).where(col(Document.id).in_(ids), Document.office_id == office_id, live())).all()
    if len(docs) != len(ids):
        raise NotFound(GONE)
    return list(docs)


def allowed_patients(docs: list[Document]) -> set[int] | None:
    """None: any patient of the office; else the only patients these documents may be shared with."""
    workspaces = {d.patient_id for d in docs if d.patient_id is not None}
    return None if not workspaces else (workspaces if len(workspaces) == 1 else set())


def _live_shares(db: Session, docs: list[Document]) -> list[DocumentShare]:
    ids = [d.id for d in docs]
    return list(
        db.exec(
            select(DocumentShare).where(
                col(DocumentShare.document_id).in_(ids), col(DocumentShare.removed_at).is_(None)
            )
        ).all()
    )


def _state(count: int, total: int) -> str:
    return "on" if count == total else ("some" if count else "off")


def _patient_names(db: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.exec(select(Patient).where(col(Patient.id).in_(ids))).all()
    return {saved_id(p): formatting.listed_name(p.first_name, p.last_name) for p in rows}


def label_panel(db: Session, actor: Actor, office_id: int, document_ids: object) -> LabelPanel:
    """The three columns for the selected documents, each label with whether they all, some or none have it."""
    docs = selected(db, actor, office_id, document_ids)
    total = len(docs)
    on_docs = Counter(
        db.exec(
            select(DocumentLabelLink.label_id).where(col(DocumentLabelLink.document_id).in_([d.id for d in docs]))
        ).all()
    )
    labels = db.exec(select(DocumentLabel).where(DocumentLabel.office_id == office_id).order_by(DocumentLabel.name_key))
    label_choices = [
        Choice(f"label:{lb.id}", lb.name, color=lb.color, state=_state(on_docs[saved_id(lb)], total)) for lb in labels
    ]
    shares = _live_shares(db, docs)
    by_patient = Counter(s.patient_id for s in shares if s.patient_id)
    by_user = Counter(s.recipient_user_id for s in shares if s.recipient_user_id)
    allowed = allowed_patients(docs)
    names = _patient_names(db, set(by_patient) | (allowed or set()))
    patients = [
        Choice(
            f"patient:{pid}", names.get(pid, ""), "This patient's workspace" if allowed else "", state=_state(n, total)
        )
        for pid, n in by_patient.items()
    ]
    patients += [Choice(f"patient:{pid}", names.get(pid, ""), "This patient's workspace") for pid in (allowed or set())]
    offered = recipients(db, actor)
    extra = {uid for uid in by_user if uid not in offered}
    extra_names = dict(db.exec(select(User.id, User.full_name).where(col(User.id).in_(extra))).all()) if extra else {}
    people = {uid: (name, why) for uid, (name, why) in offered.items()} | {
        uid: (extra_names.get(uid, ""), "No longer on your lists") for uid in extra
    }
    practitioners = [
        Choice(f"practitioner:{uid}", name, why, state=_state(by_user[uid], total))
        for uid, (name, why) in people.items()
    ]
    rule = "" if allowed is None else (ONE_WORKSPACE if allowed else SEVERAL_WORKSPACES)
    return LabelPanel(
        labels=label_choices,
        patients=sorted(_unique(patients), key=lambda c: c.name.lower()),
        practitioners=sorted(practitioners, key=lambda c: c.name.lower()),
        any_patient=allowed is None,
        patient_rule=rule,
    )


def _unique(choices: list[Choice]) -> list[Choice]:
    seen: dict[str, Choice] = {}
    for choice in choices:
        seen.setdefault(choice.key, choice)
    return list(seen.values())


def find_patients(db: Session, actor: Actor, office_id: int, document_ids: object, query: object) -> list[Choice]:
    """Patients of the office to add as share labels (only for documents filed in All Documents)."""
    docs = selected(db, actor, office_id, document_ids)
    if allowed_patients(docs) is not None:
        return []
    rows = quick_find(db, actor, office_id, query if isinstance(query, str) else "")
    return [Choice(f"patient:{row.id}", row.name, row.date_of_birth) for row in rows]


def _parse(changes: object) -> dict[tuple[str, int], bool]:
    if not isinstance(changes, dict) or not changes or len(changes) > 300:
        raise Invalid("Choose the labels to apply.")
    parsed: dict[tuple[str, int], bool] = {}
    for key, value in changes.items():
        kind, _, raw = str(key).partition(":")
        if kind not in ("label", "patient", "practitioner") or not isinstance(value, bool):
            raise Invalid("Choose the labels to apply.")
        parsed[(kind, parse_id(raw, "This label is no longer offered."))] = value
    return parsed


def apply_labels(
    db: Session, actor: Actor, office_id: int, document_ids: object, changes: object, now: datetime | None = None
) -> Applied:
    """Apply the panel's changes to the selected documents at once (refused whole if any is not allowed)."""
    now = now_or(now)
    docs = selected(db, actor, office_id, document_ids)
    wanted = _parse(changes)
    labels = {lid: office_label(db, office_id, lid) for (kind, lid) in wanted if kind == "label"}
    allowed, offered = allowed_patients(docs), recipients(db, actor)
    for (kind, target), add in wanted.items():
        if not add or kind == "label":
            continue
        if kind == "practitioner" and target not in offered:
            raise Invalid("Share only with practitioners from the list.", "practitioners")
        if kind == "patient":
            patient = db.get(Patient, target)
            if patient is None or patient.office_id != office_id or patient.archived_at is not None:
                raise NotFound(PATIENT_NOT_FOUND)
            if allowed is not None and target not in allowed:
                owner_id = next(d.patient_id for d in docs if d.patient_id is not None and d.patient_id != target)
                name = _patient_names(db, {owner_id}).get(owner_id, "its patient")
                raise Invalid(f"A document in {name}'s workspace can be shared only with {name} (or practitioners).")
    shares = _live_shares(db, docs)
    links = set(
        db.exec(
            select(DocumentLabelLink.document_id, DocumentLabelLink.label_id).where(
                col(DocumentLabelLink.document_id).in_([d.id for d in docs])
            )
        ).all()
    )
    done = Applied(0, 0, 0)
    for doc in docs:
        done = _apply_one(db, actor, doc, wanted, labels, shares, links, now, done)
    return done


def _apply_one(db, actor, doc, wanted, labels, shares, links, now, done):
    added, removed, shared, unshared = [], [], [], []
    for (kind, target), add in wanted.items():
        if kind == "label":
            has = (doc.id, target) in links
            if add and not has:
                db.add(DocumentLabelLink(document_id=doc.id, label_id=target))
                added.append(labels[target].name)
            elif not add and has:
                link = db.get(DocumentLabelLink, (doc.id, target))
                db.delete(link)
                removed.append(labels[target].name)
            continue
        column = "patient_id" if kind == "patient" else "recipient_user_id"
        current = [s for s in shares if s.document_id == doc.id and getattr(s, column) == target]
        if add and not current:
            db.add(
                DocumentShare(document_id=doc.id, shared_by_user_id=actor.user_id, created_at=now, **{column: target})
            )
            shared.append(f"{kind}:{target}")
        elif not add and current:
            for share in current:
                share.removed_at, share.removed_by_user_id = now, actor.user_id
                db.add(share)
            unshared.append(f"{kind}:{target}")
    where = {"office_id": doc.office_id, "target_type": "document", "target_id": doc.id}
    if added or removed:
        audit.record(
            db,
            actor,
            AuditAction.document_labelled,
            patient_id=doc.patient_id,
            detail={"added": added, "removed": removed},
            **where,
        )
    for action, keys in ((AuditAction.document_shared, shared), (AuditAction.document_unshared, unshared)):
        for key in keys:  # one entry per recipient: a patient sees shares with them in "Who opened my record"
            kind, _, target = key.partition(":")
            patient = int(target) if kind == "patient" else doc.patient_id
            audit.record(db, actor, action, patient_id=patient, detail={"with": key, "name": doc.name}, **where)
    return Applied(done.labelled + bool(added or removed), done.shared + len(shared), done.unshared + len(unshared))
