"""The tabs of a patient's client workspace (pages/patient_workspace.py puts them together)."""
