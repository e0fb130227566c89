"""Card codes: short, human-typable, unambiguous, with a check character.

A code is :data:`BODY_LENGTH` random characters from :data:`ALPHABET` followed by one check
character. The alphabet has no 0/O, 1/I/L, so what is printed cannot be misread. The check is
a weighted sum modulo 31 (the alphabet's size, a prime) with distinct non-zero weights, so
every single mistyped character and every swap of two neighbouring characters is detected.

Codes are printed grouped as ``ABC-DEFG`` and travel canonical (``ABCDEFG``) in URLs. Input is
normalised before it is checked, as people type or paste it: any case, full-width forms (an
East Asian keyboard's ``ＡＢＣ－２３４５``), any dash or minus sign, any space (including
non-breaking and ideographic ones) and invisible format characters (zero-width spaces, soft
hyphens) are all accepted.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable

from netapp.errors import ValidationError

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BASE = len(ALPHABET)  # 31, a prime
BODY_LENGTH = 6
CODE_LENGTH = BODY_LENGTH + 1
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}

assert BASE == 31 and not set("01IOL") & set(ALPHABET)


def check_char(body: str) -> str:
    """The check character for ``body`` (characters from :data:`ALPHABET`)."""
    total = 0
    for i, ch in enumerate(body):
        total += (i + 2) * _VALUE[ch]  # weights 2..; distinct and non-zero mod 31
    # Choose c so that (weight of the check position) * c + total == 0 (mod 31).
    w = len(body) + 2
    c = (-total * pow(w, -1, BASE)) % BASE
    return ALPHABET[c]


# Spaces, dashes and invisible format marks (zero-width spaces, soft hyphens, BOM).
_SEPARATORS = frozenset(("Zs", "Zl", "Zp", "Pd", "Cf", "Cc"))
_MINUS_SIGNS = frozenset("\u2212\u2796\ufe63\uff0d\u02d7")  # minus signs that are not Pd


def normalize(text: str) -> str:
    """Full-width forms folded (NFKC), upper-cased, every space, dash and invisible format
    character dropped. Does not check."""
    folded = unicodedata.normalize("NFKC", text).upper()
    return "".join(
        ch
        for ch in folded
        if unicodedata.category(ch) not in _SEPARATORS and ch not in _MINUS_SIGNS
    )


def looks_like_code(text: str) -> bool:
    """Whether ``text`` is shaped like a card code (seven code characters once normalised),
    whether or not its check character adds up: a mistyped code is still a code."""
    code = normalize(text)
    return len(code) == CODE_LENGTH and all(ch in _VALUE for ch in code)


def near_code(text: str) -> bool:
    """Whether ``text`` could be a card code typed wrong: a code-shaped ref, or five to nine
    letters and digits with a digit among them or a dash after three (``ABC-DEF``: a character
    missing or doubled, a 0 for an O). Names rarely look like this; it decides only what an
    unknown reference's error says."""
    if looks_like_code(text):
        return True
    code = normalize(text)
    if not (5 <= len(code) <= 9) or not code.isascii() or not code.isalnum() or code.isdigit():
        return False
    if any(ch.isdigit() for ch in code):
        return True
    folded = unicodedata.normalize("NFKC", text).strip()
    return len(folded) > 3 and (
        unicodedata.category(folded[3]) == "Pd" or folded[3] in _MINUS_SIGNS
    )


def is_valid(code: str) -> bool:
    try:
        validate(code)
    except ValidationError:
        return False
    return True


def validate(text: str, field: str = "code") -> str:
    """Return the canonical code, or raise ValidationError saying what is wrong with it."""
    if not isinstance(text, str):
        raise ValidationError(field, "expected text")
    code = normalize(text)
    if not code:
        raise ValidationError(field, "is empty")
    if len(code) > 64:
        raise ValidationError(field, f"is {len(code)} characters long; a card code has 7")
    bad = sorted({ch for ch in code if ch not in _VALUE})
    if bad:
        shown = "".join(bad)
        raise ValidationError(
            field,
            f"check the code: {code!r} contains {shown!r}, which card codes never use "
            "(no 0/O, 1/I/L)",
        )
    if len(code) != CODE_LENGTH:
        raise ValidationError(
            field,
            f"check the code: {code!r} has {len(code)} characters; a card code has 7 (ABC-DEFG)",
        )
    if check_char(code[:-1]) != code[-1]:
        raise ValidationError(
            field,
            f"{display(code)}: check the code: it doesn't add up "
            "(one character is probably misread or mistyped)",
        )
    return code


def display(code: str) -> str:
    """How a code is printed under the QR: ``ABC-DEFG``."""
    return f"{code[:3]}-{code[3:]}"


def _randbelow(n: int) -> int:
    """``secrets.randbelow``, imported when a code is made: ``secrets`` loads hmac, hashlib and
    OpenSSL's libcrypto (about 4 MB of a window that prints no cards; issue 20)."""
    import secrets

    return secrets.randbelow(n)


def new_code(rand: Callable[[int], int] = _randbelow) -> str:
    body = "".join(ALPHABET[rand(BASE)] for _ in range(BODY_LENGTH))
    return body + check_char(body)


def new_codes(
    count: int,
    taken: Callable[[list[str]], Iterable[str]],
    rand: Callable[[int], int] = _randbelow,
) -> list[str]:
    """``count`` distinct new codes; ``taken(codes)`` returns those already in use."""
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < count:
        batch: list[str] = []
        while len(batch) < count - len(out):
            code = new_code(rand)
            if code not in seen:
                seen.add(code)
                batch.append(code)
        used = set(taken(batch))
        out.extend(c for c in batch if c not in used)
    return out
