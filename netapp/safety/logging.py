"""The rotating log file in the user log directory (``netapp.paths.log_dir()``).

The log holds errors and their tracebacks, and a line per backup or conversion. It never
holds the contents of people's records on purpose. The files are readable only by the user.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
from pathlib import Path

from netapp.paths import ensure_private_dir, log_dir

LOG_NAME = "netapp.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def _private_opener(path: str, flags: int) -> int:
    return os.open(path, flags, 0o600)


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A RotatingFileHandler whose files are created 0600."""

    def _open(self) -> io.TextIOWrapper:
        stream = io.TextIOWrapper(
            open(self.baseFilename, self.mode + "b", opener=_private_opener),  # noqa: SIM115
            encoding=self.encoding or "utf-8",
            errors=self.errors,
            line_buffering=False,
        )
        if os.name == "posix":
            os.chmod(self.baseFilename, 0o600)
        return stream


def log_path() -> Path:
    return log_dir() / LOG_NAME


def setup_logging(level: int = logging.INFO) -> Path:
    """Send the ``netapp`` and ``ui`` loggers to the rotating log file; return its path.

    Calling it again does not add a second handler: a process keeps one log file, so a call
    for another log folder (another ``NETAPP_HOME``) closes the previous one's handler.
    """
    path = log_path()
    ensure_private_dir(path.parent)  # NETAPP_HOME and the log folder: 0700 when created
    if os.name == "posix":
        os.chmod(path.parent, 0o700)
    root = logging.getLogger()
    for h in list(root.handlers):
        if isinstance(h, PrivateRotatingFileHandler):
            if Path(h.baseFilename) == path:
                return path
            root.removeHandler(h)
            h.close()
    handler = PrivateRotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=False
    )
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(level)
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    return path


def teardown_logging() -> None:
    """Remove and close the file handler (tests, and the end of the app)."""
    root = logging.getLogger()
    for h in list(root.handlers):
        if isinstance(h, PrivateRotatingFileHandler):
            root.removeHandler(h)
            h.close()
