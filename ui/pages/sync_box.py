"""Settings → Sync: connect to a CardDAV address book, test the connection, sync now.

The form calls :class:`ui.sync.SyncService`, which runs every network step off the GUI thread.
The sync preferences (at start, every N minutes, include notes) are ordinary settings shown
below the form by the Settings page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from netapp.store import carddav as repo
from ui.sync import Problem, SyncService
from ui.theme import error_style

if TYPE_CHECKING:  # the CardDAV client (httpx, ssl, xml) loads when it is first used
    from netapp.sync.carddav.account import Connection
    from netapp.sync.carddav.dav import AddressBook
    from netapp.sync.carddav.run import Summary

NOT_SET_UP = "Not set up. Nothing is sent anywhere until you connect an address book here."


class SyncBox(QGroupBox):
    """The CardDAV account form, its buttons, the progress of a sync and what it did."""

    def __init__(self, service: SyncService, parent: QWidget | None = None) -> None:
        super().__init__("Sync with your phone (CardDAV)", parent)
        self.setObjectName("sync-box")
        self.service = service
        lay = QVBoxLayout(self)
        lay.addLayout(self._build_form())
        lay.addLayout(self._build_buttons())
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Sync progress")
        self.progress.hide()
        lay.addWidget(self.progress)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Sync message")
        lay.addWidget(self.message)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Sync status")
        lay.addWidget(self.status)
        service.started.connect(self._started)
        service.progress.connect(self._progress)
        service.finished.connect(self._finished)
        service.failed.connect(self._failed)
        self.load()

    def _build_form(self) -> QFormLayout:
        form = QFormLayout()
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://cloud.example.org/")
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("kept in the system keyring, never in the database")
        self.book = QLineEdit()
        self.book.setPlaceholderText("empty: the only one, or a new one named netapp")
        self.ca_file = QLineEdit()
        self.ca_file.setPlaceholderText("only for a server with its own certificate authority")
        self.allow_http = QCheckBox("Allow plain http to another machine (password in clear)")
        for label, widget in (
            ("&Server", self.url), ("&User name", self.user), ("Pass&word", self.password),
            ("Address &book", self.book), ("CA file", self.ca_file), ("", self.allow_http),
        ):  # fmt: skip
            widget.setAccessibleName(label.replace("&", "") or "Allow http")
            form.addRow(label, widget)
        return form

    def _build_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.test_button = QPushButton("&Test connection")
        self.save_button = QPushButton("Sa&ve")
        self.sync_button = QPushButton("Sync &now")
        self.remove_button = QPushButton("Stop syncing")
        self.test_button.clicked.connect(self.test)
        self.save_button.clicked.connect(self.save)
        self.sync_button.clicked.connect(self.sync_now)
        self.remove_button.clicked.connect(lambda: self.remove())
        for button in (self.test_button, self.save_button, self.sync_button, self.remove_button):
            row.addWidget(button)
        row.addStretch(1)
        return row

    # -- state ----------------------------------------------------------------------------------

    def load(self) -> None:
        acc = self.service.account()
        if acc is not None:
            self.url.setText(acc.server)
            self.user.setText(acc.user)
            self.ca_file.setText(acc.ca_file)
            self.allow_http.setChecked(acc.allow_http)
            self.book.setText(acc.book)
        self._show_status(acc)
        self._enable()

    def _show_status(self, acc: repo.Account | None) -> None:
        if acc is None:
            self.status.setText(NOT_SET_UP)
            return
        linked = self.service.store.carddav.count_links()
        last = f"Last sync {acc.last_sync.replace('T', ' ')[:16]}: {acc.last_result}."
        self.status.setText(
            f"Syncing with {acc.book} as {acc.user}; {linked} people linked. "
            + (last if acc.last_sync else "Not synced yet.")
        )

    def _enable(self) -> None:
        busy = self.service.busy()
        set_up = self.service.account() is not None
        for button in (self.test_button, self.save_button):
            button.setEnabled(not busy)
        self.sync_button.setEnabled(set_up and not busy)
        self.remove_button.setEnabled(set_up and not busy)

    def connection(self) -> Connection:
        from netapp.sync.carddav.account import Connection

        return Connection(self.url.text().strip(), self.user.text().strip(), self.password.text(),
                          self.allow_http.isChecked(), self.ca_file.text().strip())  # fmt: skip

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(error_style() if error else "")
        self.message.setText(text)

    # -- actions --------------------------------------------------------------------------------

    def test(self) -> bool:
        if not self._filled():
            return False
        return self.service.test(self.connection())

    def save(self) -> bool:
        if not self._filled():
            return False
        return self.service.save(self.connection(), self.book.text().strip())

    def sync_now(self) -> bool:
        return self.service.sync_now()

    def remove(self, confirm: bool = True) -> bool:
        if (
            confirm
            and QMessageBox.question(
                self,
                "Stop syncing",
                "Stop syncing with this address book? Your people stay in netapp and the cards "
                "stay on the server.",
            )
            != QMessageBox.StandardButton.Yes
        ):
            return False
        self.service.remove()
        self.password.clear()
        self._say("Sync removed. Nothing is sent anywhere now.")
        self.load()
        return True

    def _filled(self) -> bool:
        missing = [n for n, w in (("server", self.url), ("user name", self.user),
                                  ("password", self.password)) if not w.text().strip()]  # fmt: skip
        if missing:
            self._say(f"Fill in the {' and '.join(missing)} first.", error=True)
            return False
        return True

    # -- what the service says ------------------------------------------------------------------

    def _started(self, what: str) -> None:
        self._say(f"{what}…")
        self.progress.setRange(0, 0)
        self.progress.show()
        self._enable()

    def _progress(self, what: str, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 0))
        self.progress.setValue(done)
        self._say(f"{what}{f' ({done} of {total})' if total else ''}…")

    def _finished(self, kind: str, result: object) -> None:
        from netapp.sync.carddav.run import Summary  # loaded by the sync that just ran

        self.progress.hide()
        if kind == "test" and isinstance(result, list):
            self._say(_books_text(result))
        elif kind == "save" and isinstance(result, repo.Account):
            self.password.clear()
            self._say(f"Connected to {result.book}. Sync now sends your people there.")
        elif kind == "sync" and isinstance(result, Summary):
            self._say("Done: " + result.line() + "." + _skipped(result))
        self.load()

    def _failed(self, _kind: str, result: object) -> None:
        self.progress.hide()
        text = result.text() if isinstance(result, Problem) else str(result)
        self._say(text, error=True)
        self._enable()


def _books_text(books: list[AddressBook]) -> str:
    if not books:
        return "Connected. There is no address book yet: Save creates one named netapp."
    names = ", ".join(b.name for b in books)
    return f"Connected. Address books: {names}."


def _skipped(summary: Summary) -> str:
    if not summary.skipped:
        return ""
    return f" Skipped: {'; '.join(summary.skipped[:3])}" + ("…" if len(summary.skipped) > 3 else "")
