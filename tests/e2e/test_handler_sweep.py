"""Every event handler of every state, called by hand over the real websocket (issue 9).

Any handler can be called with any arguments by a hand-made message. This
sweep takes the handler list from the app itself (every state class under
SessionState and each one's `event_handlers`, Reflex's generic `setvar`
left out), and calls each one as

  (a) no session, (b) a portal account, (c) the owner of ANOTHER office,

with arguments aimed at THIS office's objects: its patient, appointment,
access code, portal access, invitation, proposal, service, time off, member
and office ids (as strings and as ints, plus a few odd ones), form dicts
made of them, and the router data of this office's pages (a workspace URL
with this office's record id, this office's booking page). A few sequences
first set what a later handler acts on (a calendar slot and a patient, a
service being edited, a member to remove).

It asserts that no answer frame carries a tagged word of this office (its
public booking page may show the office's name, services and practitioners),
that no row that refers to this office changed (nor any row outside the
sweeper's own office and account), and that no handler crashed — except the
id-parsing crashes listed in KNOWN_ID_PARSE_CRASHES, which go away once ids
are parsed by one helper (issue 9, item 4).
"""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

import app.app  # noqa: F401  (registers every state class, as the server does)
from app.models import AccountKind, FormVersion, SharingListEntry
from app.services.charts import charts, shares
from app.state.account import AccountState, SharePinState
from app.state.audit_log import AuditLogState, RecordAccessState
from app.state.auth import ConfirmEmailState, ForgotPasswordState, ResetPasswordState, SignInState, SignUpState
from app.state.booking import PublicBookingState
from app.state.booking_forms import BookingFormsState
from app.state.booking_options import BookingOptionsState
from app.state.calendar import BookingCalendarState
from app.state.chart_sharing import ChartShareState
from app.state.charts import ChartState
from app.state.clinic import ClinicState, CreateOfficeState, OfficeDetailsState
from app.state.clinic_notices import ClinicNoticesState
from app.state.document_pages import AllDocumentsState, WorkspaceDocumentsState
from app.state.form_builder import FormBuilderState
from app.state.form_question import QuestionEditorState
from app.state.form_sharing import FormSharingState
from app.state.form_submissions import FormSubmissionsState, FormSubmissionState
from app.state.forms_library import FormsLibraryState
from app.state.home import HomeState
from app.state.invitations import InvitationState
from app.state.notices import NoticeState
from app.state.patient_workspace import PatientWorkspaceState
from app.state.patients import PATIENT_FIELDS, PatientListState
from app.state.portal import PortalAppointmentsState, PortalProfileState, PortalState, RedeemState
from app.state.portal_documents import PortalDocumentsState
from app.state.portal_filler import PortalFillerState
from app.state.portal_forms import PortalFormsState
from app.state.schedule_setup import ScheduleSetupState
from app.state.session import SessionState, app_state_classes
from app.state.smart_charts import SharingListState, SmartChartsState
from app.state.team import OfficeTeamState
from app.state.treatment_plans import TreatmentPlansState
from app.state.two_factor import TwoFactorState
from app.state.workspace_forms import WorkspaceFormsState
from app.state.workspace_tabs import (
    WorkspaceAccessState,
    WorkspaceAppointmentsState,
    WorkspaceChartsState,
    WorkspaceRecord,
)
from tests.e2e.harness import RunningApp
from tests.e2e.office_data import ZONE, Account, AppDatabase, Tags, row_changes
from tests.e2e.socket_client import SocketClient, contains_any
from tests.forms_support import PNG

# Handlers that still crash on an id that is not a plain ASCII decimal in range ("²", "abc",
# 10**20, null, an object): int() or the database refuses it. Another change replaces these parses
# with one id parser (issue 9, item 4); then this list must be emptied.
KNOWN_ID_PARSE_CRASHES: frozenset[str] = frozenset()  # emptied: every id goes through services/ids.parse_id
ID_PARSE_ERROR = re.compile(
    r"ValueError: invalid literal for int\(\)|TypeError: int\(\) argument must be|OverflowError", re.IGNORECASE
)
ODD_IDS = ("²", "abc", "99999999999999999999")
BACKEND_ERROR = "Something went wrong on our side"
UNHANDLED = "Unhandled error in an event handler"
LAST = (SessionState, "sign_out")  # ends the sweeper's session: called last

# Columns that point at a kind of object, and the tables whose own id is one.
REFERENCE_COLUMNS = {
    "office_id": "office",
    "patient_id": "patient",
    "service_id": "service",
    "user_id": "user",
    "practitioner_id": "user",
    "created_by_user_id": "user",
    "invited_by_user_id": "user",
    "booked_by_user_id": "user",
    "proposed_by_user_id": "user",
    "revoked_by_user_id": "user",
    "decided_by_user_id": "user",
    "chart_id": "chart",
    "author_id": "user",
    "owner_id": "user",
    "recipient_user_id": "user",
    "recipient_office_id": "office",
    "consent_confirmed_by_user_id": "user",
    "uploaded_by_user_id": "user",
    "document_id": "document",
    "label_id": "label",
    "form_id": "form",
    "version_id": "version",
    "assignment_id": "assignment",
    "assigned_by_user_id": "user",
    "portal_user_id": "user",
    "submitted_by_user_id": "user",
    "reviewed_by_user_id": "user",
    "updated_by_user_id": "user",
    "set_by_user_id": "user",
}
TABLE_KINDS = {
    "offices": "office",
    "patients": "patient",
    "users": "user",
    "services": "service",
    "appointments": "appointment",
    "access_codes": "code",
    "portal_access": "access",
    "invitations": "invitation",
    "profile_proposals": "proposal",
    "time_off": "time_off",
    "charts": "chart",
    "chart_shares": "share",
    "sharing_list": "entry",
    "documents": "document",
    "document_labels": "label",
    "forms": "form",
    "form_versions": "version",
    "form_assignments": "assignment",
    "form_submissions": "submission",
}


