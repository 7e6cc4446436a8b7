"""SmartForms in the clinic (issue 13), through the real UI in Chromium: a practitioner builds an intake
form with a conditional question and a signature, shares it with a colleague's office by its Office
Share PIN; the colleague assigns it from a patient's workspace; once the family has submitted it
(arranged through the services: the portal's filler is another page), the colleague and the author
(with *See all submissions*) read it, and after the author edits the form the submission still shows
the wording it was filled against."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable

from playwright.sync_api import Locator, Page, expect
from sqlmodel import select

from app.models import AccountKind, FormAssignment, FormVersion, User
from app.services.forms import filling
from tests.e2e.harness import RunningApp
from tests.e2e.office_data import Account, AppDatabase, Tags
from tests.e2e.steps import (
    office_share_pin,
    open_calendar,
    open_page,
    open_patients,
    open_workspace_tab,
    set_up_online_booking,
    sign_up_with_office,
    wait_until_interactive,
)
from tests.e2e.test_charts import look_up_pin, open_smart_charts

PNG = "data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40).decode()


# ---- steps -----------------------------------------------------------------------------------


def open_forms(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Forms", exact=True).click()
    expect(page).to_have_url(re.compile(r"/clinic/forms/?(\?.*)?$"))
    expect(page.get_by_role("heading", name="Forms", exact=True)).to_be_visible()
    wait_until_interactive(page)


def choose(page: Page, combobox: Locator, option: str) -> None:
    combobox.click()
    page.get_by_role("option", name=option, exact=True).click()
    expect(combobox).to_contain_text(option)


def add_question(
    page: Page,
    kind: str,
    label: str,
    *,
    required: bool = False,
    fields: dict[str, str] | None = None,
    shown_when: tuple[str, str, str] | None = None,
) -> None:
    """The last section's *Add question*, its inline editor filled in, *Save question*: the editor
    closes, focus lands on the new question's Edit button and the live region says it was added."""
    page.get_by_role("button", name="Add question to this section").last.click()
    editor = page.get_by_role("region", name="Add a question")
    expect(editor).to_be_visible()
    expect(editor.get_by_label("The question", exact=True)).to_be_focused()
    choose(page, editor.get_by_role("combobox", name="Type of answer"), kind)
    editor.get_by_label("The question", exact=True).fill(label)
    for name, value in (fields or {}).items():
        editor.get_by_label(name, exact=True).fill(value)
    if required:
        editor.get_by_role("checkbox", name="Required").check()
    if shown_when is not None:
        source, op, value = shown_when
        choose(page, editor.get_by_role("combobox", name="Show this question"), f"Only when {source}")
        choose(page, editor.get_by_role("combobox", name="The answer"), op)
        choose(page, editor.get_by_role("combobox", name="Answer", exact=True), value)
    editor.get_by_role("button", name="Save question").click()
    expect(editor).to_be_hidden()
    expect(questions(page).get_by_text(label, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=f"Edit “{label}”", exact=True)).to_be_focused()
    expect(questions(page).get_by_role("status")).to_have_text(f"Question added: “{label}”.")


def questions(page: Page) -> Locator:
    return page.get_by_role("region", name="Questions")


def preview_order(page: Page) -> Locator:
    """The preview's questions shown, each with its number beside it."""
    return page.get_by_role("region", name="Preview").locator(".q-row")


def outline_order(page: Page) -> Locator:
    """The outline's questions, each with its number beside it ("2." then the card)."""
    return questions(page).locator(".q-row")


def question_ids(db: AppDatabase, form_id: int) -> dict[str, str]:
    """The newest version's questions, by label."""
    with db.transaction() as session:
        version = session.exec(
            select(FormVersion).where(FormVersion.form_id == form_id).order_by(FormVersion.number.desc())  # type: ignore[attr-defined]
        ).first()
        assert version is not None
        content = json.loads(version.content)
    return {q["label"]: q["id"] for s in content["sections"] for q in s["questions"]}


