"""Postal addresses stay together and in order: street, house number, postcode, city.

"in der Hauptstraße 5, 12345 Berlin" -> fs-HAUPTSTRAßE 5 1 2 3 4 5 fs-BERLIN: the postcode is a
code, signed digit by digit like a phone number; when the street moves first as a place, its
postcode and city move with it (the comma between them does not cut the address apart).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from signavatar.text_to_gloss.signing_unit import Unit
from signavatar.text_to_gloss.special_tokens import digits, starts_with_digit
from signavatar.text_to_gloss.tagging import TaggedWord

POSTCODE = re.compile(r"\d{5}")


def postcode_unit(clause: Sequence[TaggedWord], i: int) -> Unit | None:
    """The digits of a German postcode (five digits before a city name, or after a house number)."""
    surface = clause[i].surface
    if not POSTCODE.fullmatch(surface):
        return None
    city_follows = i + 1 < len(clause) and _is_city(clause[i + 1])
    after_house_number = i > 0 and starts_with_digit(clause[i - 1].surface)
    if not (city_follows or after_house_number):
        return None
    return Unit((surface,), "content", (), "", numbers=digits(surface), rule="address")


def address_positions(clause: Sequence[TaggedWord], places: set[int]) -> set[int]:
    """The postcode and city after a place's house number ("in der Hauptstraße 5, 12345 Berlin")."""
    extra: set[int] = set()
    for k in sorted(places):
        if not starts_with_digit(clause[k].surface) or k + 1 >= len(clause):
            continue
        if POSTCODE.fullmatch(clause[k + 1].surface):
            extra.add(k + 1)
            if k + 2 < len(clause) and _is_city(clause[k + 2]):
                extra.add(k + 2)
    return extra


def _is_city(word: TaggedWord) -> bool:
    return word.surface[:1].isupper() and word.surface.replace("-", "").isalpha()