def with_topic_reference(table: str, row: dict) -> dict:
    """A live_versions row names what it is about in its topic ("calendar:<office>",
    "office:<office>", "user:<user>"): the same as a reference column, for the checks."""
    if table != "live_versions":
        return row
    kind, _, ident = str(row.get("topic", "")).partition(":")
    column = "user_id" if kind == "user" else "office_id"
    return {**row, column: int(ident)} if ident.isdigit() else row


@dataclass
class ThisOffice:
    """The office whose objects every call aims at, and its tagged words."""

    office_id: int
    owner: Account
    staff: Account
    practitioner: Account
    holder: Account
    ids: dict[str, list[int]]
    secret: list[str]  # never in any answer
    public: list[str]  # only on its public booking page
    questions: list[str] = field(default_factory=list)  # its form's question ids (text, not ids of rows)
    sections: list[str] = field(default_factory=list)

    def refers_to(self, table: str, row: dict) -> bool:
        kind = TABLE_KINDS.get(table)
        if kind and row.get("id") in self.ids.get(kind, []):
            return True
        return any(row.get(column) in self.ids.get(kind, []) for column, kind in REFERENCE_COLUMNS.items())


@dataclass
class Sweeper:
    name: str
    account: Account | None
    home: list[str]  # its own pages, loaded before the sweep
    offices: list[int] = field(default_factory=list)  # what it may change: its own office's rows
    patients: list[int] = field(default_factory=list)
    self_id: int = 0
    own_service: int = 0
    own_chart: int = 0
    own_form: int = 0
    forms: list[int] = field(default_factory=list)  # the forms it wrote (also during the sweep)
    # Offices its own records are in: a profile proposal (or online booking) of its own tells that
    # clinic (a line waiting for the office's digest, `clinic_notices`).
    told_offices: list[int] = field(default_factory=list)

    def owns(self, table: str, row: dict) -> bool:
        if table == "clinic_notices" and row.get("office_id") in self.told_offices:
            return True
        kind = TABLE_KINDS.get(table)
        own = {
            "office": self.offices,
            "patient": self.patients,
            "user": [self.self_id] if self.self_id else [],
            "form": self.forms,
        }
        if kind in own and row.get("id") in own[kind]:
            return True
        return any(row.get(column) in own.get(kind, []) for column, kind in REFERENCE_COLUMNS.items())


@dataclass
class Finding:
    sweeper: str
    handler: str
    payload: dict
    what: str

    def __str__(self) -> str:
        return f"[{self.sweeper}] {self.handler}({self.payload}): {self.what}"


@dataclass
class SweepWorld:
    db: AppDatabase
    this: ThisOffice
    sweepers: dict[str, Sweeper]
    tomorrow: str


