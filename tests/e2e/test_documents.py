"""Documents (issue 12), through the real UI in Chromium.

Staff upload three files to All Documents, select two (click, then shift-click), and share them with a
patient (Patient Share Label) and with a practitioner of another office added by her Share PIN
(Practitioner Share Label). The patient's family account sees them in the portal and downloads one;
the other office's practitioner sees them, marked with who shared them. A document in a patient's
workspace is offered to that patient only, and a hand-made event cannot share it with another. The
patient uploads a photo from the portal and the front desk finds it under "From the patient".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from app.models import AccountKind, Document, DocumentShare, Patient
from app.state.document_pages import WorkspaceDocumentsState
from tests.documents_support import image_bytes, pdf_bytes
from tests.e2e.accessibility import assert_accessible
from tests.e2e.harness import RunningApp
from tests.e2e.office_data import Account, AppDatabase, Tags
from tests.e2e.socket_client import SocketClient
from tests.e2e.steps import open_page, open_workspace_tab, portal_nav, sign_in, wait_until_interactive


@dataclass
class Clinics:
    db: AppDatabase
    maple: str  # office name
    staff: Account
    ana: int
    ana_name: str  # "Lastname, First", as lists show it
    ana_full: str
    ben: int
    family: Account
    dr_birch: Account
    dr_birch_pin: str


@pytest.fixture(scope="module")
def clinics(app: RunningApp) -> Iterator[Clinics]:
    db = AppDatabase.of(app)
    tags, birch_tags, family = Tags(), Tags(), Tags()
    owner, staff = db.account(tags), db.account(tags)
    office = db.office(owner, tags)
    db.join(owner, office, staff, "staff")
    ana, ben = db.patient(staff, office, family), db.patient(staff, office, family)
    holder = db.account(family, AccountKind.patient)
    db.give_record(staff, ana, holder)
    birch_owner, dr_birch = db.account(birch_tags), db.account(birch_tags)
    birch = db.office(birch_owner, birch_tags)
    db.join(birch_owner, birch, dr_birch, "practitioner")
    with db.transaction() as session:
        patient = session.get(Patient, ana)
        assert patient is not None
        first, last = patient.first_name, patient.last_name
    pin = db.share_pins(birch, [dr_birch])[1]
    yield Clinics(
        db, db.office_name(office), staff, ana, f"{last}, {first}", f"{first} {last}", ben, holder, dr_birch, pin
    )
    db.close()


def signed_in(page: Page, who: Account, home: str) -> Page:
    sign_in(page, who.email, who.password)
    expect(page).to_have_url(re.compile(re.escape(home) + r"/?$"))
    return page


def upload(page: Page, input_id: str, files: list[Path]) -> None:
    page.locator(f"#{input_id}").set_input_files([str(f) for f in files])
    uploads = page.get_by_role("list", name="Uploads", exact=True).get_by_role("listitem")
    for file in files:
        expect(uploads.filter(has_text=file.name)).to_contain_text("Uploaded", timeout=30_000)


def row(page: Page, name: str):  # type: ignore[no-untyped-def]
    return page.get_by_role("table", name="Documents").get_by_role("row").filter(has_text=name)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    made = {
        "letter": ("referral letter.pdf", pdf_bytes(2)),
        "xray": ("x-ray.png", image_bytes("PNG", (900, 700), "navy")),
        "notes": ("notes.txt", b"Allergies: none known.\n"),
        "results": ("ana results.pdf", pdf_bytes(1)),
        "photo": ("rash.jpg", image_bytes("JPEG", (1200, 900), "salmon")),
    }
    paths = {}
    for key, (name, data) in made.items():
        paths[key] = tmp_path / name
        paths[key].write_bytes(data)
    return paths


def test_share_documents_with_labels_from_upload_to_portal_and_another_office(
    new_page: Callable[[], Page], app: RunningApp, clinics: Clinics, files: dict[str, Path]
) -> None:
    staff = signed_in(new_page(), clinics.staff, "/clinic")
    staff.get_by_role("navigation", name="Main").get_by_role("link", name="Documents", exact=True).click()
    expect(staff.get_by_role("heading", name="Documents", exact=True)).to_be_visible()
    expect(staff.get_by_text("No documents yet")).to_be_visible()
    wait_until_interactive(staff)
    upload(staff, "document-files", [files["letter"], files["xray"], files["notes"]])
    for name in ("referral letter.pdf", "x-ray.png", "notes.txt"):
        expect(row(staff, name)).to_be_visible()
    expect(staff.get_by_role("button", name="Assign Labels")).to_have_count(0)  # nothing selected yet

    # Newest first: notes, x-ray, letter. Click the letter, shift-click the x-ray: both selected.
    staff.get_by_role("checkbox", name="Select referral letter.pdf").click()
    staff.get_by_role("checkbox", name="Select x-ray.png").click(modifiers=["Shift"])
    expect(staff.get_by_text("2 selected")).to_be_visible()
    staff.get_by_role("button", name="Assign Labels").click()
    panel = staff.get_by_role("region", name="Assign Labels")
    expect(panel).to_be_visible()
    assert_accessible(staff, "documents, the Assign Labels panel")
    panel.get_by_label("Find a patient to share with").fill(clinics.ana_name.split(",")[0])
    panel.get_by_role("button", name=re.compile("^" + re.escape(clinics.ana_name))).click()
    ana_box = panel.get_by_role("checkbox", name=re.compile(re.escape(clinics.ana_name)))
    expect(ana_box).to_be_checked()
    panel.get_by_label("Add by Share PIN").fill(clinics.dr_birch_pin)
    panel.get_by_role("button", name="Add", exact=True).click()
    expect(staff.get_by_text(f"{clinics.dr_birch.full_name} is on your sharing list.")).to_be_visible()
    birch_box = panel.get_by_role("checkbox", name=re.compile(re.escape(clinics.dr_birch.full_name)))
    expect(birch_box).not_to_be_checked()
    birch_box.click()
    panel.get_by_role("button", name="Apply Labels").click()
    expect(staff.get_by_text("Labels applied (4 shared).")).to_be_visible()
    expect(panel).to_be_hidden()
    for name in ("referral letter.pdf", "x-ray.png"):
        expect(row(staff, name)).to_contain_text(clinics.ana_full)
        expect(row(staff, name)).to_contain_text(clinics.dr_birch.full_name)
    expect(row(staff, "notes.txt")).not_to_contain_text(clinics.ana_full)

    # A PDF previews as page images, in the page (no PDF viewer).
    row(staff, "referral letter.pdf").get_by_role("button", name="referral letter.pdf", exact=True).click()
    dialog = staff.get_by_role("dialog", name="referral letter.pdf")
    image = dialog.get_by_role("img", name="Preview of referral letter.pdf")
    expect(image).to_be_visible()
    staff.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert_accessible(staff, "document preview dialog")
    dialog.get_by_role("button", name="Next page").click()
    expect(dialog.get_by_text("Page 2 of 2")).to_be_visible()
    dialog.get_by_role("button", name="Close").click()

    # The family sees both in the portal and downloads one.
    family = signed_in(new_page(), clinics.family, "/portal")
    portal_nav(family, "Documents")
    shared = family.get_by_role("list", name="Shared by your clinic")
    expect(shared.get_by_role("listitem")).to_have_count(2)
    expect(shared).to_contain_text("referral letter.pdf")
    expect(shared).to_contain_text(f"Shared by {clinics.maple}")
    with family.expect_download() as downloading:
        shared.get_by_role("link", name="Download x-ray.png").click()
    download = downloading.value
    assert download.suggested_filename == "x-ray.png"
    assert Path(download.path()).read_bytes() == files["xray"].read_bytes()

    # The practitioner of the other office sees them too, marked with who shared them.
    birch = signed_in(new_page(), clinics.dr_birch, "/clinic")
    open_page(birch, "/clinic/documents")
    expect(row(birch, "referral letter.pdf")).to_contain_text(f"Shared by {clinics.staff.full_name} · {clinics.maple}")
    expect(row(birch, "x-ray.png")).to_be_visible()
    expect(row(birch, "notes.txt")).to_have_count(0)
    expect(birch.get_by_role("checkbox", name="Select x-ray.png")).to_have_count(0)  # hers to read, not to label


def test_a_workspace_document_is_shared_only_with_its_patient(
    new_page: Callable[[], Page], app: RunningApp, clinics: Clinics, files: dict[str, Path]
) -> None:
    staff = signed_in(new_page(), clinics.staff, "/clinic")
    open_page(staff, f"/clinic/patients/{clinics.ana}?tab=documents")
    open_workspace_tab(staff, "Documents")
    upload(staff, "workspace-document-files", [files["results"]])
    staff.get_by_role("checkbox", name="Select ana results.pdf").click()
    staff.get_by_role("button", name="Assign Labels").click()
    panel = staff.get_by_role("region", name="Assign Labels")
    patients = panel.get_by_role("region", name="Patient Share Labels")
    expect(patients.get_by_role("checkbox")).to_have_count(1)
    expect(patients.get_by_role("checkbox", name=re.compile(re.escape(clinics.ana_name)))).to_be_visible()
    expect(patients.get_by_label("Find a patient to share with")).to_have_count(0)
    expect(patients).to_contain_text("shared only with that patient")

    # A hand-made event with the staff's own session cannot add Ben, whatever it sends.
    cookie = next(c["value"] for c in staff.context.cookies() if c["name"] == "praxis_session")
    with clinics.db.transaction() as session:
        doc_id = session.exec(select(Document.id).where(Document.name == "ana results.pdf")).one()
    page, query = f"/clinic/patients/{clinics.ana}", {"record_id": str(clinics.ana)}
    with SocketClient(app.base_url, cookie=cookie) as tab:
        tab.connect(page, query)
        tab.call(WorkspaceDocumentsState.load_tab, {}, pathname=page, query=query)
        tab.call(WorkspaceDocumentsState.toggle_row, {"document_id": str(doc_id), "shift": False})
        tab.call(WorkspaceDocumentsState.open_panel, {})
        tab.call(WorkspaceDocumentsState.find_share_patient, {"query": "a"})
        tab.call(WorkspaceDocumentsState.add_share_patient, {"key": f"patient:{clinics.ben}"})
        tab.call(WorkspaceDocumentsState.toggle_choice, {"key": f"patient:{clinics.ben}"})
        mark = len(tab.frames)
        tab.call(WorkspaceDocumentsState.apply_labels, {})
        answered = tab.received_text(mark)
        assert "Tick or untick a label first." in answered and "Labels applied" not in answered
    with clinics.db.transaction() as session:
        shares = session.exec(select(DocumentShare).where(DocumentShare.document_id == doc_id)).all()
        assert shares == []


def test_a_patient_uploads_a_photo_and_the_front_desk_sees_it(
    new_page: Callable[[], Page], app: RunningApp, clinics: Clinics, files: dict[str, Path]
) -> None:
    family = signed_in(new_page(), clinics.family, "/portal")
    family.set_viewport_size({"width": 390, "height": 844})  # a phone
    portal_nav(family, "Documents")
    expect(family.get_by_role("heading", name=f"Send a file to {clinics.maple}")).to_be_visible()
    assert family.locator("#portal-document-files").get_attribute("accept") == "image/*,application/pdf"
    upload(family, "portal-document-files", [files["photo"]])
    expect(family.get_by_role("list", name="Your uploads")).to_contain_text("rash.jpg")
    expect(family.get_by_role("list", name="Your uploads")).to_contain_text("Uploaded by you")

    staff = signed_in(new_page(), clinics.staff, "/clinic")
    open_page(staff, f"/clinic/patients/{clinics.ana}?tab=documents")
    open_workspace_tab(staff, "Documents")
    staff.get_by_role("radio", name="From the patient").click()
    photo = row(staff, "rash.jpg")
    expect(photo).to_contain_text("From the patient")
    expect(photo).to_contain_text(clinics.family.full_name)
    expect(row(staff, "ana results.pdf")).to_have_count(0)
