"""Rebuild the print fonts in resources/fonts/ from Debian's font packages.

    apt-get install fonts-noto-core fonts-droid-fallback fonts-symbola
    .venv/bin/python scripts/build_fonts.py

netapp embeds (subsets of) these fonts in every PDF it prints, so a card or sheet prints the
same on any machine and in any viewer; nothing relies on fonts installed on the machine. The
files here are the packages' fonts with their TrueType hinting removed (hinting only helps
screens at small pixel sizes; print and PDF viewers do not need it) and, for the two large
fallback fonts, cut down to the ranges netapp uses them for. Every glyph, kerning pair and
OpenType shaping rule of the kept characters is unchanged. Licences: see LICENSES.md here.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "fonts"
NOTO = Path("/usr/share/fonts/truetype/noto")
DROID = Path("/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf")
SYMBOLA = Path("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
LICENCES = {
    "OFL-Noto.txt": Path("/usr/share/doc/fonts-noto-core/copyright"),
    "Apache-2.0-Droid.txt": Path("/usr/share/common-licenses/Apache-2.0"),
    "LICENSE-Symbola.txt": Path("/usr/share/doc/fonts-symbola/copyright"),
}

CJK = [
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x2E80, 0x2FDF),  # CJK radicals, Kangxi radicals
    (0x3000, 0x30FF),  # CJK symbols and punctuation, hiragana, katakana
    (0x3100, 0x31FF),  # bopomofo, Hangul compatibility jamo, kanbun, katakana extension
    (0x3200, 0x33FF),  # enclosed CJK letters, CJK compatibility
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs (Chinese, Japanese kanji, Korean hanja)
    (0xA960, 0xA97F),  # Hangul Jamo extended A
    (0xAC00, 0xD7FF),  # Hangul syllables, Jamo extended B
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half-width and full-width forms
]
EMOJI = [
    (0x2190, 0x21FF),  # arrows
    (0x2300, 0x23FF),  # miscellaneous technical (⌚ ⏰ …)
    (0x2460, 0x27BF),  # enclosed alphanumerics, shapes, miscellaneous symbols, dingbats
    (0x2900, 0x2BFF),  # supplemental arrows, miscellaneous symbols and arrows
    (0x1F000, 0x1FAFF),  # mahjong … symbols and pictographs (the emoji blocks)
]


def _unicodes(ranges: list[tuple[int, int]]) -> list[int]:
    return [u for a, b in ranges for u in range(a, b + 1)]


def build(
    source: Path,
    target: str,
    ranges: list[tuple[int, int]] | None = None,
    without: set[int] | frozenset[int] = frozenset(),
) -> set[int]:
    """Write ``source`` unhinted to ``target``, keeping ``ranges`` (all if None) less
    ``without``; returns the characters kept."""
    font = TTFont(source)
    options = subset.Options()
    options.hinting = False  # drop TrueType instructions: not needed on paper or in PDFs
    options.layout_features = ["*"]  # keep every shaping and positioning feature
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.drop_tables += ["DSIG", "vhea", "vmtx", "VORG", "gasp", "hdmx", "LTSH", "kern"]
    sub = subset.Subsetter(options)
    cmap = font.getBestCmap()
    wanted = set(cmap) if ranges is None else set(_unicodes(ranges)) & set(cmap)
    wanted -= without
    sub.populate(unicodes=sorted(wanted))
    sub.subset(font)
    font.save(OUT / target)
    print(f"{target}: {len(wanted)} characters, {(OUT / target).stat().st_size // 1024} KiB")
    return wanted


def main() -> int:
    missing = [p for p in (NOTO, DROID, SYMBOLA, DEJAVU) if not p.exists()]
    if missing:
        print(
            f"missing {missing}: apt-get install fonts-noto-core fonts-droid-fallback "
            "fonts-symbola fonts-dejavu-core",
            file=sys.stderr,
        )
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    covered: set[int] = set()
    for family in ("NotoSans", "NotoSansArabic", "NotoSansHebrew", "NotoSansDevanagari"):
        for weight in ("Regular", "Bold"):
            covered |= build(NOTO / f"{family}-{weight}.ttf", f"{family}-{weight}.ttf")
    for weight in ("Regular", "Bold"):
        covered |= build(NOTO / f"NotoSansThai-{weight}.ttf", f"NotoSansThai-{weight}.ttf")
    covered |= build(DROID, "DroidSansFallback.ttf", CJK)
    # DejaVu Sans: the other alphabets and symbols (Armenian, Georgian, IPA, arrows, maths,
    # box drawing …), only where the fonts above have no glyph.
    for file, target in (
        ("DejaVuSans.ttf", "DejaVuSans.ttf"),
        ("DejaVuSans-Bold.ttf", "DejaVuSans-Bold.ttf"),
    ):
        dejavu = build(DEJAVU / file, target, without=covered - set(range(0x20, 0x7F)))
    covered |= dejavu
    # Symbola: monochrome emoji (Unicode 9) and the symbols no font above has.
    build(SYMBOLA, "Symbola-Emoji.ttf", EMOJI, without=covered)
    for name, source in LICENCES.items():
        shutil.copyfile(source, OUT / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
