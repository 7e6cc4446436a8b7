"""Notices to the clinic about what patients do online (issue 14 item 6): bookings, cancellations
and profile proposals, as the owner chose in Office Details → Clinic notices.

- events.py: the hooks the online services call inside their own transaction; a mail at once,
  or a line kept for the morning digest, or nothing.
- choice.py: the owner's choice (a mail each, a daily digest, off) and the address.
- digest.py: the morning digest, sent once per office and day however many workers try.
"""
