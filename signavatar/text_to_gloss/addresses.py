"""Postal addresses stay together and in order: street, house number, postcode, city.

"in der Hauptstraße 5, 12345 Berlin" -> fs-HAUPTSTRAßE 5 1 2 3 4 5 fs-BERLIN: the postcode of an
address is a code, signed digit by digit like a phone number; when the street moves first as a
place, its postcode and city move with it (the comma between them does not cut the address apart).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from signavatar.text_to_gloss.signing_unit import Unit
from signavatar.text_to_gloss.special_tokens import digits, starts_with_digit
from signavatar.text_to_gloss.tagging import TaggedWord

POSTCODE = re.compile(r"\d{5}")
HOUSE_NUMBER = re.compile(r"\d{1,4}[a-zA-Z]?")


def address_positions(clause: Sequence[TaggedWord], places: set[int]) -> set[int]:
    """The postcode and city after a house number that is part of a place ("in der Hauptstraße 5,
    12345 Berlin"): they join that place."""
    extra: set[int] = set()
    for k in sorted(places):
        if k + 1 < len(clause) and is_address_postcode(clause, k + 1):
            extra.add(k + 1)
            if k + 2 < len(clause) and _is_city(clause[k + 2]):
                extra.add(k + 2)
    return extra


def is_address_postcode(clause: Sequence[TaggedWord], i: int) -> bool:
    """Five digits after a street or place name and its house number ("Hauptstraße 5, 12345")."""
    if i < 2 or not POSTCODE.fullmatch(clause[i].surface) or not HOUSE_NUMBER.fullmatch(clause[i - 1].surface):
        return False
    return clause[i - 2].surface[:1].isupper() and not starts_with_digit(clause[i - 2].surface)


def postcode_unit(clause: Sequence[TaggedWord], i: int) -> Unit | None:
    """The digits of an address's postcode, or None for any other word."""
    if not is_address_postcode(clause, i):
        return None
    surface = clause[i].surface
    return Unit((surface,), "content", (), "", numbers=digits(surface), rule="address")


def _is_city(word: TaggedWord) -> bool:
    return word.surface[:1].isupper() and word.surface.replace("-", "").isalpha()