def the_family_submits(db: AppDatabase, colleague_email: str, form_id: int) -> None:
    """Ana's family holds her record with an access code and submits the form (the portal's filler
    is built elsewhere; its services are the ones the page calls)."""
    with db.transaction() as session:
        user = session.exec(select(User).where(User.email_normalized == colleague_email.lower())).one()
        assignment = session.exec(select(FormAssignment).where(FormAssignment.form_id == form_id)).one()
        staff = Account(user.id, user.email, "", user.full_name, user.kind)  # type: ignore[arg-type]
        patient_id = assignment.patient_id
        assignment_id = assignment.id
    family = db.account(Tags(), AccountKind.patient)
    db.give_record(staff, patient_id, family)
    ids = question_ids(db, form_id)
    with db.transaction() as session:
        answers = {
            ids["Do you smoke?"]: "yes",
            ids["How many a day?"]: "12",
            ids["Your signature"]: {"name": "Ana Reis", "image": PNG},
        }
        filling.submit_form(session, db.actor(session, family), assignment_id, answers)


def answer_of(page: Page, question: str) -> Locator:
    return page.locator(".print-sheet").get_by_text(question, exact=True).locator("xpath=..")


# ---- the story --------------------------------------------------------------------------------


def test_a_form_is_built_shared_by_office_pin_assigned_and_its_submission_keeps_its_wording(
    page: Page, new_page: Callable[[], Page], app: RunningApp
) -> None:
    author = sign_up_with_office(page, app.mailbox, "Maple Street Clinic", name="Priya Maple")
    other = new_page()
    colleague = sign_up_with_office(other, app.mailbox, "Birch Road Clinic", name="Oskar Birch")
    birch_pin = office_share_pin(other)
    open_patients(other)
    other.get_by_role("button", name="New patient").click()
    dialog = other.get_by_role("dialog", name="New patient")
    dialog.get_by_label("First name").fill("Ana")
    dialog.get_by_label("Last name").fill("Reis")
    dialog.get_by_role("button", name="Create patient").click()
    expect(other).to_have_url(re.compile(r"/clinic/patients/\d+/?$"))
    ana = re.sub(r"^https?://[^/]+", "", other.url).rstrip("/")

    # The author builds an intake form: a yes/no question, a follow-up shown only after "Yes", a signature.
    open_forms(page)
    expect(page.get_by_text("No forms yet")).to_be_visible()
    page.get_by_role("button", name="New form").click()
    new_form = page.get_by_role("dialog", name="New form")
    new_form.get_by_role("button", name="Create form").click()
    expect(new_form.get_by_text("Title is required.")).to_be_visible()  # beside the field, nothing made
    new_form.get_by_label("Title").fill("Intake")
    new_form.get_by_role("button", name="Create form").click()
    expect(page).to_have_url(re.compile(r"/clinic/forms/\d+/?$"))
    form_path = re.sub(r"^https?://[^/]+", "", page.url).rstrip("/")
    form_id = int(form_path.rsplit("/", 1)[-1])
    wait_until_interactive(page)
    expect(page.get_by_text("Version 1 · only you use it")).to_be_visible()
    # Nothing is added from a blank editor: the message stands beside the field; Cancel goes back.
    page.get_by_role("button", name="Add question to this section").click()
    editor = page.get_by_role("region", name="Add a question")
    editor.get_by_role("button", name="Save question").click()
    expect(editor.get_by_text("The question is required.")).to_be_visible()
    expect(editor.get_by_label("The question", exact=True)).to_have_attribute("aria-invalid", "true")
    editor.get_by_role("button", name="Cancel").click()
    expect(editor).to_be_hidden()
    expect(page.get_by_role("button", name="Add question to this section")).to_be_focused()
    expect(questions(page).get_by_role("button", name=re.compile(r"^Edit "))).to_have_count(0)
    add_question(page, "Yes / no", "Do you smoke?", required=True)
    add_question(
        page,
        "Number",
        "How many a day?",
        required=True,
        fields={"Smallest answer": "1", "Largest answer": "100"},
        shown_when=("1. Do you smoke?", "is", "Yes"),
    )
    add_question(page, "Signature", "Your signature", required=True)
    expect(page.get_by_text("Shown when “Do you smoke?” is Yes")).to_be_visible()

    # The live preview (its own tab) shows the form as the patient will: the follow-up waits for "Yes".
    page.get_by_role("tab", name="Preview").click()
    preview = page.get_by_role("region", name="Preview")
    expect(preview.get_by_text("How many a day?")).to_have_count(0)
    preview.get_by_role("radio", name="Yes").click()
    # Each question with its number beside it; a hidden one keeps its number (the signature stays 3).
    expect(preview_order(page)).to_have_text(
        [re.compile(r"^1\.\s*Do you smoke\?"), re.compile(r"^2\.\s*How many a day\? \(required\)"), re.compile(r"^3\.")]
    )
    preview.get_by_role("radio", name="No").click()
    expect(preview.get_by_text("How many a day?")).to_have_count(0)
    expect(preview_order(page)).to_have_text([re.compile(r"^1\."), re.compile(r"^3\.\s*Your signature")])
    expect(preview.get_by_label("Type your full name")).to_be_visible()  # the signature's typed-name alternative
    page.get_by_role("tab", name="Questions").click()
    expect(preview).to_have_count(0)  # drawn only while its tab is open
    # A question being written survives a look at the preview (its tab stays mounted, only hidden).
    page.get_by_role("button", name="Add question to this section").last.click()
    editor = page.get_by_role("region", name="Add a question")
    editor.get_by_label("The question", exact=True).fill("Still being written")
    page.get_by_role("tab", name="Preview").click()
    expect(editor).to_be_hidden()
    page.get_by_role("tab", name="Questions").click()
    expect(editor.get_by_label("The question", exact=True)).to_have_value("Still being written")
    editor.get_by_role("button", name="Cancel").click()
    expect(editor).to_be_hidden()

    # With the keyboard: a follow-up cannot move above its question; the signature moves and keeps focus.
    page.get_by_role("button", name="Move “How many a day?” up").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("must stay below it", exact=False)).to_be_visible()
    signature_up = page.get_by_role("button", name="Move “Your signature” up")
    signature_up.focus()
    page.keyboard.press("Enter")
    expect(outline_order(page).nth(1)).to_contain_text(re.compile(r"^2\.\s*Your signature"))
    expect(signature_up).to_be_focused()
    page.get_by_role("button", name="Move “Your signature” down").press("Enter")
    expect(outline_order(page).nth(2)).to_contain_text(re.compile(r"^3\.\s*Your signature"))

    # Shared with the colleague's office, added to the sharing list by its Office Share PIN.
    open_smart_charts(page, "Sharing list")
    look_up_pin(page, birch_pin)
    page.get_by_role("region", name="The PIN belongs to").get_by_role("button", name="Add to sharing list").click()
    expect(page.get_by_text("Birch Road Clinic is on your sharing list.", exact=False)).to_be_visible()
    open_page(page, form_path)
    page.get_by_role("button", name="Sharing options").click()
    sharing = page.get_by_role("dialog", name="Sharing options")
    sharing.get_by_role("switch", name="Allow other practitioners to have access to this form").click()
    sharing.get_by_role("checkbox", name="Birch Road Clinic").check()
    sharing.get_by_role("checkbox", name=re.compile(r"^See all submissions")).check()
    sharing.get_by_role("button", name="Save sharing options").click()
    expect(page.get_by_text("Sharing options saved.")).to_be_visible()
    expect(page.get_by_text("Version 1 · shared")).to_be_visible()

    # The colleague finds it under Forms → Shared with me, and assigns it from Ana's Forms tab.
    open_forms(other)
    other.get_by_role("tab", name="Shared with me").click()
    expect(other.get_by_role("row").filter(has_text="Intake")).to_contain_text(author.name)
    open_page(other, ana)
    open_workspace_tab(other, "Forms")
    expect(other.get_by_text("No forms yet")).to_be_visible()
    other.get_by_role("button", name="Assign form").click()
    assign = other.get_by_role("dialog", name="Assign a form")
    assign.get_by_role("button", name="Assign form").click()
    expect(assign.get_by_text("Choose a form.")).to_be_visible()
    choose(other, assign.get_by_role("combobox", name="Form"), f"Intake — Shared by {author.name}")
    assign.get_by_label("Message to the patient").fill("Before your first visit, please.")
    assign.get_by_role("button", name="Assign form").click()
    expect(other.get_by_text("Form assigned.", exact=False)).to_be_visible()
    expect(other.get_by_role("button", name="Assign form")).to_be_focused()
    row = other.get_by_role("row").filter(has_text="Intake")
    expect(row).to_contain_text("To fill in")
    expect(row).to_contain_text(f"by {colleague.name}")

    # The family submits it; the colleague reads it in Ana's workspace and marks it reviewed.
    db = AppDatabase.of(app)
    try:
        the_family_submits(db, colleague.email, form_id)
    finally:
        db.close()
    open_page(other, ana + "?tab=forms")
    row = other.get_by_role("row").filter(has_text="Intake")
    expect(row).to_contain_text("Submitted")
    row.get_by_role("link", name="Intake").click()
    expect(other).to_have_url(re.compile(r"/clinic/form-submissions/\d+/?$"))
    submission_path = re.sub(r"^https?://[^/]+", "", other.url).rstrip("/")
    expect(answer_of(other, "1. Do you smoke?")).to_contain_text("Yes")
    expect(answer_of(other, "2. How many a day?")).to_contain_text("12")
    expect(answer_of(other, "3. Your signature")).to_contain_text("Signed by Ana Reis on")
    expect(other.get_by_role("img", name="Drawn signature")).to_be_visible()
    other.get_by_role("button", name="Mark as reviewed").click()
    expect(other.get_by_text(f"Reviewed by {colleague.name} on", exact=False)).to_be_visible()
    expect(other.get_by_role("button", name="Mark as reviewed")).to_have_count(0)

    # The author, with See all submissions, reads the other office's patient's submission (never reviews it).
    open_forms(page)
    mine = page.get_by_role("row").filter(has_text="Intake")
    mine.get_by_role("link", name="1 submissions of Intake").click()
    expect(page).to_have_url(re.compile(r"/clinic/forms/\d+/submissions/?$"))
    listed = page.get_by_role("row").filter(has_text="Ana Reis")
    expect(listed).to_contain_text("Birch Road Clinic")
    expect(listed).to_contain_text("Reviewed")
    listed.get_by_role("link", name="Ana Reis").click()
    expect(answer_of(page, "1. Do you smoke?")).to_contain_text("Yes")
    expect(page.get_by_role("button", name="Mark as reviewed")).to_have_count(0)

    # The author rewords the question: a new version; the submission keeps the words it was filled with.
    open_page(page, form_path)
    expect(page.get_by_text("Patients have started filling in version 1", exact=False)).to_be_visible()
    page.get_by_role("button", name="Edit “Do you smoke?”").click()
    edit = page.get_by_role("region", name="Edit question")
    expect(edit.get_by_label("The question", exact=True)).to_have_value("Do you smoke?")
    edit.get_by_label("The question", exact=True).fill("Do you smoke or vape?")
    edit.get_by_role("button", name="Save question").click()
    expect(questions(page).get_by_role("status")).to_have_text("Question saved: “Do you smoke or vape?”.")
    expect(edit).to_be_hidden()
    expect(page.get_by_role("button", name="Edit “Do you smoke or vape?”")).to_be_focused()
    expect(page.get_by_text("Version 2 · shared")).to_be_visible()
    expect(outline_order(page).first).to_contain_text(re.compile(r"^1\.\s*Do you smoke or vape\?"))
    open_page(page, submission_path)
    expect(answer_of(page, "1. Do you smoke?")).to_contain_text("Yes")
    expect(page.get_by_text("Do you smoke or vape?")).to_have_count(0)
    expect(page.get_by_text("version 1", exact=False)).to_be_visible()


