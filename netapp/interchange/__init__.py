"""Import, export and consent: vCard, CSV (LinkedIn, Google, Outlook), JSON backups, opt-ins.

Submodules import their heavy dependencies lazily. The shapes shared between the parsers and
the importer live in :mod:`netapp.interchange.records`.
"""

from __future__ import annotations

from netapp.interchange.records import (
    Cancelled,
    ImportFileError,
    NeedsMapping,
    Parsed,
    Record,
    Skip,
)

__all__ = ["Cancelled", "ImportFileError", "NeedsMapping", "Parsed", "Record", "Skip"]
