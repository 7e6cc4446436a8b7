"""SmartForms: build, share, assign, fill in, submit and review questionnaires (issue 13)."""
