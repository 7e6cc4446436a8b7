"""The one access check for a patient record (ARCHITECTURE.md: one access loader per resource)."""

from __future__ import annotations

from sqlmodel import Session

from app.models import Patient
from app.services.actor import Actor
from app.services.errors import NotFound, PermissionDenied
from app.services.ids import parse_id
from app.services.permissions import OfficeAction, require

PATIENT_NOT_FOUND = "This patient record was not found."


def access_patient(
    db: Session, actor: Actor, patient_id: object, action: OfficeAction = OfficeAction.view_patients
) -> Patient:
    """The one access check for a patient record: of an office the actor works in, with the
    permission asked for. Another office's record, one the actor's role may not do this to, and a
    missing one all read the same. Not audited: the service that shows the record audits once."""
    patient = db.get(Patient, parse_id(patient_id, PATIENT_NOT_FOUND))
    if patient is None:
        raise NotFound(PATIENT_NOT_FOUND)
    try:
        require(db, actor, patient.office_id, action)
    except PermissionDenied:
        raise NotFound(PATIENT_NOT_FOUND) from None
    return patient
