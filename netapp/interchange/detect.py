"""Tell what kind of contacts file a file is, from its first bytes and its header."""

from __future__ import annotations

from pathlib import Path

from netapp.interchange.records import ImportFileError, check_not_binary, decode_text

FORMATS = ("vcard", "linkedin", "google", "outlook.com", "outlook", "csv", "json")


def detect_format(file: str | Path, data: bytes) -> str:
    """One of FORMATS. ``csv`` means a CSV whose header is not a known layout (needs a mapping).

    Raises ImportFileError for empty, binary or unrecognisable files."""
    name = str(file)
    if not data.strip():
        raise ImportFileError(name, "the file is empty")
    head = data[:65536]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(head) > 3 and head[1:2] == b"\x00"):
        text, _ = decode_text(head if len(head) % 2 == 0 else head[:-1], name)
    else:
        check_not_binary(head, name)
        text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    stripped = text.lstrip()
    upper = stripped[:2000].upper()
    if "BEGIN:VCARD" in upper:
        return "vcard"
    if stripped.startswith("{"):
        return "json"
    suffix = Path(name).suffix.lower()
    if suffix in (".vcf", ".vcard"):
        return "vcard"
    from netapp.interchange.csvformats import detect_layout, find_header

    _, headers = find_header(text)
    if sum(1 for h in headers if h.strip()) >= 2:
        return detect_layout(headers)
    if suffix == ".csv":
        return "csv"
    raise ImportFileError(name, "not a vCard, CSV or netapp backup file", 1)
