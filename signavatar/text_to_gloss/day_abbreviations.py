"""Is "Mo", "Di" ... "So" a weekday here? "So" is also the word "so" ("So können Sie ..."):

it is SONNTAG only inside a day or opening-hours expression: next to another day ("Mo–So", "Sa
und So", "So und feiertags"), before a time or number ("So 10–12 Uhr"), before open/closed ("So
geschlossen"), or written with its dot ("So."). The other
abbreviations are no German words when capitalised, so they are always days.
"""

from __future__ import annotations

from collections.abc import Sequence

from signavatar.text_to_gloss.special_tokens import WEEKDAY_ABBREVIATIONS, starts_with_digit
from signavatar.text_to_gloss.tagging import TaggedWord

# Abbreviations that are also ordinary words when capitalised at a sentence start.
AMBIGUOUS = frozenset({"So"})
_LINKS = frozenset({"bis", "und", "-", "–", "/"})
# "So geschlossen", "So geöffnet": a day's opening state
_OPEN_CLOSED = frozenset({"geschlossen", "geöffnet", "offen", "zu", "auf"})
# full day words that make a neighbouring "So" a day ("So und feiertags")
_DAY_WORDS = frozenset({"feiertags", "feiertag", "feiertage", "feiertagen", "samstag", "samstags", "wochenende"})


def weekday_at(clause: Sequence[TaggedWord], i: int) -> str | None:
    """The weekday ("sonntag") that `clause[i]` abbreviates, or None."""
    surface = clause[i].surface
    day = WEEKDAY_ABBREVIATIONS.get(surface.rstrip("."))
    if day is None or surface.rstrip(".") not in AMBIGUOUS or surface.endswith("."):
        return day
    following = clause[i + 1].surface if i + 1 < len(clause) else ""
    if starts_with_digit(following) or _is_other_day(following) or following.lower() in _OPEN_CLOSED:
        return day
    # "Mo–So", "Sa und So": a day two words back or ahead, joined by bis/und
    before = clause[i - 2].surface if i >= 2 and clause[i - 1].surface.lower() in _LINKS else ""
    after = clause[i + 2].surface if i + 2 < len(clause) and following.lower() in _LINKS else ""
    return day if _is_other_day(before) or _is_other_day(after) else None


def _is_other_day(surface: str) -> bool:
    key = surface.rstrip(".")
    return (key in WEEKDAY_ABBREVIATIONS and key not in AMBIGUOUS) or key.lower() in _DAY_WORDS
