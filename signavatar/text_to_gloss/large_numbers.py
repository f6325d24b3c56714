"""Numbers that are not clock times, dates, money or phone numbers: decimals, large numbers,
postcodes and codes.

The number signs compose a number up to 9999 (gloss_to_pose/numbers.py); above that DGS, like
spoken German, counts in thousands and millions:
- decimals with KOMMA, the digits after it one by one as spoken ("7,5" -> 7 KOMMA 5, "2,25" ->
  2 KOMMA 2 5); a decimal with € or Euro after it is money (number_expressions.py);
- large numbers by MILLIARDE, MILLION, TAUSEND ("25.000" -> 25 TAUSEND, "3.500.000" -> 3 MILLION
  500 TAUSEND), also with a written multiplier ("22,1 Millionen" / "1,2 Mio." -> 22 KOMMA 1
  MILLION); numbers up to 9999 stay one number sign ("1.500" -> 1500);
- digit by digit: a postcode (5 digits before a city name or after "PLZ": 1 0 1 1 5) and a code
  (after "Nummer", "Nr.", "Aktenzeichen" ..., a leading 0, or more digits than a count ever has),
  which is one number token the number signs spell digit by digit, as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from signavatar.text_to_gloss.analysis_budget import MAX_NUMBER_DIGITS
from signavatar.text_to_gloss.signing_unit import Role, Unit
from signavatar.text_to_gloss.tagging import TaggedWord

DECIMAL = re.compile(r"(\d+),(\d+)")
DOTTED = re.compile(r"\d{1,3}(?:\.\d{3})+")
#: written multipliers -> the sign key (lower case) and their power of ten
MULTIPLIERS = {
    "tausend": ("tausend", 3), "tsd.": ("tausend", 3), "million": ("million", 6), "millionen": ("million", 6),
    "mio.": ("million", 6), "mio": ("million", 6), "milliarde": ("milliarde", 9), "milliarden": ("milliarde", 9),
    "mrd.": ("milliarde", 9), "mrd": ("milliarde", 9),
}
_GROUPS = ((9, "milliarde"), (6, "million"), (3, "tausend"))
#: the lexicon keys of the group signs: a lexicon may list TAUSEND under "tausende" only, so that the
#: number word "tausend" stays the number 1000
SIGN_KEYS = {
    "tausend": ("tausend", "tausende"), "million": ("million", "millionen"), "milliarde": ("milliarde", "milliarden"),
}
MAX_COMPOSED = 9999
#: the largest count signed in groups; longer digit runs are codes
MAX_COUNT_DIGITS = 12
POSTCODE_WORDS = frozenset({"plz", "postleitzahl"})
#: a word ending like this shortly before a digit run makes it a code ("Kundennummer 123456")
CODE_WORD_ENDINGS = ("nummer", "nr.", "nr", "zeichen", "code", "kennziffer", "pin", "iban", "id", "az")
_LOOK_BACK = 3
_NAME_TAGS = frozenset({"NE", "FM"})


def number_units(clause: Sequence[TaggedWord], i: int) -> tuple[list[Unit], int]:
    """The units of the number at `clause[i]` (a token starting with a digit that is no clock
    time, date or money) and how many words they take (2 with a multiplier word)."""
    surface = clause[i].surface
    following = clause[i + 1].surface.lower() if i + 1 < len(clause) else ""
    words: tuple[str, ...] = (surface,)
    multiplier = MULTIPLIERS.get(following)
    if multiplier is not None:
        words = (surface, clause[i + 1].surface)
    decimal = DECIMAL.fullmatch(surface)
    if decimal:
        units = decimal_units(words, decimal.group(1), decimal.group(2), "content")
    elif DOTTED.fullmatch(surface) or (surface.isdigit() and _is_count(clause, i)):
        units = count_units(words, surface.replace(".", ""), "content", "number")
    elif surface.isdigit() and _is_postcode(clause, i):
        return [_number(words, "content", tuple(surface), "postcode")], 1
    elif surface.isdigit() and len(surface) > 4:
        return [_number(words, "content", (surface,), "number-code")], 1
    else:
        units = [_number(words, "content", _groups(surface), "number")]
    if multiplier is None:
        return units, 1
    key, _ = multiplier
    return [*units, _sign(words, "content", key, "large-number")], 2


def count_units(words: tuple[str, ...], digits: str, role: Role, rule: str) -> list[Unit]:
    """A count as number signs: one up to 9999 ("1500"), else in groups by MILLIARDE, MILLION,
    TAUSEND ("25000" -> 25 TAUSEND); longer than MAX_COUNT_DIGITS: one token (signed digit by digit)."""
    value = int(digits)
    if value <= MAX_COMPOSED or len(digits.lstrip("0")) > MAX_COUNT_DIGITS:
        return [_number(words, role, (digits,), rule)]
    units: list[Unit] = []
    for power, key in _GROUPS:
        count, value = divmod(value, 10**power)
        if count:
            units += [_number(words, role, (str(count),), "large-number"), _sign(words, role, key, "large-number")]
    if value:
        units.append(_number(words, role, (str(value),), "large-number"))
    return units


def decimal_units(words: tuple[str, ...], whole: str, fraction: str, role: Role) -> list[Unit]:
    """ "7,5" -> 7 KOMMA 5; the digits after the comma one by one ("2,25" -> 2 KOMMA 2 5). A fraction
    longer than MAX_NUMBER_DIGITS stays one token, which lookup.py refuses like any too long number."""
    digits = tuple(fraction) if len(fraction) <= MAX_NUMBER_DIGITS else (fraction,)
    return [
        *count_units(words, whole, role, "decimal"),
        _sign(words, role, "komma", "decimal"),
        _number(words, role, digits, "decimal"),
    ]


def _is_count(clause: Sequence[TaggedWord], i: int) -> bool:
    """A plain digit run above 9999 that counts something: no leading 0, not a postcode or code."""
    surface = clause[i].surface
    if surface.startswith("0") or len(surface) <= 4 or len(surface) > MAX_COUNT_DIGITS:
        return False
    return not _is_postcode(clause, i) and not _after_code_word(clause, i)


def _is_postcode(clause: Sequence[TaggedWord], i: int) -> bool:
    """5 digits before a city name ("10115 Berlin") or after "PLZ"/"Postleitzahl"."""
    if len(clause[i].surface) != 5:
        return False
    following = clause[i + 1] if i + 1 < len(clause) else None
    if following is not None and following.pos in _NAME_TAGS:
        return True
    return any(w.surface.lower().rstrip(":") in POSTCODE_WORDS for w in clause[max(0, i - _LOOK_BACK):i])


def _after_code_word(clause: Sequence[TaggedWord], i: int) -> bool:
    return any(w.surface.lower().endswith(CODE_WORD_ENDINGS) for w in clause[max(0, i - _LOOK_BACK):i])


def _groups(number: str) -> tuple[str, ...]:
    """Separated groups signed one after the other ("17." -> 17, "3.5" -> 3 5), as before."""
    return tuple(group for group in re.split(r"[.,:]", number) if group)


def _number(words: tuple[str, ...], role: Role, numbers: tuple[str, ...], rule: str) -> Unit:
    return Unit(words, role, (), "", numbers=numbers, rule=rule)


def _sign(words: tuple[str, ...], role: Role, key: str, rule: str) -> Unit:
    return Unit(words, role, SIGN_KEYS.get(key, (key,)), key.upper(), rule=rule)
