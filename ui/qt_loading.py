"""Load PySide6 without its per-import source scan (imported first by the app's entry).

Once PySide6 is imported, shiboken's import hook asks of every Python module imported after
it whether the module "uses PySide6" (for ``from __feature__ import …``), by reading the
module's whole source with ``inspect.getsource``. That walks ``sys.modules`` for each import
and keeps every module's source lines in ``linecache`` for the life of the process: about
4 MB of RSS and 30-40 ms of a cold start for netapp's modules (measured with
``/proc/self/smaps_rollup`` and ``python -X importtime``, issue 20). The same answer comes
from reading the file's bytes, without keeping them.

shiboken's hook is private (``shibokensupport.feature._mod_uses_pyside``): when a PySide6
release renames it, nothing is replaced and the app only loses the saving.
"""

from __future__ import annotations

from types import ModuleType

import PySide6  # noqa: F401  (installs shiboken's import hook, which is what is changed)

try:
    import shibokensupport.feature as _feature
except ImportError:  # pragma: no cover - another shiboken layout: keep its own scan
    _feature = None

_original = getattr(_feature, "_mod_uses_pyside", None)


def _uses_pyside(module: ModuleType) -> bool:
    """Whether the module's source file mentions PySide6: shiboken's own test, without
    ``inspect`` and without caching the source lines."""
    spec = getattr(module, "__spec__", None)
    origin = getattr(spec, "origin", None)
    if not isinstance(origin, str) or not origin.endswith(".py"):
        return bool(_original(module)) if _original is not None else False
    try:
        with open(origin, "rb") as fh:
            return b"PySide6" in fh.read()
    except OSError:
        return False


def skip_source_scan() -> bool:
    """Replace shiboken's scan with :func:`_uses_pyside`; False when this PySide6 has none."""
    if _feature is None or _original is None:
        return False
    _feature._mod_uses_pyside = _uses_pyside
    return True


skip_source_scan()
