"""The second sign-in step keeps only the challenge's id, in a backend-only var (issue 9, item 8)."""

from __future__ import annotations

import app.app  # noqa: F401  (registers every state)
from app.state.auth import SignInState
from app.state.booking import PublicBookingState
from app.state.two_factor import TwoFactorState


def test_the_challenge_id_never_reaches_the_browser() -> None:
    for state in (SignInState, PublicBookingState):
        field = state.__fields__["_challenge_id"]
        assert field._backend, state.__name__
        assert "_challenge_id" not in state.vars  # not in any delta sent to the page
        assert field._owner is state  # each form has its own copy
        assert "sign_in_step" in state.vars


def test_two_factor_vars_hold_no_server_secret() -> None:
    """What the account page shows is the person's own set-up key and codes, once; nothing else is kept."""
    assert set(TwoFactorState.base_vars) >= {"setup_secret", "setup_qr", "new_codes"}
    assert not any("sealed" in name or "hash" in name for name in TwoFactorState.vars)
