"""The office team: members.py (who is in the office, removing members, handing over ownership)
and invitations.py (inviting by e-mail, and answering an invitation).

Only the owner invites, revokes, removes and hands over ownership (the `manage_team`
permission). An invitation is for one exact address, compared without case, and only the
account with that address can answer it.
"""