# ---- arranging ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sweep_world(app: RunningApp) -> Iterator[SweepWorld]:
    db = AppDatabase.of(app)
    x, people = Tags(), Tags()
    owner, staff, practitioner = db.account(people), db.account(people), db.account(people)
    office = db.office(owner, x)
    db.join(owner, office, staff, "staff")
    db.join(owner, office, practitioner, "practitioner")
    records = Tags()
    p1, p2 = db.patient(owner, office, records), db.patient(owner, office, records)
    holder = db.account(records, AccountKind.patient)
    access = db.give_record(owner, p1, holder)
    proposals = db.proposal(holder, p1, records)
    service = db.service(owner, office, x)
    appointments = [db.appointment(owner, office, p1, service), db.appointment(owner, office, p2, service, 2)]
    time_off = db.time_off(owner, office, x)
    invitation = db.invitation(owner, office, records.email())
    code_id, code_words = db.access_code(owner, p1)
    listed = db.account(people)  # someone on the owner's sharing list
    chart, share, entry = arrange_chart(db, owner, practitioner, p1, listed, records)
    pins = db.share_pins(office, [owner, staff, practitioner])
    documents, label = office_documents(app, db, staff, office, p1, x)
    form = office_form(db, practitioner, office, p1, holder, x)
    # What its public booking page shows: the office's name, its services, its practitioners' names.
    shown = " ".join([db.office_name(office), *db.service_names(service), owner.full_name, practitioner.full_name])
    tagged = [*x.words, *people.words, *records.words]
    public = [w for w in tagged if w in shown.lower()]
    secret = [w for w in tagged if w not in public]
    secret += [code_words, code_words.replace(" ", "-"), *pins]
    this = ThisOffice(
        office_id=office,
        owner=owner,
        staff=staff,
        practitioner=practitioner,
        holder=holder,
        ids={
            "office": [office],
            "patient": [p1, p2],
            "user": [owner.user_id, staff.user_id, practitioner.user_id, holder.user_id],
            "service": [service],
            "appointment": appointments,
            "code": [code_id],
            "access": [access],
            "invitation": [invitation],
            "proposal": proposals,
            "time_off": [time_off],
            "chart": [chart],
            "share": [share],
            "entry": [entry],
            "document": documents,
            "label": [label],
            "form": [form.form_id],
            "version": [form.version_id],
            "assignment": [form.assignment_id, form.open_assignment_id],
            "submission": [form.submission_id],
        },
        secret=secret,
        public=public,
        questions=form.questions,
        sections=form.sections,
    )
    # (b) a portal account with a record of its own at office W; (c) the owner of office Y.
    w, z_tags, y, y_tags = Tags(), Tags(), Tags(), Tags()
    w_owner = db.account(w)
    office_w = db.office(w_owner, w)
    patient_z = db.patient(w_owner, office_w, z_tags)
    z = db.account(z_tags, AccountKind.patient)
    db.give_record(w_owner, patient_z, z)
    y_owner = db.account(y_tags)
    office_y = db.office(y_owner, y)
    patient_y = db.patient(y_owner, office_y, y_tags)
    y_service = db.service(y_owner, office_y, y)
    y_chart = own_chart(db, y_owner, patient_y)
    y_form = office_form(db, y_owner, office_y, patient_y, None, y).form_id
    sweepers = {
        "nobody": Sweeper("nobody", None, ["/"]),
        "patient": Sweeper(
            "patient", z, ["/portal", "/portal/profile"], [], [patient_z], self_id=z.user_id, told_offices=[office_w]
        ),
        "other-office": Sweeper(
            "other-office",
            y_owner,
            ["/clinic", "/clinic/calendar", "/clinic/calendar/setup", "/clinic/office", "/clinic/patients"],
            [office_y],
            [patient_y],
            self_id=y_owner.user_id,
            own_service=y_service,
            own_chart=y_chart,
            own_form=y_form,
            forms=[y_form],
        ),
    }
    tomorrow = (datetime.now(UTC).astimezone(ZoneInfo(ZONE)) + timedelta(days=1)).date().isoformat()
    throttles = db.table_rows("throttles")
    yield SweepWorld(db, this, sweepers, tomorrow)
    db.restore_rows("throttles", throttles)  # the failed sign-ins and codes of the sweep count for nobody
    db.close()


def arrange_chart(
    db: AppDatabase, owner: Account, practitioner: Account, patient_id: int, listed: Account, tags: Tags
) -> tuple[int, int, int]:
    """A draft of the owner's with tagged text, shared (consent YES) with the office's practitioner,
    who added a note; and someone on the owner's sharing list. Returns (chart, share, entry) ids."""
    with db.transaction() as session:
        author = db.actor(session, owner)
        chart = charts.start_chart(session, author, patient_id)
        assert chart.id is not None
        text = {"subjective": f"{tags.word()} {tags.word()}", "goals": tags.word(), "exercises": tags.word()}
        charts.save_draft(session, author, chart.id, text)
        recipient = f"practitioner:{practitioner.user_id}"
        shares.share_chart(session, author, chart.id, rule="chart", recipients=[recipient], consent=True)
        charts.add_note(session, db.actor(session, practitioner), chart.id, f"{tags.word()} {tags.word()}")
        entry = SharingListEntry(owner_id=owner.user_id, practitioner_id=listed.user_id)
        session.add(entry)
        session.flush()
        share_id = shares.share_options(session, author, chart.id).shares[0].id
        return chart.id, share_id, entry.id  # type: ignore[return-value]


@dataclass(frozen=True)
class OfficeForm:
    form_id: int
    version_id: int
    assignment_id: int  # submitted
    open_assignment_id: int  # in progress
    submission_id: int
    questions: list[str]
    sections: list[str]


def office_form(
    db: AppDatabase, author: Account, office: int, patient_id: int, holder: Account | None, tags: Tags
) -> OfficeForm:
    """A form with tagged title and questions (a condition among them), shared with the office; with a
    `holder` of the patient's record: one assignment submitted (tagged answers) and one in progress."""
    from app.services.forms import assign, builder, filling, library, sharing

    with db.transaction() as session:
        writer = db.actor(session, author)
        form = library.create_form(session, writer, office, tags.title())
        assert form.id is not None
        section = builder.builder_view(session, writer, form.id).schema.sections[0].id
        smoker = builder.add_question(session, writer, form.id, section, {"type": "yes_no", "label": tags.word()})
        fields = {"type": "short_text", "label": tags.word(), "show_if_question": smoker.changed}
        view = builder.add_question(
            session, writer, form.id, section, {**fields, "show_if_op": "is", "show_if_value": "yes"}
        )
        sharing.save_sharing(
            session, writer, form.id, recipients=[f"office:{office}"], author_sees_all=True, recipients_see_all=True
        )
        questions = [q.id for q in view.schema.questions()]
        version = session.exec(select(FormVersion.id).where(FormVersion.form_id == form.id)).one()
        done = open_ = submission = 0
        if holder is not None:
            done = assign.assign_form(session, db.settings, writer, patient_id, form.id).assignment_id
            open_ = assign.assign_form(session, db.settings, writer, patient_id, form.id).assignment_id
            family = db.actor(session, holder)
            answers = {questions[0]: "yes", questions[1]: tags.word()}
            submission = filling.submit_form(session, family, done, answers)
            filling.save_answer(session, family, open_, questions[1], tags.word())
        return OfficeForm(form.id, version, done, open_, submission, questions, [section])


