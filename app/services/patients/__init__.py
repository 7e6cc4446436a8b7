"""Patient records: access.py (the one access check), records.py (create, show, edit, archive),
search.py (the list's search and the pickers), proposals.py (changes proposed from the portal).

Import from those modules. The names below are here only for the modules being rewritten in
parallel (app/state/patient_workspace.py, app/services/charts/), which still import them from
`app.services.patients`; they go once those modules import from the modules above.
"""

from app.services.patients.access import PATIENT_NOT_FOUND, access_patient
from app.services.patients.proposals import accept_proposal, dismiss_proposal
from app.services.patients.records import archive_patient, restore_patient, update_patient
from app.services.patients.search import PatientRow, quick_find

__all__ = [
    "PATIENT_NOT_FOUND",
    "PatientRow",
    "accept_proposal",
    "access_patient",
    "archive_patient",
    "dismiss_proposal",
    "quick_find",
    "restore_patient",
    "update_patient",
]
