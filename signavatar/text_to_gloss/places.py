"""Finding places, which DGS sets up after the time and before the rest ("im Bürgeramt").

A place is a noun phrase after a locative preposition: "im Bürgeramt", "in der Goethestraße 12",
"beim Amt", "auf dem Formular". Its words are the ones between the preposition and the first
noun or name (articles, adjectives), the noun itself, a house number right after it and the
postcode and city after that (addresses.py).
Prepositions that mostly mark time or direction of giving ("an", "nach", "vor") do not count.
The noun must be place-like (a name, a street, a building, office or room, a page or form):
"zum Beispiel", "zur Abholung", "auf Deutsch", "in der Regel" are not places and stay where they are.
"""

from __future__ import annotations

from collections.abc import Sequence

from signavatar.text_to_gloss import word_classes as wc
from signavatar.text_to_gloss.addresses import address_positions
from signavatar.text_to_gloss.special_tokens import starts_with_digit
from signavatar.text_to_gloss.tagging import TaggedWord
from signavatar.text_to_gloss.time_words import MODIFIED_TIME_NOUNS

PLACE_PREPOSITIONS = frozenset({"in", "im", "ins", "bei", "beim", "auf", "zum", "zur"})
_NOUN_TAGS = frozenset({"NN", "NE"})
# Nouns (lemma endings, lower case) that name a place one can be at or find something on (data).
PLACE_NOUN_ENDINGS = (
    "amt", "haus", "stelle", "büro", "zentrum", "center", "service", "platz", "schule", "halle",
    "zimmer", "raum", "gebäude", "stadt", "dorf", "land", "garten", "park", "kirche", "hof", "markt",
    "laden", "bank", "praxis", "klinik", "apotheke", "bibliothek", "museum", "etage", "stock", "geschoss",
    "eingang", "ausgang", "flur", "schalter", "bereich", "bezirk", "viertel", "behörde", "polizei",
    "kasse", "gemeinde", "verwaltung", "internet", "netz", "post", "kita", "kindergarten",
    "universität", "ort", "wohnung", "heim", "formular", "seite", "website", "homepage", "portal",
    "gericht", "botschaft", "konsulat", "jobcenter", "arzt", "ärztin", "firma", "betrieb", "wartebereich",
    *wc.STREET_SUFFIXES, *wc.NUMBERED_STREET_SUFFIXES,
)
_MAX_GAP = 3  # words between preposition and noun ("in der neuen Goethestraße")


def place_positions(words: Sequence[TaggedWord], times: set[int]) -> set[int]:
    """Positions in `words` (one clause) that belong to a place phrase (the preposition excluded)."""
    positions: set[int] = set()
    for i, word in enumerate(words):
        if word.surface.lower() not in PLACE_PREPOSITIONS or not word.pos.startswith("APPR"):
            continue
        if word.surface.lower() == "auf" and i > 0 and words[i - 1].pos == "NN":
            continue  # "Anspruch auf einen Kita-Platz", "Antrag auf ...": the noun's object, no place
        for j in range(i + 1, min(len(words), i + 2 + _MAX_GAP)):
            candidate = words[j]
            if candidate.pos.startswith("V") or j in times:
                break
            if candidate.pos in _NOUN_TAGS:
                if candidate.key in MODIFIED_TIME_NOUNS or not is_place_noun(candidate):
                    break
                positions.update(range(i + 1, j + 1))
                if j + 1 < len(words) and starts_with_digit(words[j + 1].surface):
                    positions.add(j + 1)
                break
    return positions | address_positions(words, positions)


def is_place_noun(word: TaggedWord) -> bool:
    """A name (city, office) or a noun whose lemma ends like a place ("Bürgeramt", "Rathaus")."""
    return word.pos == "NE" or word.key.endswith(PLACE_NOUN_ENDINGS)
