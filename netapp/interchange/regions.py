"""The phone region (ISO 3166 code) an address's country names: "Germany", "Deutschland",
"DE", "Allemagne", "日本" or "USA" all name one. The names come from the phonenumbers
package's own country names in many languages, so nothing is maintained here but a few
everyday aliases."""

from __future__ import annotations

from functools import lru_cache

from netapp import fields as F

_ALIASES = {
    "usa": "US",
    "u.s.a.": "US",
    "u.s.": "US",
    "united states of america": "US",
    "america": "US",
    "uk": "GB",
    "u.k.": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "holland": "NL",
    "the netherlands": "NL",
    "republic of ireland": "IE",
    "south korea": "KR",
    "korea": "KR",
    "russia": "RU",
    "czech republic": "CZ",
    "czechia": "CZ",
    "uae": "AE",
}


def region_for(country: str) -> str:
    """The region code for a country name or code, or "" when it names none for certain."""
    key = F.fold(country).strip(" .")
    if not key:
        return ""
    if key in _ALIASES:
        return _ALIASES[key]
    return _names().get(key, "")


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Folded country name or code → region, for every region phonenumbers knows. A name two
    regions share in some language is left out (it names neither for certain)."""
    import phonenumbers
    from phonenumbers.geodata.locale import LOCALE_DATA

    found: dict[str, set[str]] = {}
    for region in phonenumbers.SUPPORTED_REGIONS:
        found.setdefault(region.casefold(), set()).add(region)
        names = LOCALE_DATA.get(region, {})
        for value in names.values():
            text = value
            for _ in range(3):  # '*de' refers to the name in another language
                if text.startswith("*"):
                    text = names.get(text[1:], "")
            if text and not text.startswith("*"):
                found.setdefault(F.fold(text), set()).add(region)
    return {k: next(iter(v)) for k, v in found.items() if len(v) == 1}
