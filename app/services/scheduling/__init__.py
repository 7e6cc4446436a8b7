"""Scheduling: appointments and the calendar, services and working hours, online booking.

- appointments.py: booking, moving and marking appointments (staff), no double booking;
  appointment_lists.py: the calendar's week and a patient's appointments;
  calendar_changes.py: the version every open calendar watches.
- calendar_view.py: the grid to draw (days, columns, hours); calendar_layout.py: where each
  appointment sits on it.
- practitioners.py, service_catalog.py, working_hours.py, time_off.py, booking_options.py and
  setup_page.py: Services and working hours, and the Online Booking Options.
- slots.py: free-slot arithmetic; availability.py: an office's free slots.
- booking_page.py, online_booking.py, portal_appointments.py: the public booking page, booking
  online, and the portal's appointments.
"""
