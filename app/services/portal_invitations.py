"""Inviting someone to a record's portal by e-mail (SPEC §4; seed 004 lets staff register a login).

An invitation is an ordinary access code that leaves by e-mail as a link: single use, 5 days,
kept only as a keyed hash, listed with the record's unused codes and revocable there. The link
opens the redemption page, which signs the person in or lets them create a portal account, and
then unlocks the record into that account (a family keeps every record in one account).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from app.services import access_codes, mail, validation
from app.services.actor import Actor
from app.settings import Settings

FIELD = "invite_email"


def invitation_text(generated: access_codes.GeneratedCode) -> str:
    return (
        f"Hello,\n\n{generated.office_name} invites you to the Praxis patient portal for "
        f"{generated.patient_name}: appointments, online booking, forms, documents and treatment plans.\n\n"
        f"Open this link to accept. It works once, within 5 days:\n{generated.redeem_url}\n\n"
        "Sign in, or create your portal account (choose Patient), and the record is added to it. "
        "If you already hold family members' records, this one joins them in the same account.\n\n"
        f"If the link does not open, go to {generated.redeem_url.split('?')[0]} and enter the code "
        f"{generated.code.replace('-', ' ')}.\n\n"
        "Didn't expect this? Ignore this mail: nothing happens without the link.\n"
    )


def invite_by_email(
    db: Session, settings: Settings, actor: Actor, patient_id: int, email: str, now: datetime | None = None
) -> str:
    """Mail a single-use invitation for the record; returns the address it went to."""
    address = validation.email_address(email, FIELD)
    generated = access_codes.generate(db, settings, actor, patient_id, now, emailed_to=address)
    mail.enqueue(db, address, f"{generated.office_name}: your patient portal invitation", invitation_text(generated))
    return address
