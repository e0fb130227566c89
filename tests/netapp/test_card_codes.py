"""Card codes: alphabet, check character, normalisation."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netapp import card_codes as C
from netapp.errors import ValidationError


def test_alphabet_has_no_ambiguous_characters() -> None:
    """Codes never contain 0, O, 1, I or L, so a printed code cannot be misread."""
    rng = random.Random(3)
    made = "".join(C.new_code(rng.randrange) for _ in range(2000))
    assert not set(made) & set("0O1IL")
    assert set(made) <= set(C.ALPHABET)


def test_every_single_typo_and_neighbour_swap_is_rejected() -> None:
    """Changing one character, or swapping two neighbouring ones, always fails the check."""
    rng = random.Random(11)
    for _ in range(300):
        code = C.new_code(rng.randrange)
        assert C.is_valid(code)
        for i in range(len(code)):
            for ch in C.ALPHABET:
                if ch != code[i]:
                    assert not C.is_valid(code[:i] + ch + code[i + 1 :]), (code, i, ch)
            if i + 1 < len(code) and code[i] != code[i + 1]:
                swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
                assert not C.is_valid(swapped), (code, i)


def test_typed_forms_normalise_to_the_canonical_code() -> None:
    """Lower case, spaces and the printed hyphen are accepted and normalised."""
    code = C.new_code(random.Random(5).randrange)
    assert C.validate(f" {C.display(code).lower()} ") == code
    assert C.validate(f"{code[:3]} {code[3:]}") == code


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("", "empty"), ("ABC-DEF", "7"), ("AB0-CDEF", "'0'"), ("X" * 500, "characters long")],
)
def test_malformed_codes_name_the_problem(text: str, fragment: str) -> None:
    """Empty, short, ambiguous-character and huge inputs raise ValidationError on 'code'."""
    with pytest.raises(ValidationError) as err:
        C.validate(text)
    assert err.value.field == "code"
    assert fragment in str(err.value)


def test_new_codes_skips_codes_already_taken() -> None:
    """new_codes asks which candidates are taken and never returns one of them."""
    rng = random.Random(9)
    taken: set[str] = set()
    first = C.new_codes(50, lambda cs: [c for c in cs if c in taken], rng.randrange)
    taken |= set(first)
    rng2 = random.Random(9)  # same sequence: every first candidate is now taken
    second = C.new_codes(50, lambda cs: [c for c in cs if c in taken], rng2.randrange)
    assert len(set(second)) == 50 and not set(second) & taken


FULL_WIDTH = {ch: chr(ord(ch) + 0xFEE0) for ch in C.ALPHABET}  # 'A' -> 'Ａ', '2' -> '２'
DASHES = ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\uff0d"]
SPACES = [" ", "\u00a0", "\u202f", "\u2009", "\u3000", "\u200b", "\u00ad", "\t"]


@given(
    seed=st.integers(0, 2**32 - 1),
    seps=st.lists(st.sampled_from(DASHES + SPACES), min_size=0, max_size=4),
    full=st.booleans(),
    lower=st.booleans(),
)
def test_any_dash_space_or_full_width_form_reads_as_the_code(
    seed: int, seps: list[str], full: bool, lower: bool
) -> None:
    """A code typed with any dash, space (incl. no-break and ideographic), zero-width mark,
    full-width characters or lower case validates to the canonical code."""
    code = C.new_code(random.Random(seed).randrange)
    typed = "".join(FULL_WIDTH[ch] if full else ch for ch in code)
    if lower:
        typed = typed.lower()
    for i, sep in enumerate(seps):
        at = 1 + (i * 2) % (len(typed) - 1)
        typed = typed[:at] + sep + typed[at:]
    assert C.validate(typed) == code
    assert C.looks_like_code(typed)


def test_a_code_that_fails_its_check_says_so() -> None:
    """A well-formed code with a wrong character says 'check the code: it doesn't add up'."""
    code = C.new_code(random.Random(2).randrange)
    bad = next(ch for ch in C.ALPHABET if ch != code[0]) + code[1:]
    assert C.looks_like_code(bad) and not C.is_valid(bad)
    with pytest.raises(ValidationError) as err:
        C.validate(bad)
    assert "check the code: it doesn't add up" in str(err.value)


def test_names_are_never_near_codes_and_mistyped_codes_are() -> None:
    """A name ("Robert", "Ann Lee", a person id) is never taken for a mistyped code; a code
    with a character missing, doubled or misread (0, I) is."""
    for ref in ("Robert", "Ann Lee", "Jean-Luc Picard", "12345", "Zoë"):
        assert not C.near_code(ref), ref
    code = C.new_code(random.Random(5).randrange)
    for typed in (
        "V23VHZ",
        f"{code[:3]}-{code[3:]}{code[-1]}",
        f"{code[:3]}-0{code[4:]}",
        f"{code[:3]}-{code[3:6]}",
    ):
        assert C.near_code(typed), typed
