"""The Praxis app: theme, pages and background workers."""

import asyncio
import os

import reflex as rx
from reflex.event import EventSpec
from reflex_components_sonner.toast import Toaster

from app.client_errors import ClientReportGuard, frontend_exception_handler
from app.components.focus_return import focus_return
from app.components.keyboard import arrow_keys
from app.components.layout import loading_panel
from app.components.notices import notices
from app.components.session_handoff import session_handoff
from app.components.unsaved_guard import unsaved_guard
from app.heap import settle_the_heap
from app.live.watcher import run_live_updates
from app.mail_worker import run_mail_worker, run_notice_worker
from app.pages.account import account_page
from app.pages.audit_log import audit_log_page
from app.pages.auth import (
    confirm_email_page,
    forgot_password_page,
    reset_password_page,
    sign_in_page,
    sign_up_page,
)
from app.pages.booking import booking_page
from app.pages.calendar import calendar_page
from app.pages.charts import chart_page
from app.pages.clinic import clinic_home_page, create_office_page
from app.pages.documents import all_documents_page
from app.pages.form_builder import form_builder_page
from app.pages.form_submissions import form_submission_page, form_submissions_page
from app.pages.forms import forms_page
from app.pages.not_found import not_found_page
from app.pages.office_details import office_details_page
from app.pages.patient_workspace import patient_workspace_page
from app.pages.patients import patient_list_page
from app.pages.portal import portal_home_page, portal_profile_page, redeem_page
from app.pages.portal_appointments import portal_appointments_page
from app.pages.portal_documents import portal_documents_page
from app.pages.portal_filler import portal_filler_page
from app.pages.portal_forms import portal_forms_page
from app.pages.record_access import record_access_page
from app.pages.schedule_setup import schedule_setup_page
from app.pages.smart_charts import smart_charts_page
from app.pages.treatment_plans import portal_treatment_plans_page
from app.services.documents.storage import clear_stale_incoming, get_store
from app.services.passwords import dummy_hash
from app.settings import get_settings, private_state_dir
from app.state.account import AccountState
from app.state.audit_log import AuditLogState, RecordAccessState
from app.state.auth import ConfirmEmailState, ForgotPasswordState, ResetPasswordState, SignInState, SignUpState
from app.state.booking import PublicBookingState
from app.state.calendar import BookingCalendarState
from app.state.charts import ChartState
from app.state.clinic import CreateOfficeState, OfficeDetailsState
from app.state.clinic_notices import ClinicNoticesState
from app.state.document_pages import AllDocumentsState
from app.state.failures import unexpected
from app.state.form_builder import FormBuilderState
from app.state.form_submissions import FormSubmissionsState, FormSubmissionState
from app.state.forms_library import FormsLibraryState
from app.state.home import HomeState
from app.state.notices import NoticeReplayGuard
from app.state.patient_workspace import PatientWorkspaceState
from app.state.patients import PatientListState
from app.state.portal import PortalAppointmentsState, PortalProfileState, PortalState, RedeemState
from app.state.portal_documents import PortalDocumentsState
from app.state.portal_filler import PortalFillerState
from app.state.portal_forms import PortalFormsState
from app.state.schedule_setup import ScheduleSetupState
from app.state.session import SessionState
from app.state.smart_charts import SmartChartsState
from app.state.tab_guard import TabGuard
from app.state.team import OfficeTeamState
from app.state.treatment_plans import TreatmentPlansState
from app.state.two_factor import TwoFactorState
from app.web.asgi import gateway


def backend_exception_handler(exception: Exception) -> EventSpec:
    """Log the whole story on the server; the page only hears that something failed."""
    return unexpected(exception)


async def warm_up() -> None:
    """Compute the dummy hash before the first sign-in, so an unknown address costs
    exactly one bcrypt check from the very first attempt (no timing tell)."""
    await asyncio.to_thread(dummy_hash, get_settings().bcrypt_rounds)


async def keep_files_private() -> None:
    """Files the server writes (tab states, uploads, logs) are its owner's alone: 0600 in 0700 folders."""
    os.umask(0o077)
    states = private_state_dir()
    for path in states.iterdir():
        path.chmod(0o600)


async def clear_stale_uploads() -> None:
    """Temp files of uploads that a crash interrupted (parts of someone's document) do not linger."""
    await asyncio.to_thread(clear_stale_incoming, get_store())


def index() -> rx.Component:
    return loading_panel()