def own_chart(db: AppDatabase, author: Account, patient_id: int) -> int:
    with db.transaction() as session:
        return charts.start_chart(session, db.actor(session, author), patient_id).id  # type: ignore[return-value]


def office_documents(app: RunningApp, db: AppDatabase, staff: Account, office: int, patient: int, tags: Tags):  # type: ignore[no-untyped-def]
    """A document in All Documents and one in the patient's workspace, both labelled and shared with the
    patient, their names and the label's name tagged: (the documents' ids, the label's id)."""
    from app.services.documents import labels, shares
    from app.services.documents.storage import DiskStore
    from tests.documents_support import pdf_bytes, upload

    store = DiskStore(app.data_dir / "files")
    with db.transaction() as session:
        actor = db.actor(session, staff)
        filed = upload(session, store, actor, pdf_bytes(), f"{tags.word()} letter.pdf", office=office)
        kept = upload(session, store, actor, pdf_bytes(2), f"{tags.word()}.pdf", office=office, patient=patient)
        label = labels.save_label(session, actor, office, None, tags.title(), "teal")
        changes = {f"label:{label.id}": True, f"patient:{patient}": True}
        shares.apply_labels(session, actor, office, [filed.id, kept.id], changes)
        return [filed.id, kept.id], label.id


# ---- what to send ---------------------------------------------------------------------------


def handlers() -> list[tuple[type, str]]:
    """Every handler of every app state, from the app itself (Reflex's generic setvar left out)."""
    found = [(state, name) for state in app_state_classes() for name in state.event_handlers if name != "setvar"]
    found.sort(key=lambda h: (h == LAST, h[0].get_full_name(), h[1]))
    return found


def label(state: type, name: str) -> str:
    return f"{state.__name__}.{name}"


def page_of(state: type, world: SweepWorld) -> tuple[str, dict[str, str]]:
    """The page a handler's state belongs to, addressed at this office's objects."""
    this = world.this
    p1, office, chart = this.ids["patient"][0], this.office_id, this.ids["chart"][0]
    form, submission, assignment = this.ids["form"][0], this.ids["submission"][0], this.ids["assignment"][0]
    pages: dict[type, tuple[str, dict[str, str]]] = {
        PatientWorkspaceState: (f"/clinic/patients/{p1}", {"record_id": str(p1)}),
        WorkspaceRecord: (f"/clinic/patients/{p1}", {"record_id": str(p1)}),
        WorkspaceAppointmentsState: (f"/clinic/patients/{p1}", {"record_id": str(p1)}),
        WorkspaceAccessState: (f"/clinic/patients/{p1}", {"record_id": str(p1)}),
        WorkspaceChartsState: (f"/clinic/patients/{p1}", {"record_id": str(p1)}),
        ChartState: (f"/clinic/charts/{chart}", {"chart_id": str(chart)}),
        ChartShareState: (f"/clinic/charts/{chart}", {"chart_id": str(chart)}),
        SmartChartsState: ("/clinic/charts", {}),
        SharingListState: ("/clinic/charts", {"tab": "list"}),
        TreatmentPlansState: ("/portal/treatment-plans", {}),
        WorkspaceDocumentsState: (f"/clinic/patients/{p1}", {"record_id": str(p1)}),
        WorkspaceFormsState: (f"/clinic/patients/{p1}", {"record_id": str(p1)}),
        FormsLibraryState: ("/clinic/forms", {}),
        FormBuilderState: (f"/clinic/forms/{form}", {"form_id": str(form)}),
        QuestionEditorState: (f"/clinic/forms/{form}", {"form_id": str(form)}),
        FormSharingState: (f"/clinic/forms/{form}", {"form_id": str(form)}),
        FormSubmissionsState: (f"/clinic/forms/{form}/submissions", {"form_id": str(form)}),
        FormSubmissionState: (f"/clinic/form-submissions/{submission}", {"submission_id": str(submission)}),
        AllDocumentsState: ("/clinic/documents", {}),
        PortalDocumentsState: ("/portal/documents", {}),
        NoticeState: ("/clinic", {}),
        PortalFormsState: ("/portal/forms", {}),
        PortalFillerState: (f"/portal/forms/{assignment}", {"assignment_id": str(assignment)}),
        AuditLogState: ("/clinic/office/audit-log", {}),
        RecordAccessState: ("/portal/record-access", {}),
        TwoFactorState: ("/account", {}),
        PatientListState: ("/clinic/patients", {}),
        BookingCalendarState: ("/clinic/calendar", {}),
        BookingOptionsState: ("/clinic/calendar", {}),
        BookingFormsState: ("/clinic/calendar", {}),
        ScheduleSetupState: ("/clinic/calendar/setup", {}),
        OfficeDetailsState: ("/clinic/office", {}),
        OfficeTeamState: ("/clinic/office", {}),
        ClinicNoticesState: ("/clinic/office", {}),
        CreateOfficeState: ("/clinic/office/new", {}),
        ClinicState: ("/clinic", {}),
        HomeState: ("/clinic", {}),
        InvitationState: ("/clinic", {}),
        SessionState: ("/clinic", {}),
        PortalState: ("/portal", {}),
        PortalProfileState: ("/portal/profile", {}),
        PortalAppointmentsState: ("/portal/appointments", {}),
        RedeemState: ("/portal/redeem", {"code": str(this.ids["code"][0])}),
        AccountState: ("/account", {}),
        SharePinState: ("/account", {}),
        SignInState: ("/sign-in", {"next": f"/clinic/patients/{p1}"}),
        SignUpState: ("/sign-up", {}),
        ForgotPasswordState: ("/forgot-password", {}),
        ResetPasswordState: ("/reset-password", {"token": str(p1)}),
        ConfirmEmailState: ("/confirm-email", {"token": str(p1)}),
        PublicBookingState: (f"/book/{office}", {"office_key": str(office)}),
    }
    if state not in pages:
        raise AssertionError(f"The sweep has no page for {state.__name__}: add one to page_of()")
    return pages[state]


