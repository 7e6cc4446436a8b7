"""The domain: every rule and every authorization check. No Reflex here."""
