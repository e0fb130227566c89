"""Every preference, declared once with its type and default.

Preferences live in the database's ``settings`` table (they travel with the data, and
backups carry them); :class:`netapp.store.settings.Settings` reads and writes them. Window geometry and other UI state do not belong here: the UI keeps
those in QSettings.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from netapp.domain import CardLayout
from netapp.errors import ValidationError


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    label: str
    doc: str = ""
    minimum: float | None = None
    maximum: float | None = None
    # The only values allowed (the app shows a drop-down list), or None for any value.
    choices: tuple[str, ...] | None = None
    # Extra check on the converted value: returns an error message, or None when fine.
    check: Callable[[Any], str | None] | None = None
    # Where the default depends on the machine (the paper from the locale): asked at each read.
    default_factory: Callable[[], Any] | None = None

    def fallback(self) -> Any:
        """The value when none is stored: the default, worked out now where it depends on
        the machine."""
        return self.default_factory() if self.default_factory is not None else self.default

    def coerce(self, value: Any) -> Any:
        """Check and convert ``value`` to this setting's type, or raise ValidationError."""
        if value is None:
            if self.default is None:
                return None
            raise ValidationError(self.key, "a value is required")
        try:
            convert = _CONVERTERS.get(self.type)
            if convert is None:  # pragma: no cover - declaration error
                raise TypeError(self.type)
            out = convert(self.key, value)
        except ValidationError:
            raise
        except (TypeError, ValueError):
            raise ValidationError(
                self.key, f"expected {self.type.__name__}, got {value!r}"
            ) from None
        self._check(out)
        return out

    def _check(self, out: Any) -> None:
        """The declared limits on a converted value: choices, minimum, maximum, check."""
        if self.choices is not None and out not in self.choices:
            raise ValidationError(self.key, f"{out!r} is not one of {', '.join(self.choices)}")
        if self.minimum is not None and out < self.minimum:
            raise ValidationError(self.key, f"must be at least {self.minimum:g}")
        if self.maximum is not None and out > self.maximum:
            raise ValidationError(self.key, f"must be at most {self.maximum:g}")
        if self.check is not None:
            problem = self.check(out)
            if problem:
                raise ValidationError(self.key, problem)


# Converters by declared type: (key, value) -> converted value. ValueError or TypeError means
# "not of this type" (Setting.coerce words the error); ValidationError says more.
def _to_bool(_key: str, value: Any) -> bool:
    if isinstance(value, str):
        low = value.strip().lower()
        if low not in {"true", "false", "1", "0", "yes", "no", "on", "off"}:
            raise ValueError(value)
        value = low in {"true", "1", "yes", "on"}
    return bool(value)


def _to_int(_key: str, value: Any) -> int:
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise ValueError(value)
    return int(value)


