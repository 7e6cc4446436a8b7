"""SmartForms in the portal (issue 13), through the real UI in Chromium: a family fills half of an
assigned form on a phone-sized screen (a conditional question, a number out of range refused beside
it), reloads and resumes, signs by drawing and by typing the name, checks the answers, submits and
reads back what was sent; the practitioner reads it in the patient's Forms tab. And a form attached
to a service in Online Booking Options is filled in right after booking that service online.

The forms are built through the services (the builder has its own test, test_forms_clinic.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page, expect
from sqlmodel import select

from app.models import AccountKind, Appointment, FormSubmission, Patient, User
from app.services.forms import assign, builder, library, sections
from tests.e2e.accessibility import assert_accessible
from tests.e2e.harness import RunningApp
from tests.e2e.office_data import Account, AppDatabase, Tags
from tests.e2e.steps import (
    choose_booking_day,
    expect_autosaved,
    new_person,
    open_calendar,
    open_page,
    portal_nav,
    set_up_online_booking,
    sign_in,
    sign_up,
    sign_up_with_office,
    wait_until_interactive,
)
from tests.e2e.test_booking import OWNER, SERVICE, day_button, tomorrow


@dataclass(frozen=True)
class Questions:
    form_id: int
    ids: dict[str, str]  # label → question id


def build_form(db: AppDatabase, author_id: int, office_id: int, title: str, two_sections: bool = True) -> Questions:
    """An intake: *About you* (a yes/no and its follow-up, 1-100, shown after Yes), *Consent* (a note and
    a signature); or one section with a short text and a signature."""
    with db.transaction() as session:
        user = session.get(User, author_id)
        assert user is not None
        author = db.actor(session, Account(author_id, user.email, "", user.full_name, user.kind))
        form = library.create_form(session, author, office_id, title)
        view = sections.save_details(session, author, form.id, title, "Before your first visit")
        first = view.schema.sections[0].id
        ids: dict[str, str] = {}

        def add(section: str, fields: dict[str, object]) -> None:
            ids[str(fields["label"])] = builder.add_question(session, author, form.id, section, fields).changed

        if two_sections:
            sections.rename_section(session, author, form.id, first, "About you")
            add(first, {"type": "yes_no", "label": "Do you smoke?", "required": True})
            add(
                first,
                {
                    "type": "number",
                    "label": "How many a day?",
                    "min": "1",
                    "max": "100",
                    "required": True,
                    "show_if_question": ids["Do you smoke?"],
                    "show_if_op": "is",
                    "show_if_value": "yes",
                },
            )
            consent = sections.add_section(session, author, form.id, "Consent").schema.sections[1].id
            add(consent, {"type": "long_text", "label": "Anything else?"})
            add(consent, {"type": "signature", "label": "Your signature", "required": True})
        else:
            add(first, {"type": "short_text", "label": "What brings you in?", "required": True})
            add(first, {"type": "signature", "label": "Your signature", "required": True})
        return Questions(form.id or 0, ids)


def signed_in(page: Page, who: Account, home: str) -> Page:
    sign_in(page, who.email, who.password)
    expect(page).to_have_url(re.compile(re.escape(home) + r"/?$"))
    wait_until_interactive(page)
    return page


def fits_the_screen(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "scrolls sideways"


def draw_signature(page: Page) -> None:
    pad = page.get_by_role("img", name=re.compile(r"^Signature drawing for "))
    box = pad.bounding_box()
    assert box is not None
    x, y = box["x"] + 20, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(x + step * 15, y + (12 if step % 2 else -12))
    page.mouse.up()


def saved(page: Page) -> None:
    expect(page.get_by_role("status").filter(has_text="All answers saved.")).to_be_visible()


def test_the_family_fills_half_resumes_signs_submits_and_the_practitioner_reads_it(
    new_page: Callable[[], Page], app: RunningApp
) -> None:
    db = AppDatabase.of(app)
    try:
        clinic, family_tags = Tags(), Tags()
        owner = db.account(clinic)
        office = db.office(owner, clinic)
        ana = db.patient(owner, office, family_tags)
        family = db.account(family_tags, AccountKind.patient)
        db.give_record(owner, ana, family)
        form = build_form(db, owner.user_id, office, "Intake")
        with db.transaction() as session:
            assign.assign_form(
                session,
                db.settings,
                db.actor(session, owner),
                ana,
                form.form_id,
                due_date="2099-01-31",
                message="Before your first visit, please.",
            )
            patient = session.get(Patient, ana)
            assert patient is not None
            ana_name = f"{patient.first_name} {patient.last_name}"
    finally:
        db.close()

    # On a phone: Portal → Forms lists it to fill in, with its due date.
    page = new_page()
    page.set_viewport_size({"width": 375, "height": 800})
    signed_in(page, family, "/portal")
    portal_nav(page, "Forms")
    to_fill = page.get_by_role("list", name="To fill in")
    expect(to_fill).to_contain_text("Intake")
    expect(to_fill).to_contain_text("due Sat 31 Jan 2099")
    fits_the_screen(page)
    to_fill.get_by_role("link", name="Fill in Intake").click()
    expect(page).to_have_url(re.compile(r"/portal/forms/\d+/?$"))
    filler_path = re.sub(r"^https?://[^/]+", "", page.url).rstrip("/")
    wait_until_interactive(page)
    expect(page.get_by_text("Section 1 of 2")).to_be_visible()
    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    expect(page.get_by_text("Before your first visit, please.", exact=False)).to_be_visible()

    # Next with nothing answered: the required question says so beside it.
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("This question needs an answer.")).to_be_visible()
    expect(page.get_by_text("Section 1 of 2")).to_be_visible()
    # The follow-up appears only after Yes; a number out of range is refused beside it, then saved.
    expect(page.get_by_label("2. How many a day?", exact=False)).to_have_count(0)
    page.get_by_role("radio", name="Yes").click()
    saved(page)
    how_many = page.get_by_label("2. How many a day?", exact=False)
    expect(how_many).to_be_visible()
    how_many.fill("150")
    how_many.press("Tab")
    expect(page.get_by_text("Enter a number from 1 to 100.")).to_be_visible()
    how_many.fill("12")
    how_many.press("Tab")
    saved(page)
    expect(page.get_by_text("Enter a number from 1 to 100.")).to_have_count(0)
    fits_the_screen(page)
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Section 2 of 2")).to_be_visible()
    note = page.get_by_label("3. Anything else?")
    note.fill("Penicillin")
    note.press("Tab")
    saved(page)
    expect_autosaved(note)  # this answer's own save, not an earlier one's "saved"

    # Half done: reload (or another device): back where they left off, and everything is still there.
    page.reload()
    wait_until_interactive(page)
    expect(page.get_by_text("Section 2 of 2")).to_be_visible()
    expect(page.get_by_label("3. Anything else?")).to_have_value("Penicillin")
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_text("Section 1 of 2")).to_be_visible()
    expect(page.get_by_role("radio", name="Yes")).to_be_checked()
    expect(page.get_by_label("2. How many a day?", exact=False)).to_have_value("12")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Section 2 of 2")).to_be_visible()

    # Signing: a drawing alone asks for the typed name; the typed name signs (the keyboard way).
    page.get_by_role("button", name="Review answers").click()
    expect(page.get_by_text("This question needs an answer.")).to_be_visible()
    draw_signature(page)
    expect(page.get_by_text("Type your full name under your signature.")).to_be_visible()
    name = page.get_by_label("Type your full name")
    name.fill("Pat Parent")
    name.press("Tab")
    saved(page)
    fits_the_screen(page)

    # The review lists every answer; Submit; then the read-only copy, printable.
    page.get_by_role("button", name="Review answers").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    assert_accessible(page, "form filler, the review step")
    expect(page.get_by_text("2. How many a day?", exact=True).locator("xpath=..")).to_contain_text("12")
    expect(page.get_by_text("4. Your signature", exact=True).locator("xpath=..")).to_contain_text(
        "Signed by Pat Parent on"
    )
    expect(page.get_by_role("img", name="Drawn signature")).to_be_visible()
    page.get_by_role("button", name="Submit form").click()
    expect(page.get_by_text("Thank you! Your form was sent to the clinic.")).to_be_visible()
    expect(page.get_by_text("Sent to the clinic. This is what you submitted.")).to_be_visible()
    sheet = page.locator(".print-sheet")
    expect(sheet.get_by_text("1. Do you smoke?", exact=True).locator("xpath=..")).to_contain_text("Yes")
    expect(sheet.get_by_text("3. Anything else?", exact=True).locator("xpath=..")).to_contain_text("Penicillin")
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    assert_accessible(page, "a submitted form, read-only")
    fits_the_screen(page)
    page.reload()
    wait_until_interactive(page)
    expect(page.get_by_text("Sent to the clinic. This is what you submitted.")).to_be_visible()
    portal_nav(page, "Forms")
    submitted = page.get_by_role("list", name="Submitted")
    expect(submitted).to_contain_text("Intake")
    expect(submitted).to_contain_text("Submitted ")
    expect(page.get_by_role("list", name="To fill in")).to_have_count(0)
    open_page(page, filler_path)
    expect(page.get_by_role("button", name="Submit form")).to_have_count(0)

    # The practitioner reads it in Ana's Forms tab.
    clinic_page = signed_in(new_page(), owner, "/clinic")
    open_page(clinic_page, f"/clinic/patients/{ana}?tab=forms")
    row = clinic_page.get_by_role("row").filter(has_text="Intake")
    expect(row).to_contain_text("Submitted")
    row.get_by_role("link", name="Intake").click()
    expect(clinic_page).to_have_url(re.compile(r"/clinic/form-submissions/\d+/?$"))
    expect(clinic_page.get_by_text(f"Submitted by {ana_name}", exact=False).first).to_be_visible()
    answers = clinic_page.locator(".print-sheet")
    expect(answers.get_by_text("2. How many a day?", exact=True).locator("xpath=..")).to_contain_text("12")
    expect(answers.get_by_text("4. Your signature", exact=True).locator("xpath=..")).to_contain_text(
        "Signed by Pat Parent"
    )


def test_a_form_attached_to_a_service_is_filled_right_after_booking_it_online(
    page: Page, new_page: Callable[[], Page], app: RunningApp
) -> None:
    owner = sign_up_with_office(page, app.mailbox, "Cedar Wellness", name=OWNER)
    office_id = set_up_online_booking(page, SERVICE, 30)
    db = AppDatabase.of(app)
    try:
        with db.transaction() as session:
            user = session.exec(select(User).where(User.email_normalized == owner.email.lower())).one()
            owner_id = user.id or 0
        build_form(db, owner_id, int(office_id), "New patient intake", two_sections=False)
    finally:
        db.close()

    # Online Booking Options: the service's form.
    open_calendar(page)
    page.get_by_role("button", name="Calendar settings").click()
    page.get_by_role("menuitem", name="Online Booking Options").click()
    dialog = page.get_by_role("dialog", name="Online Booking Options")
    form_choice = dialog.get_by_role("combobox", name=f"Form for {SERVICE}")
    expect(form_choice).to_contain_text("No form")
    form_choice.click()
    page.get_by_role("option", name="New patient intake").click()
    expect(page.get_by_text("Saved: patients booking it online fill in that form next.")).to_be_visible()
    expect(form_choice).to_contain_text("New patient intake")

    # A new patient books that service and is taken to the form at once.
    patient_page = new_page()
    sign_up(patient_page, app.mailbox, new_person("patient", name="Paulo Souza"))
    open_page(patient_page, f"/book/{office_id}")
    choose_booking_day(patient_page, day_button(tomorrow()))
    patient_page.get_by_role("button", name=f"Book at 10:00 with {OWNER}", exact=True).click()
    patient_page.get_by_role("button", name="Confirm booking").click()
    expect(patient_page).to_have_url(re.compile(r"/portal/forms/\d+/?$"))
    booked = patient_page.get_by_text(
        re.compile(r"^You're booked: .+ with .+, \w{3} \d+ \w+ \d{4}, 10:00\. Please fill in")
    )
    expect(booked).to_be_visible()
    expect(booked).to_contain_text(SERVICE)
    wait_until_interactive(patient_page)
    expect(patient_page.get_by_role("heading", name="New patient intake").first).to_be_visible()
    expect(patient_page.get_by_text("Section 1 of 1")).to_be_visible()
    reason = patient_page.get_by_label("1. What brings you in?", exact=False)
    reason.fill("A sore knee")
    reason.press("Tab")
    saved(patient_page)
    name = patient_page.get_by_label("Type your full name")
    name.fill("Paulo Souza")
    name.press("Tab")
    saved(patient_page)
    patient_page.get_by_role("button", name="Review answers").click()
    patient_page.get_by_role("button", name="Submit form").click()
    expect(patient_page.get_by_text("Sent to the clinic. This is what you submitted.")).to_be_visible()

    # Its submission belongs to the booked record.
    db = AppDatabase.of(app)
    try:
        with db.transaction() as session:
            appointment = session.exec(select(Appointment).where(Appointment.office_id == int(office_id))).one()
            submission = session.exec(select(FormSubmission).where(FormSubmission.office_id == int(office_id))).one()
            assert submission.patient_id == appointment.patient_id
    finally:
        db.close()
