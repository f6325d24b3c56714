"""Numbers -> DGS number signs, composed the way German and DGS say them.

0..10 are one sign each (NUM-0 .. NUM-10); 11..19 are the unit then ten (DREI ZEHN, as German
"dreizehn"); 20..99 the unit then the tens sign (NUM-20 .. NUM-90: "vier-und-zwanzig" -> NUM-4
NUM-20); hundreds and thousands are the count followed by NUM-100 / NUM-1000 (the count is left
out for exactly one hundred or one thousand). Numbers above 9999, and strings with leading zeros
(codes, phone numbers), are signed digit by digit. See glosses/GLOSS_CONVENTIONS.md.
"""

from __future__ import annotations

from signavatar.lexicon.model import NUMBER_PREFIX

MAX_COMPOSED = 9999


def _below_hundred(n: int) -> list[str]:
    if n <= 10:
        return [f"{NUMBER_PREFIX}{n}"]
    if n < 20:
        return [f"{NUMBER_PREFIX}{n - 10}", f"{NUMBER_PREFIX}10"]
    tens, unit = divmod(n, 10)
    return ([f"{NUMBER_PREFIX}{unit}"] if unit else []) + [f"{NUMBER_PREFIX}{tens}0"]


def _count(n: int, unit_sign: str) -> list[str]:
    return [unit_sign] if n == 1 else [f"{NUMBER_PREFIX}{n}", unit_sign]


def number_signs(value: str) -> list[str]:
    """Number sign glosses for a token of ASCII digits: "7" -> NUM-7, "24" -> NUM-4 NUM-20,
    "2025" -> NUM-2 NUM-1000 NUM-5 NUM-20, "0049" -> digit by digit."""
    if not value.isascii() or not value.isdigit():
        raise ValueError(f"not a number: {value!r}")
    n = int(value)
    if (len(value) > 1 and value[0] == "0") or n > MAX_COMPOSED:
        return [f"{NUMBER_PREFIX}{d}" for d in value]
    if n <= 10:
        return [f"{NUMBER_PREFIX}{n}"]
    signs: list[str] = []
    thousands, rest = divmod(n, 1000)
    hundreds, rest = divmod(rest, 100)
    if thousands:
        signs += _count(thousands, f"{NUMBER_PREFIX}1000")
    if hundreds:
        signs += _count(hundreds, f"{NUMBER_PREFIX}100")
    if rest:
        signs += _below_hundred(rest)
    return signs
