"""Numbers, clock times, dates, money, phone numbers, opening hours and addresses -> units.

The sequencer composes a number token from number signs (up to 9999, see gloss_to_pose/numbers.py), so every
expression here becomes number tokens plus the lexicon signs that give them their meaning:
"8:30 Uhr" -> 8 UHR 30, "17.03.2025" -> 17 MÄRZ 2025, "37,50 €" -> 37 EURO 50, "Mo–Fr" ->
MONTAG BIS FREITAG (the tokenizer already turned the dash into "bis"); decimals, large numbers,
postcodes and codes: large_numbers.py. E-mail and web addresses
have no signs: their name parts are fingerspelled and a warning says what was left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from signavatar import messages
from signavatar.text_to_gloss.day_abbreviations import weekday_at
from signavatar.text_to_gloss.gloss_ids import is_number_gloss
from signavatar.text_to_gloss.large_numbers import count_units, number_units
from signavatar.text_to_gloss.signing_unit import Role, Unit
from signavatar.text_to_gloss.special_tokens import (
    CLOCK,
    DATE,
    EMAIL,
    ORDINAL,
    PHONE,
    URL,
    YEAR,
    address_parts,
    digits,
    starts_with_digit,
)
from signavatar.text_to_gloss.tagging import TaggedWord
from signavatar.text_to_gloss.tokenize import MONTHS

_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_EURO = frozenset({"euro", "eur"})
_CENT = frozenset({"cent", "ct", "ct."})


def number_expression(clause: Sequence[TaggedWord], i: int) -> tuple[list[Unit], int] | None:
    """The units of the expression starting at `clause[i]` and how many words it takes, or None
    when the word is not a number, weekday abbreviation or address (then a plain word rule applies)."""
    surface = clause[i].surface
    following = clause[i + 1].surface if i + 1 < len(clause) else ""
    if URL.fullmatch(surface) or EMAIL.fullmatch(surface):
        return _address(surface), 1
    if PHONE.fullmatch(surface):
        return [Unit((surface,), "content", (), "", numbers=digits(surface), rule="phone")], 1
    day = weekday_at(clause, i)
    if day is not None:
        return [Unit((surface,), "time", (day,), day, rule="opening-hours")], 1
    if not starts_with_digit(surface):
        return None
    with_uhr = following.lower() == "uhr"
    words = (surface, following) if with_uhr else (surface,)
    clock = CLOCK.fullmatch(surface)
    if clock and (":" in surface or with_uhr):
        return _clock(words, clock.group(1), clock.group(2)), len(words)
    if is_number_gloss(surface) and with_uhr:
        return _clock(words, surface, "00"), 2
    date = DATE.fullmatch(surface)
    if date:
        return _date((surface,), date.group(1), MONTHS[int(date.group(2)) - 1], date.group(3)), 1
    if ORDINAL.fullmatch(surface) and following.lower() in MONTHS:
        after = clause[i + 2].surface if i + 2 < len(clause) else ""
        year = after if YEAR.fullmatch(after) else None
        date_words = (surface, following, after) if year else (surface, following)
        return _date(date_words, surface.rstrip("."), following.lower(), year), len(date_words)
    if following.lower() in _EURO | _CENT:
        return _money((surface, following), surface, following.lower() in _CENT), 2
    return number_units(clause, i)


def number_groups(number: str) -> tuple[str, ...]:
    """"1.000" -> ("1000",); "3,5" -> ("3", "5"); "17." -> ("17",): the number tokens to sign."""
    number = number.rstrip(".")
    if _THOUSANDS.fullmatch(number):
        return (number.replace(".", ""),)
    return tuple(group for group in re.split(r"[.,:]", number) if group)


def _clock(words: tuple[str, ...], hour: str, minute: str) -> list[Unit]:
    """8:30 -> 8 UHR 30; 12:00 -> 12 UHR (DGS says the hour, UHR, then the minutes)."""
    units = [_number(words, "time", (str(int(hour)),), "clock-time"), _sign(words, "time", "uhr", "clock-time")]
    if int(minute):
        units.append(_number(words, "time", (str(int(minute)),), "clock-time"))
    return units


def _date(words: tuple[str, ...], day: str, month: str, year: str | None) -> list[Unit]:
    """17.03.2025 -> 17 MÄRZ 2025 (two-digit years are read as 20xx)."""
    units = [_number(words, "time", (str(int(day)),), "date"), _sign(words, "time", month, "date")]
    if year:
        units.append(_number(words, "time", (year if len(year) == 4 else "20" + year,), "date"))
    return units


def _money(words: tuple[str, ...], amount: str, in_cent: bool) -> list[Unit]:
    """37,50 € -> 37 EURO 50; 0,50 € -> 50 CENT; 5 Cent -> 5 CENT; 1.000 € -> 1000 EURO."""
    groups = number_groups(amount)
    euros, cents = groups[0], (groups[1] if len(groups) > 1 else "")
    if in_cent or (euros.strip("0") == "" and cents):
        value = cents.ljust(2, "0") if not in_cent else euros  # "0,5 €" is 50 cent
        return [_number(words, "content", (str(int(value)),), "money"), _sign(words, "content", "cent", "money")]
    units = [*count_units(words, euros, "content", "money"), _sign(words, "content", "euro", "money")]
    if cents and int(cents):
        units.append(_number(words, "content", (str(int(cents.ljust(2, "0"))),), "money"))
    return units


def _address(token: str) -> list[Unit]:
    """An e-mail or web address: its name parts fingerspelled (numbers signed), with a warning."""
    if "@" in token:
        rule, reason = "fingerspell-email", messages.IS_EMAIL
    else:
        rule, reason = "fingerspell-url", messages.IS_URL
    parts = address_parts(token)
    return [
        Unit((token,), "content", (), part, numbers=(part,) if is_number_gloss(part) else (), rule=rule, reason=reason)
        for part in parts
    ] or [Unit((token,), "content", (), token, rule=rule, reason=reason)]


def _number(words: tuple[str, ...], role: Role, numbers: tuple[str, ...], rule: str) -> Unit:
    return Unit(words, role, (), "", numbers=numbers, rule=rule)


def _sign(words: tuple[str, ...], role: Role, key: str, rule: str) -> Unit:
    return Unit(words, role, (key,), key.capitalize(), rule=rule)
