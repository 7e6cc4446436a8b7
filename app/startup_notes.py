"""What `make run` tells the person starting Praxis: where mail goes, and whether links reach anyone else."""

from __future__ import annotations

from app.settings import Settings, get_settings


def notes(settings: Settings) -> list[str]:
    found: list[str] = []
    if settings.mail_goes_to_terminal:
        found.append(
            "Mail: no SMTP server is set (PRAXIS_SMTP_HOST), so every e-mail Praxis sends (sign-up "
            "confirmations, password resets, invitations, booking mails) is printed in this terminal."
        )
    if settings.links_are_local:
        found.append(
            f"WARNING: links in mails, the booking page address and the access-code QR sheets point at "
            f"{settings.base_url}, which only this computer can open. Set PRAXIS_BASE_URL to the address "
            "patients and colleagues use (README: Configuration)."
        )
    return found


def main() -> None:
    for note in notes(get_settings()):
        print(f"praxis: {note}", flush=True)


if __name__ == "__main__":
    main()
