"""Reflex states: thin. Resolve the actor, call a service, show the outcome."""
