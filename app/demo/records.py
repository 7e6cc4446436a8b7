"""The demo's eight patient records, the family's codes redeemed by one portal account, and a
pending profile proposal: all through the services the front desk and the patients use."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.demo.people import FAMILY, FRONT_DESK, JORDAN, PRIYA, Actors
from app.models import Patient, PortalAccess, ProfileProposal, ProposalStatus, User
from app.services import access_codes, portal
from app.services.ids import saved_id
from app.services.patients import records
from app.settings import Settings

# (first, last, date of birth, sex, e-mail, phone, the portal account that holds it)
PATIENTS = [
    ("Maria", "Garcia", "1986-03-14", "female", FAMILY, "+1 416 555 0131", FAMILY),
    ("Luis", "Garcia", "1984-11-02", "male", "", "+1 416 555 0132", FAMILY),
    ("Sofia", "Garcia", "2017-06-21", "female", "", "", FAMILY),
    ("Jordan", "Lee", "1992-08-09", "unknown", JORDAN, "+1 416 555 0144", JORDAN),
    ("Priya", "Shah", "1979-01-27", "female", PRIYA, "+1 416 555 0155", PRIYA),
    ("Tom", "Becker", "1958-05-30", "male", "tom.becker@example.com", "+1 416 555 0166", None),
    ("Aiko", "Tanaka", "2001-12-12", "female", "aiko.tanaka@example.com", "+1 416 555 0177", None),
    ("Noah", "Williams", "1970-09-18", "male", "", "+1 416 555 0188", None),
]
PROPOSED_PHONE = "+1 647 555 0144"  # Jordan's new number, waiting for the clinic to accept it


def patients(db: Session, settings: Settings, actors: Actors, office_id: int) -> dict[str, Patient]:
    """The records by first name, created by the front desk; each portal account redeems a code
    the front desk generated for each of its records."""
    made: dict[str, Patient] = {}
    for first, last, born, sex, email, phone, holder in PATIENTS:
        patient = db.exec(
            select(Patient).where(
                Patient.office_id == office_id, Patient.first_name == first, Patient.last_name == last
            )
        ).first()
        if patient is None:
            patient = records.create_patient(
                db,
                actors(FRONT_DESK),
                office_id,
                records.PatientInput(first, last, born, sex, email, phone, "Toronto, ON", "", ""),
            )
        made[first] = patient
        if holder is not None and not _holds(db, holder, saved_id(patient)):
            code = access_codes.generate(db, settings, actors(FRONT_DESK), saved_id(patient))
            access_codes.redeem(db, settings, actors(holder), code.code)
    _proposal(db, actors, made["Jordan"])
    return made


def _holds(db: Session, email: str, patient_id: int) -> bool:
    return (
        db.exec(
            select(PortalAccess.id)
            .join(User, col(User.id) == PortalAccess.user_id)
            .where(
                User.email_normalized == email,
                PortalAccess.patient_id == patient_id,
                col(PortalAccess.revoked_at).is_(None),
            )
        ).first()
        is not None
    )


def _proposal(db: Session, actors: Actors, patient: Patient) -> None:
    """Jordan proposes a new phone number in the portal; the clinic has not answered yet."""
    pending = db.exec(
        select(ProfileProposal.id).where(
            ProfileProposal.patient_id == patient.id, ProfileProposal.status == ProposalStatus.pending
        )
    ).first()
    if pending is None and patient.phone != PROPOSED_PHONE:
        portal.propose_changes(db, actors(JORDAN), patient.id, {"phone": PROPOSED_PHONE})
