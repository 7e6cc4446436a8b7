"""The SmartForms builder page: its outline, the question dialog and the sharing options."""
