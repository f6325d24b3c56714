"""Patterns for the tokens that are not words: web and e-mail addresses, phone numbers, clock
times, dates, weekday abbreviations.

Office texts are full of them ("Mo–Fr 8:00–12:30", "Tel. 030 1234-567", "info@stadt.de"). The
tokenizer keeps each one whole so the tagger cannot split it into nonsense, and
number_expressions.py turns it into signs. The patterns have no named groups so the tokenizer can
embed them in its own (verbose) pattern: no literal space outside a character class.
"""

from __future__ import annotations

import re

from signavatar.text_to_gloss.gloss_ids import is_number_gloss

_ASCII_DIGITS = frozenset("0123456789")

URL = re.compile(r"(?:https?://|www\.)[^\s<>\"„“]+", re.IGNORECASE)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A phone number starts with 0 or +country code and has at least two groups (or 7+ digits in one).
PHONE = re.compile(
    r"(?<![\d.,:])(?:(?:\+\d{2,3}[ ]?(?:\(0\)[ ]?)?\d{2,5}|0\d{2,5})(?:[ /-]\d{2,})+|0\d{6,})(?![\d,:])"
)
CLOCK = re.compile(r"([01]?\d|2[0-4])[:.]([0-5]\d)")
DATE = re.compile(r"(0?[1-9]|[12]\d|3[01])\.(0?[1-9]|1[0-2])\.(\d{4}|\d{2})?")
ORDINAL = re.compile(r"(0?[1-9]|[12]\d|3[01])\.")
YEAR = re.compile(r"(19|20)\d\d")

WEEKDAY_ABBREVIATIONS = {
    "Mo": "montag", "Di": "dienstag", "Mi": "mittwoch", "Do": "donnerstag", "Fr": "freitag",
    "Sa": "samstag", "So": "sonntag",
}
_WEEKDAYS = frozenset({"montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"})


def is_weekday_abbreviation(token: str) -> bool:
    """ "Mo", "Mo." ... "So": only capitalised, so that "so" and "do" stay words."""
    return token.rstrip(".") in WEEKDAY_ABBREVIATIONS


def starts_with_digit(token: str) -> bool:
    """Does `token` start with an ASCII digit? Number words do; "¹", "①" (digits to str.isdigit)
    are not numbers the number signs can sign."""
    return token[:1] in _ASCII_DIGITS


def is_range_end(token: str) -> bool:
    """Can `token` start or end a range written with a dash ("8:00–12:30", "Mo–Fr", "2-3")?"""
    if CLOCK.fullmatch(token) or is_weekday_abbreviation(token) or token.lower() in _WEEKDAYS:
        return True
    return is_number_gloss(token) and len(token) <= 2


def digits(token: str) -> tuple[str, ...]:
    """Every digit of `token` on its own: how a phone number is signed ("030" -> 0 3 0)."""
    return tuple(char for char in token if char.isdigit() and char.isascii())


def address_parts(token: str) -> tuple[str, ...]:
    """The parts of an e-mail or web address that are signed: letter/digit runs, no scheme, no www.

    "info@stadt.de" -> ("info", "stadt", "de"); "https://www.berlin.de/buergeramt" -> ("berlin",
    "de") because a path cannot be read back from fingerspelling anyway.
    """
    if "@" in token:
        host = token
    else:
        host = re.sub(r"^(?i:https?://)?(?i:www\.)?", "", token).split("/", 1)[0]
    return tuple(part for part in re.split(r"[^0-9A-Za-zÄÖÜäöüß]+", host) if part)
