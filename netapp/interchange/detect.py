"""Tell what kind of contacts file a file is, from its first bytes and its header."""

from __future__ import annotations

from pathlib import Path

from netapp.interchange.encoding import utf16_order
from netapp.interchange.records import ImportFileError, check_not_binary, decode_text

FORMATS = ("vcard", "csv", "json")


def detect_format(file: str | Path, data: bytes) -> str:
    """``vcard``, ``json``, or ``csv`` for a table (its layout is read by the CSV reader).

    Raises ImportFileError for empty, binary, undecodable or unrecognisable files."""
    name = str(file)
    if not data.strip():
        raise ImportFileError(name, "the file is empty")
    head = data[:65536]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or utf16_order(head):
        text, _ = decode_text(head[: len(head) - len(head) % 2], name)
    else:
        check_not_binary(head, name)
        text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    stripped = text.lstrip()
    if "BEGIN:VCARD" in stripped[:2000].upper():
        return "vcard"
    if stripped.startswith("{"):
        return "json"
    suffix = Path(name).suffix.lower()
    if suffix in (".vcf", ".vcard"):
        return "vcard"
    if suffix in (".csv", ".tsv"):
        return "csv"
    from netapp.interchange.csvformats import read_csv_table

    table = read_csv_table(data, name)
    first = table.headers if table.has_header else (table.rows[0][1] if table.rows else [])
    if sum(1 for h in first if h.strip()) >= 2:
        return "csv"
    raise ImportFileError(name, "not a vCard, CSV or netapp backup file", 1)
