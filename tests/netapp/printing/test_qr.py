"""QR matrix and vector drawing."""

from __future__ import annotations

import random

import zxingcpp

from netapp.printing.qr import BatchEncoder, merged_rects, qr_matrix


def test_merged_rectangles_cover_exactly_the_dark_modules() -> None:
    """The rectangles drawn paint every dark module once and no light module."""
    matrix, _, _ = qr_matrix("https://example.com/?ref=ABCDEFG")
    painted = [[0] * len(matrix) for _ in matrix]
    rects = merged_rects(matrix)
    for col, row, w, h in rects:
        for r in range(row, row + h):
            for c in range(col, col + w):
                painted[r][c] += 1
    assert painted == [[int(v) for v in row] for row in matrix]
    assert len(rects) < sum(map(sum, matrix)) / 2  # merging actually merges


def _decode(matrix: list[list[bool]]) -> str:
    from PIL import Image

    n, q, scale = len(matrix), 4, 4
    img = Image.new("L", ((n + 2 * q) * scale,) * 2, 255)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                img.paste(
                    0, ((c + q) * scale, (r + q) * scale, (c + q + 1) * scale, (r + q + 1) * scale)
                )
    found = zxingcpp.read_barcodes(img)
    assert len(found) == 1
    return str(found[0].text)


def test_batch_encoder_fixes_version_and_mask_and_every_symbol_decodes() -> None:
    """With version and mask chosen once for a batch, every later payload still decodes."""
    enc = BatchEncoder()
    rng = random.Random(2)
    payloads = [f"https://example.com/?ref={rng.randrange(10**7):07d}" for _ in range(8)]
    sizes = set()
    for p in payloads:
        m = enc.encode(p)
        sizes.add(len(m))
        assert _decode(m) == p
    assert len(sizes) == 1 and enc.mask is not None
