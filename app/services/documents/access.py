"""Who may open a document: ONE rule, as a SQL condition, used by every list and every single load.

A clinic person opens a document when
1. it belongs to an office they are a member of (owner, practitioner and staff
   all manage documents), and two-factor sign-in is on if that office requires
   it — they may then also label, share, rename, move and delete it; or
2. it was shared with them as a practitioner (a Practitioner Share Label, not
   removed), while the person who shared it is still a member of the
   document's office and the two are still related: they are members of a
   same office, or the recipient (or an office the recipient practises in) is
   on the sharer's sharing list. They may read it, nothing else.
A portal account opens
3. the files it uploaded itself (always, as SPEC §4 says: what an account did
   is its own), and
4. documents shared with a patient whose record it holds through a redeemed
   access code, while it holds it.
Deleted documents open for nobody; another person's document, a revoked one
and a missing one look the same (NotFound).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, false, or_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.models import (
    AccountKind,
    Document,
    DocumentOrigin,
    DocumentShare,
    Membership,
    Office,
    OfficeRole,
    PortalAccess,
    SharingListEntry,
)
from app.services.actor import Actor
from app.services.errors import NotFound
from app.services.ids import parse_id
from app.services.permissions import OfficeAction, can
from app.services.two_factor import status as two_factor_status

DOCUMENT_NOT_FOUND = "This document was not found."
CLINICAL_ROLES = (OfficeRole.owner, OfficeRole.practitioner)


def live() -> Any:
    return col(Document.deleted_at).is_(None)


def in_my_offices(db: Session, actor: Actor) -> Any:
    """Rule 1: the document's office is one of the actor's (with two-factor sign-in where it is required)."""
    if not actor.is_clinic:
        return false()
    member = exists(
        sa_select(col(Membership.id)).where(
            col(Membership.user_id) == actor.user_id, col(Membership.office_id) == Document.office_id
        )
    )
    if two_factor_status.is_enabled(db, actor.user_id):
        return member
    strict = exists(
        sa_select(col(Office.id)).where(col(Office.id) == Document.office_id, col(Office.require_two_factor))
    )
    return and_(member, ~strict)


def related(sharer: Any, user_id: int) -> Any:
    """EXISTS: the user is someone the sharer may share with (a same office, or on the sharer's list)."""
    theirs, mine, mine_too = aliased(Membership), aliased(Membership), aliased(Membership)
    together = exists(
        sa_select(col(theirs.id))
        .join(mine, col(mine.office_id) == theirs.office_id)
        .where(theirs.user_id == sharer, col(mine.user_id) == user_id, col(mine.role).in_(CLINICAL_ROLES))
    )
    listed = exists(
        sa_select(col(SharingListEntry.id)).where(
            SharingListEntry.owner_id == sharer,
            or_(
                col(SharingListEntry.practitioner_id) == user_id,
                exists(
                    sa_select(col(mine_too.id)).where(
                        col(mine_too.user_id) == user_id,
                        col(mine_too.office_id) == SharingListEntry.office_id,
                        col(mine_too.role).in_(CLINICAL_ROLES),
                    )
                ),
            ),
        )
    )
    return or_(together, listed)


def shared_with_me_ids(actor: Actor) -> Any:
    """The ids of documents shared with the actor as a practitioner whose share still stands (a subquery,
    not correlated with the outer list: the database computes it once)."""
    share, shared, sharers = aliased(DocumentShare), aliased(Document), aliased(Membership)
    return (
        sa_select(col(share.document_id))
        .join(shared, col(shared.id) == share.document_id)
        .where(
            col(share.recipient_user_id) == actor.user_id,
            col(share.removed_at).is_(None),
            exists(
                sa_select(col(sharers.id)).where(
                    col(sharers.user_id) == share.shared_by_user_id, col(sharers.office_id) == shared.office_id
                )
            ),
            related(share.shared_by_user_id, actor.user_id),
        )
    )


def shared_with_me(actor: Actor) -> Any:
    """Rule 2, on Document: shared with the actor as a practitioner, and the share still stands."""
    if actor.kind != AccountKind.practitioner:
        return false()
    return col(Document.id).in_(shared_with_me_ids(actor))


def code_holder_ids(actor: Actor) -> Any:
    """The patients whose records the portal account holds through a redeemed code (a subquery)."""
    return sa_select(col(PortalAccess.patient_id)).where(
        col(PortalAccess.user_id) == actor.user_id,
        col(PortalAccess.revoked_at).is_(None),
        col(PortalAccess.access_code_id).is_not(None),
    )


def shared_with_patients(patient_ids: Any) -> Any:
    """On Document: an active Patient Share Label to one of these patients."""
    return col(Document.id).in_(
        sa_select(col(DocumentShare.document_id)).where(
            col(DocumentShare.patient_id).in_(patient_ids), col(DocumentShare.removed_at).is_(None)
        )
    )


def uploaded_by_me(actor: Actor) -> Any:
    """Rule 3: the portal account's own uploads."""
    return and_(col(Document.origin) == DocumentOrigin.patient, col(Document.uploaded_by_user_id) == actor.user_id)


def visible_to(db: Session, actor: Actor) -> Any:
    """Every document the actor may open (rules 1-4), as a condition on Document."""
    if actor.is_clinic:
        return and_(live(), or_(in_my_offices(db, actor), shared_with_me(actor)))
    if actor.is_patient:
        return and_(live(), or_(uploaded_by_me(actor), shared_with_patients(code_holder_ids(actor))))
    return false()


@dataclass(frozen=True)
class DocumentAccess:
    document: Document
    manage: bool  # label, share, rename, move, delete (rule 1)


def access_document(db: Session, actor: Actor, document_id: object, *, manage: bool = False) -> DocumentAccess:
    """A document the actor may open (and, with `manage`, change); NotFound for anything else."""
    wanted = parse_id(document_id, DOCUMENT_NOT_FOUND)
    document = db.exec(select(Document).where(Document.id == wanted, visible_to(db, actor))).first()
    if document is None:
        raise NotFound(DOCUMENT_NOT_FOUND)
    may_manage = actor.is_clinic and can(db, actor, document.office_id, OfficeAction.manage_documents)
    if manage and not may_manage:
        raise NotFound(DOCUMENT_NOT_FOUND)
    return DocumentAccess(document, may_manage)
