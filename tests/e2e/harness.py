"""Start Praxis the way people run it, for browser tests and benchmarks.

`running_app()` migrates a fresh database in a temporary data directory,
starts an SMTP server in this process that keeps every message it receives,
and runs `reflex run --env prod --single-port` on a free port as a child
process group. It yields once the page and the backend both answer, and
stops everything on exit.

    with running_app() as app:
        page.goto(app.base_url + "/sign-up")
        mail = app.mailbox.wait_for_mail("ana@example.com", "Confirm your e-mail")
        page.goto(app.mailbox.link_in(mail, "/confirm-email"))
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.prefix) / "bin"
STARTUP_TIMEOUT_SECONDS = 180.0
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---- mail ---------------------------------------------------------------------


@dataclass(frozen=True)
class Mail:
    to: tuple[str, ...]
    subject: str
    body: str
    calendar: str = ""  # the text/calendar part's METHOD and content ("REQUEST\nBEGIN:VCALENDAR…"), if any


class Mailbox:
    """Every message the SMTP server accepted, in arrival order (thread-safe)."""

    def __init__(self) -> None:
        self._messages: list[Mail] = []
        self._arrived = threading.Condition()

    # aiosmtpd handler hook
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        body_part = message.get_body(preferencelist=("plain", "html")) if message.is_multipart() else message
        body = body_part.get_content() if body_part is not None else ""
        recipients = tuple(address.lower() for address in envelope.rcpt_tos)
        calendar = next(
            (
                f"{part.get_param('method')}\n{part.get_content()}"
                for part in message.walk()
                if part.get_content_type() == "text/calendar"
            ),
            "",
        )
        self.add(Mail(to=recipients, subject=str(message.get("Subject", "")), body=body, calendar=calendar))
        return "250 Message accepted for delivery"

    def add(self, mail: Mail) -> None:
        with self._arrived:
            self._messages.append(mail)
            self._arrived.notify_all()

    @property
    def messages(self) -> list[Mail]:
        with self._arrived:
            return list(self._messages)

    def find(self, to_address: str, subject_contains: str = "") -> list[Mail]:
        wanted = to_address.lower()
        return [m for m in self.messages if wanted in m.to and subject_contains in m.subject]

    def wait_for_mail(self, to_address: str, subject_contains: str = "", timeout: float = 15.0) -> Mail:
        """The newest message to `to_address` whose subject contains the text; waits for it to arrive."""
        deadline = time.monotonic() + timeout
        wanted = to_address.lower()
        with self._arrived:
            while True:
                for mail in reversed(self._messages):
                    if wanted in mail.to and subject_contains in mail.subject:
                        return mail
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [(m.to, m.subject) for m in self._messages]
                    raise AssertionError(
                        f"No mail to {to_address!r} with {subject_contains!r} in the subject within {timeout}s; "
                        f"received: {seen}"
                    )
                self._arrived.wait(remaining)

    @staticmethod
    def link_in(mail: Mail, path: str) -> str:
        """The first absolute link in the mail whose path starts with `path` (e.g. "/confirm-email")."""
        match = re.search(r"https?://[^\s/]+" + re.escape(path) + r"[^\s<>\"']*", mail.body)
        if match is None:
            raise AssertionError(f"No link to {path} in the mail {mail.subject!r}:\n{mail.body}")
        return match.group(0)


# ---- the app ------------------------------------------------------------------


@dataclass
class RunningApp:
    base_url: str
    port: int
    mailbox: Mailbox
    data_dir: Path
    log_path: Path
    process: subprocess.Popen = field(repr=False)

    def url(self, path: str) -> str:
        return self.base_url + path

    def log_tail(self, lines: int = 60) -> str:
        return log_tail(self.log_path, lines)


def log_tail(path: Path, lines: int = 60) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no server log)"
    return "\n".join(text.splitlines()[-lines:])


def app_environment(
    data_dir: Path, port: int, smtp_port: int | None, extra: dict[str, str] | None = None
) -> dict[str, str]:
    """The app's environment; `smtp_port` None: no mail server, as on a fresh `make run`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PRAXIS_")}
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        REFLEX_USE_NPM="1",
        REFLEX_CHECK_LATEST_VERSION="false",
        NEXT_TELEMETRY_DISABLED="1",
        DO_NOT_TRACK="1",
        PYTHONUNBUFFERED="1",
        PRAXIS_DATA_DIR=str(data_dir),
        PRAXIS_BASE_URL=f"http://localhost:{port}",
    )
    if smtp_port is not None:
        env.update(PRAXIS_SMTP_HOST="127.0.0.1", PRAXIS_SMTP_PORT=str(smtp_port))
    env.update(extra or {})
    return env


