"""Runtime settings, read once from the environment.

Everything a deployment changes lives here: the database, the secret key, the
public address used in e-mailed links, and SMTP. Nothing else reads os.environ.
"""

from __future__ import annotations

import functools
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    username: str = ""
    password: str = ""
    starttls: bool = False
    use_ssl: bool = False
    timeout_seconds: float = 10.0


LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0"})


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    secret_key: bytes
    base_url: str
    mail_from: str
    smtp: SmtpSettings | None
    bcrypt_rounds: int = 12
    max_upload_mb: int = 20  # the largest file a person may upload, checked while it streams in
    file_store: str = "disk"  # "disk" (data/files/) or "database" (PostgreSQL, for several app machines)

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def mail_goes_to_terminal(self) -> bool:
        """No SMTP server is set: mail is printed where the app runs (services/mail.py)."""
        return self.smtp is None

    @property
    def links_are_local(self) -> bool:
        """Links in mails, on the booking page and on printed sheets reach this computer only."""
        host = (urlsplit(self.base_url).hostname or "").lower()
        return host in LOCAL_HOSTS or host.endswith(".localhost")


def _data_dir() -> Path:
    """The private data directory (database, secret key, files, tab states): only its owner may enter."""
    path = Path(os.environ.get("PRAXIS_DATA_DIR") or PROJECT_ROOT / "data")
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def private_state_dir() -> Path:
    """Where Reflex keeps browser tabs' states (REFLEX_STATES_WORKDIR, set in rxconfig.py)."""
    path = _data_dir() / "states"
    path.mkdir(mode=0o700, exist_ok=True)
    path.chmod(0o700)
    return path


def _secret_key(data_dir: Path) -> bytes:
    """PRAXIS_SECRET_KEY, or a key generated once into data/secret_key (0600)."""
    configured = os.environ.get("PRAXIS_SECRET_KEY", "").strip()
    if configured:
        return configured.encode()
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return key_file.read_text().strip().encode()


def _smtp() -> SmtpSettings | None:
    host = os.environ.get("PRAXIS_SMTP_HOST", "").strip()
    if not host:
        return None
    truthy = {"1", "true", "yes", "on"}
    return SmtpSettings(
        host=host,
        port=int(os.environ.get("PRAXIS_SMTP_PORT", "25")),
        username=os.environ.get("PRAXIS_SMTP_USERNAME", ""),
        password=os.environ.get("PRAXIS_SMTP_PASSWORD", ""),
        starttls=os.environ.get("PRAXIS_SMTP_STARTTLS", "").lower() in truthy,
        use_ssl=os.environ.get("PRAXIS_SMTP_SSL", "").lower() in truthy,
    )


FILE_STORES = ("disk", "database")


def _max_upload_mb() -> int:
    value = int(os.environ.get("PRAXIS_MAX_UPLOAD_MB", "20"))
    if not 1 <= value <= 2048:
        raise ValueError("PRAXIS_MAX_UPLOAD_MB must be between 1 and 2048.")
    return value


def _file_store() -> str:
    value = os.environ.get("PRAXIS_FILE_STORE", "disk").strip().lower() or "disk"
    if value not in FILE_STORES:
        raise ValueError(f"PRAXIS_FILE_STORE must be one of {', '.join(FILE_STORES)}.")
    return value


@functools.cache
def get_settings() -> Settings:
    data_dir = _data_dir()
    return Settings(
        data_dir=data_dir,
        database_url=os.environ.get("PRAXIS_DATABASE_URL") or f"sqlite:///{data_dir / 'praxis.db'}",
        secret_key=_secret_key(data_dir),
        base_url=os.environ.get("PRAXIS_BASE_URL", "http://localhost:3000").rstrip("/"),
        mail_from=os.environ.get("PRAXIS_MAIL_FROM", "Praxis <no-reply@praxis.localhost>"),
        smtp=_smtp(),
        bcrypt_rounds=int(os.environ.get("PRAXIS_BCRYPT_ROUNDS", "12")),
        max_upload_mb=_max_upload_mb(),
        file_store=_file_store(),
    )
