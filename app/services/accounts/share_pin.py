"""A clinic account's Practitioner Share PIN: made the first time it is asked for."""

from __future__ import annotations

from sqlmodel import Session

from app.models import User
from app.services.accounts.sign_in import SIGN_IN_FAILED
from app.services.actor import Actor, require_clinic
from app.services.errors import Invalid
from app.services.share_pins import unique_pin


def share_pin(db: Session, actor: Actor) -> str:
    """The Practitioner Share PIN of a clinic account."""
    require_clinic(actor)
    user = db.get(User, actor.user_id)
    if user is None:
        raise Invalid(SIGN_IN_FAILED)
    if user.share_pin is None:
        user.share_pin = unique_pin(db, User)
        db.add(user)
    return user.share_pin
