"""QR codes: the module matrix (via qrcode, imported lazily) and vector drawing.

Choosing the mask pattern is where qrcode spends its time (it builds the symbol eight times
and scores each). Every card of a batch carries a URL of the same length, so
:class:`BatchEncoder` picks the version and mask once, for the first payload, and reuses
them; any mask is a valid QR code, the chosen one is only the least-penalised for the first
payload. ``bench/bench_cards.py`` measures the difference.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from netapp.errors import ValidationError

QUIET_ZONE = 4  # modules of white around the symbol (the QR standard's minimum)
Matrix = list[list[bool]]


def _qrcode() -> Any:
    import qrcode
    import qrcode.constants

    return qrcode


EC_LEVELS = {"M": "ERROR_CORRECT_M", "Q": "ERROR_CORRECT_Q", "H": "ERROR_CORRECT_H"}


def qr_matrix(
    data: str, *, ec: str = "M", version: int | None = None, mask: int | None = None
) -> tuple[Matrix, int, int]:
    """The symbol's modules (no quiet zone) plus the version and mask used."""
    qrcode = _qrcode()
    from qrcode.exceptions import DataOverflowError

    if ec not in EC_LEVELS:
        raise ValidationError("error correction", f"use one of {', '.join(EC_LEVELS)}")
    qr = qrcode.QRCode(
        version=version,
        error_correction=getattr(qrcode.constants, EC_LEVELS[ec]),
        border=0,
        mask_pattern=mask,
    )
    qr.add_data(data.encode("utf-8"), optimize=0)
    try:
        if version is None:
            qr.best_fit()
        if mask is None:
            mask = int(qr.best_mask_pattern())
            qr.mask_pattern = mask
        qr.make(fit=False)
    except DataOverflowError:
        if version is None:
            raise ValidationError("QR data", "is too long for a QR code") from None
        return qr_matrix(data, ec=ec, version=None, mask=mask)
    except ValueError as exc:  # qrcode raises ValueError for 'Invalid version'
        raise ValidationError("QR data", f"is too long for a QR code ({exc})") from None
    matrix = [[bool(v) for v in row] for row in qr.modules]
    return matrix, int(qr.version), mask


class BatchEncoder:
    """Encodes many payloads of similar length with one version and mask."""

    def __init__(self, ec: str = "M", *, fixed: bool = True) -> None:
        self.ec = ec
        self.fixed = fixed
        self.version: int | None = None
        self.mask: int | None = None

    def encode(self, data: str) -> Matrix:
        if not self.fixed:
            return qr_matrix(data, ec=self.ec)[0]
        if self.version is None:
            matrix, self.version, self.mask = qr_matrix(data, ec=self.ec)
            return matrix
        matrix, version, _ = qr_matrix(data, ec=self.ec, version=self.version, mask=self.mask)
        self.version = max(self.version, version)
        return matrix


def merged_rects(matrix: Sequence[Sequence[bool]]) -> list[tuple[int, int, int, int]]:
    """Dark modules as few rectangles ``(col, row, width, height)``, in module units from the
    top-left: horizontal runs per row, stacked with identical runs in the rows below."""
    open_: dict[tuple[int, int], list[int]] = {}  # (col, width) -> [col, row, w, h]
    done: list[tuple[int, int, int, int]] = []
    for r, row in enumerate(matrix):
        runs: list[tuple[int, int]] = []
        c, n = 0, len(row)
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                runs.append((start, c - start))
            else:
                c += 1
        now: dict[tuple[int, int], list[int]] = {}
        for run in runs:
            rect = open_.pop(run, None)
            if rect is None:
                rect = [run[0], r, run[1], 0]
            rect[3] += 1
            now[run] = rect
        done.extend((a, b, w, h) for a, b, w, h in open_.values())
        open_ = now
    done.extend((a, b, w, h) for a, b, w, h in open_.values())
    return sorted(done, key=lambda t: (t[1], t[0]))


def draw_qr(canvas: Any, matrix: Matrix, x: float, y: float, size: float) -> float:
    """Draw ``matrix`` as vector rectangles in the square ``(x, y, size)`` (PDF coordinates,
    bottom-left corner), which includes a white quiet zone of :data:`QUIET_ZONE` modules.

    Returns the module size in points.
    """
    n = len(matrix)
    module = size / (n + 2 * QUIET_ZONE)
    top = y + size - QUIET_ZONE * module
    left = x + QUIET_ZONE * module
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    # One filled path of rectangles, written as PDF operators directly: reportlab's
    # per-rectangle path API formats every number in Python and dominated batch time.
    ops = [
        f"{left + col * module:.3f} {top - (row + h) * module:.3f} "
        f"{w * module:.3f} {h * module:.3f} re"
        for col, row, w, h in merged_rects(matrix)
    ]
    if ops:
        canvas._code.append("\n".join(ops) + "\nf")
    canvas.restoreState()
    return module
