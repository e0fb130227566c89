"""The Settings page: every preference from ``netapp.settings.SETTINGS``, the ask-ladder editor,
and where the data lives with backup and restore.

Fields are generated from the declarations: a new setting appears here without UI work. Each
field is saved when editing finishes, validated by the core; a rejected value stays in the
field with the reason under it and is not saved.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from netapp.domain import STAGE_ORDER, Stage, Topic
from netapp.engine import ladder as ladder_mod
from netapp.engine import undoable as engine_undoable
from netapp.engine.ladder import REQUIREMENTS, Ask
from netapp.errors import NetappError, ValidationError, with_name
from netapp.safety import file_backups
from netapp.settings import SETTINGS, Setting
from netapp.store import Store, undoable
from ui.actions import mnemonic
from ui.commands import perform
from ui.context import AppContext, ReopenJob
from ui.pages.devices_box import DevicesBox
from ui.pages.sync_box import SyncBox
from ui.sync import SyncService
from ui.theme import error_style

# Sections of the form, by key prefix. Anything declared later and not matched lands in "Other".
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Your profile", ("profile.", "phone.")),
    (
        "Relationship rhythm",
        ("trust.", "followup.", "cadence.", "ask.", "regular.", "agenda."),
    ),
    ("Printing", ("print.",)),
    ("Backups", ("backup.",)),
    ("Sync", ("sync.", "carddav.")),
    ("Reminders", ("notify.", "today.")),
)
HIDDEN = {"ask_ladder", "backup.last_daily"}  # edited elsewhere, or kept by the app itself


def section_of(setting: Setting) -> str:
    for title, prefixes in SECTIONS:
        if setting.key.startswith(prefixes):
            return title
    return "Other"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class SettingField(QWidget):
    """One setting: an editor and, under it, the reason a value was refused."""

    def __init__(self, store: Store, decl: Setting, undo: QUndoStack | None = None) -> None:
        super().__init__()
        self.store = store
        self.decl = decl
        self.undo = undo if undo is not None else QUndoStack(self)  # the app's, on the page
        self.editor: QLineEdit | QCheckBox | QComboBox
        if decl.type is bool:
            self.editor = QCheckBox()
            self.editor.toggled.connect(lambda _on: self.commit())
        elif decl.choices is not None:
            self.editor = QComboBox()
            self.editor.addItems(list(decl.choices))
            self.editor.activated.connect(lambda _i: self.commit())
        else:
            self.editor = QLineEdit()
            self.editor.editingFinished.connect(self.commit)
            if decl.doc:
                self.editor.setPlaceholderText(decl.doc)
        self.editor.setAccessibleName(decl.label)
        self.editor.setObjectName(f"setting:{decl.key}")
        tip = decl.doc or decl.label
        if decl.minimum is not None and decl.maximum is not None:
            tip += f" ({decl.minimum:g} to {decl.maximum:g})"
        self.editor.setToolTip(tip)
        self.error = QLabel()
        self.error.setStyleSheet(error_style())
        self.error.setWordWrap(True)
        self.error.hide()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.editor)
        lay.addWidget(self.error)
        self.load()

    def load(self) -> None:
        value = self.store.settings[self.decl.key]
        self.editor.blockSignals(True)
        if isinstance(self.editor, QCheckBox):
            self.editor.setChecked(bool(value))
        elif isinstance(self.editor, QComboBox):
            self.editor.setCurrentIndex(max(0, self.editor.findText(_text(value))))
        else:
            self.editor.setText(_text(value))
        self.editor.blockSignals(False)
        self.error.hide()

    def raw(self) -> Any:
        if isinstance(self.editor, QCheckBox):
            return self.editor.isChecked()
        if isinstance(self.editor, QComboBox):
            return self.editor.currentText()
        text = self.editor.text().strip()
        if self.decl.type is str:
            return self.editor.text()
        return text if text else None

    def commit(self) -> bool:
        """Validate and save; on refusal show the reason at the field and keep the text."""
        value = self.raw()
        if value is None and self.decl.type is not str:
            self.show_error(f"{self.decl.label}: a value is required")
            return False
        try:
            stored = self.store.settings[self.decl.key]
            if self.decl.coerce(value) == stored:
                self.error.hide()
                return True
            store, key = self.store, self.decl.key
            label = f"change {self.decl.label.lower()}"
            perform(self.undo, lambda: undoable.set_settings(store, {key: value}, label))
        except ValidationError as exc:
            self.show_error(with_name(self.decl.label, exc.message))
            return False
        except NetappError as exc:
            self.show_error(str(exc))
            return False
        self.error.hide()
        return True

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()


def _slug(label: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", label.casefold()).strip("-")
    return (text or "ask")[:32].strip("-") or "ask"


class LadderEditor(QGroupBox):
    """Add, rename, reorder and remove asks; set minimum stage and evidence; reset."""

    def __init__(self, store: Store, undo: QUndoStack | None = None) -> None:
        super().__init__("Ask ladder: from micro-commitments to the value ladder")
        self.store = store
        self.undo = undo if undo is not None else QUndoStack(self)  # the app's, on the page
        self.asks: list[Ask] = []
        self.list = QListWidget()
        self.list.setAccessibleName("Asks, smallest first")
        form = self._build_form()
        buttons = self._build_buttons()
        help_text = QLabel(
            "Asks are proportionate to the relationship: each needs a minimum stage and, "
            "optionally, more evidence. Changes apply to Today's recommendations at once."
        )
        help_text.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.list, 3)
        row.addLayout(buttons)
        row.addLayout(form, 2)
        lay = QVBoxLayout(self)
        lay.addWidget(help_text)
        lay.addLayout(row)
        self.list.setMinimumHeight(210)
        self._wire()
        self.load()

    def _build_form(self) -> QFormLayout:
        """The selected ask: label, id, size, minimum stage, further evidence, an error line."""
        self.label = QLineEdit()
        self.label.setAccessibleName("Ask label")
        self.ask_id = QLabel()
        self.ask_id.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.size_box = QSpinBox()
        self.size_box.setRange(1, 99)
        self.size_box.setAccessibleName("Ask size")
        self.stage = QComboBox()
        self.stage.setAccessibleName("Minimum stage")
        for st in STAGE_ORDER:
            self.stage.addItem(st.value.capitalize(), st.value)
        req_box = self._build_requirements()
        self.error = QLabel()
        self.error.setStyleSheet(error_style())
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow("Label", self.label)
        form.addRow("Id", self.ask_id)
        form.addRow("Size", self.size_box)
        form.addRow("Minimum stage", self.stage)
        form.addRow("Also needs", req_box)
        form.addRow(self.error)
        return form

    def _build_requirements(self) -> QWidget:
        """One check box per kind of evidence an ask may also need."""
        self.requires: dict[str, QCheckBox] = {}
        req_box = QWidget()
        req_lay = QVBoxLayout(req_box)
        req_lay.setContentsMargins(0, 0, 0, 0)
        for key, text in REQUIREMENTS.items():
            box = QCheckBox(text.capitalize())
            box.setObjectName(f"requires:{key}")
            self.requires[key] = box
            req_lay.addWidget(box)
            box.toggled.connect(lambda _on: self._edit())
        return req_box

    def _build_buttons(self) -> QVBoxLayout:
        """Add, Remove, Move up, Move down, Reset to default."""
        self.add_button = QPushButton("Add…")
        self.remove_button = QPushButton("Remove")
        self.up_button = QPushButton("Move up")
        self.down_button = QPushButton("Move down")
        self.reset_button = QPushButton("Reset to default")
        buttons = QVBoxLayout()
        for b in (
            self.add_button,
            self.remove_button,
            self.up_button,
            self.down_button,
            self.reset_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        return buttons

    def _wire(self) -> None:
        self.list.currentRowChanged.connect(lambda _r: self._show_current())
        self.label.editingFinished.connect(self._edit)
        self.size_box.editingFinished.connect(self._edit)
        self.stage.currentIndexChanged.connect(lambda _i: self._edit())
        self.add_button.clicked.connect(lambda: self.add())
        self.remove_button.clicked.connect(lambda: self.remove())
        self.up_button.clicked.connect(lambda: self.move_ask(-1))
        self.down_button.clicked.connect(lambda: self.move_ask(1))
        self.reset_button.clicked.connect(lambda: self.reset())

    # -- state -------------------------------------------------------------------------

    def load(self, select: int = 0) -> None:
        self.asks = ladder_mod.load_ladder(self.store)
        self.list.blockSignals(True)
        self.list.clear()
        for ask in self.asks:
            item = QListWidgetItem(self._row_text(ask))
            item.setData(Qt.ItemDataRole.UserRole, ask.id)
            needs = [REQUIREMENTS[r] for r in ask.requires]
            item.setToolTip(
                f"{ask.label} ({ask.id}): from {ask.min_stage.value}"
                + (f"; also needs {', '.join(needs)}" if needs else "")
            )
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.list.setCurrentRow(max(0, min(select, len(self.asks) - 1)))
        self._show_current()

    @staticmethod
    def _row_text(ask: Ask) -> str:
        extra = " +" if ask.requires else ""
        return f"{ask.size} · {ask.label} — {ask.min_stage.value}{extra}"

    def current(self) -> int:
        return self.list.currentRow()

    def _show_current(self) -> None:
        row = self.current()
        ok = 0 <= row < len(self.asks)
        editors: list[QWidget] = [self.label, self.size_box, self.stage, *self.requires.values()]
        for w in editors:
            w.blockSignals(True)
        if ok:
            ask = self.asks[row]
            self.label.setText(ask.label)
            self.ask_id.setText(ask.id)
            self.size_box.setValue(ask.size)
            self.stage.setCurrentIndex(ask.min_stage.rank)
            for key, box in self.requires.items():
                box.setChecked(key in ask.requires)
        for w in editors:
            w.blockSignals(False)
            w.setEnabled(ok)
        self.remove_button.setEnabled(ok and len(self.asks) > 1)
        self.up_button.setEnabled(ok and row > 0)
        self.down_button.setEnabled(ok and row < len(self.asks) - 1)
        self.error.hide()

    def _save(self, asks: list[Ask], select: int) -> bool:
        try:
            store = self.store
            perform(self.undo, lambda: engine_undoable.edit_ladder(store, asks))
        except ValidationError as exc:
            self.error.setText(f"Not saved: {exc.message}")
            self.error.show()
            return False
        self.load(select)
        return True

    # -- edits -------------------------------------------------------------------------

    def _edit(self) -> bool:
        row = self.current()
        if not 0 <= row < len(self.asks):
            return False
        label = " ".join(self.label.text().split())
        if not label:
            self.error.setText("An ask needs a label.")
            self.error.show()
            return False
        old = self.asks[row]
        new = Ask(
            old.id,
            label,
            self.size_box.value(),
            Stage(self.stage.currentData()),
            [k for k, box in self.requires.items() if box.isChecked()],
        )
        if new == old:
            return True
        asks = list(self.asks)
        asks[row] = new
        return self._save(asks, row)

    def add(self, label: str | None = None) -> bool:
        if label is None:
            label, ok = QInputDialog.getText(self, "Add an ask", "What do you ask for?")
            if not ok:
                return False
        label = " ".join(label.split())
        if not label:
            return False
        taken = {a.id for a in self.asks}
        base = _slug(label)
        ask_id, n = base, 2
        while ask_id in taken:
            ask_id, n = f"{base}-{n}", n + 1
        last = self.asks[-1] if self.asks else None
        ask = Ask(
            ask_id,
            label,
            (max(a.size for a in self.asks) + 1) if self.asks else 1,
            last.min_stage if last else Stage.MET,
            [],
        )
        return self._save([*self.asks, ask], len(self.asks))

    def remove(self, confirm: bool = True) -> bool:
        row = self.current()
        if not 0 <= row < len(self.asks):
            return False
        ask = self.asks[row]
        if confirm:
            answer = QMessageBox.question(
                self,
                "Remove ask",
                f"Remove “{ask.label}” from the ladder? Asks already logged keep their history; "
                "netapp will no longer suggest it.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        asks = [a for i, a in enumerate(self.asks) if i != row]
        return self._save(asks, min(row, len(asks) - 1))

    def move_ask(self, step: int) -> bool:
        row = self.current()
        to = row + step
        if not (0 <= row < len(self.asks) and 0 <= to < len(self.asks)):
            return False
        asks = list(self.asks)
        asks[row], asks[to] = asks[to], asks[row]
        return self._save(asks, to)

    def reset(self, confirm: bool = True) -> None:
        if confirm:
            answer = QMessageBox.question(
                self, "Reset the ask ladder", "Replace your ladder with the default one?"
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        store = self.store
        perform(self.undo, lambda: engine_undoable.edit_ladder(store, None))
        self.load()


class DataBox(QGroupBox):
    """Where the database lives, back up now, restore from a backup."""

    def __init__(self, store: Store) -> None:
        super().__init__("Your data")
        self.store = store
        self.location = QLabel(str(store.path))
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.location.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.backup_button = QPushButton("Back up now")
        self.restore_button = QPushButton("Restore from backup…")
        self.backup_button.clicked.connect(lambda: self.backup())
        self.restore_button.clicked.connect(lambda: self.restore())
        self.demo_button = QPushButton("Remove demo data…")
        self.demo_button.setToolTip(
            "Take out the demo people, groups, meetings and library items (backs up first)"
        )
        self.demo_button.clicked.connect(lambda: self.remove_demo())
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        form = QFormLayout(self)
        form.addRow("Database", self.location)
        form.addRow(buttons)
        form.addRow(self.status)
        self.update_demo_button()

    def update_demo_button(self) -> None:
        from netapp import demo

        self.demo_button.setVisible(demo.has_demo(self.store))

    def remove_demo(self, confirm: bool = True) -> dict[str, int] | None:
        """Take the demo data out (the core backs the database up first)."""
        from netapp import demo

        if confirm:
            answer = QMessageBox.question(
                self,
                "Remove demo data",
                "Remove the demo people with everything logged about them, and the demo's "
                "groups, meetings and library items? What you added yourself stays, and so do "
                "demo meetings or items you have used since.\n\n"
                "The database is backed up first.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
        try:
            counts = demo.remove(self.store)
        except (NetappError, OSError) as exc:
            QMessageBox.warning(self, "Demo data not removed", str(exc))
            return None
        self.status.setText(
            f"Removed the demo data: {counts['people']} people, {counts['meetings']} meetings, "
            f"{counts['groups']} groups, {counts['library_items']} library items."
        )
        self.update_demo_button()
        return counts

    def backup(self) -> str | None:
        try:
            path = file_backups.backup_now(self.store)
        except (NetappError, OSError) as exc:
            QMessageBox.warning(self, "Backup failed", str(exc))
            return None
        self.status.setText(f"Backed up to {path}")
        return str(path)

    def restore(self, backup_path: str | None = None) -> bool:
        if backup_path is None:
            backup_path, _f = QFileDialog.getOpenFileName(
                self,
                "Restore from backup",
                str(self.store.path.parent),
                "netapp backups (*.db *.sqlite *.bak);;All files (*)",
            )
            if not backup_path:
                return False
            answer = QMessageBox.question(
                self,
                "Restore from backup",
                f"Replace everything in {self.store.path.name} with {backup_path}?\n\n"
                "The current data is backed up first.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            saved = file_backups.restore(self.store.path, Path(backup_path), self.store.passphrase)
            self.store.db.upgrade()  # a backup from an older netapp gets the current schema now
        except (NetappError, OSError) as exc:
            QMessageBox.warning(self, "Restore failed", str(exc))
            return False
        for topic in (
            Topic.PEOPLE,
            Topic.INTERACTIONS,
            Topic.MEETINGS,
            Topic.REFERRALS,
            Topic.CONSENTS,
            Topic.LIBRARY,
        ):
            self.store.changed(topic)
        self.store.changed(Topic.SETTINGS)
        note = f" The previous data was saved to {saved}." if saved else ""
        self.status.setText(f"Restored from {backup_path}.{note}")
        return True


class EncryptionBox(QGroupBox):
    """Encrypt the database with a passphrase, change it, or remove it.

    The file is converted while closed, so the box asks the app to close the database, run
    the conversion (netapp.safety.crypto) and reopen it; ``reopen`` is that request.
    """

    def __init__(self, store: Store, reopen: Callable[[ReopenJob], object] | None) -> None:
        super().__init__("Encryption")
        from netapp.store import sqlcipher

        self.store, self.reopen = store, reopen
        self.available = sqlcipher.available()
        encrypted = store.passphrase is not None
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.encrypt_button = QPushButton("Encrypt with a passphrase…")
        self.change_button = QPushButton("Change passphrase…")
        self.decrypt_button = QPushButton("Remove encryption…")
        self.encrypt_button.clicked.connect(lambda: self.encrypt())
        self.change_button.clicked.connect(lambda: self.change())
        self.decrypt_button.clicked.connect(lambda: self.decrypt())
        self.encrypt_button.setVisible(not encrypted)
        self.change_button.setVisible(encrypted)
        self.decrypt_button.setVisible(encrypted)
        if encrypted:
            text = (
                "This database is encrypted (SQLCipher). netapp asks for the passphrase when it "
                "starts; without it nobody, you included, can read the data."
            )
        else:
            text = (
                "This database is a plain file: anyone who gets hold of this laptop's disk can "
                "read it. Encrypt it if the laptop travels."
            )
        why_not = ""
        if not self.available:
            why_not = "Encryption needs the sqlcipher3 package (pip install 'netapp[crypto]')."
        elif reopen is None:
            why_not = "Encryption can be changed from the netapp app only."
        if why_not:
            text += "\n" + why_not
            for b in (self.encrypt_button, self.change_button, self.decrypt_button):
                b.setEnabled(False)
                b.setToolTip(why_not)
        self.status.setText(text)
        buttons = QHBoxLayout()
        for b in (self.encrypt_button, self.change_button, self.decrypt_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.status)
        lay.addLayout(buttons)

    def _new_passphrase(self, title: str, explanation: str) -> str | None:
        from ui.dialogs.passphrase import NewPassphraseDialog

        dlg = NewPassphraseDialog(self, title, explanation)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        return dlg.passphrase()

    def _request(self, job: ReopenJob) -> bool:
        if self.reopen is None:
            return False
        self.reopen(job)
        return True

    def encrypt(self, passphrase: str | None = None) -> bool:
        from netapp.safety import crypto

        if passphrase is None:
            passphrase = self._new_passphrase(
                "Encrypt the database",
                "Choose a passphrase. netapp will ask for it each time it starts. There is "
                "no way to recover the data without it, so write it down somewhere safe. "
                "netapp closes the database, encrypts it and its backups, and reopens it.",
            )
            if passphrase is None:
                return False
        path, new = Path(self.store.path), passphrase

        def job(_old: str | None) -> str | None:
            crypto.encrypt(path, new)
            return new

        return self._request(job)

    def change(self, passphrase: str | None = None) -> bool:
        from netapp.safety import crypto

        if passphrase is None:
            passphrase = self._new_passphrase(
                "Change the passphrase",
                "Choose the new passphrase. Backups taken before keep the old one.",
            )
            if passphrase is None:
                return False
        path, new = Path(self.store.path), passphrase

        def job(old: str | None) -> str | None:
            crypto.change_passphrase(path, old or "", new)
            return new

        return self._request(job)

    def decrypt(self, confirm: bool = True) -> bool:
        from netapp.safety import crypto

        if confirm:
            answer = QMessageBox.question(
                self,
                "Remove encryption",
                "Store the database as a plain file again? Anyone with access to this "
                "laptop's disk could then read it. An encrypted backup is kept.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        path = Path(self.store.path)

        def job(old: str | None) -> str | None:
            crypto.decrypt(path, old or "")
            return None

        return self._request(job)


class SettingsPage(QScrollArea):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("page-settings")
        self.ctx = ctx
        self.setWidgetResizable(True)
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.addWidget(QLabel("<h2>Settings</h2>"))
        self.nav = QHBoxLayout()  # the sections, so none is below the fold unseen
        lay.addLayout(self.nav)
        self.fields: dict[str, SettingField] = {}
        forms: dict[str, QFormLayout] = {}
        boxes: dict[str, QGroupBox] = {}
        for title in [t for t, _p in SECTIONS] + ["Other"]:
            box = QGroupBox(title)
            forms[title] = QFormLayout(box)
            forms[title].setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            boxes[title] = box
        for decl in SETTINGS:
            if decl.key in HIDDEN or decl.type in (list, dict):
                continue
            field = SettingField(ctx.store, decl, ctx.undo)
            self.fields[decl.key] = field
            forms[section_of(decl)].addRow(decl.label, field)
        self.ladder = LadderEditor(ctx.store, ctx.undo)
        self.data = DataBox(ctx.store)
        self.encryption = EncryptionBox(ctx.store, ctx.reopen)
        top = QHBoxLayout()
        top.addWidget(boxes["Your profile"], 1)
        top.addWidget(boxes["Relationship rhythm"], 1)
        lay.addLayout(top)
        lay.addWidget(self.ladder)
        bottom = QHBoxLayout()
        data_column = QVBoxLayout()
        data_column.addWidget(self.data)
        data_column.addWidget(self.encryption)
        bottom.addLayout(data_column, 2)
        bottom.addWidget(boxes["Printing"], 1)
        bottom.addWidget(boxes["Backups"], 1)
        lay.addLayout(bottom)
        lay.addLayout(self._sync_row(boxes["Sync"]))
        lay.addWidget(boxes["Reminders"])
        if forms["Other"].rowCount():
            lay.addWidget(boxes["Other"])
        lay.addStretch(1)
        self.setWidget(body)
        self._add_section_links(boxes)
        ctx.signals.changed.connect(self._on_changed)

    def _add_section_links(self, boxes: dict[str, QGroupBox]) -> None:
        """A row of links at the top, one per section: a click (or its Alt key) scrolls to it."""
        self.sections: dict[str, QWidget] = {
            "Your &profile": boxes["Your profile"],
            "&Rhythm": boxes["Relationship rhythm"],
            "As&k ladder": self.ladder,
            "Your &data": self.data,
            "&Encryption": self.encryption,
            "Pr&inting": boxes["Printing"],
            "&Backups": boxes["Backups"],
            "S&ync": self.sync,
        }
        self.nav.addWidget(QLabel("Go to:"))
        self.section_buttons: dict[str, QPushButton] = {}
        for text in self.sections:
            b = QPushButton(text)
            b.setFlat(True)
            b.setCursor(Qt.CursorShape.PointingHandCursor)
            b.setToolTip(f"Scroll to {text.replace('&', '')} ({mnemonic(text)})")
            b.clicked.connect(lambda _=False, t=text: self.show_section(t))
            self.section_buttons[text.replace("&", "")] = b
            self.nav.addWidget(b)
        self.nav.addStretch(1)

    def show_section(self, text: str) -> QWidget:
        """Scroll so the section named ``text`` starts at the top, and focus its first field."""
        box = (
            self.sections.get(text)
            or self.sections[next(t for t in self.sections if t.replace("&", "") == text)]
        )
        body = self.widget()
        assert body is not None
        self.verticalScrollBar().setValue(box.mapTo(body, box.rect().topLeft()).y() - 6)
        for w in box.findChildren(QWidget):
            tab = w.focusPolicy() & Qt.FocusPolicy.TabFocus
            if tab and w.isEnabled() and w.isVisibleTo(box):
                w.setFocus(Qt.FocusReason.ShortcutFocusReason)
                break
        return box

    def _sync_row(self, options: QGroupBox) -> QHBoxLayout:
        """The CardDAV form beside the sync settings (when, how often, notes or not)."""
        service = self.ctx.sync or SyncService(self.ctx.store, self.ctx.signals, self)
        self.sync = SyncBox(service)
        self.devices = DevicesBox(service.devices)
        column = QVBoxLayout()
        column.addWidget(self.devices)
        column.addWidget(options)
        column.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.sync, 2)
        row.addLayout(column, 1)
        return row

    def _on_changed(self, topic: str, _ids: object) -> None:
        if topic == Topic.SYNC:
            self.devices.load()
        if topic != Topic.SETTINGS:
            return
        self.data.update_demo_button()  # demo data comes and goes with its settings entry
        for field in self.fields.values():
            if not field.editor.hasFocus() and field.error.isHidden():
                field.load()
        if not self.ladder.list.hasFocus():
            self.ladder.load(self.ladder.current())


def build(ctx: AppContext) -> QWidget:
    return SettingsPage(ctx)
