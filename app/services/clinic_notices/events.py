"""The hooks: online booking, online cancellation and profile proposals tell the clinic here, in
the same transaction as the event itself (so a refused booking tells nobody anything).

With "a mail for each event" the mail is queued at once; with the daily digest a line waits in
`clinic_notices` for the next morning (digest.py); with "no mail" nothing is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from app.models import Appointment, ClinicEvent, ClinicNotice, ClinicNoticeMode, Office, Patient
from app.services import formatting, mail
from app.services.clinic_notices.choice import MODE_WORDS, notice_address
from app.services.scheduling.appointment_calendar import names
from app.settings import get_settings

LINE_LIMIT = 500


def _patient_name(patient: Patient | None) -> str:
    return f"{patient.first_name} {patient.last_name}" if patient is not None else "A patient"


def _visit(db: Session, appointment: Appointment, office: Office) -> str:
    service_name, practitioner_name = names(db, appointment)
    when = formatting.when(appointment.starts_at, office.time_zone, year=True)
    return f"{service_name} with {practitioner_name}, {when}"


def _tell(db: Session, office: Office, event: ClinicEvent, line: str, patient_id: int | None, now: datetime) -> None:
    line = line[:LINE_LIMIT]
    if office.notice_mode == ClinicNoticeMode.off:
        return
    if office.notice_mode == ClinicNoticeMode.digest:
        db.add(ClinicNotice(office_id=office.id or 0, event=event, occurred_at=now, line=line))
        return
    to_address = notice_address(db, office)
    if not to_address:
        return
    link = f"{get_settings().base_url}/clinic/patients/{patient_id}" if patient_id else ""
    body = (
        f"{office.name}\n\n{line}\n\n"
        + (f"Open the record: {link}\n\n" if link else "")
        + f'Clinic notices are set to "{MODE_WORDS[ClinicNoticeMode.each]}" (Office Details → Clinic notices).\n'
    )
    mail.enqueue(db, to_address, f"{office.name}: {line}"[:200], body)


def online_booking(db: Session, appointment: Appointment, now: datetime) -> None:
    office, patient = db.get(Office, appointment.office_id), db.get(Patient, appointment.patient_id)
    if office is None:
        return
    new = " (a new record from online booking)" if patient is not None and patient.new_online_client else ""
    line = f"Booked online: {_patient_name(patient)}{new} — {_visit(db, appointment, office)}"
    _tell(db, office, ClinicEvent.online_booking, line, appointment.patient_id, now)


def online_cancellation(db: Session, appointment: Appointment, now: datetime) -> None:
    office, patient = db.get(Office, appointment.office_id), db.get(Patient, appointment.patient_id)
    if office is None:
        return
    line = f"Cancelled online: {_patient_name(patient)} — {_visit(db, appointment, office)}"
    _tell(db, office, ClinicEvent.online_cancellation, line, appointment.patient_id, now)


def profile_proposal(db: Session, patient: Patient, fields: Sequence[str], now: datetime) -> None:
    """`fields`: the labels of the fields the patient proposed to change."""
    office = db.get(Office, patient.office_id)
    if office is None:
        return
    line = f"Profile changes proposed: {_patient_name(patient)} — {', '.join(fields)}"
    _tell(db, office, ClinicEvent.profile_proposal, line, patient.id, now)