app = rx.App(
    head_components=[rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml")],
    stylesheets=["/theme.css", "/print.css", "/calendar.css", "/documents.css", "/forms.css"],
    backend_exception_handler=backend_exception_handler,
    # Browsers' error reports: one short, escaped, rate-limited log line each (app/client_errors.py).
    frontend_exception_handler=frontend_exception_handler,
    # The session cookie routes, the websocket cookie bridge and the security headers.
    api_transformer=gateway,
    # A fixed direction: left to "auto", sonner asks the browser for the page's computed direction
    # on every render of the toaster, a forced restyle of the whole page (600 ms of a builder edit
    # on a 100-question form, benchmarks/RESULTS.md).
    toaster=Toaster.create(dir="ltr"),
    # On every page: the form that carries sign-in and sign-out to the cookie routes, and the
    # effect that shows the server's notices as toasts (no eval: the CSP forbids it).
    extra_app_wraps={
        (3, "SessionHandoff"): lambda stateful: session_handoff() if stateful else None,
        (3, "Notices"): lambda stateful: notices() if stateful else None,
        # When a dialog closes, focus goes back to what opened it, never to the page body.
        (3, "FocusReturn"): lambda stateful: focus_return() if stateful else None,
        # Arrow keys in the record switcher and the calendar grid (each one Tab stop).
        (3, "ArrowKeys"): lambda stateful: arrow_keys() if stateful else None,
        # Closing the tab while an autosaved draft has text not saved yet asks first.
        (3, "UnsavedGuard"): lambda stateful: unsaved_guard() if stateful else None,
    },
)
# Before every event: a flood of browser error reports stops here, before it costs anything more;
app.add_middleware(ClientReportGuard())
# and a tab's state never outlives the session it was loaded for.
app.add_middleware(TabGuard())
app.add_middleware(NoticeReplayGuard())
app.register_lifespan_task(keep_files_private)
app.register_lifespan_task(run_mail_worker)
app.register_lifespan_task(run_notice_worker)
# Pushed live updates: one read of the followed topics' versions per worker, twice a second.
app.register_lifespan_task(run_live_updates)
app.register_lifespan_task(warm_up)
app.register_lifespan_task(clear_stale_uploads)
app.register_lifespan_task(settle_the_heap)

app.add_page(index, route="/", title="Praxis", on_load=SessionState.route_home)
app.add_page(sign_in_page, route="/sign-in", title="Sign in · Praxis", on_load=SignInState.open_page)
app.add_page(sign_up_page, route="/sign-up", title="Create an account · Praxis", on_load=SignUpState.reset_page)
app.add_page(
    confirm_email_page, route="/confirm-email", title="Confirm e-mail · Praxis", on_load=ConfirmEmailState.confirm
)
app.add_page(
    forgot_password_page,
    route="/forgot-password",
    title="Reset password · Praxis",
    on_load=ForgotPasswordState.reset_page,
)
app.add_page(
    reset_password_page,
    route="/reset-password",
    title="Choose a new password · Praxis",
    on_load=ResetPasswordState.reset_page,
)
app.add_page(clinic_home_page, route="/clinic", title="Home · Praxis", on_load=HomeState.load)
app.add_page(
    office_details_page,
    route="/clinic/office",
    title="Office Details · Praxis",
    on_load=[OfficeDetailsState.load, OfficeTeamState.load, ClinicNoticesState.load],
)
app.add_page(
    create_office_page, route="/clinic/office/new", title="Create your office · Praxis", on_load=CreateOfficeState.load
)
app.add_page(audit_log_page, route="/clinic/office/audit-log", title="Audit log · Praxis", on_load=AuditLogState.load)
app.add_page(portal_home_page, route="/portal", title="Portal · Praxis", on_load=PortalState.load_home)
app.add_page(account_page, route="/account", title="Account · Praxis", on_load=[AccountState.load, TwoFactorState.load])
app.add_page(patient_list_page, route="/clinic/patients", title="Patients · Praxis", on_load=PatientListState.load)
app.add_page(
    patient_workspace_page,
    route="/clinic/patients/[record_id]",
    title="Patient · Praxis",
    on_load=PatientWorkspaceState.load,
)
app.add_page(portal_profile_page, route="/portal/profile", title="Profile · Portal", on_load=PortalProfileState.load)
app.add_page(
    record_access_page,
    route="/portal/record-access",
    title="Who opened my record · Portal",
    on_load=RecordAccessState.load,
)
app.add_page(redeem_page, route="/portal/redeem", title="Unlock a record · Portal", on_load=RedeemState.load)
app.add_page(calendar_page, route="/clinic/calendar", title="Calendar · Praxis", on_load=BookingCalendarState.load)
app.add_page(booking_page, route="/book/[office_key]", title="Book an appointment", on_load=PublicBookingState.load)
app.add_page(
    portal_appointments_page,
    route="/portal/appointments",
    title="Appointments · Portal",
    on_load=PortalAppointmentsState.load,
)
app.add_page(
    schedule_setup_page,
    route="/clinic/calendar/setup",
    title="Services and working hours · Praxis",
    on_load=ScheduleSetupState.load,
)
app.add_page(smart_charts_page, route="/clinic/charts", title="Smart Charts · Praxis", on_load=SmartChartsState.load)
app.add_page(chart_page, route="/clinic/charts/[chart_id]", title="Chart · Praxis", on_load=ChartState.load)
app.add_page(
    portal_treatment_plans_page,
    route="/portal/treatment-plans",
    title="Treatment plans · Portal",
    on_load=TreatmentPlansState.load,
)
app.add_page(all_documents_page, route="/clinic/documents", title="Documents · Praxis", on_load=AllDocumentsState.load)
app.add_page(
    portal_documents_page, route="/portal/documents", title="Documents · Portal", on_load=PortalDocumentsState.load
)
app.add_page(portal_forms_page, route="/portal/forms", title="Forms · Portal", on_load=PortalFormsState.load)
app.add_page(
    portal_filler_page,
    route="/portal/forms/[assignment_id]",
    title="Fill in a form · Portal",
    on_load=PortalFillerState.load,
)
app.add_page(forms_page, route="/clinic/forms", title="Forms · Praxis", on_load=FormsLibraryState.load)
app.add_page(form_builder_page, route="/clinic/forms/[form_id]", title="Form · Praxis", on_load=FormBuilderState.load)
app.add_page(
    form_submissions_page,
    route="/clinic/forms/[form_id]/submissions",
    title="Form submissions · Praxis",
    on_load=FormSubmissionsState.load,
)
app.add_page(
    form_submission_page,
    route="/clinic/form-submissions/[submission_id]",
    title="Form submission · Praxis",
    on_load=FormSubmissionState.load,
)
# Any address Praxis does not have: a page in Praxis's own style rather than Reflex's bare "404".
app.add_page(not_found_page, route="404", title="Page not found · Praxis")
