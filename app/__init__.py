"""Praxis: clinic practice management with a patient portal."""
