"""The clinic's morning digest: from 07:00 of the office's clock, one mail with every event that
waited for it from before that day (normally the day before), once per office and day.

Several workers may run this at the same moment (one process per worker, or several machines on
one PostgreSQL). The digest of a day is a row unique per office and day: whoever inserts it
sends the digest, in the same transaction that marks its events and queues the mail; everyone
else's insert fails on the unique constraint (on PostgreSQL it waits for the winner's commit
first) and they send nothing. A quiet day sends nothing and leaves no row.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select, update

from app.db import unit_of_work
from app.models import ClinicDigest, ClinicNotice, ClinicNoticeMode, Office
from app.services import formatting, local_time, mail
from app.services.claims import insert_once
from app.services.clinic_notices.choice import DIGEST_HOUR, MODE_WORDS, notice_address
from app.services.clock import now_or
from app.settings import Settings

log = logging.getLogger("praxis.notices")


def _waiting_offices(db: Session) -> list[Office]:
    ids = db.exec(select(ClinicNotice.office_id).where(col(ClinicNotice.digest_id).is_(None)).distinct()).all()
    if not ids:
        return []
    return list(db.exec(select(Office).where(col(Office.id).in_(ids))).all())


def _day_start(day: date, zone_name: str) -> datetime:
    return local_time.local_instant(day, 0, local_time.zone(zone_name))


def _due_day(office: Office, now: datetime) -> date | None:
    """Today in the office's zone, once its digest hour has come (notices not off); else None."""
    if office.notice_mode == ClinicNoticeMode.off:
        return None  # turned off: what waits stays unsent
    here = local_time.local(now, office.time_zone)
    return here.date() if here.time() >= time(DIGEST_HOUR) else None


def _waiting_before(db: Session, office_id: int, before: datetime) -> int:
    return db.exec(
        select(func.count())
        .select_from(ClinicNotice)
        .where(
            ClinicNotice.office_id == office_id,
            col(ClinicNotice.digest_id).is_(None),
            ClinicNotice.occurred_at < before,
        )
    ).one()


def _body(office: Office, notices: list[ClinicNotice], settings: Settings) -> str:
    listed = "\n".join(f"  {formatting.when(n.occurred_at, office.time_zone)}  {n.line}" for n in notices)
    return (
        f"Good morning,\n\nWhat patients did online at {office.name} ({len(notices)}):\n\n{listed}\n\n"
        f"The calendar: {settings.base_url}/clinic/calendar\n"
        f"Patients: {settings.base_url}/clinic/patients\n\n"
        f'Clinic notices are set to "{MODE_WORDS[ClinicNoticeMode.digest]}" (Office Details → Clinic notices).\n'
    )


def send_digest(engine: Engine, settings: Settings, office_id: int, day: date, now: datetime) -> bool:
    """Claim the office's digest of `day` and queue it, with every event from before that day that
    no digest carried yet. False when another worker had claimed it, or nothing was waiting."""
    with unit_of_work(engine) as db:
        office = db.get(Office, office_id)
        if office is None:
            return False
        before = _day_start(day, office.time_zone)
        if not _waiting_before(db, office_id, before):
            return False
        digest = ClinicDigest(office_id=office_id, day=day, created_at=now)
        if not insert_once(db, digest):
            return False  # another worker has it
        db.exec(
            update(ClinicNotice)
            .where(
                col(ClinicNotice.office_id) == office_id,
                col(ClinicNotice.digest_id).is_(None),
                col(ClinicNotice.occurred_at) < before,
            )
            .values(digest_id=digest.id)
        )
        notices = list(
            db.exec(
                select(ClinicNotice).where(ClinicNotice.digest_id == digest.id).order_by(col(ClinicNotice.occurred_at))
            ).all()
        )
        digest.to_address = notice_address(db, office)
        db.add(digest)
        if not notices or not digest.to_address:
            return False
        subject = f"Daily digest, {office.name}: {len(notices)} online {'event' if len(notices) == 1 else 'events'}"
        mail.enqueue(db, digest.to_address, subject, _body(office, notices, settings))
        return True


def send_due_digests(engine: Engine, settings: Settings, now: datetime | None = None) -> int:
    """Every office whose digest is due: returns how many digests this worker queued."""
    now = now_or(now)
    with unit_of_work(engine, read_only=True) as db:
        due = [
            (office.id or 0, day)
            for office in _waiting_offices(db)
            if (day := _due_day(office, now)) and _waiting_before(db, office.id or 0, _day_start(day, office.time_zone))
        ]
    sent = 0
    for office_id, day in due:
        try:
            sent += send_digest(engine, settings, office_id, day, now)
        except Exception:  # one office's trouble must not keep the others' digests back
            log.exception("The clinic digest of office %s failed", office_id)
    return sent
