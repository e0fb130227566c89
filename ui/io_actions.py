"""File menu: Import…, Export…, Find duplicates…. Wiring only; the work is in netapp.interchange."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from netapp.errors import NetappError
from ui.context import AppContext

# Save-dialog filter -> export format.
EXPORT_FILTERS: dict[str, tuple[str, str]] = {
    "vCard 4.0 (*.vcf)": ("vcard", ".vcf"),
    "vCard 3.0, for older programs (*.vcf)": ("vcard3", ".vcf"),
    "People as CSV (*.csv)": ("csv", ".csv"),
    "Opt-ins for Mailchimp (*.csv)": ("optins", ".csv"),
    "Follow-ups calendar (*.ics)": ("ics", ".ics"),
    "Full netapp backup (*.json)": ("json", ".json"),
}


def open_import(ctx: AppContext, parent: QWidget | None) -> None:
    from ui.dialogs.import_dialog import ImportDialog

    dlg = ImportDialog(ctx.store, parent=parent)
    dlg.show()
    dlg.choose_files()


def export_via_dialog(ctx: AppContext, parent: QWidget | None) -> str | None:
    """Ask for a file and format, then export. Returns the path written, or None."""
    from netapp.interchange.export import export_to_file, is_encrypted

    path, chosen = QFileDialog.getSaveFileName(
        parent, "Export", str(Path.home() / "netapp-export"), ";;".join(EXPORT_FILTERS)
    )
    if not path:
        return None
    fmt, suffix = EXPORT_FILTERS.get(chosen, ("vcard", ".vcf"))
    if not Path(path).suffix:
        path += suffix
    if is_encrypted(ctx.store):
        answer = QMessageBox.question(
            parent,
            "Export",
            "Your database is encrypted, but the exported file will not be. Export anyway?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
    try:
        export_to_file(ctx.store, fmt, path, as_of=date.today())
    except NetappError as exc:
        QMessageBox.warning(parent, "Export", str(exc))
        return None
    return path


def open_duplicates(ctx: AppContext, parent: QWidget | None) -> None:
    from ui.dialogs.merge_dialog import DuplicatesDialog

    DuplicatesDialog(ctx.store, parent).exec()


def register(ctx: AppContext, window: Any) -> None:
    a = ctx.actions
    actions = [
        a.register(
            "io.import", "&Import…", lambda: open_import(ctx, window), tip="Import contacts"
        ),
        a.register(
            "io.export",
            "&Export…",
            lambda: export_via_dialog(ctx, window),
            tip="Export contacts, opt-ins, follow-ups or a backup",
        ),
        a.register(
            "io.duplicates",
            "Find &duplicates…",
            lambda: open_duplicates(ctx, window),
            tip="People who may be the same person",
        ),
    ]
    menu = window.menu("&File")
    before = a["app.quit"] if "app.quit" in a else None  # noqa: SIM401 - no .get()
    for action in actions:
        if before is not None:
            menu.insertAction(before, action)
        else:
            menu.addAction(action)
    if before is not None:
        menu.insertSeparator(before)
