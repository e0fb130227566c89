"""The user's logo on cards and sheets: a PNG or JPEG, or an SVG (drawn as vectors).

Checked once when it is set (``logo_problem``) and when a batch is planned (``load_logo``):
a missing, unreadable, huge or malformed file is one clear line naming the file, never a
traceback. It is drawn once per PDF as a form and placed on every card.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netapp.errors import ValidationError

MAX_BYTES = 5 * 1024 * 1024
FIELD = "print.logo"


@dataclass(frozen=True, eq=False)
class Logo:
    path: str
    kind: str  # 'image' or 'svg'
    width: float  # natural size, only its proportions matter
    height: float
    content: Any  # reportlab ImageReader or Drawing

    def fit(self, max_w: float, max_h: float) -> tuple[float, float]:
        """The largest size with the logo's proportions inside ``max_w`` × ``max_h``."""
        scale = min(max_w / self.width, max_h / self.height)
        return self.width * scale, self.height * scale


def _svg(path: Path) -> Any:
    import logging

    from svglib.svglib import svg2rlg

    logging.getLogger("svglib").setLevel(logging.ERROR)  # unsupported bits are skipped
    drawing = svg2rlg(str(path))
    if drawing is None or not drawing.width or not drawing.height:
        raise ValueError("not an SVG picture with a width and height")
    return drawing


def load_logo(path: str) -> Logo:
    """The logo at ``path``, checked; ValidationError('print.logo', …) naming the file."""
    file = Path(path).expanduser()
    try:
        size = file.stat().st_size
    except OSError as exc:
        raise ValidationError(FIELD, f"{file}: cannot be read ({exc.strerror or exc})") from None
    if not file.is_file():
        raise ValidationError(FIELD, f"{file} is not a file")
    if size > MAX_BYTES:
        raise ValidationError(FIELD, f"{file} is {size // 1024} KiB; a logo must be under 5 MiB")
    try:
        if file.suffix.lower() == ".svg":
            drawing = _svg(file)
            return Logo(str(file), "svg", float(drawing.width), float(drawing.height), drawing)
        from PIL import Image
        from reportlab.lib.utils import ImageReader

        with Image.open(file) as img:
            img.verify()  # a truncated or disguised file fails here, not while printing
        reader = ImageReader(str(file))
        w, h = reader.getSize()
        if not w or not h:
            raise ValueError("the picture has no size")
        return Logo(str(file), "image", float(w), float(h), reader)
    except ValidationError:
        raise
    except Exception as exc:  # any decoder error: the file is not a usable picture
        raise ValidationError(
            FIELD, f"{file} is not a PNG, JPEG or SVG picture netapp can print ({exc})"
        ) from None


def logo_problem(path: str) -> str | None:
    try:
        load_logo(path)
    except ValidationError as exc:
        return exc.message
    return None


def draw_logo(canvas: Any, logo: Logo, x: float, y: float, w: float, h: float) -> None:
    """Draw ``logo`` in the box at ``(x, y)`` (bottom-left) of size ``w`` × ``h``, which has
    its proportions (see :meth:`Logo.fit`). Defined once per PDF as a form."""
    forms = getattr(canvas, "_netapp_logo_forms", None)
    if forms is None:
        forms = canvas._netapp_logo_forms = {}
    name = forms.get(id(logo))
    if name is None:  # numbered in the PDF (not by address): the same input, the same PDF
        name = forms[id(logo)] = f"netapp-logo-{len(forms) + 1}"
        canvas.beginForm(name, lowerx=0, lowery=0, upperx=logo.width, uppery=logo.height)
        if logo.kind == "svg":
            from reportlab.graphics import renderPDF

            renderPDF.draw(logo.content, canvas, 0, 0)
        else:
            canvas.drawImage(logo.content, 0, 0, logo.width, logo.height, mask="auto")
        canvas.endForm()
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(w / logo.width, h / logo.height)
    canvas.doForm(name)
    canvas.restoreState()
