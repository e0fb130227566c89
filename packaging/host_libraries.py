"""The system libraries the Linux bundle leaves to the host (netapp.spec filters them out).

PyInstaller copies every shared library a bundled binary needs, system ones included. Some of
those must not travel: they talk to services and configuration of the machine the app runs on
(the X server, the session bus, the print server, the font and theme settings, the GPU driver),
and a copy built elsewhere either mismatches them or, loaded first through the bundle's library
path, breaks the host's own libraries that are loaded into the same process (a driver or a
GTK module that needs a newer symbol). AppImage's `excludelist` (AppImageCommunity/pkg2appimage)
and linuxdeploy leave out the same families for the same reasons, and the manylinux policy
(PEP 600) assumes the C++ runtime, X11 and GLib present on every target.

Qt's plugins that use the GTK theme and CUPS (platformthemes/libqgtk3.so,
printsupport/libcupsprintersupport.so) then load the host's copies; where the host has none,
Qt skips that plugin (no GTK theme, no printer list: printing to PDF still works) rather than
failing. Libraries Qt itself links (GLib, fontconfig, freetype, X11, xcb, D-Bus) are on every
Linux desktop; packaging/INSTALL.txt names the packages.

Kept in the bundle on purpose: Python's own (libpython, OpenSSL, SQLite, libffi, bz2, lzma),
zstd and brotli (QtCore and QtNetwork link them), Kerberos (QtNetwork links libgssapi_krb5,
and its name differs between distributions), libxkbcommon and the xcb-util helpers
(xcb-cursor, -icccm, -image, -keysyms, -render-util, -util: Qt 6 needs them and many hosts lack
them), and the privately named copies wheels vendor (pillow.libs/libxcb-9065bb12.so…).

This file is loaded by netapp.spec by path (it is not part of the netapp package).
"""

from __future__ import annotations

import re

# Library names without the ".so…" suffix, grouped by why the host's copy must be the one used.
# fmt: off
HOST_LIBRARIES: dict[str, tuple[str, ...]] = {
    # GNU C library and the C/C++ runtime: the host's GL driver (Mesa links LLVM) and GTK modules
    # need the host's libstdc++; an older bundled copy found first breaks them ("GLIBCXX_3.4.x
    # not found"). PyInstaller already leaves glibc out; listed so the filter says so too.
    "C and C++ runtime": (
        "ld-linux", "ld-linux-x86-64", "libc", "libm", "libdl", "libpthread", "librt",
        "libresolv", "libutil", "libanl", "libmvec", "libnsl", "libthread_db", "libBrokenLocale",
        "libnss_compat", "libnss_dns", "libnss_files",
        "libstdc++", "libgcc_s",
    ),
    # The GPU driver's libraries: they must be the host's, matched to its kernel driver.
    "OpenGL and the GPU driver": (
        "libGL", "libEGL", "libGLX", "libGLdispatch", "libOpenGL", "libGLESv2", "libglapi",
        "libdrm", "libgbm",
    ),
    # Xlib, libxcb and its protocol extensions (one source package; they must match each
    # other and the host's X server), their helpers, and Wayland's client libraries.
    "X11, xcb and Wayland": (
        "libX11", "libX11-xcb", "libXau", "libXdmcp", "libXext", "libXrender", "libXi",
        "libXfixes", "libXcursor", "libXrandr", "libXinerama", "libXcomposite", "libXdamage",
        "libICE", "libSM", "libbsd", "libmd",
        "libxcb", "libxcb-dri2", "libxcb-dri3", "libxcb-glx", "libxcb-present", "libxcb-randr",
        "libxcb-render", "libxcb-shape", "libxcb-shm", "libxcb-sync", "libxcb-xfixes",
        "libxcb-xinerama", "libxcb-xinput", "libxcb-xkb",
        "libwayland-client", "libwayland-cursor", "libwayland-egl", "libwayland-server",
    ),
    # Fonts: a bundled fontconfig reads the host's fonts.conf, which a different version may
    # not parse (stalls, missing fonts); freetype and harfbuzz go with it.
    "fonts": (
        "libfontconfig", "libfreetype", "libharfbuzz", "libexpat", "libpng16", "libgraphite2",
    ),
    # GLib and the GTK theme stack (Qt's GTK platform theme): the host's GTK, its theme engine
    # and its GIO modules must all see the same GLib, pango and cairo.
    "GLib and GTK": (
        "libglib-2.0", "libgobject-2.0", "libgio-2.0", "libgmodule-2.0", "libgthread-2.0",
        "libpcre2-8", "libmount", "libblkid", "libselinux",
        "libgtk-3", "libgdk-3", "libatk-1.0", "libatk-bridge-2.0", "libatspi", "libepoxy",
        "libpango-1.0", "libpangocairo-1.0", "libpangoft2-1.0", "libcairo", "libcairo-gobject",
        "libgdk_pixbuf-2.0", "libpixman-1", "libjpeg", "libthai", "libdatrie", "libfribidi",
    ),
    # Printing: the CUPS client must match the host's cupsd and its configuration; it brings
    # Avahi (printer discovery) and GnuTLS, which reads the host's crypto policy and p11-kit
    # modules.
    "CUPS printing": (
        "libcups", "libavahi-client", "libavahi-common",
        "libgnutls", "libnettle", "libhogweed", "libgmp", "libtasn1", "libidn2", "libunistring",
        "libp11-kit",
    ),
    # The session bus and the init system's client library: they speak to the host's
    # dbus-daemon and systemd.
    "D-Bus and systemd": (
        "libdbus-1", "libsystemd", "libgcrypt", "libgpg-error", "liblz4", "libcap",
    ),
    # Base-system libraries every distribution has (AppImage's list): no reason to carry them.
    "base system": ("libz", "libuuid", "libcom_err", "libasound", "libusb-1.0"),
}
# fmt: on

_NAMES = frozenset(name for group in HOST_LIBRARIES.values() for name in group)
# "libfoo.so", "libfoo.so.6", "libfoo.so.6.0.1": the name is everything before ".so".
_SONAME = re.compile(r"^(?P<name>.+?)\.so(\.\d+)*$")


def library_name(filename: str) -> str | None:
    """The library name of a shared object's file name ("libX11.so.6" → "libX11"); None when
    the file is not a versioned or plain ".so" (a Python extension, a data file, ...)."""
    found = _SONAME.match(filename)
    return found.group("name") if found else None


def is_host_library(dest: str) -> bool:
    """True for a bundle entry (its destination path) that is one of the host's libraries.

    Only files at the top of the bundle count: that is where PyInstaller puts the system
    libraries it collects. Qt's own libraries and plugins (PySide6/Qt/...), Python extensions and
    the privately named copies wheels vendor (pillow.libs/libxcb-9065bb12.so.1.1.0) stay.
    """
    return library_name(dest) in _NAMES  # a path with a folder never equals a listed name