def test_the_office_attaches_a_form_to_a_service_booked_online(page: Page, app: RunningApp) -> None:
    sign_up_with_office(page, app.mailbox, "Cedar Clinic", name="Cora Cedar")
    set_up_online_booking(page, "First visit")
    open_forms(page)
    page.get_by_role("button", name="New form").click()
    page.get_by_role("dialog", name="New form").get_by_label("Title").fill("New patient intake")
    page.get_by_role("dialog", name="New form").get_by_role("button", name="Create form").click()
    expect(page).to_have_url(re.compile(r"/clinic/forms/\d+/?$"))
    wait_until_interactive(page)
    add_question(page, "Short text", "Who referred you?")

    # Calendar → gear → Online Booking Options: the service's form, saved as it is chosen.
    open_calendar(page)
    page.get_by_role("button", name="Calendar settings").click()
    page.get_by_role("menuitem", name="Online Booking Options").click()
    dialog = page.get_by_role("dialog", name="Online Booking Options")
    expect(dialog.get_by_text("Forms during online booking")).to_be_visible()
    chooser = dialog.get_by_role("combobox", name="Form for First visit")
    expect(chooser).to_contain_text("No form")
    choose(page, chooser, "New patient intake")
    expect(page.get_by_text("Saved: patients booking it online fill in that form next.")).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="Calendar settings").click()
    page.get_by_role("menuitem", name="Online Booking Options").click()
    expect(dialog.get_by_role("combobox", name="Form for First visit")).to_contain_text("New patient intake")
