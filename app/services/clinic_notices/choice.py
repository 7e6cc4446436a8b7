"""The owner's choice of how the clinic hears of online events, and where the mail goes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.models import ClinicNoticeMode, Membership, Office, OfficeRole, User
from app.services import audit
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.errors import Invalid, NotFound
from app.services.permissions import OfficeAction, allows, membership, require
from app.services.validation import email_address

DIGEST_HOUR = 7  # the morning digest goes out from 07:00 of the office's clock
MODE_WORDS = {
    ClinicNoticeMode.each: "A mail for each event",
    ClinicNoticeMode.digest: f"One mail each morning ({DIGEST_HOUR:02d}:00) with the day before",
    ClinicNoticeMode.off: "No mail",
}


def owner_address(db: Session, office_id: int) -> str:
    found = db.exec(
        select(User.email)
        .join(Membership, col(Membership.user_id) == User.id)
        .where(Membership.office_id == office_id, Membership.role == OfficeRole.owner)
    ).first()
    return found or ""


def notice_address(db: Session, office: Office) -> str:
    """The office's notice address, or else its owner's."""
    return office.notice_email or owner_address(db, office.id or 0)


@dataclass(frozen=True)
class NoticeChoice:
    mode: str
    email: str  # the office's own notice address; "" sends them to the owner
    owner_email: str
    may_change: bool


def _office(db: Session, office_id: int) -> Office:
    office = db.get(Office, office_id)
    if office is None:
        raise NotFound("This office was not found.")
    return office


def notice_choice(db: Session, actor: Actor, office_id: int) -> NoticeChoice:
    """What Office Details shows: every member sees it, only the owner changes it."""
    require(db, actor, office_id, OfficeAction.view_office)
    office = _office(db, office_id)
    member = membership(db, actor, office_id)
    return NoticeChoice(
        mode=office.notice_mode.value,
        email=office.notice_email,
        owner_email=owner_address(db, office_id),
        may_change=member is not None and allows(member.role, OfficeAction.edit_office),
    )


def save_notice_choice(db: Session, actor: Actor, office_id: int, mode: object, email: object) -> NoticeChoice:
    require(db, actor, office_id, OfficeAction.edit_office)
    if not isinstance(mode, str) or mode not in ClinicNoticeMode.__members__.values():
        raise Invalid("Choose how the clinic hears of online events.", "notice_mode")
    typed = email.strip() if isinstance(email, str) else ""
    office = _office(db, office_id)
    office.notice_mode = ClinicNoticeMode(mode)
    office.notice_email = email_address(typed, "notice_email") if typed else ""
    db.add(office)
    audit.record(
        db,
        actor,
        AuditAction.office_notices_saved,
        office_id=office_id,
        target_type="office",
        target_id=office_id,
        detail={"mode": mode, "own_address": bool(office.notice_email)},
    )
    return notice_choice(db, actor, office_id)