def pages_of(state: type, world: SweepWorld, sweeper: Sweeper) -> list[tuple[str, dict[str, str]]]:
    """This office's page for the state, and for a page about one object, the sweeper's own one too:
    a change made from the sweeper's own record with this office's ids is committed only if allowed,
    where on this office's record the whole transaction fails anyway."""
    pages = [page_of(state, world)]
    workspace = (
        PatientWorkspaceState,
        WorkspaceAppointmentsState,
        WorkspaceAccessState,
        WorkspaceChartsState,
        WorkspaceDocumentsState,
        WorkspaceFormsState,
    )
    if state in workspace and sweeper.offices and sweeper.patients:
        own = sweeper.patients[0]
        pages.append((f"/clinic/patients/{own}", {"record_id": str(own)}))
    if state in (ChartState, ChartShareState) and sweeper.own_chart:
        pages.append((f"/clinic/charts/{sweeper.own_chart}", {"chart_id": str(sweeper.own_chart)}))
    if state in (FormBuilderState, QuestionEditorState, FormSharingState) and sweeper.own_form:
        pages.append((f"/clinic/forms/{sweeper.own_form}", {"form_id": str(sweeper.own_form)}))
    if state is PublicBookingState and sweeper.offices:
        pages.append((f"/book/{sweeper.offices[0]}", {"office_key": str(sweeper.offices[0])}))
    return pages


def forms(world: SweepWorld) -> list[dict]:
    """Form dicts made of this office's ids: by every id-ish name a form reads, and by the patient fields."""
    this, ids = world.this, world.this.ids

    def by_name(cast: type) -> dict:
        first = {kind: cast(values[0]) for kind, values in ids.items()}
        return {
            "id": first["patient"],
            "patient": first["patient"],
            "patient_id": first["patient"],
            "record_id": first["patient"],
            "target_id": first["patient"],
            "office": first["office"],
            "office_id": first["office"],
            "service": first["service"],
            "service_id": first["service"],
            "practitioner": cast(this.owner.user_id),
            "practitioner_id": cast(this.owner.user_id),
            "user_id": cast(this.staff.user_id),
            "appointment_id": first["appointment"],
            "code": first["code"],
            "code_id": first["code"],
            "access_id": first["access"],
            "invitation_id": first["invitation"],
            "proposal_id": first["proposal"],
            "time_off_id": first["time_off"],
            "date": world.tomorrow,
            "time": "10:00",
            "chart_id": first["chart"],
            "share_id": first["share"],
            "entry_id": first["entry"],
            "form_id": first["form"],
            "assignment_id": first["assignment"],
            "submission_id": first["submission"],
            "due_date": world.tomorrow,
            "message": "example",
            # The Chart Sharing Options, aimed at this office's people; and the chart's own fields.
            "rule": "all",
            f"to:practitioner:{this.owner.user_id}": "on",
            f"to:office:{this.office_id}": "on",
            "consent": "yes",
            "addendum": "example",
            "note": "example",
            "pin": "ABCD-1234",
            # A form's builder, sharing options and assignment, aimed at this office's form and people.
            "title": "example",
            "description": "example",
            "label": "example",
            "type": "yes_no",
            "options": "a\nb",
            "required": "on",
            "author_sees_all": "on",
            "recipients_see_all": "on",
            # Office Details → Clinic notices (the sweeper's own office is the one it may change).
            "notice_mode": "each",
            "notice_email": "",
        }

    patient_fields = {name: str(ids["patient"][0]) for name in PATIENT_FIELDS}
    patient_fields.update(date_of_birth="", sex="", email="", phone="")
    return [{}, by_name(str), by_name(int), patient_fields]


