"""Finding time expressions, which DGS puts first in the sentence (time line before the event).

Single words (heute, morgen, Montag, März) and short phrases: a modifier plus a time noun
("nächste Woche", "diesen Monat"), a number plus "Uhr" or a month ("10 Uhr", "17. März").
"""

from __future__ import annotations

from collections.abc import Sequence

from signavatar.text_to_gloss.special_tokens import starts_with_digit
from signavatar.text_to_gloss.tagging import TaggedWord
from signavatar.text_to_gloss.tokenize import MONTHS

WEEKDAYS = ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag")

TIME_ADVERBS = frozenset({
    "heute", "morgen", "gestern", "übermorgen", "vorgestern", "jetzt", "bald", "später", "sofort",
    "nachher", "vorher", "demnächst", "neulich", "damals", "morgens", "vormittags", "mittags",
    "nachmittags", "abends", "nachts", "täglich", "wöchentlich", "monatlich", "jährlich",
    *(day + "s" for day in WEEKDAYS),
})
# Nouns that name a point in time on their own.
TIME_NOUNS = frozenset({
    *WEEKDAYS, *MONTHS, "wochenende", "vormittag", "nachmittag", "abend", "mittag", "nacht", "feiertag", "ferien",
})
# Nouns that are a time expression only with a modifier ("nächste Woche", not "die Woche war lang").
MODIFIED_TIME_NOUNS = frozenset({"woche", "monat", "jahr", "tag", *TIME_NOUNS})
TIME_MODIFIERS = frozenset({
    "nächst", "nächste", "letzt", "letzte", "kommend", "vorig", "dies", "diese", "dieser", "jed", "jede", "jeder",
    "ende", "anfang", "mitte",  # "Ende März", "Anfang nächster Woche"
})
# Nouns that make a preceding number a time ("10 Uhr", "17. März").
NUMBER_TIME_NOUNS = frozenset({"uhr", *MONTHS})


def time_word_positions(words: Sequence[TaggedWord]) -> set[int]:
    """Return the positions in `words` (one clause) that belong to a time expression."""
    positions: set[int] = set()
    for i, word in enumerate(words):
        key = word.key
        if key in TIME_ADVERBS or (key in TIME_NOUNS and word.pos == "NN"):
            positions.add(i)
        if i + 1 < len(words):
            following = words[i + 1].key
            modifies = key in TIME_MODIFIERS and following in MODIFIED_TIME_NOUNS
            counts = _is_number(word) and following in NUMBER_TIME_NOUNS
            if modifies or counts:
                positions.update((i, i + 1))
    return positions


def _is_number(word: TaggedWord) -> bool:
    """A number token as the tokenizer keeps it: "10", "17.", "10:30"."""
    return starts_with_digit(word.surface)
