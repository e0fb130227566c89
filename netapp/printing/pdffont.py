"""Embedding shaped glyphs in a reportlab PDF: one Type 0 (CID-keyed TrueType) font per face.

reportlab's own TrueType support maps characters to glyphs through the font's character
map, which cannot reach the glyphs shaping produces (Arabic joining forms, Devanagari
conjuncts, ligatures). So the glyphs are written by glyph, with ``Identity-H`` encoding:

- every distinct (glyph, text) pair of a document gets its own CID, and a ``CIDToGIDMap``
  maps CIDs back to glyphs, so the ``ToUnicode`` map can give each occurrence its own text
  (the Devanagari vowel sign drawn before its consonant, a ligature standing for two
  letters) and copied text reads back as what was typed;
- the font file is subset with fontTools to the glyphs used, when the PDF is saved
  (reportlab calls ``addObjects`` of each font registered in ``doc.delayedFonts``).
"""

from __future__ import annotations

import hashlib
import io
import weakref
from typing import Any

from netapp.printing.faces import Face
from netapp.printing.shaping import Glyph


class EmbeddedFont:
    """One face's glyphs used in one document; written out when the document is saved."""

    def __init__(self, face: Face, internal: str) -> None:
        self.face = face
        self.internal = internal  # the resource name, e.g. 'NF3'
        self.cids: dict[tuple[int, str], int] = {}
        self.entries: list[tuple[int, str]] = []  # CID - 1 -> (glyph, text)

    def cid(self, glyph: Glyph) -> int:
        key = (glyph.gid, glyph.text)
        cid = self.cids.get(key)
        if cid is None:
            self.entries.append(key)
            cid = self.cids[key] = len(self.entries)
        return cid

    # -- written at save time ------------------------------------------------------------

    def _subset(self) -> tuple[bytes, dict[int, int]]:
        """The font cut down to the used glyphs, and old glyph id -> new glyph id."""
        from fontTools import subset
        from fontTools.ttLib import TTFont

        font = TTFont(io.BytesIO(self.face.data), lazy=True, recalcTimestamp=False)
        names = font.getGlyphOrder()
        used = sorted({0} | {gid for gid, _ in self.entries})
        options = subset.Options()
        options.layout_features = []  # already shaped: no layout tables needed
        options.notdef_outline = True
        options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # copyright, names, licence
        options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "vhea", "vmtx", "DSIG"]
        sub = subset.Subsetter(options)
        sub.populate(glyphs=[names[g] for g in used])
        sub.subset(font)
        new_ids = {name: i for i, name in enumerate(font.getGlyphOrder())}
        buf = io.BytesIO()
        font.save(buf)
        return buf.getvalue(), {g: new_ids[names[g]] for g in used if names[g] in new_ids}

    def _tag(self) -> str:
        digest = hashlib.sha1(repr(self.entries).encode()).digest()
        return "".join(chr(65 + b % 26) for b in digest[:6])

    def _to_unicode(self, name: str) -> bytes:
        lines = [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            f"/CMapName /{name}-UCS def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            "<0000> <FFFF>",
            "endcodespacerange",
        ]
        mapped = list(enumerate((text for _, text in self.entries), 1))
        for i in range(0, len(mapped), 100):
            chunk = mapped[i : i + 100]
            lines.append(f"{len(chunk)} beginbfchar")
            lines += [
                f"<{cid:04X}> <{text.encode('utf-16-be').hex().upper()}>" for cid, text in chunk
            ]
            lines.append("endbfchar")
        lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
        return "\n".join(lines).encode("ascii")

    def addObjects(self, doc: Any) -> None:  # noqa: N802 - reportlab's name
        from reportlab.pdfbase import pdfdoc

        face = self.face
        data, gid_map = self._subset()
        name = f"{self._tag()}+{face.ps_name}"

        def stream(content: bytes, **extra: Any) -> Any:
            s = pdfdoc.PDFStream(content=content, filters=[pdfdoc.PDFZCompress])
            for key, value in extra.items():
                s.dictionary[key] = value
            return doc.Reference(s)

        flags = 4  # symbolic: glyphs are addressed by id, not by a standard encoding
        descriptor = pdfdoc.PDFDictionary(
            {
                "Type": "/FontDescriptor",
                "FontName": pdfdoc.PDFName(name),
                "Flags": flags,
                "FontBBox": pdfdoc.PDFArray(list(face.bbox)),
                "ItalicAngle": 0,
                "Ascent": face.ascent,
                "Descent": face.descent,
                "CapHeight": face.cap_height,
                "StemV": 120 if face.bold else 80,
                "FontFile2": stream(data, Length1=len(data)),
            }
        )
        cid_to_gid = bytearray(2 * (len(self.entries) + 1))
        widths = []
        for cid, (gid, _) in enumerate(self.entries, 1):
            new = gid_map.get(gid, 0)
            cid_to_gid[2 * cid : 2 * cid + 2] = new.to_bytes(2, "big")
            widths.append(round(face.advance(gid)))
        cid_font = pdfdoc.PDFDictionary(
            {
                "Type": "/Font",
                "Subtype": "/CIDFontType2",
                "BaseFont": pdfdoc.PDFName(name),
                "CIDSystemInfo": pdfdoc.PDFDictionary(
                    {
                        "Registry": pdfdoc.PDFString("Adobe"),
                        "Ordering": pdfdoc.PDFString("Identity"),
                        "Supplement": 0,
                    }
                ),
                "FontDescriptor": doc.Reference(descriptor),
                "DW": 1000,
                "W": pdfdoc.PDFArray([1, pdfdoc.PDFArray(widths)]),
                "CIDToGIDMap": stream(bytes(cid_to_gid)),
            }
        )
        font = pdfdoc.PDFDictionary(
            {
                "Type": "/Font",
                "Subtype": "/Type0",
                "BaseFont": pdfdoc.PDFName(name),
                "Encoding": "/Identity-H",
                "DescendantFonts": pdfdoc.PDFArray([doc.Reference(cid_font)]),
                "ToUnicode": stream(self._to_unicode(face.ps_name)),
            }
        )
        doc.Reference(font, self.internal)
        doc.idToObject["BasicFonts"].dict[self.internal] = font


class DocumentFonts:
    """The embedded fonts of one reportlab document, by face."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.fonts: dict[Face, EmbeddedFont] = {}
        self.programs: dict[tuple[Any, ...], str] = {}  # drawn text, cached by fonts.draw

    def font(self, face: Face) -> EmbeddedFont:
        font = self.fonts.get(face)
        if font is None:
            doc = self.doc
            internal = f"NF{len(self.fonts) + 1}"  # reportlab's own fonts are F1, F2 …
            doc.fontMapping[f"netapp:{internal}"] = "/" + internal
            doc.delayedFonts.append(font := EmbeddedFont(face, internal))
            self.fonts[face] = font
        return font


_DOCS: weakref.WeakKeyDictionary[Any, DocumentFonts] = weakref.WeakKeyDictionary()


def for_canvas(canvas: Any) -> DocumentFonts:
    doc = canvas._doc
    fonts = _DOCS.get(doc)
    if fonts is None:
        fonts = _DOCS[doc] = DocumentFonts(doc)
    return fonts
