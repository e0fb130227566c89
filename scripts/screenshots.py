"""Refresh docs/screenshots/ from fresh demo data (``make screenshots``).

Each page is rendered offscreen by ``netapp gui --screenshot`` on a new ``netapp demo``
database in a temporary directory, with a few unsaved rows in the capture grid (so that the
Capture page shows what typing after a meeting looks like), at 1280×800 and 1366×768, in the
light and the dark scheme (``NETAPP_COLOR_SCHEME``). Look at every PNG afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
VIEWS = (
    "today",
    "capture",
    "people",
    "meetings",
    "referrals",
    "library",
    "print",
    "reports",
    "settings",
)
# Every page at the two screen sizes people most often have, light and dark.
SHOTS = (("1280x800", "light"), ("1280x800", "dark"), ("1366x768", "light"), ("1366x768", "dark"))
DRAFT = [
    {"name": "Maya Okonkwo", "org": "Brightside Dental", "contact": "maya@brightside.example",
     "note": "Opening a second clinic in spring", "tags": "dental", "gave_value": True},
    {"name": "Tom Reyes", "org": "Reyes Roofing", "contact": "+1 202 555 0188",
     "asked_for": "a good bookkeeper", "follow_up": True},
    {"name": "Lena Fischer", "org": "Fischer Legal", "contact": "lena@fischer.example",
     "tags": "legal, estates"},
]  # fmt: skip


def main() -> int:
    netapp = [sys.executable, "-m", "ui"]  # the netapp command, with the desktop app
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        env["HOME"] = tmp  # no window geometry or settings from the user's own session
        env["FONTCONFIG_FILE"] = str(fonts_conf(Path(tmp)))
        db = Path(tmp) / "demo.db"
        subprocess.run([*netapp, "--db", str(db), "demo"], check=True, env=env)
        sys.path.insert(0, str(ROOT))
        from netapp.capture import CaptureRow
        from netapp.store import Store

        with Store(db) as store:
            store.drafts.save("capture-grid", [CaptureRow(**row).to_json() for row in DRAFT])
        OUT.mkdir(parents=True, exist_ok=True)
        for size, scheme in SHOTS:
            shot_env = dict(env, NETAPP_COLOR_SCHEME=scheme)
            for view in VIEWS:
                target = OUT / shot_name(view, size, scheme)
                cmd = [*netapp, "--db", str(db), "gui", "--screenshot", str(target)]
                subprocess.run([*cmd, "--view", view, "--size", size], check=True, env=shot_env)
    return 0


def fonts_conf(tmp: Path) -> Path:
    """A fontconfig file that puts the bundled Noto Sans first for "sans-serif", so that the
    screenshots look the same whatever fonts the machine that makes them has (the host's own
    configuration is still read, for everything else)."""
    conf = tmp / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{ROOT / 'resources' / 'fonts'}</dir>\n"
        f"  <cachedir>{tmp / 'fontconfig'}</cachedir>\n"
        '  <alias binding="strong"><family>sans-serif</family>'
        "<prefer><family>Noto Sans</family></prefer></alias>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return conf


def shot_name(view: str, size: str, scheme: str) -> str:
    """``today.png`` (1280×800, light: the user guide's), ``today-dark.png``,
    ``today-1366x768.png``, ``today-1366x768-dark.png``."""
    parts = (
        [view] + ([size] if size != "1280x800" else []) + ([scheme] if scheme != "light" else [])
    )
    return "-".join(parts) + ".png"


if __name__ == "__main__":
    sys.exit(main())
