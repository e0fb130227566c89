"""One app window per database: a second start raises the existing window and exits.

The first instance listens on a QLocalServer whose name comes from the user and the database
path. A second instance finds the server, asks it to raise its window, and quits.
"""

from __future__ import annotations

import getpass
import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

TIMEOUT_MS = 500


def server_name(db_path: Path) -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "user"
    key = f"{user}:{Path(db_path).resolve()}".encode()
    return "netapp-" + hashlib.sha256(key).hexdigest()[:16]


class SingleInstance(QObject):
    """``activate_existing()`` in the second instance; ``listen()`` in the first."""

    activation_requested = Signal()

    def __init__(self, db_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(db_path)
        self.server: QLocalServer | None = None

    def activate_existing(self) -> bool:
        """True if another instance is running (it has been asked to raise its window)."""
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
