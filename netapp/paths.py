"""Where netapp keeps its files by default (overridable with ``--db`` or ``NETAPP_DB``)."""

from __future__ import annotations

import os
from pathlib import Path

APP = "netapp"


def data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(os.environ.get("NETAPP_HOME") or user_data_dir(APP, appauthor=False))


def log_dir() -> Path:
    from platformdirs import user_log_dir

    home = os.environ.get("NETAPP_HOME")
    return Path(home) / "logs" if home else Path(user_log_dir(APP, appauthor=False))


def default_db_path() -> Path:
    env = os.environ.get("NETAPP_DB")
    return Path(env) if env else data_dir() / "netapp.db"


def backup_dir(db_path: Path) -> Path:
    """Backups sit next to the database, in ``backups/``."""
    return db_path.parent / "backups"


def ensure_private_dir(folder: Path) -> None:
    """Create ``folder`` and any missing parents readable only by the user (``0700``, whatever
    the umask). Folders that already exist are left as they are."""
    missing: list[Path] = []
    p = Path(folder)
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        d.mkdir(mode=0o700, exist_ok=True)
        if os.name == "posix":
            os.chmod(d, 0o700)
