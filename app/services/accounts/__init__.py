"""Accounts: sign_up.py (sign-up with e-mail confirmation), sign_in.py (sign-in, with the second
step of two-factor sign-in), passwords.py (reset and change), share_pin.py (a clinic account's
Practitioner Share PIN).

None of these tell a stranger whether an address has an account: every failure has one
message, and an unknown address still costs one bcrypt check. Callers run these functions off
the event loop (bcrypt takes ~250 ms).
"""
