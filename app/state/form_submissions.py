"""Reading submissions in the clinic: a form's submissions (/clinic/forms/[form_id]/submissions), and
one submission rendered with its version (/clinic/form-submissions/[submission_id]), printable, with
*Mark as reviewed* for the patient's office team."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from app.services import offices
from app.services.actor import Actor
from app.services.forms import review
from app.state.clinic import ClinicState
from app.state.form_rows import FormRow, form_rows
from app.state.notices import notify

REVIEWED_LINE_ID = "submission-reviewed"


class FormSubmissionsState(ClinicState):
    form_title: rx.Field[str] = rx.field("")
    form_href: rx.Field[str] = rx.field("")
    submissions: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)

    @rx.event
    async def load(self):
        wanted = getattr(self, "form_id", "")

        def work(db: Session, actor: Actor, _shell: offices.ClinicShell) -> review.FormSubmissions:
            return review.form_submissions(db, actor, wanted)

        ok, found = await self._load_page(work, loading=True)
        if not ok:
            self.submissions = []
            return found
        self.form_title, self.form_href = found.title, f"/clinic/forms/{found.form_id}"
        self.submissions = [
            {
                "id": str(r.submission_id),
                "href": f"/clinic/form-submissions/{r.submission_id}",
                "patient_name": r.patient_name,
                "office_name": r.office_name,
                "submitted_on": r.submitted_on,
                "version": str(r.version),
                "reviewed": "true" if r.reviewed else "false",
            }
            for r in found.rows
        ]
        return None


class FormSubmissionState(ClinicState):
    shown_id: rx.Field[int] = rx.field(0)
    submission: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    rows: rx.Field[list[FormRow]] = rx.field(default_factory=list)
    may_review: rx.Field[bool] = rx.field(False)
    reviewing: rx.Field[bool] = rx.field(False)

    def _show(self, view: review.SubmissionView) -> None:
        self.shown_id = view.submission_id
        self.submission = {
            "title": view.title,
            "description": view.description,
            "version": str(view.version),
            "patient_name": view.patient_name,
            "patient_href": f"/clinic/patients/{view.patient_id}?tab=forms",
            "office_name": view.office_name,
            "submitted_on": view.submitted_on,
            "submitted_by": view.submitted_by,
            "reviewed": view.reviewed,
        }
        self.rows = form_rows(view.sections)
        self.may_review = view.may_review

    @rx.event
    async def load(self):
        wanted = getattr(self, "submission_id", "")
        self.reviewing = False

        def work(db: Session, actor: Actor, _shell: offices.ClinicShell) -> review.SubmissionView:
            return review.view_submission(db, actor, wanted)  # one audited reading per opening

        ok, view = await self._load_page(work, loading=True)
        if not ok:
            self.shown_id, self.submission, self.rows = 0, {}, []
            return view
        self._show(view)
        return None

    @rx.event
    async def mark_reviewed(self):
        self.reviewing = True
        yield
        submission_id = self.shown_id
        ok, view = await self._load_page(lambda db, actor, _shell: review.mark_reviewed(db, actor, submission_id))
        self.reviewing = False
        if not ok:
            yield view
            return
        self._show(view)
        yield notify.success("Marked as reviewed.")
        yield rx.set_focus(REVIEWED_LINE_ID)
