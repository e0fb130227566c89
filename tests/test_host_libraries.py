"""The Linux bundle's filter of host system libraries (packaging/host_libraries.py), on names.

The built bundle is checked against it in tests/test_packaging.py (slow).
"""

from __future__ import annotations

import importlib.util
import string
from pathlib import Path
from types import ModuleType

from hypothesis import given
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]


def load() -> ModuleType:
    """The module, loaded by path as netapp.spec loads it."""
    spec = importlib.util.spec_from_file_location(
        "netapp_host_libraries", ROOT / "packaging" / "host_libraries.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hl = load()
NAMES = sorted({name for group in hl.HOST_LIBRARIES.values() for name in group})

# What PyInstaller collected at the top of _internal/ on Debian 12 before the filter, and stays.
KEPT_AT_TOP = [
    "libpython3.11.so.1.0",  # the interpreter
    "libssl.so.3",  # Python's ssl and hashlib: OpenSSL's soname differs between distributions
    "libcrypto.so.3",
    "libsqlite3.so.0",  # netapp's SQLite, whatever the host has
    "libffi.so.8",  # ctypes: libffi.so.7 on older hosts
    "libbz2.so.1.0",
    "liblzma.so.5",
    "libzstd.so.1",  # QtCore links it
    "libbrotlidec.so.1",  # QtNetwork links it
    "libbrotlicommon.so.1",
    "libgssapi_krb5.so.2",  # QtNetwork links it
    "libkrb5.so.3",
    "libk5crypto.so.3",
    "libkrb5support.so.0",
    "libkeyutils.so.1",
    "libxkbcommon.so.0",  # QtGui links it
    "libxkbcommon-x11.so.0",
    "libxcb-cursor.so.0",  # the xcb-util helpers Qt 6 needs and many hosts lack
    "libxcb-icccm.so.4",
    "libxcb-image.so.0",
    "libxcb-keysyms.so.1",
    "libxcb-render-util.so.0",
    "libxcb-util.so.1",
    "libQt6Core.so.6",  # PyInstaller's symlinks to Qt's libraries
    "libpyside6.abi3.so.6.11",
    "libshiboken6.abi3.so.6.11",
    "libxcb-9065bb12.so.1.1.0",  # privately named copies from wheels (their symlinks)
    "base_library.zip",
    "netapp",
]

# And what it left out: the printing, GTK theme, font, X11, GLib, D-Bus and C++ runtime libraries.
LEFT_AT_TOP = [
    "libcups.so.2",
    "libavahi-client.so.3",
    "libgnutls.so.30",
    "libp11-kit.so.0",
    "libgtk-3.so.0",
    "libgdk-3.so.0",
    "libpango-1.0.so.0",
    "libpangoft2-1.0.so.0",
    "libcairo.so.2",
    "libcairo-gobject.so.2",
    "libgdk_pixbuf-2.0.so.0",
    "libatk-1.0.so.0",
    "libharfbuzz.so.0",
    "libfontconfig.so.1",
    "libfreetype.so.6",
    "libglib-2.0.so.0",
    "libgio-2.0.so.0",
    "libgobject-2.0.so.0",
    "libX11.so.6",
    "libX11-xcb.so.1",
    "libxcb.so.1",
    "libxcb-xkb.so.1",
    "libXau.so.6",
    "libdbus-1.so.3",
    "libsystemd.so.0",
    "libstdc++.so.6",
    "libgcc_s.so.1",
    "libz.so.1",
    "libGL.so.1",
    "libwayland-client.so.0",
]


def test_filter_leaves_out_the_host_libraries_at_the_top_of_the_bundle() -> None:
    """CUPS, GTK, pango, cairo, fontconfig, X11, GLib, D-Bus and libstdc++ are left out."""
    assert [name for name in LEFT_AT_TOP if not hl.is_host_library(name)] == []


def test_filter_keeps_pythons_qts_and_the_wheels_libraries() -> None:
    """Python's own, what Qt links that hosts may lack, Qt itself and the wheels' copies stay."""
    assert [name for name in KEPT_AT_TOP if hl.is_host_library(name)] == []


def test_filter_keeps_everything_below_the_top() -> None:
    """Qt's plugins and libraries, Python extensions and wheels' vendored copies are never
    taken for host libraries, whatever their names (slashes of either kind)."""
    below = [
        "PySide6/Qt/lib/libQt6Gui.so.6",
        "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "pillow.libs/libxcb-9065bb12.so.1.1.0",
        "pillow.libs/libfreetype-57f805ba.so.6.20.6",
        "sqlcipher3_binary.libs/libcrypto-0dcfa43e.so.3",
        "python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so",
        "somewhere/libX11.so.6",
        "somewhere\\libcups.so.2",
    ]
    assert [dest for dest in below if hl.is_host_library(dest)] == []


def test_filter_matches_whole_library_names_only() -> None:
    """libxcb is left out but libxcb-cursor is not; libc but not libcrypto; libz but not
    libzstd: a listed name matches only the whole name before ".so"."""
    assert hl.is_host_library("libxcb.so.1") and not hl.is_host_library("libxcb-cursor.so.0")
    assert hl.is_host_library("libc.so.6") and not hl.is_host_library("libcrypto.so.3")
    assert hl.is_host_library("libz.so.1") and not hl.is_host_library("libzstd.so.1")
    assert not hl.is_host_library("libX11.txt") and not hl.is_host_library("libX11")


def test_each_library_is_named_once() -> None:
    """No library sits in two groups (each has one reason)."""
    listed = [name for group in hl.HOST_LIBRARIES.values() for name in group]
    assert len(listed) == len(set(listed))


@given(
    name=st.sampled_from(NAMES),
    version=st.lists(st.integers(min_value=0, max_value=99999), max_size=4),
    folder=st.text(string.ascii_letters + "._-", min_size=1, max_size=12),
)
def test_any_version_of_a_listed_library_is_left_out_only_at_the_top(
    name: str, version: list[int], folder: str
) -> None:
    """name.so, name.so.N, name.so.N.M… are host libraries at the top and never in a folder."""
    filename = name + ".so" + "".join(f".{v}" for v in version)
    assert hl.library_name(filename) == name
    assert hl.is_host_library(filename)
    assert not hl.is_host_library(f"{folder}/{filename}")