def candidates(state: type, name: str, param: inspect.Parameter, world: SweepWorld) -> list:
    """The values to try for one parameter (the first is the one used while others vary)."""
    ids, this = world.this.ids, world.this
    annotation = param.annotation
    hints = typing.get_type_hints(getattr(state, name).fn)
    hinted = hints.get(param.name, annotation)

    def aimed(kind: str) -> list:
        return [str(i) for i in ids[kind]] + list(ids[kind]) + list(ODD_IDS)

    by_param = {
        "patient_id": lambda: aimed("patient"),
        "target_id": lambda: aimed("patient"),
        "appointment_id": lambda: aimed("appointment"),
        "code_id": lambda: aimed("code"),
        "access_id": lambda: aimed("access"),
        "invitation_id": lambda: aimed("invitation"),
        "proposal_id": lambda: aimed("proposal"),
        "service_id": lambda: aimed("service"),
        "office_id": lambda: aimed("office"),
        "practitioner_id": lambda: aimed("user"),
        "user_id": lambda: aimed("user"),
        "time_off_id": lambda: aimed("time_off"),
        "chart_id": lambda: aimed("chart"),
        "share_id": lambda: aimed("share"),
        "entry_id": lambda: aimed("entry"),
        "field": lambda: ["subjective", "visit_date", "goals", "nonsense"],
        "document_id": lambda: aimed("document"),
        "question_id": lambda: [*world.this.questions, *ODD_IDS],
        "section_id": lambda: [*world.this.sections, *ODD_IDS],
        "row_id": lambda: [*world.this.questions, *world.this.sections, *ODD_IDS],
        "label": lambda: ["x"],
        "label_id": lambda: aimed("label"),
        "key": lambda: [f"patient:{ids['patient'][0]}", f"label:{ids['label'][0]}", "practitioner:1", *ODD_IDS],
        "shift": lambda: [True, False, "x"],
        "page": lambda: [2, "1", *ODD_IDS],
        "steps": lambda: [1, -1, *ODD_IDS],
        "step": lambda: [1, -1, *ODD_IDS],
        "query": lambda: ["example", "a", str(ids["patient"][0])],
        "view": lambda: ["day", "week", ["day"]],
        "scope": lambda: ["mine", "office", ["mine"], "x"],
        "status": lambda: ["arrived", "cancelled", "no_show"],
        "day": lambda: [world.tomorrow, "2020-01-01", "x"],
        "minute": lambda: ["600", 600, *ODD_IDS],
        # a calendar cell: its lane and its row in the grid the tab was last sent
        "lane": lambda: [0, "1", 9_999, *ODD_IDS],
        "row": lambda: [0, "3", 9_999, *ODD_IDS],
        "name": lambda: ["x"],
        "action": lambda: ["remove", "make_owner", "renew", "turn_off"],
        "kind": lambda: ["success", "nonsense", "patient", "practitioner"],
        "text": lambda: ["example"],
        "toast_id": lambda: ["x"],
        "open_": lambda: [True, False],
        "shown": lambda: [False, True],
        "slot": lambda: [{"iso": f"{world.tomorrow}T14:00:00+00:00"}, {}],
        "service": lambda: [
            {"id": str(ids["service"][0]), "name": "x", "practitioner_ids": str(this.owner.user_id)},
            {},
        ],
        "form": lambda: forms(world),
        "form_id": lambda: aimed("form"),
        "option": lambda: ["Yes", "x", *ODD_IDS],
        "image": lambda: [PNG, "", "x"],
    }
    if param.name == "value":
        values = [True, False] if hinted is bool else ["example", str(ids["patient"][0]), "a"]
    elif param.name in by_param:
        values = by_param[param.name]()
    else:
        raise AssertionError(f"The sweep knows no values for {label(state, name)}({param.name}): add them")
    # A hand-made message need not send the shape the page does: an id where a dict belongs, and back.
    wrong_shape = str(ids["patient"][0]) if isinstance(values[0], dict) else {"id": ids["patient"][0]}
    return [*values, wrong_shape, None]


def variants(state: type, name: str, world: SweepWorld) -> list[dict]:
    """Payloads for one handler: each parameter's values in turn, the others at their first."""
    params = [p for p in inspect.signature(getattr(state, name).fn).parameters.values() if p.name != "self"]
    if not params:
        return [{}]
    values = {p.name: candidates(state, name, p, world) for p in params}
    found: list[dict] = []
    for param in params:
        for value in values[param.name]:
            payload = {p.name: values[p.name][0] for p in params}
            payload[param.name] = value
            if payload not in found:
                found.append(payload)
    return found