def _to_float(key: str, value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError(value)
    out = float(value)
    if not math.isfinite(out):  # NaN slips past every min/max comparison
        raise ValidationError(key, "must be a finite number")
    return out


def _to_str(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(value)
    if len(value) > 2000:
        raise ValidationError(key, "is longer than 2000 characters")
    return value


def _json_of(kind: type) -> Callable[[str, Any], Any]:
    """A list or dict, given as itself or as JSON text."""

    def convert(key: str, value: Any) -> Any:
        if isinstance(value, str):
            value = json.loads(value)
        if not isinstance(value, kind):
            raise ValidationError(key, f"expected {kind.__name__}, got {value!r}")
        return value

    return convert


_CONVERTERS: dict[type, Callable[[str, Any], Any]] = {
    bool: _to_bool,
    int: _to_int,
    float: _to_float,
    str: _to_str,
    list: _json_of(list),
    dict: _json_of(dict),
}


def _time_problem(value: str) -> str | None:
    import re

    m = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value.strip())
    return None if m else f"{value!r} is not a time of day like 08:30"


def _region_problem(value: str) -> str | None:
    import phonenumbers

    if value.upper() not in phonenumbers.SUPPORTED_REGIONS:
        return f"{value!r} is not a two-letter country code such as US, GB or DE"
    return None


def _colour_problem(value: str) -> str | None:
    import re

    if not re.fullmatch(r"#[0-9a-fA-F]{6}", value.strip()):
        return f"{value!r} is not a colour written as #rrggbb, e.g. #2f6fb2"
    return None


# The longest offer (characters) that prints whole on every card layout, at 7 pt and in the
# widest letters, beside a name and business of ordinary length (netapp.printing.cards).
MAX_OFFER = 120


def _offer_problem(value: str) -> str | None:
    n = len(" ".join(value.split()))
    if n > MAX_OFFER:
        return f"is {n} characters long; a card prints at most {MAX_OFFER}: say it in fewer words"
    return None


def _logo_problem(value: str) -> str | None:
    """A first check at the field (the picture itself is read when cards are planned)."""
    from pathlib import Path

    if not value:
        return None
    path = Path(value).expanduser()
    if path.suffix.lower() not in (".png", ".jpg", ".jpeg", ".svg"):
        return f"{path.name}: a logo is a PNG, JPEG or SVG file"
    if not path.is_file():
        return f"{path} does not exist"
    if path.stat().st_size > 5 * 1024 * 1024:
        return f"{path} is larger than 5 MiB"
    return None


# Regions whose standard paper is US Letter (the rest of the world uses A4).
LETTER_REGIONS = frozenset(
    ("US", "CA", "MX", "PH", "CL", "CO", "VE", "CR", "GT", "PA", "PR", "DO", "SV", "NI", "HN", "BZ")
)


def paper_for_locale(environ: Mapping[str, str] | None = None) -> str:
    """'letter' where the user's locale is in a Letter region, else 'a4'. Reads LC_PAPER,
    LC_ALL and LANG (``en_US.UTF-8`` -> US), then the process locale."""
    import locale
    import os

    env = os.environ if environ is None else environ
    names = [env.get(k, "") for k in ("LC_PAPER", "LC_ALL", "LANG")]
    if environ is None:
        names.append(locale.getlocale()[0] or "")
    for name in names:
        base = name.split(".")[0].split("@")[0]
        if "_" in base:
            return "letter" if base.split("_")[1].upper() in LETTER_REGIONS else "a4"
    return "a4"


def _s(key: str, type_: type, default: Any, label: str, doc: str = "", **kw: Any) -> Setting:
    return Setting(key, type_, default, label, doc, **kw)


SETTINGS: tuple[Setting, ...] = (
    # The user's profile: printed on cards, used for the opt-in URL.
    _s("profile.name", str, "", "Your name"),
    _s("profile.business", str, "", "Business"),
    _s(
        "profile.offer",
        str,
        "",
        "What you offer",
        f"One line, e.g. 'Free e-book: 10 referral habits' ({MAX_OFFER} characters at most)",
        check=_offer_problem,
    ),
    _s("profile.optin_url", str, "", "Opt-in URL", "Your email-list sign-up page"),
    _s("profile.email", str, "", "Your email"),
    _s("profile.phone", str, "", "Your phone"),
    _s("profile.website", str, "", "Your website"),
    _s(
        "phone.region",
        str,
        "US",
        "Default phone region",
        "ISO country code, e.g. US, GB, DE",
        check=_region_problem,
    ),
    # Return-on-Trust engine.
    _s("trust.half_life_days", float, 90.0, "Trust half-life (days)", minimum=1, maximum=3650),
    _s(
        "followup.new_contact_days",
        int,
        2,
        "Follow up new contacts within (days)",
        minimum=0,
        maximum=60,
    ),
    _s(
        "followup.dormant_days",
        int,
        180,
        "Met once, no contact: dormant after (days)",
        "Off the daily agenda; listed under a coming meeting of a group where you met them. "
        "Default: twice the trust half-life",
        minimum=1,
        maximum=3650,
    ),
    _s("cadence.met", int, 30, "Keep in touch: met (days)", minimum=1, maximum=365),
    _s("cadence.visibility", int, 21, "Keep in touch: visibility (days)", minimum=1, maximum=365),
    _s("cadence.credibility", int, 14, "Keep in touch: credibility (days)", minimum=1, maximum=365),
    _s(
        "cadence.profitability",
        int,
        30,
        "Keep in touch: profitability (days)",
        minimum=1,
        maximum=365,
    ),
    _s("ask.cooldown_days", int, 14, "Days between asks", minimum=0, maximum=365),
    _s("ask.after_decline_days", int, 45, "Wait after a decline (days)", minimum=0, maximum=365),
    _s(
        "ask.repeat_declined_days",
        int,
        90,
        "Never repeat a declined ask within (days)",
        minimum=0,
        maximum=3650,
    ),
    _s(
        "ask.two_way_days",
        int,
        90,
        "Bigger asks need two-way contact within (days)",
        "A meeting together, a conversation, value they gave, an ask they accepted, a referral "
        "they sent or business done. Quieter than this, reconnect first. Default: the trust "
        "half-life",
        minimum=1,
        maximum=3650,
    ),
    _s(
        "ask.settle_in_days",
        int,
        30,
        "Settle-in after a sale, before an upsell (days)",
        "So the customer has had a chance to work with you and see the results",
        minimum=0,
        maximum=365,
    ),
    _s(
        "ask.lapse_days",
        int,
        14,
        "Unanswered ask counts as ignored after (days)",
        "Until then it is an open question: the same ask, or a larger one, waits",
        minimum=1,
        maximum=365,
    ),
    _s(
        "regular.last_meetings",
        int,
        6,
        "Regular attendee: look at the group's last N meetings",
        minimum=1,
        maximum=52,
    ),
    _s("agenda.days", int, 7, "Agenda horizon (days)", minimum=1, maximum=90),
    _s(
        "today.birthday_days",
        int,
        1,
        "Show birthdays this many days ahead",
        "0: on the day only; 1: the day before too",
        minimum=0,
        maximum=30,
    ),
    # Desktop notifications (the app only; nothing leaves the computer).
    _s("notify.enabled", bool, True, "Desktop notifications", "Steps, meetings and reminders"),
    _s(
        "notify.time",
        str,
        "08:30",
        "Notify at (HH:MM)",
        "The time of day the day's reminders are shown",
        check=_time_problem,
    ),
    _s(
        "ask_ladder",
        list,
        None,
        "Ask ladder",
        "None means the default ladder shipped in resources/",
    ),
    _s(
        "demo.created",
        dict,
        None,
        "What the demo data added",
        "groups, meetings, library items and profile fields, so that they can be removed",
    ),
    # Printing.
    _s("print.offset_x_mm", float, 0.0, "Print offset x (mm)", minimum=-20, maximum=20),
    _s("print.offset_y_mm", float, 0.0, "Print offset y (mm)", minimum=-20, maximum=20),
    _s("print.layout", str, "avery-5371", "Default card layout", choices=tuple(CardLayout)),
    _s(
        "print.paper",
        str,
        paper_for_locale(),
        "Paper for sheets",
        "A4 or US Letter; the default follows your region",
        choices=("a4", "letter"),
        default_factory=paper_for_locale,
    ),
    _s(
        "print.accent",
        str,
        "#2f6fb2",
        "Accent colour",
        "The rule and arrow on cards and the rule on sheets, as #rrggbb",
        check=_colour_problem,
    ),
    _s(
        "print.logo",
        str,
        "",
        "Logo (PNG, JPEG or SVG)",
        "A picture file printed on your cards and sheets; empty for none",
        check=_logo_problem,
    ),
    # Data safety.
    _s("backup.keep_daily", int, 7, "Daily backups to keep", minimum=1, maximum=365),
    _s("backup.keep_weekly", int, 4, "Weekly backups to keep", minimum=0, maximum=520),
    _s("backup.last_daily", str, "", "Date of the last automatic backup"),
    # Sync (docs/sync.md). Nothing is sent anywhere unless the user set a sync up.
    _s(
        "sync.on_start",
        bool,
        False,
        "Sync when the app starts",
        "Only what is set up (CardDAV); nothing otherwise",
    ),
    _s(
        "sync.interval_minutes",
        int,
        0,
        "Sync every (minutes)",
        "0: only when asked",
        minimum=0,
        maximum=1440,
    ),
    _s(
        "carddav.include_note",
        bool,
        False,
        "Send notes to the address book",
        "Off by default: phone address books upload to Apple's and Google's clouds",
    ),
)

BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}


def declaration(key: str) -> Setting:
    try:
        return BY_KEY[key]
    except KeyError:
        raise ValidationError(key, "no such setting") from None
