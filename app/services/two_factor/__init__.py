"""Two-factor sign-in for clinic accounts: codes.py (authenticator and recovery codes),
status.py (whether it is on), enrolment.py (setting it up, turning it off), challenge.py (the
sign-in's second step), requirement.py (an office requiring it for its team). Patients are refused.
"""