def sequences(sweeper: Sweeper, world: SweepWorld) -> list[list[tuple[type, str, dict]]]:
    """Calls that first set what a later call acts on."""
    this, ids = world.this, world.this.ids
    p1, service = str(ids["patient"][0]), str(ids["service"][0])
    own_id = str(sweeper.self_id or this.owner.user_id)
    own_service = str(sweeper.own_service or service)
    slot = {"day": world.tomorrow, "practitioner_id": own_id, "minute": "660"}
    return [
        [
            (BookingCalendarState, "open_slot", slot),
            (BookingCalendarState, "choose_patient", {"patient_id": p1, "name": "x"}),
            (BookingCalendarState, "book", {"form": {"service": service, "time": "11:00"}}),
        ],
        [
            (BookingCalendarState, "open_slot", slot),
            (BookingCalendarState, "choose_patient", {"patient_id": p1, "name": "x"}),
            (BookingCalendarState, "book", {"form": {"service": own_service, "time": "11:30"}}),
        ],
        [
            (ChartShareState, "set_open", {"value": True, "chart_id": str(sweeper.own_chart or ids["chart"][0])}),
            (ChartShareState, "share", {"form": forms(world)[1]}),
            (AllDocumentsState, "toggle_row", {"document_id": str(ids["document"][0]), "shift": False}),
            (AllDocumentsState, "open_panel", {}),
            (AllDocumentsState, "toggle_choice", {"key": f"patient:{p1}"}),
            (AllDocumentsState, "apply_labels", {}),
            (AllDocumentsState, "open_rename", {"document_id": str(ids["document"][0])}),
            (AllDocumentsState, "rename", {"form": {"name": "swept.pdf"}}),
            (AllDocumentsState, "delete_selected", {}),
            (AllDocumentsState, "move_to", {"patient_id": p1}),
        ],
        [
            (ScheduleSetupState, "open_service", {"service": {"id": service, "name": "x", "practitioner_ids": own_id}}),
            (
                ScheduleSetupState,
                "save_service",
                {"form": {"name": "Swept", "duration_minutes": "30", "color": "teal", f"offered-{own_id}": "on"}},
            ),
        ],
        *[
            [
                (OfficeTeamState, "ask", {"action": action, "user_id": str(user), "name": "x"}),
                (OfficeTeamState, "confirm", {}),
            ]
            for action, user in (
                ("remove", this.owner.user_id),
                ("remove", this.staff.user_id),
                ("make_owner", this.practitioner.user_id),
            )
        ],
    ]


# ---- running it ------------------------------------------------------------------------------


@dataclass
class Sweep:
    app: RunningApp
    world: SweepWorld
    sweeper: Sweeper
    findings: list[Finding] = field(default_factory=list)
    tolerated: list[Finding] = field(default_factory=list)
    own_changes: list[str] = field(default_factory=list)
    calls: int = 0

    def __post_init__(self) -> None:
        self.tabs: dict[str, SocketClient] = {}
        self.snapshot = self.world.db.snapshot()
        self.log_offset = self.app.log_path.stat().st_size

    def tab(self, which: str) -> SocketClient:
        """The sweeper's main tab, or a second one for the public booking page."""
        if which not in self.tabs:
            cookie = self.tabs["main"].cookie if self.tabs else ""
            client = SocketClient(self.app.base_url, cookie=cookie)
            self.tabs[which] = client
        return self.tabs[which]

    def sign_in(self) -> None:
        main = self.tab("main")
        main.connect("/sign-in")
        if self.sweeper.account is not None:
            main.sign_in(SignInState.sign_in, self.sweeper.account.email, self.sweeper.account.password)

    def close(self) -> None:
        for client in self.tabs.values():
            client.close()

    def check_answer(self, client: SocketClient, mark: int, where: str, payload: dict, public_ok: bool) -> None:
        text = client.received_text(mark)
        words = self.world.this.secret + ([] if public_ok else self.world.this.public)
        leaked = contains_any(text, words)
        if leaked:
            at = text.lower().find(leaked[0].lower())
            excerpt = text[max(0, at - 200) : at + 200]
            self.findings.append(Finding(self.sweeper.name, where, payload, f"LEAK {leaked}: …{excerpt}…"))
        if BACKEND_ERROR in text:
            self.crash(where, payload)

    def crash(self, where: str, payload: dict) -> None:
        errors = self.new_log_errors()
        what = "; ".join(errors) or "the page was told something went wrong (no traceback found in the log)"
        handler = where.split(" ", 1)[0]
        known = handler in KNOWN_ID_PARSE_CRASHES and errors and all(ID_PARSE_ERROR.search(e) for e in errors)
        (self.tolerated if known else self.findings).append(Finding(self.sweeper.name, where, payload, what))

    def new_log_errors(self) -> list[str]:
        """The last line of each unhandled error's traceback logged since the last look."""
        with self.app.log_path.open("rb") as log:
            log.seek(self.log_offset)
            text = log.read().decode("utf-8", "replace")
            self.log_offset = log.tell()
        errors = []
        for block in text.split(UNHANDLED)[1:]:
            lines = [line.strip() for line in block.splitlines() if line.strip()]
            last = next((line for line in reversed(lines) if re.match(r"^[\w.]+(Error|Exception|Exit)\b", line)), "")
            errors.append(last or (lines[-1] if lines else "?"))
        return errors

    def check_rows(self, where: str) -> None:
        after = self.world.db.snapshot()
        if after == self.snapshot:
            return
        changes = [
            (table, how, with_topic_reference(table, dict(zip(self.world.db.columns(table), values, strict=True))))
            for table, how, values in row_changes(self.snapshot, after)
        ]
        for table, _how, row in changes:  # a form the sweeper wrote just now is its own, like its versions
            if table == "forms" and row.get("author_id") == self.sweeper.self_id and self.sweeper.self_id:
                self.sweeper.forms.append(row["id"])
        for table, how, row in changes:
            change = f"{table}: {how} {row}"
            if not self.world.this.refers_to(table, row) and self.sweeper.owns(table, row):
                self.own_changes.append(f"{where}: {change}")
            else:
                self.findings.append(Finding(self.sweeper.name, where, {}, f"ROW CHANGED {change}"))
        self.snapshot = after

    def call(self, state: type, name: str, payload: dict, page: tuple[str, dict[str, str]] | None = None) -> None:
        public = state is PublicBookingState
        client = self.tab("booking" if public else "main")
        pathname, query = page or page_of(state, self.world)
        if not client.frames:
            client.connect(pathname, query)
        where = label(state, name) + ("" if page is None else f" on {pathname}")
        mark = len(client.frames)
        self.calls += 1
        try:
            client.call(getattr(state, name), payload, pathname=pathname, query=query, timeout=30)
        except AssertionError as error:
            self.findings.append(Finding(self.sweeper.name, where, payload, f"NO ANSWER: {error}"))
            client.reconnect()
            return
        self.check_answer(client, mark, where, payload, public_ok=public)

    def load_pages(self) -> None:
        """Page loads (hydrate and on_load) of the sweeper's own pages, then of every page aimed at this office."""
        main = self.tab("main")
        for path in self.sweeper.home:
            mark = len(main.frames)
            main.reconnect(path, {})
            self.check_answer(main, mark, f"page load {path}", {}, public_ok=False)
        seen = set()
        for state, _ in handlers():
            for pathname, query in pages_of(state, self.world, self.sweeper):
                if (pathname, tuple(query.items())) in seen:
                    continue
                seen.add((pathname, tuple(query.items())))
                public = state is PublicBookingState
                client = self.tab("booking" if public else "main")
                mark = len(client.frames)
                if client.frames:
                    client.reconnect(pathname, query)
                else:
                    client.connect(pathname, query)
                self.check_answer(client, mark, f"page load {pathname}", query, public_ok=public)
        self.check_rows("page loads")

    def run(self) -> None:
        self.sign_in()
        self.load_pages()
        for state, name in handlers():
            if (state, name) == LAST:
                continue
            for page in pages_of(state, self.world, self.sweeper):
                for payload in variants(state, name, self.world):
                    self.call(state, name, payload, page)
            self.check_rows(label(state, name))
        for steps in sequences(self.sweeper, self.world):
            for state, name, payload in steps:
                self.call(state, name, payload)
            self.check_rows(" → ".join(label(s, n) for s, n, _ in steps))
        state, name = LAST
        self.call(state, name, {})
        self.check_rows(label(state, name))


