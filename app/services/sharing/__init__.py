"""Sharing between clinic people: Share PINs and the sharing list (pins.py)."""
