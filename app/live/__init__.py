"""Pushed live updates: which connected tabs follow which topics (registry.py), and the one
loop per worker that reads the topics' versions and asks the tabs concerned to re-check
(watcher.py). The topics and who may follow them are services/live_versions.py."""
