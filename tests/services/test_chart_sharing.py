"""The chart sharing matrix (issue 11): who reads, notes and edits which chart, through one visibility rule.

author × recipient kind × rule × state → can read, can add notes, can edit, shows in lists.
The expected table is written out by hand here, not derived from the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from app.models import AccountKind, Chart, ChartShare, Membership, OfficeRole, RecipientKind, ShareRule, User
from app.services.actor import Actor
from app.services.charts import access, charts, shares, views
from app.services.errors import Conflict, Invalid, NotFound
from app.services.sharing import pins
from app.services.team import members
from tests.factories import make_user, sign_in_as
from tests.world import World

T0 = datetime(2026, 5, 4, 14, 0, tzinfo=UTC)


@dataclass
class ChartWorld:
    world: World
    author: Actor  # Priya, practitioner of Maple
    colleague: Actor  # Quinn, another practitioner of Maple
    leaver: Actor  # Rita, a practitioner of Maple who will be removed
    pin_person: Actor  # Priya Birch, added to the author's list by her Practitioner PIN
    office_person: Actor  # Bo, a practitioner of Bay Clinic, whose Office PIN is on the author's list
    a1: int  # Ana's first chart
    a2: int  # Ana's second chart (written after the share)
    b1: int  # Ben's chart

    def actor(self, who: str) -> Actor:
        return {
            "author": self.author,
            "colleague": self.colleague,
            "leaver": self.leaver,
            "pin_person": self.pin_person,
            "office_person": self.office_person,
            "staff": self.world.maple.staff,
            "owner": self.world.maple.owner,
            "other_owner": self.world.birch.owner,
            "portal": self.world.actor(self.world.parent),
        }[who]


def practitioner_in(db: Session, world: World, office_id: int, email: str, name: str) -> Actor:
    user = make_user(db, email=email, kind=AccountKind.practitioner, full_name=name)
    db.add(Membership(office_id=office_id, user_id=user.id, role=OfficeRole.practitioner))  # type: ignore[arg-type]
    db.commit()
    actor, _ = sign_in_as(db, user)
    return actor


def write(db: Session, author: Actor, patient_id: int, text: str) -> int:
    chart = charts.start_chart(db, author, patient_id, now=T0)
    charts.save_draft(db, author, chart.id, {"subjective": text, "goals": f"goal of {text}"}, now=T0)
    db.commit()
    return chart.id  # type: ignore[return-value]


@pytest.fixture
def cw(world: World, db: Session) -> ChartWorld:
    from app.services import offices

    maple = world.maple.office_id
    colleague = practitioner_in(db, world, maple, "quinn@maple.test", "Quinn Maple")
    leaver = practitioner_in(db, world, maple, "rita@maple.test", "Rita Maple")
    bay_owner, _ = sign_in_as(db, make_user(db, email="owner@bay.test", full_name="Bay Owner"))
    bay = offices.create_office(
        db,
        bay_owner,
        offices.OfficeInput(
            name="Bay Clinic", address="1 Bay St", phone="+1 416 555 0199", time_zone="America/Toronto"
        ),
    )
    db.commit()
    office_person = practitioner_in(db, world, bay.id, "bo@bay.test", "Bo Bay")  # type: ignore[arg-type]
    author = world.maple.practitioner
    pins.add_by_pin(db, author, db.get(type(bay), bay.id).share_pin)  # type: ignore[union-attr]
    pin_user = db.exec(
        select(Membership).where(
            Membership.office_id == world.birch.office_id, Membership.role == OfficeRole.practitioner
        )
    ).one()
    pins.add_by_pin(db, author, db.get(User, pin_user.user_id).share_pin.lower().replace("-", ""))  # type: ignore[union-attr]
    db.commit()
    a1 = write(db, author, world.ana.id, "ana one")  # type: ignore[arg-type]
    b1 = write(db, author, world.ben.id, "ben one")  # type: ignore[arg-type]
    return ChartWorld(world, author, colleague, leaver, world.birch.practitioner, office_person, a1, 0, b1)


def office_of(db: Session, actor: Actor) -> int:
    return db.exec(select(Membership.office_id).where(Membership.user_id == actor.user_id)).first()  # type: ignore[return-value]


def readable(db: Session, cw: ChartWorld, who: str) -> set[int]:
    actor = cw.actor(who)
    ids = set(db.exec(select(Chart.id).where(access.visible_to(db, actor))).all())
    for chart_id in (cw.a1, cw.a2, cw.b1):  # the single load agrees with the list condition
        try:
            access.access_chart(db, actor, chart_id)
            assert chart_id in ids, f"{who} loads chart {chart_id} that no list shows"
        except NotFound:
            assert chart_id not in ids, f"{who} lists chart {chart_id} but cannot open it"
    return ids  # type: ignore[return-value]


# rule → the charts it covers (a2 is written after the share: later charts count for patient/all)
COVERS = {"chart": {"a1"}, "patient": {"a1", "a2"}, "all": {"a1", "a2", "b1"}}


@pytest.mark.parametrize("rule", ["chart", "patient", "all"])
@pytest.mark.parametrize("recipient", ["colleague", "pin_person", "office_person", "leaver"])
@pytest.mark.parametrize("state", ["active", "withdrawn", "recipient_removed"])
def test_the_sharing_matrix(cw: ChartWorld, db: Session, rule: str, recipient: str, state: str) -> None:
    world, author = cw.world, cw.author
    key = (
        f"office:{office_of(db, cw.office_person)}"
        if recipient == "office_person"
        else f"practitioner:{cw.actor(recipient).user_id}"
    )
    made = shares.share_chart(db, author, cw.a1, rule=rule, recipients=[key], consent=True, now=T0)
    db.commit()
    assert made == 1
    cw.a2 = write(db, author, world.ana.id, "ana two")  # type: ignore[arg-type]
    if state == "withdrawn":
        [share] = db.exec(select(ChartShare)).all()
        shares.withdraw_share(db, author, share.id)
        db.commit()
    if state == "recipient_removed":
        if recipient in ("colleague", "leaver"):
            members.remove_member(db, world.maple.owner, world.maple.office_id, cw.actor(recipient).user_id)
        elif recipient == "pin_person":
            [entry] = [e for e in pins.sharing_list(db, author) if e.target_id == cw.pin_person.user_id]
            pins.remove_entry(db, author, entry.id)
        else:  # the office's practitioner leaves that office
            bay = office_of(db, cw.office_person)
            owner = db.exec(
                select(Membership).where(Membership.office_id == bay, Membership.role == OfficeRole.owner)
            ).one()
            owner_actor, _ = sign_in_as(db, db.get(User, owner.user_id))  # type: ignore[arg-type]
            members.remove_member(db, owner_actor, bay, cw.office_person.user_id)
        db.commit()
    names = {cw.a1: "a1", cw.a2: "a2", cw.b1: "b1"}
    expected = COVERS[rule] if state == "active" else set()
    seen = {names[i] for i in readable(db, cw, recipient) if i in names}
    assert seen == expected
    listed = {names[r.id] for r in views.charts_shared_with_me(db, cw.actor(recipient)).rows if r.id in names}
    assert listed == expected
    for chart_id, name in names.items():
        reader = cw.actor(recipient)
        if name in expected:
            charts.add_note(db, reader, chart_id, f"note from {recipient}")  # a recipient may add notes
            with pytest.raises(NotFound):
                charts.save_draft(db, reader, chart_id, {"subjective": "overwritten"})  # never edits
            with pytest.raises(NotFound):
                charts.lock_chart(db, reader, chart_id)
            with pytest.raises(NotFound):
                shares.share_options(db, reader, chart_id)
        else:
            with pytest.raises(NotFound):
                views.view_chart(db, reader, chart_id)
            with pytest.raises(NotFound):
                charts.add_note(db, reader, chart_id, "x")
            with pytest.raises(NotFound):
                charts.save_draft(db, reader, chart_id, {"subjective": "x"})
        db.rollback()


@pytest.mark.parametrize("who", ["staff", "portal", "other_owner"])
def test_staff_portal_accounts_and_strangers_never_read_charts(cw: ChartWorld, db: Session, who: str) -> None:
    shares.share_chart(
        db, cw.author, cw.a1, rule="all", recipients=[f"office:{cw.world.maple.office_id}"], consent=True
    )
    db.commit()
    assert readable(db, cw, who) == set()
    assert views.charts_shared_with_me(db, cw.actor(who)).rows == []
    with pytest.raises(NotFound):
        views.view_chart(db, cw.actor(who), cw.a1)


def test_a_share_row_to_staff_or_a_patient_still_shows_nothing(cw: ChartWorld, db: Session) -> None:
    """Even if a share named them (it cannot be made through the service), they read nothing."""
    for reader in (cw.world.maple.staff, cw.world.actor(cw.world.parent)):
        db.add(
            ChartShare(
                author_id=cw.author.user_id,
                rule=ShareRule.all,
                recipient_kind=RecipientKind.practitioner,
                recipient_user_id=reader.user_id,
                consent_confirmed_by_user_id=cw.author.user_id,
                consent_confirmed_at=T0,
            )
        )
        db.commit()
        assert db.exec(select(Chart.id).where(access.visible_to(db, reader))).all() == []


def test_by_default_a_chart_is_the_author_s_and_the_office_owner_s(cw: ChartWorld, db: Session) -> None:
    assert readable(db, cw, "author") >= {cw.a1, cw.b1}
    assert readable(db, cw, "owner") >= {cw.a1, cw.b1}
    assert readable(db, cw, "colleague") == set()  # same office, not shared: private
    assert readable(db, cw, "other_owner") == set()
    # The owner reads but never edits another's draft, nor shares it.
    with pytest.raises(NotFound):
        charts.save_draft(db, cw.actor("owner"), cw.a1, {"subjective": "x"})
    with pytest.raises(NotFound):
        shares.share_options(db, cw.actor("owner"), cw.a1)
    # An author who leaves the office reads the office's charts no more.
    members.remove_member(db, cw.world.maple.owner, cw.world.maple.office_id, cw.author.user_id)
    db.commit()
    assert readable(db, cw, "author") == set()


def test_no_share_without_the_patient_s_consent(cw: ChartWorld, db: Session) -> None:
    key = f"practitioner:{cw.colleague.user_id}"
    for consent in (False, None, "yes", 1):
        with pytest.raises(Invalid) as refused:
            shares.share_chart(db, cw.author, cw.a1, rule="chart", recipients=[key], consent=consent)  # type: ignore[arg-type]
        assert refused.value.field == "consent"
    db.rollback()
    assert db.exec(select(ChartShare)).all() == []
    assert readable(db, cw, "colleague") == set()


def test_only_offered_recipients_and_known_rules(cw: ChartWorld, db: Session) -> None:
    offered = {r.key for r in shares.share_options(db, cw.author, cw.a1).recipients}
    assert f"practitioner:{cw.colleague.user_id}" in offered
    assert f"practitioner:{cw.pin_person.user_id}" in offered
    assert f"office:{cw.world.maple.office_id}" in offered
    assert f"practitioner:{cw.world.maple.staff.user_id}" not in offered  # staff never receive charts
    assert f"practitioner:{cw.world.birch.owner.user_id}" not in offered  # a stranger, not on the list
    for bad in (
        [f"practitioner:{cw.world.birch.owner.user_id}"],
        [f"practitioner:{cw.world.maple.staff.user_id}"],
        [],
        ["x"],
    ):
        with pytest.raises(Invalid):
            shares.share_chart(db, cw.author, cw.a1, rule="chart", recipients=bad, consent=True)
    with pytest.raises(Invalid):
        shares.share_chart(
            db, cw.author, cw.a1, rule="everything", recipients=[f"practitioner:{cw.colleague.user_id}"], consent=True
        )
    # The same share twice is made once.
    key = f"practitioner:{cw.colleague.user_id}"
    assert shares.share_chart(db, cw.author, cw.a1, rule="chart", recipients=[key], consent=True) == 1
    assert shares.share_chart(db, cw.author, cw.a1, rule="chart", recipients=[key], consent=True) == 0


def test_only_the_author_withdraws_and_notes_are_seen_by_author_and_recipients(cw: ChartWorld, db: Session) -> None:
    keys = [f"practitioner:{cw.colleague.user_id}", f"practitioner:{cw.pin_person.user_id}"]
    shares.share_chart(db, cw.author, cw.a1, rule="chart", recipients=keys, consent=True, now=T0)
    db.commit()
    charts.add_note(db, cw.colleague, cw.a1, "Seen at the front desk too")
    db.commit()
    for reader in (cw.author, cw.pin_person, cw.colleague):
        assert [n.text for n in views.view_chart(db, reader, cw.a1).notes] == ["Seen at the front desk too"]
    with pytest.raises(Invalid):
        charts.add_note(db, cw.author, cw.a1, "the author writes addenda instead")
    rows = shares.share_options(db, cw.author, cw.a1).shares
    assert [r.recipient for r in rows] == ["Quinn Maple", "Priya Birch"]
    assert all(r.consent.startswith("Patient consent confirmed by Priya Maple on") for r in rows)
    for stranger in (cw.colleague, cw.world.birch.owner):
        with pytest.raises(NotFound):
            shares.withdraw_share(db, stranger, rows[0].id)
    shares.withdraw_share(db, cw.author, rows[0].id)
    db.commit()
    with pytest.raises(NotFound):
        views.view_chart(db, cw.colleague, cw.a1)  # on the recipient's next click
    with pytest.raises(NotFound):
        shares.withdraw_share(db, cw.author, rows[0].id)  # once


def test_locked_charts_are_never_edited_only_amended(cw: ChartWorld, db: Session) -> None:
    charts.lock_chart(db, cw.author, cw.a1, now=T0 + timedelta(hours=1))
    db.commit()
    with pytest.raises(Conflict):
        charts.save_draft(db, cw.author, cw.a1, {"subjective": "changed later"})
    with pytest.raises(Conflict):
        charts.lock_chart(db, cw.author, cw.a1)
    charts.add_addendum(db, cw.author, cw.a1, "Lab results arrived: normal.", now=T0 + timedelta(days=1))
    db.commit()
    view = views.view_chart(db, cw.author, cw.a1)
    assert view.status == "locked" and view.fields["subjective"] == "ana one"
    assert view.locked_line.startswith("Locked by Priya Maple on Mon 4 May 2026")
    assert [a.text for a in view.addenda] == ["Lab results arrived: normal."]
    assert (view.may_edit, view.may_lock, view.may_amend) == (False, False, True)
    with pytest.raises(Conflict):
        charts.add_addendum(db, cw.author, cw.b1, "a draft is edited, not amended")
