"""The Print page: pick cards or a sheet, see a live preview, print it or save it as PDF.

Thin: every rule (what a card holds, who is on a sheet, what counts as bad input) lives in
``netapp.printing``; this page gathers the choices (``netapp.printing.choice.PrintChoice``),
shows the PDF with QtPdf and hands it to the system print dialog or a file. The preview is
built on a worker thread's own connection (fonts and QR codes take about 0.4 s at every
change, a second the first time); the newest request wins.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, QTimer
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from netapp.domain import CardKind, Topic
from netapp.errors import NetappError
from netapp.printing import cards, sheets
from netapp.printing.choice import PrintChoice, Printed, build_pdf, plan
from netapp.printing.layouts import LAYOUTS
from netapp.settings import MAX_OFFER
from netapp.store import Store, now_iso
from ui.context import AppContext
from ui.theme import error_style
from ui.workers import EngineWorker

try:  # QtPdf is missing from some PySide6 wheels; pypdfium2 renders instead
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView

    HAVE_QTPDF = True
except ImportError:  # pragma: no cover - depends on the installed wheel
    HAVE_QTPDF = False


def page_images(data: bytes, dpi: float) -> list[tuple[QImage, float, float]]:
    """Every page of a PDF as an image at ``dpi``, with the page size in points."""
    out: list[tuple[QImage, float, float]] = []
    if HAVE_QTPDF:
        doc = QPdfDocument()
        buf = QBuffer()
        buf.setData(QByteArray(data))
        buf.open(QIODevice.OpenModeFlag.ReadOnly)
        doc.load(buf)
        for i in range(doc.pageCount()):
            pt = doc.pagePointSize(i)
            size = QSize(round(pt.width() / 72 * dpi), round(pt.height() / 72 * dpi))
            out.append((doc.render(i, size), pt.width(), pt.height()))
        doc.close()
        return out
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    for i in range(len(pdf)):
        page = pdf[i]
        w, h = page.get_size()
        img = page.render(scale=dpi / 72).to_pil().convert("RGB")
        raw = img.tobytes()
        q = QImage(raw, img.width, img.height, img.width * 3, QImage.Format.Format_RGB888)
        out.append((q.copy(), float(w), float(h)))
    pdf.close()
    return out


WHAT = (
    (CardKind.OPTIN, "Opt-in cards (QR to your sign-up page)"),
    (CardKind.CONTACT, "Contact cards (QR saves your contact)"),
    ("followups", "Follow-up sheet for a meeting"),
    ("agenda", "Follow-up sheet for the coming days"),
    ("briefing", "Briefing sheet for a meeting"),
    ("calibration", "Calibration page"),
)


class PrintPage(QWidget):
    def __init__(self, store: Store, today: Callable[[], date] = date.today) -> None:
        super().__init__()
        self.setObjectName("page-print")
        self.store = store
        self.today = today
        self._warning = ""  # characters the current PDF leaves out, in one line
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.printer.setFullPage(True)  # coordinates from the paper's corner, as the layouts

        self._make_fields()
        self._build_preview()
        outer = QHBoxLayout(self)
        side = QWidget()
        side.setLayout(self._build_side())
        side.setMaximumWidth(420)
        outer.addWidget(side)
        outer.addWidget(self.view, 1)
        self._wire()
        self.load_meetings()
        self._show_fields()
        # The first preview a moment after the page is painted, built on the worker: the
        # first PDF of a session loads and measures the fonts (about a second).
        self.message.setText("Preparing the preview…")
        self.timer.start()

    def _make_fields(self) -> None:
        """What to print and its options, defaults from the settings."""
        self.what = QComboBox()
        for key, label in WHAT:
            self.what.addItem(label, key)
        self.meeting = QComboBox()
        self.meeting.setAccessibleName("Meeting")
        self.campaign = QLineEdit()
        self.campaign.setPlaceholderText("or a campaign name instead of a meeting")
        self.layout_box = QComboBox()
        for lay in LAYOUTS.values():
            self.layout_box.addItem(lay.name, lay.key)
        default = self.layout_box.findData(self.store.settings["print.layout"])
        self.layout_box.setCurrentIndex(max(default, 0))
        self.count = QSpinBox()
        self.count.setRange(1, cards.MAX_COUNT)
        self.count.setValue(10)
        self.days = QSpinBox()
        self.days.setRange(1, sheets.MAX_DAYS)
        self.days.setValue(int(self.store.settings["agenda.days"]))
        self.offer = QLineEdit()
        self.offer.setMaxLength(MAX_OFFER)  # the longest offer every card prints whole
        self.offer.setPlaceholderText(self.store.settings["profile.offer"] or "e.g. Free e-book: …")
        self.url = QLineEdit()
        self.url.setPlaceholderText(self.store.settings["profile.optin_url"] or "https://…")
        self.paper = QComboBox()
        self.paper.addItem("A4", "a4")
        self.paper.addItem("US Letter", "letter")
        self.paper.setCurrentIndex(self.paper.findData(sheets.default_paper(self.store)))

    def _build_side(self) -> QVBoxLayout:
        """The form of options, a message line, Print and Save PDF."""
        form = QFormLayout()
        form.addRow("Print", self.what)
        form.addRow("Meeting", self.meeting)
        form.addRow("Campaign", self.campaign)
        form.addRow("Layout", self.layout_box)
        form.addRow("Cards", self.count)
        form.addRow("Days", self.days)
        form.addRow("Offer", self.offer)
        form.addRow("Opt-in URL", self.url)
        form.addRow("Paper", self.paper)
        self.form = form
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("print-message")
        self.print_button = QPushButton("Print…")
        self.save_button = QPushButton("Save PDF…")
        self.print_button.clicked.connect(self.print_)
        self.save_button.clicked.connect(self.save_pdf)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        left = QVBoxLayout()
        left.addWidget(QLabel("<h2>Print</h2>"))
        left.addLayout(form)
        left.addWidget(self.message)
        left.addStretch(1)
        left.addLayout(buttons)
        return left

    def _build_preview(self) -> None:
        """self.view: a PDF view where QtPdf is present, else a column of page images."""
        self.page_count = 0
        self._buffer: QBuffer | None = None
        self._data = QByteArray()
        self.view: QWidget
        if HAVE_QTPDF:
            self.document = QPdfDocument(self)
            pdf_view = QPdfView()
            pdf_view.setDocument(self.document)
            pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
            pdf_view.setZoomMode(QPdfView.ZoomMode.FitInView)
            self.view = pdf_view
        else:
            self.images = QLabel()
            self.images.setObjectName("print-preview-pages")
            scroll = QScrollArea()
            scroll.setWidget(self.images)
            scroll.setWidgetResizable(True)
            self.view = scroll
        self.view.setAccessibleName("Preview")

    def _wire(self) -> None:
        """Any change to an option redraws the preview a moment later."""
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(250)
        self.timer.timeout.connect(self.refresh_preview)
        for sig in (
            self.what.currentIndexChanged,
            self.meeting.currentIndexChanged,
            self.layout_box.currentIndexChanged,
            self.count.valueChanged,
            self.days.valueChanged,
            self.paper.currentIndexChanged,
            self.campaign.textChanged,
            self.offer.textChanged,
            self.url.textChanged,
        ):
            sig.connect(self.timer.start)
        self.what.currentIndexChanged.connect(self._show_fields)
        self._job: int | None = None  # the preview being built on the worker
        self.worker = EngineWorker(self.store, self)
        self.worker.done.connect(self._preview_done)
        self.worker.failed.connect(self._preview_failed)

    # -- choices ---------------------------------------------------------------------------

    def load_meetings(self) -> None:
        self.meeting.blockSignals(True)
        self.meeting.clear()
        for r in self.store.meetings.recent(300):
            self.meeting.addItem(f"{r['date']}  {r['name']}", r["id"])
        self.meeting.blockSignals(False)

    def kind(self) -> str:
        return str(self.what.currentData())

    def _show_fields(self) -> None:
        k = self.kind()
        is_card = k in tuple(CardKind)
        visible = {
            self.meeting: k in (*CardKind, "followups", "briefing"),
            self.campaign: is_card,
            self.layout_box: is_card or k == "calibration",
            self.count: is_card,
            self.days: k == "agenda",
            self.offer: is_card,
            self.url: k == "optin",
            self.paper: k in ("followups", "agenda", "briefing"),
        }
        for widget, show in visible.items():
            self.form.setRowVisible(widget, show)

    def choice(self) -> PrintChoice:
        """The current choices, as plain values a worker thread can take."""
        return PrintChoice(
            kind=self.kind(),
            today=self.today(),
            meeting=self.meeting.currentData(),
            campaign=self.campaign.text(),
            offer=self.offer.text(),
            layout=str(self.layout_box.currentData()),
            count=self.count.value(),
            url=self.url.text(),
            days=self.days.value(),
            paper=str(self.paper.currentData()),
        )

    def build_pdf(self, *, preview: bool) -> bytes:
        """The PDF for the current choices, here on the GUI thread (Save PDF and Print)."""
        printed = build_pdf(self.store, self.choice(), preview=preview)
        self._warning = printed.warning
        return printed.data

    # -- preview -----------------------------------------------------------------------------

    def refresh_preview(self) -> None:
        """Build the preview on the worker ("Preparing the preview…" meanwhile); a newer
        request replaces one still running, whose result is dropped."""
        if not self.store.db.is_open():
            return  # the window (and its store) closed before the timer fired
        self.timer.stop()  # asked for now: no second build when the timer fires
        choice = self.choice()
        self.worker.cancel_all()
        self._job = self.worker.submit(lambda own, _c: build_pdf(own, choice, preview=True))
        self.message.setText("Preparing the preview…")
        self.message.setStyleSheet("")

    def is_busy(self) -> bool:
        """True while a preview is being built (or waits for the timer)."""
        return self._job is not None or self.timer.isActive()

    def _preview_failed(self, number: int, line: str) -> None:
        if number == self._job:
            self._job = None
            self.show_error(line)
            self._load(b"")

    def _preview_done(self, number: int, printed: object) -> None:
        if number != self._job or not isinstance(printed, Printed):
            return  # an older request: a newer one is on its way
        self._job = None
        self._warning = printed.warning
        note = " (first page; codes are samples, new ones are made when printed)"
        text = "Preview" + (note if self.kind() == "optin" else "") + "."
        if self._warning:
            text += f"\nNote: {self._warning}."
        self.message.setText(text)
        self.message.setStyleSheet("")
        self.print_button.setEnabled(True)
        self.save_button.setEnabled(True)
        self._load(printed.data)

    def show_error(self, text: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(error_style())
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)

    def _load(self, data: bytes) -> None:
        if not HAVE_QTPDF:
            pages = page_images(data, 60) if data else []
            self.page_count = len(pages)
            if not pages:
                self.images.clear()
                return
            width = max(img.width() for img, _, _ in pages)
            height = sum(img.height() + 12 for img, _, _ in pages)
            sheet = QPixmap(width, height)
            sheet.fill()
            painter = QPainter(sheet)
            y = 0
            for img, _, _ in pages:
                painter.drawImage(0, y, img)
                painter.drawRect(0, y, img.width() - 1, img.height() - 1)
                y += img.height() + 12
            painter.end()
            self.images.setPixmap(sheet)
            return
        self.document.close()
        self.page_count = 0
        if not data:
            return
        self._data = QByteArray(data)
        buffer = QBuffer(self._data, self)
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        self.page_count = self.document.pageCount()

    # -- output ------------------------------------------------------------------------------

    def _final(self, path: Path) -> str:
        """Write the final PDF to ``path``; card batches are recorded. Returns a summary."""
        k = self.kind()
        if k in tuple(CardKind):
            res = cards.print_cards(self.store, plan(self.store, self.choice()), path, now_iso())
            return f"Batch {res.batch_id}: {self.count.value()} cards on {res.pages} page(s)."
        cards.write_pdf(self.build_pdf(preview=False), path, database=self.store.path)
        return "Saved."

    def save_pdf(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Save PDF", "netapp.pdf", "PDF (*.pdf)")
        if not name:
            return
        try:
            summary = self._final(Path(name))
        except NetappError as exc:
            self.show_error(str(exc))
            return
        self.message.setText(f"{summary} Written to {name}.")

    def print_(self) -> None:
        dialog = QPrintDialog(self.printer, self)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "print.pdf"
            try:
                summary = self._final(path)
            except NetappError as exc:
                self.show_error(str(exc))
                return
            data = path.read_bytes()
            self._paint(data)
        self.message.setText(f"{summary} Sent to the printer.")

    def _paint(self, data: bytes) -> None:
        painter = QPainter()
        if not painter.begin(self.printer):
            self.show_error("The printer could not be opened.")
            return
        dpi = self.printer.resolution()
        raster = min(dpi, 300)  # QR modules stay sharp; memory stays bounded
        for i, (image, w_pt, h_pt) in enumerate(page_images(data, raster)):
            if i:
                self.printer.newPage()
            painter.drawImage(QRectF(0, 0, w_pt / 72 * dpi, h_pt / 72 * dpi), image)
        painter.end()


def build(ctx: AppContext) -> QWidget:
    page = PrintPage(ctx.store)
    ctx.signals.changed.connect(
        lambda topic, _ids: page.load_meetings() if topic == Topic.MEETINGS else None
    )
    return page


__all__ = ["PrintPage", "build"]
