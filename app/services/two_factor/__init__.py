"""Two-factor sign-in for clinic accounts: codes.py (authenticator and recovery codes),
status.py (whether it is on), enrolment.py (setting it up, turning it off), challenge.py (the
sign-in's second step), requirement.py (an office requiring it for its team). Patients are refused.

Import from those modules. The names below are here only for the modules being rewritten in
parallel (app/state/clinic.py, app/services/charts/access.py), which still call them as
`two_factor.<name>`; they go once those modules import from the modules above.
"""

from app.services.two_factor.requirement import set_office_requirement
from app.services.two_factor.status import is_enabled

__all__ = ["is_enabled", "set_office_requirement"]
