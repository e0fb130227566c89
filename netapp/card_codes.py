"""Card codes: short, human-typable, unambiguous, with a check character.

A code is :data:`BODY_LENGTH` random characters from :data:`ALPHABET` followed by one check
character. The alphabet has no 0/O, 1/I/L, so what is printed cannot be misread. The check is
a weighted sum modulo 31 (the alphabet's size, a prime) with distinct non-zero weights, so
every single mistyped character and every swap of two neighbouring characters is detected.

Codes are printed grouped as ``ABC-DEFG`` and travel canonical (``ABCDEFG``) in URLs; input is
normalised (case, spaces and hyphens) before it is checked.
"""

from __future__ import annotations

import secrets
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


def normalize(text: str) -> str:
    """Upper-case, drop spaces and hyphens. Does not check."""
    return "".join(ch for ch in text.strip().upper() if ch not in " -\u2010\u2011\u2012\u2013")


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
            field, f"{code!r} contains {shown!r}, which card codes never use (no 0/O, 1/I/L)"
        )
    if len(code) != CODE_LENGTH:
        raise ValidationError(field, f"{code!r} has {len(code)} characters; a card code has 7")
    if check_char(code[:-1]) != code[-1]:
        raise ValidationError(field, f"{code!r} is not a valid card code (check failed; mistyped?)")
    return code


def display(code: str) -> str:
    """How a code is printed under the QR: ``ABC-DEFG``."""
    return f"{code[:3]}-{code[3:]}"


def new_code(rand: Callable[[int], int] = secrets.randbelow) -> str:
    body = "".join(ALPHABET[rand(BASE)] for _ in range(BODY_LENGTH))
    return body + check_char(body)


def new_codes(
    count: int,
    taken: Callable[[list[str]], Iterable[str]],
    rand: Callable[[int], int] = secrets.randbelow,
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