def _answers(url: str, must_contain: str = "") -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # follows the trailing-slash redirect
            if response.status != 200:
                return False
            return not must_contain or must_contain in response.read().decode(errors="replace")
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _wait_until_ready(app: RunningApp, timeout: float, *, pages: bool = True) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        code = app.process.poll()
        if code is not None:
            raise RuntimeError(f"The app exited with code {code} while starting. Server log:\n{app.log_tail()}")
        if _answers(app.url("/ping"), "pong") and (not pages or _answers(app.url("/sign-in"), "<title>Sign in")):
            return
        time.sleep(0.5)
    raise RuntimeError(f"The app did not answer on {app.base_url} within {timeout:.0f}s. Server log:\n{app.log_tail()}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@contextlib.contextmanager
def running_app(
    *,
    startup_timeout: float = STARTUP_TIMEOUT_SECONDS,
    extra_env: dict[str, str] | None = None,
    keep_data: bool = False,
    smtp: bool = True,
    root: Path = ROOT,
    launcher: Sequence[str] = (),
    backend_only: bool = False,
) -> Iterator[RunningApp]:
    """Migrate a fresh database, start SMTP and the production app; yield once it answers.

    `extra_env` adds or overrides the app's environment (e.g. PRAXIS_BCRYPT_ROUNDS);
    `keep_data` leaves the temporary data directory (database, server.log) in place;
    `smtp=False` gives the app no mail server (mail is printed in its log, as `make run` does);
    `root` runs another copy of the project (see `project_copy`);
    `launcher` runs `reflex` through a command that prepares its services and migrates (e.g.
    scripts/with-cluster.sh), so no SQLite database is migrated here;
    `backend_only` serves only the backend (websocket, /ping, Praxis' own routes): nothing is
    compiled or built, so it starts in seconds beside the suite's app, in the same folder.
    """
    data_dir = Path(tempfile.mkdtemp(prefix="praxis-e2e-"))
    log_path = data_dir / "server.log"
    mailbox = Mailbox()
    smtp_port = free_port()
    smtp_server = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    smtp_server.start()
    process: subprocess.Popen | None = None
    try:
        port = free_port()
        env = app_environment(data_dir, port, smtp_port if smtp else None, extra_env)
        if not launcher:
            migration = subprocess.run(
                [sys.executable, "-m", "alembic", "upgrade", "head"],
                cwd=root,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if migration.returncode != 0:
                raise RuntimeError(f"alembic upgrade head failed:\n{migration.stdout}\n{migration.stderr}")
        reflex = str(BIN / "reflex") if (BIN / "reflex").exists() else "reflex"
        serve = ["--backend-only", "--backend-port"] if backend_only else ["--single-port", "--frontend-port"]
        with log_path.open("wb") as log_file:
            process = subprocess.Popen(
                [*launcher, reflex, "run", "--env", "prod", *serve, str(port)],
                cwd=root,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: stopped whole at the end
            )
        app = RunningApp(
            base_url=f"http://localhost:{port}",
            port=port,
            mailbox=mailbox,
            data_dir=data_dir,
            log_path=log_path,
            process=process,
        )
        try:
            _wait_until_ready(app, startup_timeout, pages=not backend_only)
        except RuntimeError as error:
            print(error, file=sys.stderr)
            raise
        yield app
    finally:
        if process is not None:
            _stop(process)
        smtp_server.stop()
        if not keep_data:
            shutil.rmtree(data_dir, ignore_errors=True)


_NOT_COPIED = {".git", ".venv", "data", "tests", "benchmarks", ".pytest_cache", ".ruff_cache", "__pycache__"}


@contextlib.contextmanager
def project_copy() -> Iterator[Path]:
    """A copy of the project with its built front end (node_modules too), so that a second app can
    run beside the suite's: each `reflex run` compiles into its own folder's .web."""
    target = Path(tempfile.mkdtemp(prefix="praxis-copy-")) / "praxis"

    def skipped(folder: str, names: list[str]) -> set[str]:
        top = Path(folder) == ROOT
        return {n for n in names if n == "__pycache__" or (top and n in _NOT_COPIED)}

    try:
        shutil.copytree(ROOT, target, ignore=skipped, symlinks=True)
        yield target
    finally:
        shutil.rmtree(target.parent, ignore_errors=True)


def launch_browser(playwright: Any, **options: Any) -> Any:
    """Headless system Chromium (Playwright's own browsers cannot be downloaded here)."""
    executable = os.environ.get("PRAXIS_CHROMIUM", CHROMIUM)
    return playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS, **options)
