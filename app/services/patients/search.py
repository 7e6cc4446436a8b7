"""Finding patient records: the patient list's search, the pickers' search-as-you-type, and the
one `search_text` builder every write of a patient's names or contact details uses."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import Patient
from app.services.actor import Actor
from app.services.ids import saved_id
from app.services.permissions import OfficeAction, require

PAGE_SIZE = 25
DATE_WORD = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")  # a birth date or its year-month
PHONE_WORD = re.compile(r"^[0-9+().\-]+$")


@dataclass(frozen=True)
class PatientRow:
    id: int
    name: str
    date_of_birth: str
    email: str
    phone: str


@dataclass(frozen=True)
class PatientPage:
    rows: list[PatientRow]
    total: int
    page: int
    pages: int


def search_text(patient: Patient) -> str:
    """What the patient search matches against: names, e-mail, phone digits, date of birth (lower case).

    The one builder: every write of a patient's names or contact details stores it again."""
    digits = re.sub(r"\D", "", patient.phone)
    born = patient.date_of_birth.isoformat() if patient.date_of_birth else ""
    return f"{patient.first_name} {patient.last_name} {patient.email} {digits} {born}".lower()[:800]


def search_patients(
    db: Session, actor: Actor, office_id: int, query: str = "", page: int = 1, *, archived: bool = False
) -> PatientPage:
    """Name, e-mail, phone digits or date of birth (yyyy-mm-dd); every word must match.

    Archived records are left out, unless `archived` asks for them alone."""
    require(db, actor, office_id, OfficeAction.view_patients)
    archived_condition = col(Patient.archived_at).is_not(None) if archived else col(Patient.archived_at).is_(None)
    conditions = [Patient.office_id == office_id, archived_condition]
    words = (query or "").lower().split()[:8]
    looks_like_phone = any(ch.isdigit() for ch in query or "")
    for word in words:
        if looks_like_phone and word.strip(".") in ("x", "ext"):
            continue  # "ext 12": the extension's digits are searched as digits
        digits = re.sub(r"\D", "", word)
        if DATE_WORD.match(word) or not digits or not PHONE_WORD.match(word):
            conditions.append(col(Patient.search_text).contains(word, autoescape=True))
        else:
            # Phone pieces ("+1", "(416)", "555-0199") match the stored digits.
            conditions.append(col(Patient.search_text).contains(digits, autoescape=True))
    total = db.exec(select(func.count()).select_from(Patient).where(*conditions)).one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    found = db.exec(
        select(Patient)
        .where(*conditions)
        .order_by(Patient.last_name, Patient.first_name, col(Patient.id))
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    rows = [
        PatientRow(
            saved_id(p),
            f"{p.last_name}, {p.first_name}",
            p.date_of_birth.isoformat() if p.date_of_birth else "",
            p.email,
            p.phone,
        )
        for p in found
    ]
    return PatientPage(rows=rows, total=total, page=page, pages=pages)


def quick_find(
    db: Session, actor: Actor, office_id: int, query: str, limit: int = 8, exclude_id: int | None = None
) -> list[PatientRow]:
    """The few best matches for a search-as-you-type picker; nothing until two characters are typed."""
    if len((query or "").strip()) < 2:
        require(db, actor, office_id, OfficeAction.view_patients)
        return []
    rows = search_patients(db, actor, office_id, query).rows
    return [row for row in rows if row.id != exclude_id][:limit]
