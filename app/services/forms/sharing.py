"""A form's sharing options (the builder's dialog), set by its author only.

*Allow other practitioners to have access to this form*: the practitioners and offices chosen —
from the author's own offices and colleagues and their sharing list (services/sharing/pins.py, the
one list, added to by Share PIN) — may administer it to their patients, never edit it. An office
means every member there (its front desk assigns it too), also those who join later.
*See all submissions*: the author reads every submission of the form, whoever's patient.
*Allow other practitioners to see all submissions*: so do the practitioners it is shared with.
Sharing a form never shares charts or documents. Who reads what is services/forms/access.py.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import Session, col, select

from app.models import FormShare, Office, RecipientKind, User
from app.services import audit
from app.services.actor import Actor
from app.services.audit import AuditAction
from app.services.charts.recipients import Recipient, offered_recipients
from app.services.clock import now_or
from app.services.errors import Invalid
from app.services.forms import access


@dataclass(frozen=True)
class SharingOptions:
    form_id: int
    title: str
    offered: list[Recipient]  # whom the author may choose (and those already chosen)
    chosen: list[str]  # "practitioner:12", "office:3"
    author_sees_all: bool
    recipients_see_all: bool


def _key(share: FormShare) -> str:
    if share.recipient_user_id is not None:
        return f"practitioner:{share.recipient_user_id}"
    return f"office:{share.recipient_office_id}"


def _current(db: Session, form_id: int) -> list[FormShare]:
    return list(db.exec(select(FormShare).where(FormShare.form_id == form_id).order_by(col(FormShare.id))).all())


def _for_forms(recipient: Recipient) -> Recipient:
    """An office of the author's own means its whole team here (the front desk assigns forms too)."""
    if recipient.kind == "office" and recipient.detail.startswith("Every practitioner"):
        return replace(recipient, detail="Everyone in your office")
    return recipient


def _offered(db: Session, actor: Actor, shares: list[FormShare]) -> list[Recipient]:
    """Whom the author may choose now, plus those chosen before (a name taken off the sharing list
    keeps its share until the author unticks it)."""
    offered = {r.key: _for_forms(r) for r in offered_recipients(db, actor)}
    for share in shares:
        key = _key(share)
        if key in offered:
            continue
        if share.recipient_user_id is not None:
            user = db.get(User, share.recipient_user_id)
            name = user.full_name if user else ""
            offered[key] = Recipient(key, "practitioner", share.recipient_user_id, name, "Shared before")
        else:
            office = db.get(Office, share.recipient_office_id)
            offered[key] = Recipient(
                key, "office", share.recipient_office_id or 0, office.name if office else "", "Shared before"
            )
    return sorted(offered.values(), key=lambda r: (r.kind != "practitioner", r.name.lower()))


def sharing_options(db: Session, actor: Actor, form_id: object) -> SharingOptions:
    form = access.authored_form(db, actor, form_id)
    assert form.id is not None
    shares = _current(db, form.id)
    return SharingOptions(
        form.id,
        form.title,
        _offered(db, actor, shares),
        [_key(s) for s in shares],
        form.author_sees_all,
        form.recipients_see_all,
    )


def save_sharing(
    db: Session,
    actor: Actor,
    form_id: object,
    *,
    recipients: list[str],
    author_sees_all: bool,
    recipients_see_all: bool,
    now: datetime | None = None,
) -> SharingOptions:
    """Set who may administer the form and who sees all its submissions (the whole set at once)."""
    now = now_or(now)
    form = access.authored_form(db, actor, form_id)
    assert form.id is not None
    shares = _current(db, form.id)
    allowed = {r.key: r for r in _offered(db, actor, shares)}
    wanted = list(dict.fromkeys(k for k in recipients if isinstance(k, str))) if isinstance(recipients, list) else []
    if any(key not in allowed for key in wanted) or (isinstance(recipients, list) and len(wanted) != len(recipients)):
        raise Invalid("Choose practitioners or offices from the list.", "recipients")
    keep = set(wanted)
    for share in shares:
        if _key(share) not in keep:
            db.delete(share)
    have = {_key(s) for s in shares}
    for key in wanted:
        if key in have:
            continue
        recipient = allowed[key]
        db.add(
            FormShare(
                form_id=form.id,
                recipient_kind=RecipientKind(recipient.kind),
                recipient_user_id=recipient.id if recipient.kind == "practitioner" else None,
                recipient_office_id=recipient.id if recipient.kind == "office" else None,
                created_at=now,
            )
        )
    form.author_sees_all = author_sees_all is True
    form.recipients_see_all = recipients_see_all is True and bool(wanted)
    form.updated_at = now
    db.add(form)
    db.flush()
    audit.record(
        db,
        actor,
        AuditAction.form_sharing_saved,
        office_id=form.office_id,
        target_type="form",
        target_id=form.id,
        detail={
            "recipients": wanted,
            "author_sees_all": form.author_sees_all,
            "recipients_see_all": form.recipients_see_all,
        },
        at=now,
    )
    return sharing_options(db, actor, form.id)
