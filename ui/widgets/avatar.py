"""Faces: a person's photo cut to a circle, or their initials on a coloured disc."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPixmap

from netapp.fields import disc_hue, initials


def avatar(name: str, photo: bytes | None, size: int = 48) -> QPixmap:
    """A round ``size``-pixel face: the photo when it decodes, otherwise the initials disc."""
    out = QPixmap(size, size)
    out.fill(Qt.GlobalColor.transparent)
    painter = QPainter(out)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    circle = QPainterPath()
    circle.addEllipse(QRectF(0, 0, size, size))
    image = QPixmap()
    if photo and image.loadFromData(photo):
        scaled = image.scaled(
            size,
            size,
            Qt.AspectRatioMode.KeepAspectRatioByExpanding,
            Qt.TransformationMode.SmoothTransformation,
        )
        painter.setClipPath(circle)
        painter.drawPixmap((size - scaled.width()) // 2, (size - scaled.height()) // 2, scaled)
    else:
        painter.fillPath(circle, QBrush(QColor.fromHsv(disc_hue(name), 110, 175)))
        font = QFont()
        font.setBold(True)
        font.setPixelSize(max(8, int(size * 0.4)))
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, initials(name))
    painter.end()
    return out
