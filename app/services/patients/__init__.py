"""Patient records: access.py (the one access check), records.py (create, show, edit, archive),
search.py (the list's search and the pickers), proposals.py (changes proposed from the portal).
"""
