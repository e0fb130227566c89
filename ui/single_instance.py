"""One app window per database: a second start raises the existing window and exits.

The first instance listens on a QLocalServer whose name comes from the user and the database
path. A second instance finds the server, asks it to raise its window, and quits.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:  # QtNetwork loads after the window's first paint, unless a server may exist
    from PySide6.QtNetwork import QLocalServer
    from PySide6.QtWidgets import QWidget

TIMEOUT_MS = 500


def server_name(db_path: Path) -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "user"
    key = f"{user}:{Path(db_path).resolve()}".encode()
    return "netapp-" + hashlib.sha256(key).hexdigest()[:16]


def socket_path(name: str) -> Path | None:
    """Where QLocalServer listens for ``name`` on Linux: a socket file in Qt's temporary
    directory (``$TMPDIR``, else ``/tmp``). None elsewhere (macOS asks the system for its
    temporary directory; Windows uses named pipes)."""
    if not sys.platform.startswith("linux"):
        return None
    return Path(os.environ.get("TMPDIR") or "/tmp") / name


class SingleInstance(QObject):
    """``activate_existing()`` in the second instance; ``listen()`` in the first."""

    activation_requested = Signal()

    def __init__(self, db_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(db_path)
        self.server: QLocalServer | None = None

    def activate_existing(self) -> bool:
        """True if another instance is running (it has been asked to raise its window).

        Where no socket file exists, no instance is listening, and QtNetwork (about 10-20 ms
        of a cold start before the first paint, issue 20) is not loaded to find that out."""
        path = socket_path(self.name)
        if path is not None and not path.exists():
            return False
        from PySide6.QtNetwork import QLocalSocket

        socket = QLocalSocket(self)
        socket.connectToServer(self.name)
        if not socket.waitForConnected(TIMEOUT_MS):
            return False
        socket.write(b"raise\n")
        socket.flush()
        socket.waitForBytesWritten(TIMEOUT_MS)
        socket.disconnectFromServer()
        return True

    def listen(self) -> bool:
        """Start listening; a stale server left by a crash is removed first."""
        from PySide6.QtNetwork import QLocalServer

        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                return False
        server.newConnection.connect(self._on_connection)
        self.server = server
        return True

    def _on_connection(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            conn = self.server.nextPendingConnection()
            conn.disconnected.connect(conn.deleteLater)
            self.activation_requested.emit()

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None


def raise_window(window: QWidget) -> None:
    """Bring a window to the front, restoring it if minimised."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