# ---- the tests -------------------------------------------------------------------------------


def test_the_sweep_has_values_and_a_page_for_every_handler_of_the_app() -> None:
    """A new handler, argument or state must be added to the sweep (no server needed)."""
    fake = SweepWorld(
        db=None,  # type: ignore[arg-type]
        this=ThisOffice(
            office_id=1,
            owner=Account(1, "o@example.com", "", "O O", AccountKind.practitioner),
            staff=Account(2, "s@example.com", "", "S S", AccountKind.staff),
            practitioner=Account(3, "p@example.com", "", "P P", AccountKind.practitioner),
            holder=Account(4, "h@example.com", "", "H H", AccountKind.patient),
            ids={k: [1] for k in ("office", "patient", "user", "service", "appointment", "code", "access")}
            | {k: [1] for k in ("invitation", "proposal", "time_off", "chart", "share", "entry", "document", "label")}
            | {k: [1] for k in ("form", "version", "assignment", "submission")},
            secret=[],
            public=[],
        ),
        sweepers={},
        tomorrow="2030-01-01",
    )
    found = handlers()
    assert len(found) > 90, len(found)
    for state, name in found:
        page_of(state, fake)
        assert variants(state, name, fake)
    with_handlers = {c for c in app_state_classes() if set(c.event_handlers) - {"setvar"}}
    assert {s for s, _ in found} == with_handlers


@pytest.mark.parametrize("who", ["nobody", "patient", "other-office"])
def test_every_handler_called_with_this_offices_ids_leaks_nothing_changes_nothing_and_does_not_crash(
    app: RunningApp, sweep_world: SweepWorld, who: str
) -> None:
    sweep = Sweep(app, sweep_world, sweep_world.sweepers[who])
    try:
        sweep.run()
    finally:
        sweep.close()
    print(f"{who}: {sweep.calls} calls; own changes: {len(sweep.own_changes)}; tolerated: {len(sweep.tolerated)}")
    for change in sweep.own_changes:
        print("its own rows:", change)
    for finding in sweep.tolerated:
        print("tolerated (KNOWN_ID_PARSE_CRASHES):", finding)
    assert not sweep.findings, f"{len(sweep.findings)} findings:\n" + "\n".join(map(str, sweep.findings))
