"""File menu: Import…, Import history…, Import subscribers (opt-ins)…, Record opt-in…, Export…,
Find duplicates…. Wiring only; the work is in netapp.interchange."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from netapp.errors import NetappError
from ui.context import AppContext
from ui.widgets.messages import people_count

# Save-dialog filter -> export format.
EXPORT_FILTERS: dict[str, tuple[str, str]] = {
    "vCard 4.0 (*.vcf)": ("vcard", ".vcf"),
    "vCard 3.0, for older programs (*.vcf)": ("vcard3", ".vcf"),
    "People as CSV (*.csv)": ("csv", ".csv"),
    "Opt-ins for Mailchimp (*.csv)": ("optins", ".csv"),
    "Follow-ups calendar (*.ics)": ("ics", ".ics"),
    "Full netapp backup (*.json)": ("json", ".json"),
}
# The formats that hold a chosen set of people (the others cover the whole database).
PEOPLE_FORMATS = ("vcard", "vcard3", "csv")


def open_import(ctx: AppContext, parent: QWidget | None) -> None:
    from ui.dialogs.import_dialog import ImportDialog

    dlg = ImportDialog(ctx.store, parent=parent)
    dlg.show()
    dlg.choose_files()


def export_via_dialog(
    ctx: AppContext, parent: QWidget | None, ids: list[int] | None = None
) -> str | None:
    """Ask for a file and format, then export (only the people ``ids`` when given: the People
    page's selection, in the formats that hold people). Returns the path written, or None."""
    from netapp.interchange.consent import export_optins
    from netapp.interchange.export import export_to_file, is_encrypted

    filters = [f for f, (fmt, _s) in EXPORT_FILTERS.items() if ids is None or fmt in PEOPLE_FORMATS]
    path, chosen = QFileDialog.getSaveFileName(
        parent, "Export", str(Path.home() / "netapp-export"), ";;".join(filters)
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
        if fmt == "optins":
            result = export_optins(ctx.store, path)
            what = f"the opt-ins of {people_count(result.rows)}"
            detail = (
                f"{result.consenting} of {people_count(result.people)} "
                f"{'has' if result.consenting == 1 else 'have'} consented to email; "
                "nobody else is in the file."
            )
            if result.left_out:
                detail += (
                    f" {people_count(result.left_out)} with consent left out: no email address, "
                    "or an address already in the file."
                )
        else:
            n = export_to_file(ctx.store, fmt, path, ids=ids, as_of=date.today()).records
            if fmt == "ics":
                what = f"{n} follow-up{'' if n == 1 else 's'} (next 30 days)"
            else:
                what = f"a backup of {people_count(n)}" if fmt == "json" else people_count(n)
            detail = ""
    except NetappError as exc:
        QMessageBox.warning(parent, "Export", str(exc))
        return None
    tell(parent, "Export", f"Exported {what} to {path}", detail)
    return path


def tell(parent: QWidget | None, title: str, text: str, detail: str = "") -> None:
    """Say what happened: on the main window's status bar and in a message box."""
    status = getattr(parent, "statusBar", None)
    if callable(status):
        status().showMessage(text, 15000)
    QMessageBox.information(parent, title, text + (f"\n\n{detail}" if detail else ""))


def open_import_history(ctx: AppContext, parent: QWidget | None) -> None:
    from ui.dialogs.import_history import ImportHistoryDialog

    ImportHistoryDialog(ctx.store, parent).exec()


def import_subscribers_via_dialog(ctx: AppContext, parent: QWidget | None) -> str | None:
    """Attach an email tool's subscriber export as opt-ins. Returns the file read, or None."""
    from netapp.interchange.consent import import_subscribers

    path, _ = QFileDialog.getOpenFileName(
        parent,
        "Import subscribers (opt-ins)",
        str(Path.home()),
        "Subscriber export (*.csv);;All files (*)",
    )
    if not path:
        return None
    try:
        result = import_subscribers(ctx.store, path)
    except NetappError as exc:
        QMessageBox.warning(parent, "Import subscribers", str(exc))
        return None
    n = result.matched
    detail = (
        "Each opt-in is matched to a person by email address and keeps its sign-up time and "
        "source as evidence."
    )
    if result.skipped:
        lines = [f"line {s.line}: {s.reason}" for s in result.skipped[:20]]
        more = len(result.skipped) - len(lines)
        detail += (
            f"\n\n{len(result.skipped)} row{'' if len(result.skipped) == 1 else 's'} skipped:\n"
        )
        detail += "\n".join(lines) + (f"\n… and {more} more" if more > 0 else "")
    tell(
        parent,
        "Import subscribers",
        f"{n} opt-in{'' if n == 1 else 's'} recorded from {Path(path).name}",
        detail,
    )
    return path


def open_record_optin(ctx: AppContext, parent: QWidget | None) -> None:
    from ui.dialogs.optin_dialog import OptinDialog, describe

    sink = getattr(parent, "statusBar", None)
    on_error = (lambda text: sink().showMessage(text)) if callable(sink) else None
    dlg = OptinDialog(ctx.store, parent, undo=ctx.undo, on_error=on_error)
    dlg.exec()
    status = getattr(parent, "statusBar", None)
    if dlg.results and callable(status):
        n = len(dlg.results)
        text = (
            f"Opt-in recorded: {describe(dlg.results[0])}"
            if n == 1
            else f"{n} opt-ins recorded; the last: {describe(dlg.results[-1])}"
        )
        status().showMessage(text, 15000)


def open_duplicates(ctx: AppContext, parent: QWidget | None) -> None:
    from ui.dialogs.merge_dialog import DuplicatesDialog

    DuplicatesDialog(ctx.store, parent, undo=ctx.undo).exec()


def register(ctx: AppContext, window: Any) -> None:
    a = ctx.actions
    actions = [
        a.register(
            "io.import",
            "&Import…",
            lambda: open_import(ctx, window),
            "Ctrl+I",
            tip="Import contacts",
        ),
        a.register(
            "io.history",
            "Import &history…",
            lambda: open_import_history(ctx, window),
            tip="Earlier imports; undo one",
        ),
        a.register(
            "io.subscribers",
            "Import &subscribers (opt-ins)…",
            lambda: import_subscribers_via_dialog(ctx, window),
            tip="Attach an email tool's subscriber export (Mailchimp CSV) as opt-ins",
        ),
        a.register(
            "io.optin",
            "Record &opt-in…",
            lambda: open_record_optin(ctx, window),
            tip="Record consent to email: a card code, or a person who said yes",
        ),
        a.register(
            "io.export",
            "&Export…",
            lambda: export_via_dialog(ctx, window),
            "Ctrl+Shift+E",
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

    def separate() -> None:
        if before is not None:
            menu.insertSeparator(before)
        else:
            menu.addSeparator()

    for action in actions:
        if action.objectName() in ("io.optin", "io.export"):  # import | consent | out
            separate()
        if before is not None:
            menu.insertAction(before, action)
        else:
            menu.addAction(action)
    if before is not None:
        separate()
