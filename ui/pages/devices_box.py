"""Settings → Sync: your other devices (device sync through a folder you sync).

Shows this device's name (editable), the folder, the other devices with when each was last
seen, and the last sync; *Choose folder…* joins a folder and *Sync now* syncs. Runs through
:class:`ui.device_sync.DeviceSyncService` (off the GUI thread); start-up and timer follow the
sync settings beside it.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.device_sync import DeviceSyncService
from ui.widgets.messages import ERROR_STYLE

NOT_JOINED = (
    "Not set up. Choose a folder that your devices share (Syncthing, Nextcloud, Dropbox, "
    "iCloud Drive or a USB stick); each device writes its changes there and reads the others'."
)


class DevicesBox(QGroupBox):
    """This device, its folder, the other devices and the last sync."""

    def __init__(self, service: DeviceSyncService, parent: QWidget | None = None) -> None:
        super().__init__("Sync with your other devices", parent)
        self.setObjectName("devices-box")
        self.service = service
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setAccessibleName("This device's name")
        self.name.editingFinished.connect(lambda: service.rename(self.name.text()))
        form.addRow("This device", self.name)
        self.folder = QLabel()
        self.folder.setWordWrap(True)
        self.folder.setAccessibleName("Devices folder")
        form.addRow("Folder", self.folder)
        lay.addLayout(form)
        lay.addWidget(QLabel("Other devices"))
        self.devices = QListWidget()
        self.devices.setAccessibleName("Other devices")
        self.devices.setMaximumHeight(90)
        lay.addWidget(self.devices)
        buttons = QHBoxLayout()
        self.choose = QPushButton("Choose folder…")
        self.choose.clicked.connect(self.choose_folder)
        self.sync_button = QPushButton("Sync now")
        self.sync_button.clicked.connect(service.sync_now)
        buttons.addWidget(self.choose)
        buttons.addWidget(self.sync_button)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Devices sync message")
        lay.addWidget(self.message)
        service.started.connect(lambda: self._say("Syncing…"))
        service.finished.connect(self._finished)
        service.failed.connect(lambda text: self._say(text, error=True))
        self.load()

    def load(self) -> None:
        info = self.service.status()
        joined = bool(info.get("joined"))
        self.name.setEnabled(joined)
        self.sync_button.setEnabled(joined and not self.service.busy())
        self.choose.setEnabled(not self.service.busy())
        self.devices.clear()
        if not joined:
            self.name.setText("")
            self.folder.setText(NOT_JOINED)
            return
        if not self.name.hasFocus():
            self.name.setText(info["name"])
        self.folder.setText(info["folder"])
        for peer in info["devices"]:
            self.devices.addItem(f"{peer['name']} — last seen {_when(peer['last_seen'])}")
        if not info["devices"]:
            self.devices.addItem("None seen yet: join the same folder on your other device")
        if info["last_sync"] and not self.message.text():
            self.message.setText(f"Last sync {_when(info['last_sync'])}: {info['last_result']}")

    def choose_folder(self) -> bool:
        folder = QFileDialog.getExistingDirectory(self, "Folder your devices share")
        if not folder:
            return False
        return self.service.join(folder)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)
        busy = self.service.busy()
        self.sync_button.setEnabled(not busy and self.service.joined())
        self.choose.setEnabled(not busy)  # no joining another folder halfway through a sync

    def _finished(self, summary: object) -> None:
        from netapp.sync.devices.run import Summary  # loaded by the sync that just ran (pycrdt)

        if isinstance(summary, Summary):
            extra = "".join(f"\n{w}" for w in (*summary.warnings, *summary.flags))
            self._say(summary.line() + extra, error=bool(summary.warnings))
        self.load()


def _when(iso: str) -> str:
    """A stored time (UTC, ISO 8601) as the date and minute."""
    return iso[:16].replace("T", " ") + " UTC" if iso else "never"
