"""The portal side of patient records: the family record switcher and profile proposals.

A portal account reads a record only while it holds it (an unrevoked
PortalAccess). Every read checks that, so a revoked record disappears on the
account's next action, and another family's record looks like a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime

from sqlmodel import Session, col, select

from app.models import Office, Patient, PortalAccess, ProfileProposal, ProposalStatus
from app.services import audit, sessions
from app.services.actor import Actor, require_patient
from app.services.audit import AuditAction
from app.services.clinic_notices import events as clinic_events
from app.services.clock import now_or
from app.services.errors import Invalid, NotFound
from app.services.ids import parse_id, saved_id
from app.services.patients.proposals import PROPOSABLE_FIELDS
from app.services.patients.records import PatientInput, as_input, clean_patient_input, full_name, office_today
from app.services.portal_removed import RemovedRecord, removed_record, removed_records

NOT_HELD = "This record is not available."


@dataclass(frozen=True)
class HeldRecord:
    patient_id: int
    name: str
    office_name: str


@dataclass(frozen=True)
class PortalProfile:
    patient_id: int
    name: str
    office_name: str
    official: dict[str, str]
    pending: dict[str, str]  # field -> proposed value awaiting the clinic


def held_records(db: Session, actor: Actor) -> list[HeldRecord]:
    require_patient(actor)
    rows = db.exec(
        select(Patient, Office.name)
        .join(PortalAccess, col(PortalAccess.patient_id) == Patient.id)
        .join(Office, col(Office.id) == Patient.office_id)
        .where(PortalAccess.user_id == actor.user_id, col(PortalAccess.revoked_at).is_(None))
        .order_by(Patient.first_name, Patient.last_name, col(Patient.id))
    ).all()
    return [HeldRecord(saved_id(p), full_name(p), office) for p, office in rows]


def _held(db: Session, actor: Actor, patient_id: object) -> Patient:
    require_patient(actor)
    patient_id = parse_id(patient_id, NOT_HELD)
    access = db.exec(
        select(PortalAccess.id).where(
            PortalAccess.patient_id == patient_id,
            PortalAccess.user_id == actor.user_id,
            col(PortalAccess.revoked_at).is_(None),
        )
    ).first()
    patient = db.get(Patient, patient_id) if access is not None else None
    if patient is None:
        removed = removed_record(db, actor, patient_id)  # once held: say what happened, kindly
        raise NotFound(removed.message if removed else NOT_HELD)
    return patient


def held_patient(db: Session, actor: Actor, patient_id: object) -> Patient:
    """A record the portal account holds now; anything else reads as not available."""
    return _held(db, actor, patient_id)


@dataclass(frozen=True)
class PortalShell:
    """The frame of every portal page: the records the account holds and the one shown."""

    records: list[HeldRecord]
    current: int | None
    # Records the clinic took out of this account lately (shown on the overview), and the one this
    # account was looking at when it went (said on whichever page it is next opened).
    removed: list[RemovedRecord] = dataclass_field(default_factory=list)
    just_removed: RemovedRecord | None = None

    @property
    def several_clinics(self) -> bool:
        return len({r.office_name for r in self.records}) > 1


def portal_shell(db: Session, actor: Actor, now: datetime | None = None) -> PortalShell:
    """Refuses clinic accounts."""
    records = held_records(db, actor)
    held = {r.patient_id for r in records}
    removed = removed_records(db, actor, held, now)
    was_shown = actor.current_patient_id
    just_removed = next((r for r in removed if r.patient_id == was_shown), None) if was_shown not in held else None
    return PortalShell(records, current_record(db, actor, records), removed, just_removed)


def current_record(db: Session, actor: Actor, records: list[HeldRecord] | None = None) -> int | None:
    """The record the account is looking at: the chosen one while still held, else the first it holds."""
    records = held_records(db, actor) if records is None else records
    ids = [r.patient_id for r in records]
    chosen = actor.current_patient_id if actor.current_patient_id in ids else (ids[0] if ids else None)
    if chosen != actor.current_patient_id:
        sessions.set_current_patient(db, actor, chosen)
    return chosen


def choose_record(db: Session, actor: Actor, patient_id: int) -> None:
    """The family record switcher: only a record the account holds can be chosen."""
    patient = _held(db, actor, patient_id)
    sessions.set_current_patient(db, actor, patient.id)


def profile(db: Session, actor: Actor, patient_id: int | None) -> PortalProfile:
    patient = _held(db, actor, patient_id)
    office = db.get(Office, patient.office_id)
    pending = db.exec(
        select(ProfileProposal).where(
            ProfileProposal.patient_id == patient.id, ProfileProposal.status == ProposalStatus.pending
        )
    ).all()
    audit.record(
        db,
        actor,
        AuditAction.portal_profile_viewed,
        office_id=patient.office_id,
        patient_id=patient.id,
        target_type="patient",
        target_id=patient.id,
    )
    official = {k: v for k, v in as_input(patient).items() if k in PROPOSABLE_FIELDS}
    return PortalProfile(
        patient_id=saved_id(patient),
        name=full_name(patient),
        office_name=office.name if office else "",
        official=official,
        pending={p.field: p.value for p in pending},
    )


def propose_changes(
    db: Session, actor: Actor, patient_id: int | None, values: dict[str, str], now: datetime | None = None
) -> int:
    """Save the patient's edits as proposals; the official record stays as it is. Returns how many fields changed."""
    patient = _held(db, actor, patient_id)
    now = now_or(now)
    official = as_input(patient)
    merged = {**official, **{k: v for k, v in values.items() if k in PROPOSABLE_FIELDS}}
    # The same validation as the clinic's, with "today" as the office sees it.
    cleaned = clean_patient_input(PatientInput(**merged), office_today(db, patient.office_id, now))
    changed = withdrawn = 0
    proposed: list[str] = []
    for field in PROPOSABLE_FIELDS:
        if field not in values:
            continue  # a field the caller did not send keeps its pending proposal
        value = cleaned[field].isoformat() if hasattr(cleaned[field], "isoformat") else (cleaned[field] or "")
        existing = db.exec(
            select(ProfileProposal).where(
                ProfileProposal.patient_id == patient.id,
                ProfileProposal.field == field,
                ProfileProposal.status == ProposalStatus.pending,
            )
        ).first()
        if value == official[field]:
            if existing is not None:  # changed back: nothing left to ask
                db.delete(existing)
                withdrawn += 1
            continue
        changed += 1
        if existing is None or existing.value != value:
            proposed.append(field)  # new to the clinic (re-sending a pending value is not)
        if existing is not None:
            existing.value, existing.created_at, existing.proposed_by_user_id = value, now, actor.user_id
            db.add(existing)
        else:
            db.add(
                ProfileProposal(
                    office_id=patient.office_id,
                    patient_id=saved_id(patient),
                    field=field,
                    value=value,
                    proposed_by_user_id=actor.user_id,
                    created_at=now,
                )
            )
    if not changed and not withdrawn:
        raise Invalid("Nothing changed.")
    if proposed:  # the clinic hears of it as its owner chose (nothing when a change was only taken back)
        clinic_events.profile_proposal(db, patient, [PROPOSABLE_FIELDS[f] for f in proposed], now)
    audit.record(
        db,
        actor,
        AuditAction.portal_profile_proposed,
        office_id=patient.office_id,
        patient_id=patient.id,
        target_type="patient",
        target_id=patient.id,
        detail={"fields": changed},
    )
    return changed
