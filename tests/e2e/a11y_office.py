"""The office the accessibility and keyboard tests share, arranged through the services.

Its owner (a practitioner), a second practitioner, a front desk, two patients, a service with
hours every day, online booking on, appointments (tomorrow, last week, one cancelled), a locked
chart, a form assigned to the family's record, and a family portal account that holds both records
through access codes; and a practitioner with an invitation waiting.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from app.models import AccountKind, AppointmentStatus, Patient
from app.services.charts import charts
from app.services.forms import assign, builder, library
from app.services.local_time import local_instant
from app.services.scheduling import appointments, booking_options
from app.services.scheduling.booking_options import BookingOptionsInput
from tests.e2e.harness import RunningApp
from tests.e2e.office_data import ZONE, Account, AppDatabase, Tags
from tests.e2e.steps import sign_in, wait_until_interactive


@dataclass
class Office:
    db: AppDatabase
    office_id: int
    office_name: str
    owner: Account
    colleague: Account
    staff: Account
    family: Account
    held: int  # the family's first record
    other: int  # and its second
    held_name: str
    chart_id: int
    form_id: int
    assignment_id: int
    invited: Account  # a practitioner with an invitation waiting


def _at(days: int, minutes: int) -> datetime:
    zone = ZoneInfo(ZONE)
    day = (datetime.now(UTC).astimezone(zone) + timedelta(days=days)).date()
    return local_instant(day, minutes, zone)


def arranged_office(app: RunningApp) -> Iterator[Office]:
    """For a module-scoped fixture: `yield from arranged_office(app)`."""
    db = AppDatabase.of(app)
    tags = Tags()
    owner = db.account(Tags())
    office_id = db.office(owner, tags)
    colleague, staff = db.account(Tags()), db.account(Tags())
    db.join(owner, office_id, colleague, "practitioner")
    db.join(owner, office_id, staff, "staff")
    held_tags = Tags()
    held, other = db.patient(owner, office_id, held_tags), db.patient(owner, office_id, Tags())
    family = db.account(Tags(), AccountKind.patient)
    db.give_record(owner, held, family)
    db.give_record(owner, other, family)  # two records: the record switcher has a choice
    service = db.service(owner, office_id, tags)
    db.appointment(owner, office_id, held, service, days_ahead=1)
    db.appointment(owner, office_id, other, service, days_ahead=0)
    with db.transaction() as session:
        actor = db.actor(session, owner)
        booking_options.save_booking_options(
            session,
            actor,
            office_id,
            BookingOptionsInput(
                enabled=True,
                min_notice_hours=0,
                horizon_days=60,
                allow_cancellation=True,
                cancellation_notice_hours=1,
                registration_policy="new_too",
                refusal_phone="+1 416 555 0199",
            ),
        )
        past = appointments.create(
            session,
            office_id=office_id,
            practitioner_id=owner.user_id,
            patient_id=held,
            service_id=service,
            starts_at=_at(-7, 9 * 60),
            booked_by_user_id=owner.user_id,
            booked_online=False,
            now=datetime.now(UTC),
        )
        cancelled = appointments.create(
            session,
            office_id=office_id,
            practitioner_id=owner.user_id,
            patient_id=held,
            service_id=service,
            starts_at=_at(2, 11 * 60),
            booked_by_user_id=owner.user_id,
            booked_online=False,
            now=datetime.now(UTC),
        )
        appointments.set_status(session, actor, past.id or 0, AppointmentStatus.arrived)
        appointments.set_status(session, actor, cancelled.id or 0, AppointmentStatus.cancelled)
        chart = charts.start_chart(session, actor, held)
        charts.save_draft(session, actor, chart.id, {"subjective": "Sore back.", "goals": "Walk 30 minutes a day."})
        charts.lock_chart(session, actor, chart.id)
        form = library.create_form(session, actor, office_id, "Intake questionnaire")
        section = builder.builder_view(session, actor, form.id).schema.sections[0].id
        builder.add_question(
            session, actor, form.id, section, {"type": "short_text", "label": "What brings you in?", "required": True}
        )
        assigned = assign.assign_form(session, db.settings, actor, held, form.id)
        chart_id, form_id = chart.id or 0, form.id or 0
    invited = db.account(Tags())
    db.invitation(owner, office_id, invited.email)
    with db.transaction() as session:
        row = session.get(Patient, held)
        held_name = f"{row.first_name} {row.last_name}" if row else ""
    yield Office(
        db=db,
        office_id=office_id,
        office_name=db.office_name(office_id),
        owner=owner,
        colleague=colleague,
        staff=staff,
        family=family,
        held=held,
        other=other,
        held_name=held_name,
        chart_id=chart_id,
        form_id=form_id,
        assignment_id=assigned.assignment_id,
        invited=invited,
    )
    db.close()


def signed_in(new_page: Callable[[], Page], person: Account, home: str) -> Page:
    page = new_page()
    sign_in(page, person.email, person.password)
    expect(page).to_have_url(re.compile(re.escape(home) + r"/?$"))
    wait_until_interactive(page)
    return page
